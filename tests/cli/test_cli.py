"""The real CLI, end to end: arguments in, report and exit code out."""
import json
import os
import subprocess
import sys

import pytest


from conftest import run, write_tree

def test_examples_end_to_end(example_repo):
    code, out, _ = run(["check", "examples/", "--format", "json"], example_repo)
    report = json.loads(out)
    assert code == 1
    assert report["verdict"] == "fail"
    got = [(f["rule"], f["resource"], f["severity"], f["file"], f["line"]) for f in report["findings"]]
    assert got == [
        ("k8s-memory-units", "Deployment/shop/api", "fail", "examples/k8s/api.yaml", 33),
        ("k8s-resources", "StatefulSet/data/cache", "warn", "examples/k8s/database.yaml", 32),
        ("k8s-resources", "CronJob/shop/nightly-report", "warn", "examples/k8s/jobs.yaml", 14),
        ("owner-tag", "aws_instance.worker[0]", "warn", "examples/terraform/main.tf", 34),
        ("owner-tag", "aws_instance.worker[1]", "warn", "examples/terraform/main.tf", 34),
        ("storage-tier", 'aws_ebs_volume.uploads["a"]', "warn", "examples/terraform/main.tf", 49),
        ("storage-tier", 'aws_ebs_volume.uploads["b"]', "warn", "examples/terraform/main.tf", 49),
    ]
    assert report["errors"] == []


def test_examples_with_the_strict_policy(example_repo):
    code, out, _ = run(["check", "examples/", "--policy", "examples/strict.yaml", "--format", "json"], example_repo)
    findings = json.loads(out)["findings"]
    assert code == 1
    assert {"worker-families"} & {f["rule"] for f in findings} == set()  # c6i.2xlarge is allowed
    assert any(f["resource"] == "aws_instance.worker[0]" and f["severity"] == "fail" for f in findings)


def test_text_report_quotes_the_line_and_the_fix(example_repo):
    code, out, _ = run(["check", "examples/k8s/api.yaml"], example_repo)
    assert code == 1
    assert "examples/k8s/api.yaml" in out
    assert "memory: 100m" in out
    assert "fix:" in out
    assert out.rstrip().endswith("FAIL")
    assert "\033[" not in out  # no colour when not on a terminal


def test_json_output_is_byte_identical_across_runs_and_hash_seeds(example_repo):
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-m", "guardrails", "check", "examples/", "--format", "json"],
                                cwd=example_repo, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 1, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_pass_and_warn_exit_zero_fail_on_warn_exits_one(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_s3_bucket" "a" {\n  bucket = "logs"\n}\n'})
    code, out, _ = run(["check", "."], tmp_path)
    assert code == 0 and "WARN" in out  # owner tag missing: a warning in the default policy
    code, _, _ = run(["check", ".", "--fail-on", "warn"], tmp_path)
    assert code == 1
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "a" {\n  tags = { owner = "me" }\n}\n')
    code, out, _ = run(["check", "."], tmp_path)
    assert code == 0 and out.rstrip().endswith("PASS")


def test_stdin_manifest_stream(tmp_path):
    (tmp_path / ".git").mkdir()
    manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: x\n"
    code, out, _ = run(["check", "-", "--format", "json"], tmp_path, stdin=manifest)
    findings = json.loads(out)["findings"]
    assert code == 0
    assert [(f["resource"], f["file"], f["line"]) for f in findings] == [("Pod/default/p", "-", 6)]


def test_missing_path_is_an_input_error_and_the_rest_is_still_checked(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_instance" "a" {}\n'})
    code, out, _ = run(["check", "main.tf", "nope/", "--format", "json"], tmp_path)
    report = json.loads(out)
    assert code == 2
    assert report["errors"] == [{"file": "nope", "line": 0, "message": "no such file or directory"}]
    assert {f["resource"] for f in report["findings"]} == {"aws_instance.a"}


def test_unparsable_terraform_is_reported_with_file_and_line(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "bad.tf": 'resource "x" "y" {\n  a = \n}\n'})
    code, out, err = run(["check", "."], tmp_path)
    assert code == 2
    assert "error: bad.tf:" in out and "cannot parse Terraform" in out
    assert "Traceback" not in out + err


def test_directory_without_infrastructure_files_says_so(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "README.md": "hello\n"})
    code, out, _ = run(["check", "."], tmp_path)
    assert code == 0
    assert "no Terraform or Kubernetes files found" in out


