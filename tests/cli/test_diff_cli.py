"""`guardrails diff` end to end on real git repositories made in tmp dirs."""
import json
import subprocess
from pathlib import Path

import pytest

from conftest import run

M = 730
POLICY = """\
version: 1
rules:
  - {id: tags, type: required-tags, tags: [owner], match: {resources: [aws_instance]}}
  - {id: storage, type: storage-tier, deny: [gp2], suggest: {gp2: gp3}}
  - {id: budget, type: cost, monthly_delta: {warn: 100, fail: 400}}
"""
INSTANCE = '''resource "aws_instance" "worker" {{
  ami           = "ami-123"
  instance_type = "{size}"
  root_block_device {{
    volume_type = "gp3"
    volume_size = 10
  }}
}}
'''


@pytest.fixture(autouse=True)
def _region_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # These repositories write no provider block: their region is the one the AWS provider would
    # read from the environment, which diff prices both sides in.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def write(repo: Path, files: dict) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def commit(repo: Path, message: str, files: dict | None = None) -> None:
    write(repo, files or {})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    commit(tmp_path, "base", {".guardrails.yaml": POLICY, "infra/main.tf": INSTANCE.format(size="m5.large"),
                              "README.md": "hello\n"})
    return tmp_path


def state(repo: Path) -> tuple:
    return (git(repo, "status", "--porcelain"), (repo / ".git" / "index").read_bytes(), git(repo, "for-each-ref"))


def diff_json(repo: Path, *args: str):
    code, out, err = run(["diff", *args, "--format", "json"], repo)
    return code, (json.loads(out) if out.strip() else None), err


def test_a_bigger_instance_and_a_gp2_volume_on_a_branch(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "scale up", {"infra/main.tf": INSTANCE.format(size="m5.4xlarge")
                              + 'resource "aws_ebs_volume" "data" {\n  size = 100\n  type = "gp2"\n}\n'})
    git(repo, "checkout", "-q", "main")
    before = state(repo)
    code, report, err = diff_json(repo, "--base", "main", "--head", "feature")
    assert state(repo) == before
    assert code == 1, err
    cost = report["cost"]
    assert cost["monthly"]["before"] == round(M * 0.096 + 10 * 0.08, 2)
    assert cost["monthly"]["after"] == round(M * 0.768 + 10 * 0.08 + 100 * 0.10, 2)
    assert cost["monthly"]["delta"] == round(M * (0.768 - 0.096) + 100 * 0.10, 2)
    rows = {r["address"]: r for r in cost["resources"]}
    assert rows["aws_instance.worker"]["change"] == "changed"
    assert rows["aws_instance.worker"]["summary"] == "m5.large -> m5.4xlarge"
    assert rows["aws_instance.worker"]["monthly"]["delta"] == round(M * (0.768 - 0.096), 2)
    assert rows["aws_ebs_volume.data"]["change"] == "added"
    findings = {(f["rule"], f["resource"]): (f["status"], f["severity"]) for f in report["findings"]}
    assert findings[("tags", "aws_instance.worker")] == ("existing", "fail")  # the base had it: not blocking
    assert findings[("storage", "aws_ebs_volume.data")] == ("new", "fail")
    assert findings[("budget", "aws_instance.worker")] == ("new", "fail")  # +$500.56/mo is above 400
    budget = next(f for f in report["findings"] if f["rule"] == "budget")
    assert "aws_instance.worker m5.large -> m5.4xlarge" in budget["message"]


def test_only_existing_findings_do_not_block(repo):
    write(repo, {"README.md": "changed\n", "infra/main.tf": INSTANCE.format(size="m5.large") + "# a comment\n"})
    code, report, _ = diff_json(repo, "--base", "HEAD")
    assert code == 0
    assert {f["status"] for f in report["findings"]} == {"existing"}
    assert report["verdict"] == "warn"
    assert report["cost"]["monthly"]["delta"] == 0


def test_working_tree_includes_untracked_files_and_staged_sees_only_the_index(repo):
    write(repo, {"infra/extra.tf": 'resource "aws_ebs_volume" "x" {\n  size = 10\n  type = "gp3"\n}\n'})
    code, report, _ = diff_json(repo, "--base", "HEAD")
    assert [r["address"] for r in report["cost"]["resources"] if r["change"] == "added"] == ["aws_ebs_volume.x"]
    code, report, _ = diff_json(repo, "--base", "HEAD", "--staged")
    assert [r for r in report["cost"]["resources"] if r["change"] == "added"] == []
    git(repo, "add", "infra/extra.tf")
    before = state(repo)
    code, report, _ = diff_json(repo, "--base", "HEAD", "--staged")
    assert state(repo) == before
    assert [r["address"] for r in report["cost"]["resources"] if r["change"] == "added"] == ["aws_ebs_volume.x"]


