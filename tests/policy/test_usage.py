import json

import pytest

from guardrails.core.model import Location, Resource
from guardrails.policy.usage import UsageFileError, load_usage, unused_entries


def nat(address: str) -> Resource:
    return Resource(address=address, type="aws_nat_gateway", kind="terraform", location=Location("main.tf", 1), provider="aws")


def test_per_address_wins_over_type_default_and_covers_instances(tmp_path):
    path = tmp_path / "usage.yaml"
    path.write_text(
        "version: 1\n"
        "defaults:\n  aws_nat_gateway: {monthly_data_processed_gb: 10}\n"
        "resources:\n  aws_nat_gateway.main: {monthly_data_processed_gb: 250}\n"
    )
    usage = load_usage(path)
    assert usage.get(nat("aws_nat_gateway.main[1]"), "monthly_data_processed_gb") == 250
    assert usage.get(nat("aws_nat_gateway.other"), "monthly_data_processed_gb") == 10
    assert usage.read == {"aws_nat_gateway": {"monthly_data_processed_gb"}}


@pytest.mark.parametrize("text, line, fragment", [
    ("version: 1\nresources:\n  aws_nat_gateway.main: {monthly_data_processed_gb: -5}\n", 3, "must be at least 0"),
    ("version: 1\nresources:\n  aws_nat_gateway.main: {monthly_data_processed_gb: lots}\n", 3, "expected a number or a mapping, got a string"),
    ("version: 2\n", 1, "version"),
    ("version: 1\nresource:\n  x: {}\n", 1, "resource"),
    ("version: 1\nresources: [\n", 3, "invalid YAML"),
])
def test_bad_usage_files_name_line_and_path(tmp_path, text, line, fragment):
    path = tmp_path / "usage.yaml"
    path.write_text(text)
    with pytest.raises(UsageFileError) as info:
        load_usage(path, "usage.yaml")
    (problem,) = info.value.problems
    assert problem.file == "usage.yaml"
    assert problem.line == line
    assert fragment in problem.message


def test_a_key_the_type_does_not_have_is_an_error_naming_the_keys_it_has(tmp_path):
    path = tmp_path / "usage.yaml"
    path.write_text(
        "version: 1\n"
        "defaults:\n"
        "  aws_lambda_function: {monthly_request: 10}\n"
        "  aws_vpc: {storage_gb: 1}\n"
        "resources:\n"
        "  module.net.aws_nat_gateway.main[0]: {monthly_data_procesed_gb: 1}\n"
        "  Deployment/shop/web: {replica: 3}\n"
        "  web: {replicas: 3}\n"
    )
    with pytest.raises(UsageFileError) as caught:
        load_usage(path, "usage.yaml")
    assert [(p.file, p.line, p.message) for p in caught.value.problems] == [
        ("usage.yaml", 3, "defaults.aws_lambda_function.monthly_request: aws_lambda_function has no usage key "
                          "'monthly_request'; its keys: monthly_requests, average_duration_ms"),
        ("usage.yaml", 4, "defaults.aws_vpc: aws_vpc has no usage-based prices, so no usage key applies"),
        ("usage.yaml", 6, 'resources["module.net.aws_nat_gateway.main[0]"].monthly_data_procesed_gb: aws_nat_gateway '
                          "has no usage key 'monthly_data_procesed_gb'; its keys: monthly_data_processed_gb"),
        ("usage.yaml", 7, "resources.Deployment/shop/web.replica: Deployment has no usage key 'replica'; "
                          "its keys: replicas"),
        ("usage.yaml", 8, "resources.web: not a resource address (type.name, module.m.type.name or "
                          "Kind/namespace/name)"),
    ]


def test_an_address_that_matches_nothing_and_a_key_this_resource_does_not_use_are_warned(tmp_path):
    path = tmp_path / "usage.yaml"
    path.write_text(
        "version: 1\n"
        "resources:\n"
        "  aws_nat_gateway.mian: {monthly_data_processed_gb: 1}\n"
        "  aws_ssm_parameter.flag: {monthly_api_interactions: 1000}\n"
    )
    usage = load_usage(path, "usage.yaml")
    parameter = Resource(address="aws_ssm_parameter.flag", type="aws_ssm_parameter", kind="terraform",
                         location=Location("main.tf", 1), attrs={})
    notes = [n.message for n in unused_entries(usage, [parameter], usage.read)]
    assert notes == [
        "line 3: warning: usage for aws_nat_gateway.mian matches no resource",
        "line 4: warning: aws_ssm_parameter.flag: 'monthly_api_interactions' prices nothing here (the "
        "configuration has no part it applies to)",
    ]


def test_a_usage_file_error_never_quotes_the_file(tmp_path):
    # settings.usage may name any file; its content must not reach the CI log.
    path = tmp_path / "usage.yaml"
    path.write_text("ghp_secret-token-value\n")
    with pytest.raises(UsageFileError) as info:
        load_usage(path, "usage.yaml")
    assert [p.message for p in info.value.problems] == ["(top): expected a mapping, got a string"]
    path.write_text("version: 1\nresources: {a.b: {ghp_secret: 1}}\ndefaults: [ghp_other_secret]\n")
    with pytest.raises(UsageFileError) as info:
        load_usage(path, "usage.yaml")
    assert "ghp_other_secret" not in str(info.value)


def test_the_schema_documents_every_usage_key_and_is_written_from_the_table():
    from guardrails.policy.usage_schema import PATH, text
    from guardrails.pricing.usage_keys import MEANINGS, USAGE_KEYS

    assert PATH.read_text(encoding="utf-8") == text(), "run python -m guardrails.policy.usage_schema"
    documented = json.loads(text())["properties"]["defaults"]["properties"]
    assert {t: tuple(d["properties"]) for t, d in documented.items()} == dict(USAGE_KEYS)
    assert set(MEANINGS) == {key for keys in USAGE_KEYS.values() for key in keys}


def test_the_readme_lists_the_usage_keys_of_every_type():
    from pathlib import Path

    from guardrails.pricing.usage_keys import USAGE_KEYS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for rtype, keys in USAGE_KEYS.items():
        assert f"- `{rtype}`: " + ", ".join(f"`{k}`" for k in keys) + "\n" in readme, rtype


@pytest.mark.parametrize("entry, problem", [
    ("aws_lambda_provisioned_concurrency_config.p: {architecture: arm64}", None),
    ("aws_ssm_parameter.p: {api_throughput_limit: Higher}", None),
    ("aws_ssm_parameter.p: {api_throughput_limit: fast}", "must be one of standard, higher, advanced"),
    ("aws_ssm_parameter.p: {api_throughput_limit: 3}", "must be one of standard, higher, advanced"),
    ("aws_sqs_queue.q: {monthly_requests: lots}", "expected a number or a mapping, got a string"),
])
def test_a_word_is_taken_only_by_the_keys_whose_value_is_a_word(tmp_path, entry, problem):
    path = tmp_path / "usage.yaml"
    path.write_text(f"version: 1\nresources:\n  {entry}\n")
    if problem is None:
        load_usage(path, "usage.yaml")
        return
    with pytest.raises(UsageFileError) as caught:
        load_usage(path, "usage.yaml")
    (found,) = caught.value.problems
    assert found.line == 3 and found.message.endswith(": " + problem)
