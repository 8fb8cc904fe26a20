import json
import textwrap
from pathlib import Path

import pytest

from guardrails.core.model import InputError
from guardrails.policy.load import PolicyError, builtin_packs, load_policy, validate_file
from guardrails.core.policy import Match

FIXTURES = Path(__file__).parent.parent / "fixtures" / "policy"
REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "guardrails" / "policy" / "starter.yaml"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    """(line, message) of every problem of a policy written to tmp_path/p.yaml."""
    path = write(tmp_path, "p.yaml", text)
    problems = validate_file(path, root=tmp_path)
    assert all(problem.file == "p.yaml" for problem in problems)
    return [(problem.line, problem.message) for problem in problems]


# --- schema errors: the right line and JSON path ----------------------------------------------


def test_bad_severity_names_path_line_and_choices(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - {id: a, type: storage-tier, deny: [gp2]}
          - {id: b, type: storage-tier, deny: [gp2]}
          - id: c
            type: storage-tier
            severity: fatal
        """) == [(7, "rules[2].severity: 'fatal' is not one of ['fail', 'warn', 'info']")]


def test_wrong_version_and_missing_version(tmp_path):
    assert problems_of(tmp_path, "version: 2\n") == [(1, "version: must be 1, not 2")]
    assert problems_of(tmp_path, "rules: []\n") == [
        (1, "(top level): missing required key 'version'")]


def test_unknown_top_level_and_settings_keys_point_at_the_key(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        settings:
          regoin: us-east-1
          kubernetes:
            cpu_hours: 0.1
        rule: []
        """) == [
        (3, "settings.regoin: unknown key 'regoin' (did you mean 'region'?)"),
        (5, "settings.kubernetes.cpu_hours: unknown key 'cpu_hours' (did you mean 'cpu_hour'?)"),
        (6, "rule: unknown key 'rule' (did you mean 'rules'?)"),
    ]


def test_unknown_rule_type_lists_the_known_types(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - id: a
            type: required-tag
            tags: [owner]
        """) == [(4, "rules[0].type: unknown rule type 'required-tag'; known types: attribute, "
                     "cost, instance-size, k8s-resources, required-tags, storage-tier, used-by")]


def test_option_typo_in_a_rule_points_at_the_option(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - id: a
            type: required-tags
            tags: [owner]
            value: {env: [prod]}
        """) == [(6, "rules[0].value: unknown option 'value' for a required-tags rule "
                     "(did you mean 'values'?)")]


def test_option_of_another_rule_type_is_rejected(tmp_path):
    [(line, message)] = problems_of(tmp_path, """
        version: 1
        rules:
          - id: a
            type: storage-tier
            max_vcpu: 4
        """)
    assert line == 5
    assert message.startswith(
        "rules[0].max_vcpu: unknown option 'max_vcpu' for a storage-tier rule")


def test_missing_required_keys(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - type: required-tags
          - id: b
            type: attribute
            attribute: instance_type
            op: eq
          - id: c
            type: attribute
            attribute: tags.owner
            op: exists
        """) == [
        (3, "rules[0]: missing required key 'id'"),
        (3, "rules[0]: missing required key 'tags'"),
        (4, "rules[1]: missing required key 'value'"),
    ]


def test_wrong_types_say_what_was_expected(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - id: a
            type: required-tags
            tags: owner
        exemptions: {rule: a}
        """) == [
        (5, "rules[0].tags: expected a list, got a string"),
        (6, "exemptions: expected a list, got a mapping"),
    ]