def test_moved_block_pairs_the_renamed_resource(repo):
    renamed = INSTANCE.format(size="m5.large").replace('"worker"', '"builder"')
    write(repo, {"infra/main.tf": renamed + "moved {\n  from = aws_instance.worker\n  to   = aws_instance.builder\n}\n"})
    code, report, _ = diff_json(repo, "--base", "HEAD")
    rows = {r["address"]: r["change"] for r in report["cost"]["resources"]}
    assert rows == {"aws_instance.builder": "unchanged"}


def test_a_module_change_reaches_the_root_that_calls_it(repo):
    commit(repo, "module", {
        "live/main.tf": 'module "app" {\n  source = "../modules/app"\n  size   = "t3.micro"\n}\n',
        "modules/app/main.tf": 'variable "size" {}\nresource "aws_instance" "a" {\n  instance_type = var.size\n  tags = { owner = "x" }\n}\n',
    })
    write(repo, {"modules/app/main.tf": 'variable "size" {}\nresource "aws_instance" "a" {\n  instance_type = "m5.large"\n  tags = { owner = "x" }\n}\n'})
    code, report, _ = diff_json(repo, "--base", "HEAD")
    rows = {r["address"]: r for r in report["cost"]["resources"] if r["change"] != "unchanged"}
    assert list(rows) == ["module.app.aws_instance.a"]
    assert rows["module.app.aws_instance.a"]["summary"] == "t3.micro -> m5.large"


def test_the_heads_policy_applies_to_both_sides(repo):
    write(repo, {".guardrails.yaml": POLICY.replace("tags: [owner]", "tags: [team]"),
                 "infra/main.tf": INSTANCE.format(size="m5.large") + "\n"})
    code, report, _ = diff_json(repo, "--base", "HEAD")
    assert [(f["path"], f["status"]) for f in report["findings"] if f["rule"] == "tags"] == [("tags.team", "existing")]


def test_markdown_and_text_outputs(repo):
    write(repo, {"infra/main.tf": INSTANCE.format(size="m5.xlarge")})
    code, out, _ = run(["diff", "--base", "HEAD", "--format", "markdown"], repo)
    assert "<!-- guardrails-report -->" in out and "aws_instance.worker" in out
    code, out, _ = run(["diff", "--base", "HEAD"], repo)
    assert "aws_instance.worker" in out and "m5.large -> m5.xlarge" in out


@pytest.mark.parametrize("args, fragment", [
    (["--base", "no-such-branch"], "unknown revision"),
    (["--base", "HEAD", "--head", "HEAD", "--staged"], "--staged"),
])
def test_bad_revisions_are_one_line_errors(repo, args, fragment):
    before = state(repo)
    code, out, err = run(["diff", *args], repo)
    assert code == 2
    assert fragment in err and "Traceback" not in err
    assert state(repo) == before


def test_not_a_repository(tmp_path):
    code, _, err = run(["diff", "--base", "main"], tmp_path)
    assert code == 2 and "not in a git repository" in err


def test_unborn_branch(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    code, _, err = run(["diff", "--base", "HEAD"], tmp_path)
    assert code == 2 and "no commits" in err


def test_shallow_clone_without_the_merge_base_says_how_to_fix_it(repo, tmp_path_factory):
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "one", {"infra/a.tf": "# 1\n"})
    commit(repo, "two", {"infra/b.tf": "# 2\n"})
    git(repo, "checkout", "-q", "main")
    commit(repo, "main moves on", {"README.md": "again\n"})
    clone = tmp_path_factory.mktemp("clone")
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo}", str(clone)], check=True)
    code, _, err = run(["diff", "--base", "origin/main", "--head", "origin/feature"], clone)
    assert code == 2
    assert "shallow" in err and "fetch-depth: 0" in err


def test_deleted_and_renamed_files(repo):
    commit(repo, "volume", {"infra/disk.tf": 'resource "aws_ebs_volume" "d" {\n  size = 50\n  type = "gp3"\n}\n'})
    git(repo, "rm", "-q", "infra/disk.tf")
    git(repo, "mv", "infra/main.tf", "infra/compute.tf")
    code, report, _ = diff_json(repo, "--base", "HEAD", "--staged")
    rows = {r["address"]: (r["change"], r["monthly"]["delta"]) for r in report["cost"]["resources"]}
    assert rows == {"aws_ebs_volume.d": ("removed", round(-50 * 0.08, 2)), "aws_instance.worker": ("unchanged", 0.0)}
    assert report["cost"]["monthly"]["delta"] == round(-50 * 0.08, 2)
    assert code == 0  # savings never trip the budget, and the tags finding is existing


