"""Terraform plans (`terraform show -json`) as resources: actions, unknowns, providers, lines."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from guardrails.terraform.plan import load_plan, looks_like_plan
from guardrails.core.model import Resource, Unknown, is_unknown
from conftest import run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "plan"
AWS = "registry.terraform.io/hashicorp/aws"


def _load_fixture(name: str) -> tuple[list[Resource], list, list]:
    return load_plan((FIXTURES / name).read_text(), f"plans/{name}")


@pytest.fixture(scope="module")
def basic() -> dict[str, Resource]:
    resources, errors, notes = _load_fixture("basic.json")
    assert errors == [] and notes == []
    return {r.address: r for r in resources}


def _change(address: str, actions: list[str], after: Any = None, unknown: Any = None, **extra: Any) -> dict:
    entry = {
        "address": address,
        "mode": "managed",
        "type": address.split(".")[-2].split("[")[0] if "." in address else "x",
        "name": address.split(".")[-1].split("[")[0],
        "provider_name": AWS,
        "change": {
            "actions": actions,
            "before": None,
            "after": after if after is not None else {},
            "after_unknown": unknown if unknown is not None else {},
        },
    }
    entry.update(extra)
    return entry


def _plan_text(changes: list[Any], indent: int | None = 2, **top: Any) -> str:
    return json.dumps({"format_version": "1.2", "resource_changes": changes, **top}, indent=indent)


def _load(changes: list[Any], **top: Any) -> tuple[list[Resource], list, list]:
    return load_plan(_plan_text(changes, **top), "plan.json")


# --- what becomes a resource -----------------------------------------------------------------


def test_every_change_but_deletes_becomes_a_resource_in_plan_order() -> None:
    resources, _, _ = _load_fixture("basic.json")
    assert [r.address for r in resources] == [
        "aws_instance.web",
        "aws_ebs_volume.data[0]",
        "aws_ebs_volume.data[1]",
        "aws_s3_bucket.logs",
        "module.db[0].aws_db_instance.main",
        "aws_launch_template.lt",
        "aws_security_group.sg",
        "data.aws_ami.ubuntu",
        'module.app["blue"].aws_instance.web',
        'module.app["green"].aws_instance.web',
    ]


def test_actions_are_named_as_the_rules_expect(basic: dict[str, Resource]) -> None:
    assert {a: r.action for a, r in basic.items()} == {
        "aws_instance.web": "create",
        "aws_ebs_volume.data[0]": "create",
        "aws_ebs_volume.data[1]": "create",
        "aws_s3_bucket.logs": "update",
        "module.db[0].aws_db_instance.main": "replace",  # ["delete", "create"]
        "aws_launch_template.lt": "replace",  # ["create", "delete"]
        "aws_security_group.sg": "no-op",
        "data.aws_ami.ubuntu": "read",
        'module.app["blue"].aws_instance.web': "create",
        'module.app["green"].aws_instance.web': "create",
    }


def test_kind_type_mode_module_and_provider(basic: dict[str, Resource]) -> None:
    web = basic["aws_instance.web"]
    assert (web.kind, web.type, web.mode, web.module, web.provider) == (
        "terraform", "aws_instance", "managed", "", "aws",
    )
    ami = basic["data.aws_ami.ubuntu"]
    assert (ami.type, ami.mode) == ("aws_ami", "data")
    assert basic["module.db[0].aws_db_instance.main"].module == "module.db[0]"
    assert basic['module.app["blue"].aws_instance.web'].module == 'module.app["blue"]'
    assert all(r.lines == {} for r in basic.values())


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        (["create", "forget"], "replace"),
        (["delete", "create"], "replace"),
        (["no-op"], "no-op"),
    ],
)
def test_action_lists(actions: list[str], expected: str) -> None:
    resources, errors, notes = _load([_change("aws_instance.a", actions, {"ami": "x"})])
    assert [r.action for r in resources] == [expected] and errors == [] and notes == []


@pytest.mark.parametrize("actions", [["delete"], ["forget"]])
def test_deleted_and_forgotten_objects_are_ignored(actions: list[str]) -> None:
    assert _load([_change("aws_instance.a", actions)]) == ([], [], [])


def test_a_deposed_object_is_ignored_but_the_current_one_kept() -> None:
    changes = [
        _change("aws_instance.a", ["create"], {"ami": "new"}),
        _change("aws_instance.a", ["delete"], deposed="00000001"),
    ]
    resources, errors, _ = _load(changes)
    assert [(r.address, r.attrs["ami"]) for r in resources] == [("aws_instance.a", "new")]
    assert errors == []


def test_an_unsupported_action_is_skipped_with_a_note() -> None:
    resources, errors, notes = _load([_change("aws_instance.a", ["teleport"])])
    assert resources == [] and errors == []
    assert len(notes) == 1 and "aws_instance.a" in notes[0].message and "teleport" in notes[0].message


# --- attributes ------------------------------------------------------------------------------


def test_known_values_and_tags_are_kept(basic: dict[str, Resource]) -> None:
    web = basic["aws_instance.web"].attrs
    assert web["instance_type"] == "t3.micro"
    assert web["tags"] == {"Name": "web"}
    # tags_all already merges the provider's default_tags under the resource's tags
    assert web["tags_all"] == {"Name": "web", "owner": "platform"}
    assert web["user_data"] == "c2VjcmV0"  # sensitive in the plan, but the value stays
    assert basic["module.db[0].aws_db_instance.main"].attrs["tags"] is None


def test_after_unknown_makes_values_unknown_at_any_depth(basic: dict[str, Resource]) -> None:
    web = basic["aws_instance.web"].attrs
    assert is_unknown(web["id"]) and web["id"].reason == "known after apply"
    assert is_unknown(web["ebs_block_device"])  # a whole block list, absent from `after`
    device = web["root_block_device"][0]
    assert device["volume_size"] == 8
    assert is_unknown(device["volume_id"]) and is_unknown(device["volume_type"])
    assert web["security_groups"][0] == "sg-known"
    assert is_unknown(web["security_groups"][1])
    mappings = basic["aws_launch_template.lt"].attrs["block_device_mappings"]
    assert mappings[0]["ebs"][0]["volume_type"] == "gp2"
    assert is_unknown(mappings[0]["ebs"][0]["volume_size"])
    assert is_unknown(basic["data.aws_ami.ubuntu"].attrs["block_device_mappings"])


def test_unknown_parts_of_an_object_missing_from_after() -> None:
    # Terraform leaves unknown attributes out of `after`; a partly unknown object may be absent.
    after = {"backend": "s3", "config": {}}
    unknown = {"config": {"path": True}, "outputs": True, "settings": {"nested": {"key": True}}}
    resources, _, _ = _load([_change("aws_thing.a", ["create"], after, unknown)])
    attrs = resources[0].attrs
    assert attrs["backend"] == "s3"
    assert is_unknown(attrs["config"]["path"])
    assert is_unknown(attrs["outputs"])
    assert is_unknown(attrs["settings"]["nested"]["key"])


def test_known_parts_under_after_unknown_containers_stay_as_they_are() -> None:
    after = {"tags": {"a": "b"}, "list": [1, 2], "none": None}
    unknown = {"tags": {}, "list": [False, False], "none": {}}
    resources, _, _ = _load([_change("aws_thing.a", ["update"], after, unknown)])
    assert resources[0].attrs == {"tags": {"a": "b"}, "list": [1, 2], "none": None}


def test_a_wholly_unknown_change_is_a_resource_that_cannot_be_inspected() -> None:
    resources, _, _ = _load([_change("data.aws_ami.a", ["read"], None, True, mode="data")])
    assert resources[0].attrs == {} and "after apply" in resources[0].unknown


# --- provider configuration ------------------------------------------------------------------


def test_provider_config_of_the_default_provider(basic: dict[str, Resource]) -> None:
    config = basic["aws_instance.web"].provider_config
    assert is_unknown(config["region"]) and config["region"].reason == "depends on var.region"
    assert config["default_tags"] == {"owner": "platform"}
    assert "alias" not in config
    assert basic["module.db[0].aws_db_instance.main"].provider_config is config


def test_provider_config_follows_aliases_and_module_provider_passing(basic: dict[str, Resource]) -> None:
    for address in ("aws_launch_template.lt", 'module.app["green"].aws_instance.web'):
        config = basic[address].provider_config
        assert config["alias"] == "west"
        assert config["region"] == "us-west-2"
        assert config["default_tags"] == {"owner": "web-team", "env": "prod"}
        # Terraform lists `local.role_arn` and `local`; the message names the precise one.
        assert config["assume_role"]["role_arn"].reason == "depends on local.role_arn"


def _configuration(provider_config: dict, root_module: dict) -> dict:
    return {"configuration": {"provider_config": provider_config, "root_module": root_module}}


def test_a_module_with_its_own_provider_block() -> None:
    configuration = _configuration(
        {
            "aws": {"name": "aws", "full_name": AWS, "expressions": {"region": {"constant_value": "eu-west-1"}}},
            "module.net:aws": {
                "name": "aws", "full_name": AWS, "module_address": "module.net",
                "expressions": {"region": {"constant_value": "ap-south-1"}},
            },
        },
        {"module_calls": {"net": {"source": "./net", "module": {"resources": [
            {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
             "provider_config_key": "module.net:aws"},
        ]}}}},
    )
    change = _change("module.net.aws_vpc.main", ["create"], module_address="module.net")
    resources, _, _ = _load([change], **configuration)
    assert resources[0].provider_config == {"region": "ap-south-1"}


def test_a_provider_key_the_plan_does_not_list_falls_back_to_the_parent_module() -> None:
    # Older Terraform keyed a child module's inherited provider `module.a:aws` without listing it.
    configuration = _configuration(
        {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
        {"module_calls": {"a": {"module": {"module_calls": {"b": {"module": {"resources": [
            {"address": "aws_s3_bucket.x", "mode": "managed", "type": "aws_s3_bucket", "name": "x",
             "provider_config_key": "module.a.module.b:aws"},
        ]}}}}}}},
    )
    change = _change('module.a[0].module.b["k.module.z"].aws_s3_bucket.x', ["create"],
                     module_address='module.a[0].module.b["k.module.z"]')
    resources, _, _ = _load([change], **configuration)
    assert resources[0].provider_config == {"region": "eu-west-1"}


def test_a_resource_missing_from_the_configuration_uses_the_default_provider() -> None:
    configuration = _configuration(
        {
            "aws.east": {"name": "aws", "full_name": AWS, "alias": "east",
                         "expressions": {"region": {"constant_value": "us-east-1"}}},
            "aws": {"name": "aws", "full_name": AWS, "expressions": {"region": {"constant_value": "eu-west-1"}}},
        },
        {},
    )
    resources, _, _ = _load([_change("aws_instance.a", ["create"])], **configuration)
    assert resources[0].provider_config == {"region": "eu-west-1"}


def test_default_tags_that_depend_on_a_variable_and_google_default_labels() -> None:
    configuration = _configuration(
        {
            "aws": {"name": "aws", "full_name": AWS,
                    "expressions": {"default_tags": [{"tags": {"references": ["var.tags"]}}]}},
            "google": {"name": "google", "full_name": "registry.terraform.io/hashicorp/google",
                       "expressions": {"default_labels": {"constant_value": {"team": "data"}}}},
        },
        {"resources": [
            {"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket",
             "name": "b", "provider_config_key": "google"},
        ]},
    )
    bucket = _change("google_storage_bucket.b", ["create"], provider_name="registry.terraform.io/hashicorp/google")
    resources, _, _ = _load([_change("aws_instance.a", ["create"]), bucket], **configuration)
    aws, google = resources
    assert aws.provider_config["default_tags"].reason == "depends on var.tags"
    assert google.provider == "google" and google.provider_config["default_tags"] == {"team": "data"}


def test_without_a_configuration_section_the_provider_config_is_empty() -> None:
    resources, _, _ = _load([_change("aws_instance.a", ["create"])])
    assert resources[0].provider_config == {} and resources[0].provider == "aws"


def test_an_expression_that_is_neither_constant_nor_a_reference_is_unknown() -> None:
    configuration = _configuration(
        {"aws": {"name": "aws", "full_name": AWS,
                 "expressions": {"region": {}, "profile": {"constant_value": None}}}},
        {},
    )
    resources, _, _ = _load([_change("aws_instance.a", ["create"])], **configuration)
    config = resources[0].provider_config
    assert is_unknown(config["region"]) and config["profile"] is None


# --- locations -------------------------------------------------------------------------------


def _expected_line(text: str, address: str) -> int:
    """The line of `"address": "<address>"` after the `"resource_changes"` key, found naively."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if '"resource_changes"' in line)
    needle = f'"address": {json.dumps(address)}'
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_each_resource_points_at_its_entry_in_resource_changes() -> None:
    text = (FIXTURES / "basic.json").read_text()
    resources, _, _ = load_plan(text, "plans/basic.json")
    # planned_values, resource_drift and the configuration name the same addresses earlier or later
    assert text.index('"planned_values"') < text.index('"resource_changes"')
    for resource in resources:
        expected = _expected_line(text, resource.address)
        assert resource.location.file == "plans/basic.json"
        assert (resource.location.line, resource.location.end_line) == (expected, expected)
    assert {r.address: r.location.line for r in resources}["aws_instance.web"] > 95 - 1