def test_invalid_policy_is_exit_2_with_file_line_and_json_path(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": "", "p.yaml": "version: 1\nrules:\n  - id: x\n    type: required-tags\n    severity: fatal\n    tags: [a]\n"})
    code, out, err = run(["check", ".", "--policy", "p.yaml"], tmp_path)
    assert code == 2
    assert "p.yaml:5:" in err and "rules[0].severity" in err
    code, _, err = run(["policy", "validate", "p.yaml"], tmp_path)
    assert code == 2 and "p.yaml:5:" in err


def test_policy_init_output_validates(tmp_path):
    (tmp_path / ".git").mkdir()
    code, out, _ = run(["policy", "init"], tmp_path)
    assert code == 0
    (tmp_path / ".guardrails.yaml").write_text(out)
    assert run(["policy", "validate", ".guardrails.yaml"], tmp_path)[0] == 0


def test_repository_policy_is_used_by_default(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        ".guardrails.yaml": "version: 1\nrules:\n  - {id: t, type: required-tags, tags: [team]}\n",
        "main.tf": 'resource "aws_instance" "a" {\n  tags = { owner = "me" }\n}\n',
    })
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["tags.team"]


@pytest.mark.parametrize("rule_type", ["required-tags", "k8s-resources", "instance-size", "storage-tier", "attribute"])
def test_explain_prints_the_rule_documentation(tmp_path, rule_type):
    code, out, _ = run(["explain", rule_type], tmp_path)
    assert code == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in out


def test_explain_unknown_type_is_a_usage_error(tmp_path):
    code, _, err = run(["explain", "nope"], tmp_path)
    assert code == 2 and "known types" in err


def test_policy_explain_shows_the_rule_in_force(tmp_path):
    (tmp_path / ".git").mkdir()
    code, out, _ = run(["policy", "explain", "storage-tier"], tmp_path)
    assert code == 0 and "deny:" in out and "## What it does" in out


def test_unknown_module_is_reported_once_when_rules_cover_its_path(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        "p.yaml": "version: 1\nrules:\n  - {id: t, type: required-tags, tags: [owner], match: {paths: ['prod/**']}}\n"
                  "  - {id: a, type: attribute, attribute: x, op: eq, value: 1, match: {paths: ['prod/**']}}\n"
                  "  - {id: s, type: storage-tier, deny: [gp2], match: {paths: ['dev/**']}}\n"
                  "  - {id: k, type: k8s-resources, require: [limits.memory]}\n",
        "prod/main.tf": 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
        "dev/main.tf": '# guardrails:ignore module-not-inspected vendored next quarter\n'
                       'module "net" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
        "stage/main.tf": 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
    })
    code, out, _ = run(["check", ".", "--policy", "p.yaml", "--format", "json"], tmp_path)
    findings = json.loads(out)["findings"]
    # Two rules cover prod/: one finding for the call. No Terraform rule covers stage/: none.
    assert [(f["rule"], f["file"], f["severity"], f["status"]) for f in findings] == [
        ("module-not-inspected", "dev/main.tf", "warn", "suppressed"),
        ("module-not-inspected", "prod/main.tf", "warn", "new")]
    assert "not local" in findings[1]["message"] and "terraform init" in findings[1]["fix"]


