import pytest

from guardrails.core.model import Location, Resource, Unknown
from guardrails.core.policy import RuleConfig, Settings
from guardrails.rules import instance_size
from guardrails.rules.base import Context

from conftest import kube


def tf(type_, attrs, lines=None, provider=None, address=None):
    return Resource(
        address=address or f"{type_}.this",
        type=type_,
        kind="terraform",
        location=Location("main.tf", 10, 20),
        attrs=attrs,
        lines=lines or {},
        provider=provider or type_.split("_")[0],
    )


def run(options, *resources, unknown="warn"):
    rule = RuleConfig(id="sizes", type="instance-size", options=options)
    ctx = Context(settings=Settings(unknown=unknown))
    return list(instance_size.check(rule, resources, ctx))


def test_must_exist_fails_a_type_that_does_not_exist_with_its_real_neighbours():
    instance = tf("aws_instance", {"instance_type": "m5.3xlarge"}, lines={"instance_type": 12})
    [finding] = run({"must_exist": True}, instance)
    assert finding.message == "m5.3xlarge is not an EC2 instance type: the nearest are m5.2xlarge and m5.4xlarge"
    assert finding.fix == "use m5.2xlarge or m5.4xlarge, or exempt it in the policy"
    assert finding.line == 12
    [listed] = run({"must_exist": True}, tf("aws_db_instance", {"instance_class": "db.t3.huge"}))
    assert listed.message == ("db.t3.huge is not an RDS instance class: db.t3 comes in nano, micro, small, "
                              "medium, large, xlarge and 2xlarge")


def test_must_exist_is_off_unless_asked_and_says_nothing_of_real_types():
    assert run({}, tf("aws_instance", {"instance_type": "m5.3xlarge"})) == []
    assert run({"must_exist": True}, tf("google_compute_instance", {"machine_type": "n2-standard-8"}),
               tf("azurerm_linux_virtual_machine", {"size": "Standard_D4s_v5"})) == []


def test_larger_than_max_size_names_the_type_the_limit_and_the_fix():
    instance = tf("aws_instance", {"instance_type": "m5.8xlarge"}, lines={"instance_type": 12})
    [finding] = run({"max_size": "2xlarge"}, instance)
    assert finding.message == "m5.8xlarge is larger than max_size 2xlarge"
    assert finding.fix == "use m5.2xlarge or smaller, or exempt it in the policy"
    assert (finding.rule, finding.type, finding.severity) == ("sizes", "instance-size", "fail")
    assert (finding.resource, finding.path, finding.file, finding.line) == (
        "aws_instance.this", "instance_type", "main.tf", 12)


@pytest.mark.parametrize("size", ["micro", "large", "2xlarge"])
def test_sizes_up_to_max_size_pass(size):
    assert run({"max_size": "2xlarge"}, tf("aws_instance", {"instance_type": f"m5.{size}"})) == []


@pytest.mark.parametrize("size", ["metal", "metal-48xl", "3xlarge", "48xlarge"])
def test_metal_and_bigger_sizes_fail_max_size(size):
    assert len(run({"max_size": "2xlarge"}, tf("aws_instance", {"instance_type": f"m7i.{size}"}))) == 1


def test_max_size_fix_keeps_the_rds_prefix():
    [finding] = run({"max_size": "xlarge"}, tf("aws_db_instance", {"instance_class": "db.r6g.4xlarge"}))
    assert finding.fix.startswith("use db.r6g.xlarge or smaller")


def test_max_size_does_not_apply_to_gcp_or_azure_names():
    resources = [
        tf("google_compute_instance", {"machine_type": "n2-standard-96"}),
        tf("azurerm_linux_virtual_machine", {"size": "Standard_D96s_v5"}),
    ]
    assert run({"max_size": "large"}, *resources) == []


def test_unrankable_aws_size_is_unknown_under_max_size():
    [finding] = run({"max_size": "large"}, tf("aws_db_instance", {"instance_class": "db.r5.large.tpc2.mem4x"}))
    assert finding.severity == "warn"
    assert "size large.tpc2.mem4x of db.r5.large.tpc2.mem4x is not a known size" in finding.message


def test_families_compare_exactly():
    resources = [
        tf("aws_instance", {"instance_type": "c6in.large"}, address="aws_instance.a"),
        tf("aws_instance", {"instance_type": "c6i.large"}, address="aws_instance.b"),
        tf("aws_db_instance", {"instance_class": "db.t4g.large"}, address="aws_db_instance.c"),
        tf("aws_db_instance", {"instance_class": "db.t3.large"}, address="aws_db_instance.d"),
    ]
    findings = run({"families": ["c6i", "db.t4g"]}, *resources)
    assert [f.resource for f in findings] == ["aws_instance.a", "aws_db_instance.d"]
    assert findings[0].message == "c6in.large is of family c6in, which is not among the allowed families c6i, db.t4g"
    assert findings[0].fix == "use a type of family c6i, db.t4g, or exempt it in the policy"