def test_a_single_line_plan_puts_everything_on_line_one() -> None:
    text = json.dumps(json.loads((FIXTURES / "basic.json").read_text()))
    resources, errors, _ = load_plan(text, "plan.json")
    assert len(resources) == 10 and errors == []
    assert {r.location.line for r in resources} == {1}


def test_a_nested_address_attribute_does_not_move_the_location() -> None:
    # keys in another order than Terraform's, and an attribute that is itself called `address`
    entry = {
        "change": {"actions": ["create"], "after": {"address": "10.0.0.5", "name": "ip"}, "after_unknown": {}},
        "type": "google_compute_address",
        "address": "google_compute_address.ip",
        "mode": "managed",
        "provider_name": "registry.terraform.io/hashicorp/google",
    }
    text = _plan_text([entry], indent=1)
    resources, _, _ = load_plan(text, "plan.json")
    assert resources[0].location.line == _expected_line(text, "google_compute_address.ip")
    assert resources[0].attrs["address"] == "10.0.0.5"
    assert resources[0].provider == "google"


# --- input that is not a usable plan ---------------------------------------------------------


def test_invalid_json_is_an_input_error_with_its_line() -> None:
    resources, errors, notes = _load_fixture("invalid.json")
    assert resources == [] and notes == []
    assert [(e.file, e.line) for e in errors] == [("plans/invalid.json", 4)]
    assert "invalid JSON" in errors[0].message and "column 36" in errors[0].message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", 1),
        ('{"format_version": "1.0",\n "resource_changes": [{"address": "a.b"},\n]}', 3),
        ('{"format_version": "1.0", "resource_changes": []}\n{}', 2),
        ('{"format_version": "1.0"\n "resource_changes": []}', 2),
        ('{"format_version": "1.0", "resource_changes": [}', 1),
        ("[" * 100_000, 1),
    ],
)
def test_broken_json_never_raises(text: str, line: int) -> None:
    resources, errors, notes = load_plan(text, "plan.json")
    assert resources == [] and notes == []
    assert [e.line for e in errors] == [line]