def test_output_file(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_s3_bucket" "b" {}\n'})
    code, out, _ = run(["check", ".", "--format", "json", "--output", "report.json"], tmp_path)
    assert out == ""
    assert json.loads((tmp_path / "report.json").read_text())["schema"] == "guardrails.report/v1"


def test_bad_var_syntax_is_a_usage_error(tmp_path):
    (tmp_path / ".git").mkdir()
    code, _, err = run(["check", ".", "--var", "novalue"], tmp_path)
    assert code == 2 and "NAME=VALUE" in err


@pytest.mark.parametrize("var, message", [
    ("workers=abc", "--var workers='abc': variable 'workers' is number, and the value does not convert "
                    "('abc' is not a number)"),
    ("zones=a,b", "--var zones='a,b': variable 'zones' is list(string), and the value is not an HCL expression"),
    ("zones=5", "--var zones='5': variable 'zones' is list(string), and the value does not convert "
                "(a number cannot be used as list(string))"),
])
def test_a_var_that_does_not_convert_to_its_type_is_a_usage_error(tmp_path, var, message):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": """
        variable "workers" { type = number }
        variable "zones" { type = list(string) }
        resource "aws_instance" "w" {
          count         = var.workers
          instance_type = "t3.micro"
        }
        """})
    code, out, err = run(["check", ".", "--var", var], tmp_path)
    assert code == 2 and out == ""
    assert err.strip() == f"guardrails: error: {message}"


def test_a_var_that_converts_is_used_as_its_type(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": """
        variable "workers" { type = number }
        resource "aws_instance" "w" {
          count         = var.workers
          instance_type = "t3.micro"
        }
        """})
    code, out, _ = run(["check", ".", "--var", "workers=3", "--format", "json"], tmp_path)
    report = json.loads(out)
    assert report["errors"] == []
    assert sorted({f["resource"] for f in report["findings"]}) == [f"aws_instance.w[{i}]" for i in range(3)]


def test_the_default_policy_fails_instance_types_that_do_not_exist(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": """
        resource "aws_instance" "a" {
          instance_type = "t3.huge"
          tags          = { owner = "x" }
        }
        resource "google_compute_instance" "g" {
          machine_type = "n2-standard-7"
        }
        resource "azurerm_linux_virtual_machine" "v" {
          size = "Standard_D3s_v5"
          tags = { owner = "x" }
        }
        resource "aws_instance" "real" {
          instance_type = "t3.large"
          tags          = { owner = "x" }
        }
        """})
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    exists = [(f["resource"], f["severity"]) for f in json.loads(out)["findings"] if f["rule"] == "instance-type-exists"]
    assert code == 1
    assert exists == [("aws_instance.a", "fail"), ("google_compute_instance.g", "fail"),
                      ("azurerm_linux_virtual_machine.v", "fail")]


def test_version_is_fast_path(tmp_path):
    result = subprocess.run([sys.executable, "-c", "import sys, guardrails.cli.main; print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'git', 'hcl2', 'lark', 'yaml', 'tree_sitter') or m in ('guardrails.cli.prices', 'guardrails.cli.comment', 'guardrails.pricing.catalog')))"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_oversized_manifest_and_alias_bomb_are_errors_and_the_rest_is_checked(tmp_path):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n---\n"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    write_tree(tmp_path, {".git/HEAD": "", "ok.yaml": pod, "bomb.yaml": bomb})
    (tmp_path / "huge.yaml").write_text(pod * (17 * 2**20 // len(pod) + 1))
    code, out, err = run(["check", ".", "--format", "json"], tmp_path)
    report = json.loads(out)
    assert code == 2
    assert [e["file"] for e in report["errors"]] == ["bomb.yaml", "huge.yaml"]
    assert "over the 16 MiB limit" in report["errors"][1]["message"]
    assert {f["resource"] for f in report["findings"]} == {"Pod/default/p"}
    assert "Traceback" not in err


def test_summary_says_when_the_check_is_incomplete(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "bad.tf": "resource {\n"})
    code, out, _ = run(["check", "."], tmp_path)
    assert code == 2
    # A run that could not read an input is not a pass, in every format that shows a verdict.
    assert out.rstrip().endswith("0 failed, 0 warnings in 0 resources: INCOMPLETE (1 input error)")
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    assert code == 2 and json.loads(out)["verdict"] == "incomplete"
    code, out, _ = run(["check", ".", "--format", "markdown"], tmp_path)
    assert code == 2 and "### ❌ guardrails: incomplete" in out


def test_named_files_report_only_their_findings_with_the_whole_directory_as_context(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        "p.yaml": "version: 1\nrules:\n  - {id: t, type: required-tags, tags: [owner], match: {resources: [aws_instance]}}\n",
        "infra/locals.tf": 'locals {\n  tags = { owner = "me" }\n}\n',
        "infra/a.tf": 'resource "aws_instance" "a" {\n  tags = local.tags\n}\n',
        "infra/b.tf": 'resource "aws_instance" "b" {}\n',
        "infra/broken.tf": "resource {\n",
    })
    code, out, _ = run(["check", "infra/a.tf", "--policy", "p.yaml", "--format", "json"], tmp_path)
    report = json.loads(out)
    assert code == 0  # a.tf's tags come from locals.tf, b.tf's finding and broken.tf are not a.tf's
    assert report["findings"] == [] and report["errors"] == []
    assert any("broken.tf" in n["file"] for n in report["notes"])
    code, out, _ = run(["check", "infra/b.tf", "--policy", "p.yaml", "--format", "json"], tmp_path)
    assert code == 1 and [f["resource"] for f in json.loads(out)["findings"]] == ["aws_instance.b"]


def test_report_files_write_other_formats_from_the_same_run(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_s3_bucket" "b" {}\n'})
    code, out, _ = run(["check", ".", "--report-file", "json=r.json", "--report-file", "markdown=c.md"], tmp_path)
    assert json.loads((tmp_path / "r.json").read_text())["verdict"] == "warn"
    assert (tmp_path / "c.md").read_text().startswith("<!-- guardrails-report -->")
    assert out.rstrip().endswith("WARN")
    code, _, err = run(["check", ".", "--report-file", "pdf=x.pdf"], tmp_path)
    assert code == 2 and "FORMAT=PATH" in err


def test_comment_command_offers_the_clients_behaviours_without_importing_it_at_start():
    from guardrails.integrations import comment
    from guardrails.cli import comment as comment_cli

    assert comment_cli.BEHAVIOURS == comment.BEHAVIOURS
    result = subprocess.run([sys.executable, "-c", "import sys, guardrails.cli.main; print('urllib.request' in sys.modules)"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_symlinks_leaving_the_repository_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.tf": 'resource "aws_instance" "outside" {}\n'})
    repo = tmp_path / "repo"
    write_tree(repo, {".git/HEAD": "", "main.tf": 'resource "aws_s3_bucket" "inside" {}\n'})
    (repo / "linked.tf").symlink_to(outside / "secret.tf")
    (repo / "linked-dir").symlink_to(outside)
    code, out, _ = run(["check", ".", "--format", "json"], repo)
    assert {f["resource"] for f in json.loads(out)["findings"]} == {"aws_s3_bucket.inside"}


def test_empty_stdin_is_an_input_error_not_a_pass(tmp_path):
    # `helm template chart | guardrails check -` where helm failed and wrote nothing.
    (tmp_path / ".git").mkdir()
    for text in ("", "\n  \n"):
        code, out, _ = run(["check", "-"], tmp_path, stdin=text)
        assert code == 2
        assert "error: -: no input on stdin (did the command before the pipe fail?)" in out
        assert "no Terraform or Kubernetes files found" not in out


def test_a_binary_plan_named_on_the_command_line_is_an_error_with_the_fix(tmp_path):
    import zipfile

    (tmp_path / ".git").mkdir()
    with zipfile.ZipFile(tmp_path / "plan.out", "w") as archive:
        archive.writestr("tfplan", "binary plan")
    (tmp_path / "other.bin").write_bytes(b"\x00\x01binary")
    code, out, _ = run(["check", "plan.out", "other.bin"], tmp_path)
    assert code == 2
    assert ("error: plan.out: a zip archive, as terraform plan -out writes, not a plan guardrails can read: "
            "convert it with terraform show -json plan.out > plan.json, then check plan.json") in out
    assert "error: other.bin: a binary file, not a plan" in out
    # Found by walking a directory, a binary file with a manifest's name is only a note.
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "plan.json").write_bytes((tmp_path / "plan.out").read_bytes())
    code, out, _ = run(["check", "saved"], tmp_path)
    assert code == 0 and "note: saved/plan.json: a zip archive, as terraform plan -out writes, skipped" in out


def test_data_files_found_by_a_walk_are_notes_and_broken_manifests_still_errors(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        # istio's samples/bookinfo/src/mongodb/ratings_data.json: one JSON document per line
        "samples/ratings_data.json": '{"rating": 5}\n{"rating": 4}\n',
        "fixtures/broken.yaml": "a: [1, 2\n",
        "k8s/broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: [p}\n",
        "k8s/ok.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers: [{name: c, image: x}]\n",
    })
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    report = json.loads(out)
    assert code == 2
    assert [e["file"] for e in report["errors"]] == ["k8s/broken.yaml"]
    noted = {n["file"] for n in report["notes"] if "not a Kubernetes manifest or plan, skipped" in n["message"]}
    assert noted == {"samples/ratings_data.json", "fixtures/broken.yaml"}
    code, out, _ = run(["check", "samples", "fixtures", "--format", "json"], tmp_path)
    assert code == 0 and json.loads(out)["verdict"] == "pass"
    # Named on the command line, the same file is an input error: the user asked for it.
    code, out, _ = run(["check", "fixtures/broken.yaml"], tmp_path)
    assert code == 2 and "error: fixtures/broken.yaml:" in out


def test_policy_validate_without_a_file_validates_the_policy_in_force(tmp_path):
    (tmp_path / ".git").mkdir()
    code, out, _ = run(["policy", "validate"], tmp_path)
    assert code == 0 and out == "the policy in force is valid: builtin:default\n"
    (tmp_path / ".guardrails.yaml").write_text("version: 1\nrules:\n  - {id: t, type: required-tags}\n")
    code, _, err = run(["policy", "validate"], tmp_path)
    assert code == 2 and err.startswith("guardrails: error: .guardrails.yaml:3:")


def test_explain_without_a_type_lists_the_rule_types(tmp_path):
    from guardrails.rules.registry import RULE_MODULES as RULES

    code, out, _ = run(["explain"], tmp_path)
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()[: len(RULES)]]
    assert listed == sorted(RULES)
    assert "required-tags    Resources must carry the tags" in out


def test_policy_explain_is_described_in_help_and_no_cache_is_accepted_after_the_command(tmp_path):
    code, out, _ = run(["policy", "--help"], tmp_path)
    assert code == 0 and "explain   Show a rule of the policy in force" in out
    # In a process of its own: --no-cache holds for the rest of the process it runs in.
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_s3_bucket" "b" {\n}\n'})
    cache = tmp_path / "cache"
    env = {**os.environ, "GUARDRAILS_CACHE_DIR": str(cache)}
    env.pop("GUARDRAILS_NO_CACHE", None)
    for command in (["check", "--no-cache", "."], ["cost", ".", "--no-cache"], ["--no-cache", "check", "."]):
        done = subprocess.run([sys.executable, "-m", "guardrails", *command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert not cache.exists() or not any(cache.rglob("*.*")), command
    subprocess.run([sys.executable, "-m", "guardrails", "check", "."], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    assert any(p.is_file() for p in cache.rglob("*"))  # the same run without it does write the cache