def test_gcp_family_is_the_series():
    findings = run({"families": ["e2"]}, tf("google_compute_instance", {"machine_type": "n2-standard-4"}),
                   tf("google_compute_instance", {"machine_type": "e2-standard-4"}))
    assert [f.message for f in findings] == [
        "n2-standard-4 is of family n2, which is not among the allowed families e2"]


def test_deny_and_allow_globs_over_the_whole_name():
    metal = tf("aws_instance", {"instance_type": "m5.metal"}, address="aws_instance.metal")
    gpu = tf("aws_instance", {"instance_type": "p4d.24xlarge"}, address="aws_instance.gpu")
    small = tf("aws_instance", {"instance_type": "t3.small"}, address="aws_instance.small")
    findings = run({"deny": ["*.metal"], "allow": ["t3.*", "m5.*"]}, metal, gpu, small)
    assert [(f.resource, f.message) for f in findings] == [
        ("aws_instance.metal", "m5.metal matches the denied pattern *.metal"),
        ("aws_instance.gpu", "p4d.24xlarge matches none of the allowed patterns t3.*, m5.*"),
    ]


def test_globs_are_case_sensitive():
    assert len(run({"deny": ["M5.*"]}, tf("aws_instance", {"instance_type": "m5.large"}))) == 0
    assert len(run({"deny": ["m5.*"]}, tf("aws_instance", {"instance_type": "m5.large"}))) == 1


def test_one_finding_per_value_lists_every_problem():
    [finding] = run({"families": ["t3"], "max_size": "large", "max_vcpu": 8},
                    tf("aws_instance", {"instance_type": "m5.8xlarge"}))
    assert finding.message == (
        "m5.8xlarge is of family m5, which is not among the allowed families t3, "
        "is larger than max_size large and has 32 vCPUs, more than max_vcpu 8"
    )
    assert finding.fix == (
        "use a type of family t3; use m5.large or smaller; use a type with at most 8 vCPUs, "
        "or exempt it in the policy"
    )


def test_max_vcpu_and_max_memory_use_the_spec_table():
    findings = run({"max_vcpu": 4, "max_memory_gib": 16},
                   tf("aws_instance", {"instance_type": "r6i.xlarge"}, address="aws_instance.r"),
                   tf("aws_instance", {"instance_type": "c6i.2xlarge"}, address="aws_instance.c"),
                   tf("aws_instance", {"instance_type": "m6i.xlarge"}, address="aws_instance.m"))
    assert [(f.resource, f.message) for f in findings] == [
        ("aws_instance.r", "r6i.xlarge has 32 GiB of memory, more than max_memory_gib 16"),
        ("aws_instance.c", "c6i.2xlarge has 8 vCPUs, more than max_vcpu 4"),
    ]


def test_max_vcpu_on_gcp_azure_and_custom_types():
    findings = run({"max_vcpu": 8},
                   tf("google_compute_instance", {"machine_type": "n2-custom-16-65536"}),
                   tf("azurerm_windows_virtual_machine", {"size": "Standard_E8ds_v5"}),
                   tf("azurerm_kubernetes_cluster", {"default_node_pool": [{"vm_size": "Standard_D16s_v5"}]}))
    assert [f.message for f in findings] == [
        "n2-custom-16-65536 has 16 vCPUs, more than max_vcpu 8",
        "Standard_D16s_v5 has 16 vCPUs, more than max_vcpu 8",
    ]
    assert findings[1].path == "default_node_pool[0].vm_size"


def test_type_missing_from_the_spec_table_is_unknown():
    [finding] = run({"max_vcpu": 8}, tf("aws_instance", {"instance_type": "zz9.large"}))
    assert finding.severity == "warn"
    assert finding.message == "instance type cannot be checked: instance type zz9.large is not in the spec table"


def test_missing_memory_is_unknown_only_when_memory_is_limited():
    node = tf("aws_elasticache_cluster", {"node_type": "cache.r6g.large"})
    assert run({"max_vcpu": 8}, node) == []
    [finding] = run({"max_memory_gib": 8}, node)
    assert "the memory of cache.r6g.large is not in the spec table" in finding.message


def test_unknown_values_follow_settings_unknown():
    instance = tf("aws_instance", {"instance_type": Unknown("var.size has no value")})
    [finding] = run({"max_size": "large"}, instance, unknown="fail")
    assert finding.severity == "fail"
    assert finding.message == "instance type cannot be checked: var.size has no value"
    assert run({"max_size": "large"}, instance, unknown="ignore") == []


def test_non_string_value_is_a_finding():
    [finding] = run({"max_size": "large"}, tf("aws_instance", {"instance_type": 5}))
    assert finding.message == "instance_type is 5, not an instance type name"