def test_json_that_is_not_a_plan_is_a_note() -> None:
    resources, errors, notes = _load_fixture("not_a_plan.json")
    assert resources == [] and errors == []
    assert [n.file for n in notes] == ["plans/not_a_plan.json"]
    assert "not a Terraform plan" in notes[0].message


@pytest.mark.parametrize("text", ["[1, 2]", '"plan"', "{}", '{"resource_changes": []}'])
def test_other_json_documents_are_notes(text: str) -> None:
    resources, errors, notes = load_plan(text, "x.json")
    assert (resources, errors, len(notes)) == ([], [], 1)


def test_a_future_major_format_version_is_refused() -> None:
    resources, errors, _ = load_plan('{\n"format_version": "2.0",\n"resource_changes": []}', "plan.json")
    assert resources == [] and [e.line for e in errors] == [2]
    assert "2.0" in errors[0].message


def test_a_malformed_change_is_an_error_on_its_line_and_the_rest_still_loads() -> None:
    changes = [
        _change("aws_instance.a", ["create"]),
        {"address": "aws_instance.b", "mode": "managed", "type": "aws_instance", "change": {}},
        "not an object",
        _change("aws_instance.c", ["create"]),
    ]
    text = _plan_text(changes)
    resources, errors, _ = load_plan(text, "plan.json")
    assert [r.address for r in resources] == ["aws_instance.a", "aws_instance.c"]
    not_an_object = text.splitlines().index('    "not an object",') + 1
    assert [e.line for e in errors] == [_expected_line(text, "aws_instance.b"), not_an_object]
    assert "aws_instance.b" in errors[0].message and "actions" in errors[0].message


