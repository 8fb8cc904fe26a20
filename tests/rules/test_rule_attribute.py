import pytest

from conftest import run_policy, summary, write_tree

TF = {"main.tf": '''
    resource "aws_db_instance" "plain" {
      instance_class = "db.t4g.micro"
    }
    resource "aws_db_instance" "safe" {
      instance_class      = "db.t4g.micro"
      storage_encrypted   = true
      deletion_protection = true
      allocated_storage   = 50
    }
    resource "aws_instance" "web" {
      root_block_device {
        encrypted = false
      }
      root_block_device {
        encrypted = true
      }
    }
'''}


def policy(**rule: object) -> str:
    import json

    return "version: 1\nrules:\n  - " + json.dumps({"id": "custom", "type": "attribute", **rule}) + "\n"


@pytest.mark.parametrize("rule, expected", [
    ({"attribute": "storage_encrypted", "op": "eq", "value": True}, ["aws_db_instance.plain"]),
    ({"attribute": "deletion_protection", "op": "exists"}, ["aws_db_instance.plain"]),
    ({"attribute": "deletion_protection", "op": "absent"}, ["aws_db_instance.safe"]),
    ({"attribute": "allocated_storage", "op": "le", "value": 20}, ["aws_db_instance.plain", "aws_db_instance.safe"]),
    ({"attribute": "instance_class", "op": "matches", "value": "db\\.t4g\\..*"}, []),
    ({"attribute": "instance_class", "op": "in", "value": ["db.t4g.small"]}, ["aws_db_instance.plain", "aws_db_instance.safe"]),
    ({"attribute": "instance_class", "op": "not_in", "value": ["db.t4g.micro"]}, ["aws_db_instance.plain", "aws_db_instance.safe"]),
])
def test_operators(tmp_path, rule, expected):
    write_tree(tmp_path, TF)
    rule["match"] = {"resources": ["aws_db_instance"]}
    assert [f.resource for f in run_policy(tmp_path, policy(**rule))] == expected


def test_lists_of_blocks_are_walked_item_by_item(tmp_path):
    write_tree(tmp_path, TF)
    findings = run_policy(tmp_path, policy(attribute="root_block_device.encrypted", op="eq", value=True,
                                           match={"resources": ["aws_instance"]}, message="root volumes are encrypted"))
    assert summary(findings) == [("aws_instance.web", "root_block_device[0].encrypted", "fail", "new")]
    assert findings[0].message == "root volumes are encrypted (root_block_device[0].encrypted is False)"
    assert findings[0].line == 12


def test_kubernetes_paths(tmp_path):
    write_tree(tmp_path, {"pod.yaml": '''
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          hostNetwork: true
          containers: [{name: c, image: nginx}]
    '''})
    findings = run_policy(tmp_path, policy(attribute="spec.hostNetwork", op="ne", value=True, match={"resources": ["Pod"]}))
    assert summary(findings) == [("Pod/default/p", "spec.hostNetwork", "fail", "new")]
    assert findings[0].line == 5


def test_unknown_value_gets_settings_unknown(tmp_path):
    write_tree(tmp_path, {"main.tf": 'resource "aws_db_instance" "x" {\n  storage_encrypted = var.enc\n}\nvariable "enc" {}\n'})
    findings = run_policy(tmp_path, policy(attribute="storage_encrypted", op="eq", value=True))
    assert summary(findings) == [("aws_db_instance.x", "storage_encrypted", "warn", "new")]


def test_default_is_judged_where_the_attribute_is_not_set_and_said_so(tmp_path):
    from conftest import run_policy, write_tree

    write_tree(tmp_path, {"main.tf": 'resource "azurerm_log_analytics_workspace" "w" {\n  name = "w"\n}\n'})
    policy = """version: 1
rules:
  - {id: keep, type: attribute, match: {resources: [azurerm_log_analytics_workspace]},
     attribute: retention_in_days, op: ge, value: 60, default: 30}
"""
    (finding,) = run_policy(tmp_path, policy)
    assert finding.message == "retention_in_days is not set, so 30 (the provider's default); expected ge 60"


def test_when_limits_the_rule_to_the_resources_where_it_holds(tmp_path):
    from conftest import run_policy, write_tree

    write_tree(tmp_path, {"main.tf": """
        variable "policy" {
          type = string
        }
        resource "aws_s3_bucket" "allow" {
          bucket = "a"
        }
        resource "aws_s3_bucket" "forbid" {
          bucket = "b"
          tags   = { mode = "Forbid" }
        }
        resource "aws_s3_bucket" "unknown" {
          bucket = "c"
          tags   = { mode = var.policy }
        }
    """})
    policy = """version: 1
settings: {unknown: warn}
rules:
  - {id: r, type: attribute, match: {resources: [aws_s3_bucket]}, attribute: object_lock_enabled, op: exists,
     when: {attribute: tags.mode, op: eq, value: Allow, default: Allow}}
"""
    found = sorted((f.resource, f.severity) for f in run_policy(tmp_path, policy))
    # Unset mode is Allow by default: judged; Forbid: not judged; unknown: neither judged nor passed.
    assert found == [("aws_s3_bucket.allow", "fail"), ("aws_s3_bucket.unknown", "warn")]