def test_unset_instance_type_is_not_checked():
    assert run({"max_size": "nano"}, tf("aws_launch_template", {"name": "lt"})) == []


def test_autoscaling_overrides_each_get_their_own_finding():
    asg = tf("aws_autoscaling_group", {
        "mixed_instances_policy": [{"launch_template": [{
            "launch_template_specification": [{"launch_template_id": "lt-1"}],
            "override": [{"instance_type": "m5.large"}, {"instance_type": "m5.4xlarge"},
                         {"instance_type": "m5.16xlarge"}],
        }]}],
    })
    findings = run({"max_size": "2xlarge"}, asg)
    assert [f.path for f in findings] == [
        "mixed_instances_policy[0].launch_template[0].override[1].instance_type",
        "mixed_instances_policy[0].launch_template[0].override[2].instance_type",
    ]


def test_unknown_dynamic_override_block_is_reported_at_its_path():
    asg = tf("aws_autoscaling_group", {
        "mixed_instances_policy": [{"launch_template": [{"override": Unknown("dynamic block")}]}],
    })
    [finding] = run({"max_size": "2xlarge"}, asg)
    assert finding.path == "mixed_instances_policy[0].launch_template[0].override"


@pytest.mark.parametrize("attrs", [{"node_group_name": "ng"}, {"instance_types": []}])
def test_eks_node_group_defaults_to_t3_medium(attrs):
    group = tf("aws_eks_node_group", attrs, lines={"instance_types": 3})
    [finding] = run({"families": ["m6i"]}, group)
    assert finding.path == "instance_types"
    assert finding.message == (
        "t3.medium is of family t3, which is not among the allowed families m6i "
        "(instance_types is not set, so EKS uses t3.medium)"
    )
    assert run({"families": ["t3"]}, group) == []


def test_eks_node_group_list_is_checked_item_by_item():
    group = tf("aws_eks_node_group", {"instance_types": ["m6i.large", "m6i.12xlarge"]})
    [finding] = run({"max_size": "4xlarge"}, group)
    assert finding.path == "instance_types[1]"


@pytest.mark.parametrize(
    "type_, attrs, path",
    [
        ("aws_launch_configuration", {"instance_type": "m5.4xlarge"}, "instance_type"),
        ("aws_rds_cluster_instance", {"instance_class": "db.r6g.4xlarge"}, "instance_class"),
        ("aws_elasticache_replication_group", {"node_type": "cache.r6g.4xlarge"}, "node_type"),
        ("google_container_node_pool", {"node_config": [{"machine_type": "n2-standard-32"}]},
         "node_config[0].machine_type"),
        ("google_container_cluster", {"node_config": [{"machine_type": "n2-standard-32"}]},
         "node_config[0].machine_type"),
        ("azurerm_kubernetes_cluster_node_pool", {"vm_size": "Standard_D32s_v5"}, "vm_size"),
    ],
)
def test_every_resource_type_is_read(type_, attrs, path):
    [finding] = run({"max_vcpu": 8}, tf(type_, attrs))
    assert finding.path == path


def test_kubernetes_node_selector_instance_type():
    deployment = kube({
        "kind": "Deployment", "metadata": {"name": "api"},
        "spec": {"template": {"spec": {
            "nodeSelector": {"node.kubernetes.io/instance-type": "m5.8xlarge"},
            "containers": [{"name": "api"}],
        }}},
    }, lines={'spec.template.spec.nodeSelector["node.kubernetes.io/instance-type"]': 9})
    old_label_pod = kube({
        "kind": "Pod", "metadata": {"name": "old"},
        "spec": {"nodeSelector": {"beta.kubernetes.io/instance-type": "n2-standard-32"}},
    })
    plain_pod = kube({"kind": "Pod", "metadata": {"name": "plain"}, "spec": {"containers": []}})
    findings = run({"max_size": "2xlarge", "max_vcpu": 16}, deployment, old_label_pod, plain_pod)
    assert [(f.resource, f.path, f.message) for f in findings] == [
        ("Deployment/default/api", 'spec.template.spec.nodeSelector["node.kubernetes.io/instance-type"]',
         "m5.8xlarge is larger than max_size 2xlarge and has 32 vCPUs, more than max_vcpu 16"),
        ("Pod/default/old", 'spec.nodeSelector["beta.kubernetes.io/instance-type"]',
         "n2-standard-32 has 32 vCPUs, more than max_vcpu 16"),
    ]
    assert findings[0].line == 9


def test_bad_max_size_option_is_a_clear_error():
    with pytest.raises(ValueError, match="rule sizes: max_size 'huge' is not a size"):
        run({"max_size": "huge"}, tf("aws_instance", {"instance_type": "m5.large"}))


def test_docstring_has_the_explain_sections():
    doc = instance_size.__doc__
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in doc
    assert "```hcl" in doc