def test_resource_changes_that_is_not_a_list() -> None:
    resources, errors, _ = load_plan('{"format_version": "1.0",\n"resource_changes": {}}', "plan.json")
    assert resources == [] and [e.line for e in errors] == [2]


def test_an_errored_plan_loads_with_a_note() -> None:
    resources, errors, notes = _load([_change("aws_instance.a", ["create"])], errored=True)
    assert len(resources) == 1 and errors == []
    assert len(notes) == 1 and "errors" in notes[0].message


def test_a_byte_order_mark_is_ignored() -> None:
    text = _plan_text([_change("aws_instance.a", ["create"])])
    resources, errors, _ = load_plan("\ufeff" + text, "p.json")
    assert len(resources) == 1 and errors == []
    assert resources[0].location.line == _expected_line(text, "aws_instance.a")


# --- looks_like_plan and size ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"format_version": "1.2", "resource_changes": []}, True),
        ({"format_version": "1.2", "planned_values": {}}, True),
        ({"format_version": "1.0", "values": {}}, False),  # a state, not a plan
        ({"resource_changes": []}, False),
        ([{"format_version": "1.2", "resource_changes": []}], False),
        (None, False),
    ],
)
def test_looks_like_plan(obj: Any, expected: bool) -> None:
    assert looks_like_plan(obj) is expected