def test_patterns_and_bounds(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        settings:
          kubernetes: {cpu_hour: -1, daemonset_nodes: 0}
        rules:
          - id: has space
            type: k8s-resources
            require: [limits.gpu]
            max: {limits.cpu: 16GB, limits.gpu: 1}
            max_ratio: {cpu: 0}
          - id: budget
            type: cost
            monthly_delta: {}
            resource_monthly: {warn: 10, fial: 20}
          - id: sizes
            type: instance-size
            max_size: huge
        exemptions:
          - {rule: a b, resource: x, reason: "  ", expires: 2027-3-1}
        """) == [
        (3, "settings.kubernetes.cpu_hour: -1 is less than the minimum of 0"),
        (3, "settings.kubernetes.daemonset_nodes: 0 is less than the minimum of 1"),
        (5, "rules[0].id: 'has space' is not a valid rule id (letters, digits, '_', '.', '-')"),
        (7, "rules[0].require[0]: 'limits.gpu' is not one of ['requests.cpu', 'requests.memory', "
            "'limits.cpu', 'limits.memory', 'requests.ephemeral-storage', "
            "'limits.ephemeral-storage']"),
        (8, "rules[0].max[\"limits.cpu\"]: '16GB' is not a Kubernetes quantity (500m, 2, 1.5, "
            "512Mi, 16Gi)"),
        (8, "rules[0].max[\"limits.gpu\"]: unknown key 'limits.gpu' (did you mean 'limits.cpu'?)"),
        (9, "rules[0].max_ratio.cpu: 0 is less than or equal to the minimum of 0"),
        (12, "rules[1].monthly_delta: give at least one of: warn, fail"),
        (13, "rules[1].resource_monthly.fial: unknown key 'fial' (did you mean 'fail'?)"),
        (16, "rules[2].max_size: 'huge' is not an instance size (nano, micro, small, medium, "
             "large, xlarge, 2xlarge, ..., 48xlarge, metal)"),
        (18, "exemptions[0].expires: '2027-3-1' is not a date (YYYY-MM-DD)"),
        (18, "exemptions[0].reason: must not be empty"),
        (18, "exemptions[0].rule: 'a b' is not a rule id, a rule type or *"),
    ]


def test_attribute_operators_need_values_of_their_kind(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - {id: a, type: attribute, attribute: backup_retention_period, op: ge, value: seven}
          - {id: b, type: attribute, attribute: backup_retention_period, op: lt, value: "7"}
          - {id: c, type: attribute, attribute: backup_retention_period, op: gt, value: true}
          - {id: d, type: attribute, attribute: backup_retention_period, op: le, value: [7]}
          - {id: e, type: attribute, attribute: engine, op: not_in, value: {a: 1}}
          - {id: f, type: attribute, attribute: engine, op: not_matches, value: 5}
          - {id: g, type: attribute, attribute: backup_retention_period, op: ge, value: 7}
          - {id: h, type: attribute, attribute: storage_encrypted, op: le, value: 0.5}
        """) == [
        (3, "rules[0].value: op ge needs a number, got a string"),
        (4, "rules[1].value: op lt needs a number, got a string (write the number without quotes)"),
        (5, "rules[2].value: op gt needs a number, got true"),
        (6, "rules[3].value: op le needs a number, got a list"),
        (7, "rules[4].value: op not_in needs a list of values, got a mapping"),
        (8, "rules[5].value: expected a regex string"),
    ]


def test_problems_after_the_schema_passes(tmp_path):
    assert problems_of(tmp_path, """
        version: 1
        rules:
          - {id: tags, type: required-tags, tags: [a], values: {cc: "^cc-[0-9"}}
          - {id: tags, type: storage-tier, deny: [gp2]}
          - {id: suppression, type: storage-tier, deny: [gp2]}
          - {id: m, type: attribute, attribute: name, op: matches, value: "(unclosed"}
          - {id: i, type: attribute, attribute: name, op: in, value: web}
          - {id: budget, type: cost, monthly_total: {warn: 100, fail: 10}}
        exemptions:
          - {rule: tags, resource: x, reason: y, expires: "2027-02-30"}
        """) == [
        (3, "rules[0].values.cc: '^cc-[0-9' is not a valid regex: missing closing ]"),
        (4, "rules[1].id: duplicate rule id 'tags' (also rules[0])"),
        (5, "rules[2].id: rule id 'suppression' is reserved for guardrails' own findings"),
        (6, "rules[3].value: '(unclosed' is not a valid regex: missing closing )"),
        (7, "rules[4].value: op in needs a list of values, got a string"),
        (8, "rules[5].monthly_total: warn threshold 100 is above fail threshold 10"),
        (10, "exemptions[0].expires: '2027-02-30' is not a date (YYYY-MM-DD)"),
    ]


def test_yaml_syntax_error_has_file_and_line(tmp_path):
    path = write(tmp_path, "p.yaml", "version: 1\nrules:\n  - id: [a\n")
    [problem] = validate_file(path, root=tmp_path)
    assert problem.file == "p.yaml" and problem.line >= 3


def test_empty_file_and_several_documents(tmp_path):
    assert problems_of(tmp_path, "# nothing yet\n") == [(1, "the policy file is empty")]
    assert problems_of(tmp_path, "version: 1\n---\nversion: 1\n") == [
        (3, "expected one policy document, found 2")]


def test_policy_error_carries_every_problem_of_every_file(tmp_path):
    first = write(tmp_path, "a.yaml", "version: 1\nrules: [{id: x, type: nope}]\n")
    second = write(tmp_path, "b.yaml", "version: 1\nsettings: {unknown: maybe}\n")
    with pytest.raises(PolicyError) as caught:
        load_policy([first, second], root=tmp_path)
    assert [(p.file, p.line) for p in caught.value.problems] == [("a.yaml", 2), ("b.yaml", 2)]
    assert "a.yaml:2: rules[0].type: unknown rule type 'nope'" in str(caught.value)