def test_merge_base_not_the_tip_of_base(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "feature change", {"infra/main.tf": INSTANCE.format(size="m5.xlarge")})
    git(repo, "checkout", "-q", "main")
    commit(repo, "main moves on", {"infra/other.tf": 'resource "aws_ebs_volume" "o" {\n  size = 10\n  type = "gp3"\n}\n'})
    git(repo, "merge", "-q", "--no-edit", "feature")
    git(repo, "checkout", "-q", "feature")
    commit(repo, "more", {"infra/main.tf": INSTANCE.format(size="m5.2xlarge")})
    code, report, _ = diff_json(repo, "--base", "main", "--head", "feature")
    rows = {r["address"]: r for r in report["cost"]["resources"] if r["change"] != "unchanged"}
    # main already merged m5.xlarge: the merge base is the feature commit, so the change is xlarge -> 2xlarge
    assert rows["aws_instance.worker"]["summary"] == "m5.xlarge -> m5.2xlarge"
    assert "aws_ebs_volume.o" not in rows


def test_pre_commit_mode_judges_the_index_or_the_pushed_range(repo, monkeypatch):
    write(repo, {"infra/main.tf": INSTANCE.format(size="m5.xlarge")})
    code, report, _ = diff_json(repo, "--pre-commit")
    assert report["cost"]["monthly"]["delta"] == 0  # nothing staged yet
    git(repo, "add", "infra/main.tf")
    code, report, _ = diff_json(repo, "--pre-commit")
    assert report["cost"]["monthly"]["delta"] == round(M * (0.192 - 0.096), 2)
    git(repo, "commit", "-q", "-m", "bigger")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "HEAD~1")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    code, report, _ = diff_json(repo, "--pre-commit")
    assert report["cost"]["monthly"]["delta"] == round(M * (0.192 - 0.096), 2)
    assert report["cost"]["resources"][0]["summary"] == "m5.large -> m5.xlarge"


def test_diff_without_base_is_a_usage_error(repo):
    code, _, err = run(["diff"], repo)
    assert code == 2 and "--base" in err


def test_change_level_cost_finding_points_at_the_largest_increase(repo):
    # The first added resource (a.tf sorts first) is the smallest; the finding belongs to the
    # resource that drove the increase, in b.tf.
    write(repo, {"infra/a.tf": INSTANCE.format(size="t3.nano").replace('"worker"', '"tiny"'),
                 "infra/b.tf": INSTANCE.format(size="m5.4xlarge").replace('"worker"', '"big"')})
    code, out, _ = run(["diff", "--base", "main", "--format", "json"], repo)
    report = json.loads(out)
    [finding] = [f for f in report["findings"] if f["path"] == "monthly_delta"]
    assert (finding["resource"], finding["file"], finding["line"]) == ("aws_instance.big", "infra/b.tf", 1)
    assert code == 1


def test_a_change_cannot_rewrite_the_policy_that_judges_it(repo):
    # The pull request adds an untagged instance and, in the same change, silences the rule.
    untagged = INSTANCE.format(size="t3.micro").replace('"worker"', '"extra"')
    lenient = POLICY.replace("{id: tags, type: required-tags,", "{id: tags, type: required-tags, severity: info,")
    lenient += 'exemptions:\n  - {rule: "*", resource: "*", reason: "trust me"}\n'
    write(repo, {"infra/extra.tf": untagged, ".guardrails.yaml": lenient})
    code, out, _ = run(["diff", "--base", "main", "--format", "json"], repo)
    head_report = json.loads(out)
    assert code == 0
    assert [n for n in head_report["notes"] if n["file"] == ".guardrails.yaml"] == [{
        "file": ".guardrails.yaml",
        "message": "the change modifies this policy file: the changed policy judges it "
                   "(--policy-from head; use --policy-from base on pull requests)"}]
    code, out, _ = run(["diff", "--base", "main", "--policy-from", "base", "--format", "json"], repo)
    report = json.loads(out)
    assert code == 1 and report["verdict"] == "fail"
    assert [(f["rule"], f["resource"]) for f in report["findings"] if f["status"] == "new"] == [
        ("tags", "aws_instance.extra")]
    assert any(n["message"].startswith("the change modifies this policy file: the base revision's policy judges it")
               for n in report["notes"])
    code, out, _ = run(["diff", "--base", "main", "--policy-from", "base"], repo)
    assert "the change modifies this policy file" in out  # the text report says so too