def test_a_large_plan_loads_in_linear_time() -> None:
    after = {"instance_type": "t3.micro", "tags": {"owner": "x"}, "user_data": "x" * 500}
    changes = [
        _change(f'module.m["k{i}"].aws_instance.web', ["create"], dict(after), {"id": True},
                module_address=f'module.m["k{i}"]')
        for i in range(4000)
    ]
    text = _plan_text(changes, planned_values={"root_module": {"resources": changes}})
    started = time.perf_counter()
    resources, errors, _ = load_plan(text, "big.json")
    elapsed = time.perf_counter() - started
    assert len(resources) == 4000 and errors == []
    assert resources[-1].location.line == _expected_line(text, resources[-1].address)
    # Scanning the text once per resource would take minutes here.
    assert elapsed < 5, f"{len(text) / 1e6:.1f} MB took {elapsed:.1f} s"
    assert is_unknown(resources[0].attrs["id"]) and resources[0].attrs["id"] == Unknown()


def test_a_truncated_plan_gets_the_whole_message_with_line_and_column(tmp_path):
    (tmp_path / "plan.json").write_text('{"format_version": "1.2",\n "resource_changes": [{"address": "aws_ins')
    code, out, _ = run(["check", "plan.json"], tmp_path)
    assert code == 2
    assert ("error: plan.json:2: invalid JSON at line 2, column 35: unterminated string starts here "
            "(the file ends early: was it cut off?)") in out


def test_a_plan_whose_instance_type_is_a_number_is_unpriced_for_that_reason(tmp_path):
    after = {"instance_type": 5, "tags": {"owner": "x"}}
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_instance.a", "mode": "managed", "type": "aws_instance", "name": "a",
         "provider_name": "registry.terraform.io/hashicorp/aws", "values": after}]}},
        "resource_changes": [{"address": "aws_instance.a", "mode": "managed", "type": "aws_instance", "name": "a",
                              "provider_name": "registry.terraform.io/hashicorp/aws",
                              "change": {"actions": ["create"], "before": None, "after": after}}],
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
            "region": {"constant_value": "us-east-1"}}}}}}
    (tmp_path / ".git").mkdir()
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    code, out, _ = run(["cost", "plan.json", "--format", "json"], tmp_path)
    [line] = json.loads(out)["cost"]["resources"]
    assert line["unpriced"] == "instance_type is 5, not a string"