def test_missing_policy_file_given_on_the_command_line(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load_policy([tmp_path / "absent.yaml"], root=tmp_path)
    [problem] = caught.value.problems
    assert problem.line == 0 and "policy file not found" in problem.message


# --- extends --------------------------------------------------------------------------------


def test_extends_builtin_and_relative_paths_merge_in_order():
    policy = load_policy([FIXTURES / "team" / "policy.yaml"], root=FIXTURES)
    assert policy.sources == ("builtin:default", "base.yaml", "team/policy.yaml")
    ids = [rule.id for rule in policy.rules]
    default_ids = [rule.id for rule in load_policy(["builtin:default"]).rules]
    # the default's rules keep their place, then base's, then the team's new ones
    assert ids == default_ids + ["tags", "storage", "gpu"]
    tags = next(rule for rule in policy.rules if rule.id == "tags")
    assert (tags.severity, tags.options, tags.file, tags.line) == (
        "warn", {"tags": ["owner", "team"]}, "team/policy.yaml", 9)


def test_settings_merge_key_by_key_and_exemptions_concatenate():
    policy = load_policy([FIXTURES / "team" / "policy.yaml"], root=FIXTURES)
    assert policy.settings.region == "eu-west-1"
    assert policy.settings.unknown == "fail"
    assert policy.settings.kubernetes == {
        "cpu_hour": 0.05, "daemonset_nodes": 4, "memory_gib_hour": 0.01}
    assert policy.settings.other == {"prices": str(FIXTURES / "team" / "prices.yaml")}
    assert [(e.rule, e.resource, e.expires, e.file, e.line) for e in policy.exemptions] == [
        ("tags", "aws_s3_bucket.logs", None, "base.yaml", 14),
        ("gpu", "aws_instance.trainer", "2027-03-01", "team/policy.yaml", 17),
    ]


def test_a_later_rule_replaces_the_earlier_whole(tmp_path):
    base = write(tmp_path, "base.yaml", """
        version: 1
        rules:
          - {id: a, type: required-tags, severity: warn, tags: [owner], match: {paths: [x/**]}}
          - {id: b, type: storage-tier, deny: [gp2]}
        """)
    top = write(tmp_path, "top.yaml", """
        version: 1
        extends: [base.yaml]
        rules:
          - {id: a, type: storage-tier, deny: [io1]}
        """)
    policy = load_policy([top], root=tmp_path)
    assert [(r.id, r.type, r.severity, r.match, dict(r.options)) for r in policy.rules] == [
        ("a", "storage-tier", "fail", Match(), {"deny": ["io1"]}),
        ("b", "storage-tier", "fail", Match(), {"deny": ["gp2"]}),
    ]
    assert policy.sources == ("base.yaml", "top.yaml")
    assert load_policy([base, top], root=tmp_path) == policy


def test_several_policy_files_merge_in_the_given_order(tmp_path):
    first = write(tmp_path, "first.yaml", "version: 1\nsettings: {region: a, unknown: fail}\n")
    second = write(tmp_path, "second.yaml", "version: 1\nsettings: {region: b}\n")
    policy = load_policy([first, second], root=tmp_path)
    assert (policy.settings.region, policy.settings.unknown) == ("b", "fail")
    policy = load_policy([second, first], root=tmp_path)
    assert policy.settings.region == "a"


def test_a_file_reached_twice_is_merged_once_where_it_first_appears(tmp_path):
    write(tmp_path, "common.yaml",
          "version: 1\nrules: [{id: a, type: storage-tier, deny: [gp2]}]\n")
    write(tmp_path, "left.yaml", """
        version: 1
        extends: [common.yaml]
        rules: [{id: a, type: storage-tier, deny: [io1]}]
        """)
    write(tmp_path, "right.yaml", "version: 1\nextends: [common.yaml]\n")
    top = write(tmp_path, "top.yaml", "version: 1\nextends: [left.yaml, right.yaml]\n")
    policy = load_policy([top], root=tmp_path)
    assert [dict(rule.options) for rule in policy.rules] == [{"deny": ["io1"]}]
    assert policy.sources == ("common.yaml", "left.yaml", "right.yaml", "top.yaml")


def test_extends_cycle_is_an_error_at_the_extends_line():
    with pytest.raises(PolicyError) as caught:
        load_policy([FIXTURES / "cycle" / "a.yaml"], root=FIXTURES)
    assert caught.value.problems == [
        InputError("cycle/b.yaml", 4,
                   "extends cycle: cycle/a.yaml -> cycle/b.yaml -> cycle/a.yaml")]


def test_extends_missing_file_and_unknown_pack(tmp_path):
    path = write(tmp_path, "p.yaml", """
        version: 1
        extends:
          - builtin:defualt
          - ../nowhere.yaml
        """)
    assert validate_file(path, root=tmp_path) == [
        InputError("p.yaml", 3, "unknown policy pack 'builtin:defualt'; bundled packs: "
                                "builtin:default, builtin:finops, builtin:production"),
        InputError("p.yaml", 4, "policy file not found: ../nowhere.yaml"),
    ]


def test_errors_inside_an_extended_file_name_that_file(tmp_path):
    write(tmp_path, "sub/base.yaml", "version: 1\nrules: [{id: a, type: cost, monthly_total: 5}]\n")
    top = write(tmp_path, "top.yaml", "version: 1\nextends: [sub/base.yaml]\n")
    assert validate_file(top, root=tmp_path) == [
        InputError("sub/base.yaml", 2, "rules[0].monthly_total: expected a mapping, got 5")]


# --- which policy -------------------------------------------------------------------------------


def test_repository_policy_is_used_when_no_policy_is_given(tmp_path):
    write(tmp_path, ".guardrails.yaml", "version: 1\nrules: [{id: mine, type: storage-tier}]\n")
    policy = load_policy([], root=tmp_path)
    assert policy.sources == (".guardrails.yaml",)
    assert [rule.id for rule in policy.rules] == ["mine"]


def test_builtin_default_without_a_repository_policy(tmp_path):
    policy = load_policy([], root=tmp_path)
    assert policy.sources == ("builtin:default",)
    assert policy.rules


def test_explicit_policy_wins_over_the_repository_policy(tmp_path):
    write(tmp_path, ".guardrails.yaml", "version: 1\nrules: [{id: mine, type: storage-tier}]\n")
    assert load_policy(["builtin:production"], root=tmp_path).sources == (
        "builtin:default", "builtin:production")


# --- bundled files ------------------------------------------------------------------------------


def test_builtin_packs_are_found():
    packs = builtin_packs()
    assert set(packs) >= {"default", "production"}
    assert packs["default"].name == "default.yaml"


@pytest.mark.parametrize("path", [*sorted((REPO / "policies").glob("*.yaml")), STARTER], ids=lambda p: p.name)
def test_bundled_policies_are_valid(path):
    assert validate_file(path) == []


def test_default_pack_is_mostly_warnings():
    rules = load_policy(["builtin:default"]).rules
    severities = [rule.severity for rule in rules]
    assert severities.count("warn") > len(rules) / 2
    k8s = next(rule for rule in rules if rule.id == "k8s-resources")
    assert k8s.options["require"] == ["requests.cpu", "requests.memory", "limits.memory"]


def test_production_pack_makes_the_default_strict():
    rules = {rule.id: rule for rule in load_policy(["builtin:production"]).rules}
    assert {rules[i].severity for i in ("owner-tag", "k8s-resources", "storage-tier",
                                         "instance-size", "budget")} == {"fail"}
    assert rules["owner-tag"].options["values"]["cost-center"] == "^cc-[0-9]{4}$"
    assert "cost-center" in rules["owner-tag"].options["tags"]


def test_starter_shows_every_rule_type():
    schema = json.loads((REPO / "guardrails" / "policy" / "schema.json").read_text())
    known = set(schema["$defs"]["rule"]["properties"]["type"]["enum"])
    policy = load_policy([STARTER])
    assert {rule.type for rule in policy.rules} == known
    assert policy.exemptions[0].expires == "2027-03-01"


def test_rule_config_fields(tmp_path):
    path = write(tmp_path, "p.yaml", """
        version: 1
        rules:
          - id: t
            type: required-tags
            description: owners
            match: {resources: ["aws_*"], paths: [prod/**], namespaces: [web], exclude: [x.y]}
            tags: [owner]
        exemptions:
          - {rule: t, resource: "aws_instance.*", reason: legacy, expires: 2027-01-31}
        """)
    policy = load_policy([path], root=tmp_path)
    [rule] = policy.rules
    assert rule.match == Match(("aws_*",), ("prod/**",), ("web",), ("x.y",))
    assert (rule.description, rule.severity, dict(rule.options)) == ("owners", "fail",
                                                                      {"tags": ["owner"]})
    assert policy.exemptions[0].expires == "2027-01-31"  # an unquoted YAML date, read as text


def test_a_policy_that_passed_the_schema_is_not_validated_again(tmp_path, monkeypatch):
    # A pre-commit run should not import jsonschema for the same policy on every commit.
    import subprocess
    import sys

    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(tmp_path / "cache"))
    good = write(tmp_path, "good.yaml", """
        version: 1
        rules:
          - id: tags
            type: required-tags
            severity: warn
            tags: [owner]
        """)
    bad = write(tmp_path, "bad.yaml", "version: 1\nrules:\n  - id: tags\n    type: required-tags\n    severity: loud\n    tags: [owner]\n")
    probe = ("import sys; from pathlib import Path; from guardrails.policy.load import validate_file; "
             "print([p.message for p in validate_file(Path(sys.argv[1]), root=Path(sys.argv[2]))], 'jsonschema' in sys.modules)")

    def run(path: Path) -> str:
        done = subprocess.run([sys.executable, "-c", probe, str(path), str(tmp_path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run(good) == "[] True"
    assert run(good) == "[] False"
    first_bad = run(bad)
    assert "severity" in first_bad and first_bad.endswith("True")
    assert run(bad) == first_bad  # a policy with problems is validated (and reported) every time
    good.write_text(good.read_text().replace("severity: warn", "severity: loudest"))
    assert "severity" in run(good)  # changed content is validated again


def test_a_policy_in_the_repository_may_not_extend_files_outside_it(tmp_path):
    # A pull request's .guardrails.yaml must not read (and quote in errors) the CI machine's files.
    outside = write(tmp_path, "outside/secret.yaml", "version: 1\nrules: []\n")
    repo = tmp_path / "repo"
    write(repo, "shared/base.yaml", "version: 1\nrules: []\n")
    write(repo, ".guardrails.yaml", f"""
        version: 1
        extends: [shared/base.yaml, builtin:default, ../outside/secret.yaml, {outside}]
        """)
    with pytest.raises(PolicyError) as caught:
        load_policy([], root=repo)
    messages = [(p.file, p.line, p.message) for p in caught.value.problems]
    assert messages == [
        (".guardrails.yaml", 2, "extends ../outside/secret.yaml: outside the repository, not read "
                                "(a policy in the repository may extend only files in it and builtin packs)"),
        (".guardrails.yaml", 2, f"extends {outside}: outside the repository, not read "
                                "(a policy in the repository may extend only files in it and builtin packs)"),
    ]
    # The user's own policy, named on the command line from outside, may extend what it likes.
    mine = write(tmp_path, "outside/mine.yaml", "version: 1\nextends: [secret.yaml]\nrules: []\n")
    assert load_policy([mine], root=repo).sources


def test_a_schema_error_quotes_at_most_a_short_piece_of_the_value(tmp_path):
    problems = problems_of(tmp_path, "version: 1\nrules: '" + "x" * 500 + "'\n")
    assert problems and all(len(message) < 200 for _, message in problems)


@pytest.mark.parametrize("key", ["usage", "prices"])
def test_settings_files_of_a_policy_in_the_repository_stay_in_it(tmp_path, key):
    # A pull request's .guardrails.yaml must not make the CI read (and quote) its own files.
    from conftest import run

    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("ghp_runner_secret\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    (repo / ".guardrails.yaml").write_text(f"version: 1\nsettings:\n  {key}: ../outside/secret.txt\n")
    (repo / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n}\n')
    code, out, err = run(["cost", "."], repo)
    assert code == 2
    assert err.startswith(f"guardrails: error: .guardrails.yaml:3: settings.{key}: outside the repository, not read")
    assert "ghp_runner_secret" not in out + err
    # A policy the CI gives from outside the repository may name a file outside it.
    (tmp_path / "outside" / "ci.yaml").write_text("version: 1\nsettings:\n  usage: usage.yaml\n")
    (tmp_path / "outside" / "usage.yaml").write_text("version: 1\n")
    code, _, err = run(["cost", ".", "--policy", str(tmp_path / "outside" / "ci.yaml")], repo)
    assert code == 0, err


def test_a_repository_policy_that_links_out_of_the_repository_is_not_read(tmp_path):
    from conftest import run

    secret = tmp_path / "secret.yaml"
    secret.write_text("ghp_runner_secret: 1\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    (repo / ".guardrails.yaml").symlink_to(secret)
    code, out, err = run(["check", "."], repo)
    assert code == 2
    assert err == "guardrails: error: .guardrails.yaml: a symbolic link out of the repository, not read\n"
    assert "ghp_runner_secret" not in out
