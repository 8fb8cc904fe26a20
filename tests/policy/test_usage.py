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
    assert usage.get(nat("aws_nat_gateway.other"), "missing") is None
    assert usage.read == {"aws_nat_gateway": {"monthly_data_processed_gb", "missing"}}


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


def test_typos_in_addresses_and_keys_are_warned(tmp_path):
    path = tmp_path / "usage.yaml"
    path.write_text(
        "version: 1\n"
        "resources:\n"
        "  aws_nat_gateway.mian: {monthly_data_processed_gb: 1}\n"
        "  aws_nat_gateway.main: {monthly_data_procesed_gb: 1}\n"
    )
    usage = load_usage(path, "usage.yaml")
    resource = nat("aws_nat_gateway.main")
    usage.get(resource, "monthly_data_processed_gb")
    notes = [n.message for n in unused_entries(usage, [resource], usage.read)]
    assert notes == [
        "line 4: warning: aws_nat_gateway.main: no cost model reads 'monthly_data_procesed_gb' (known: monthly_data_processed_gb)",
        "line 3: warning: usage for aws_nat_gateway.mian matches no resource",
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
