import pytest

from guardrails.core.model import Location, Resource, Unknown
from guardrails.core.policy import RuleConfig, Settings
from guardrails.rules import storage_tier
from guardrails.rules.base import Context

from conftest import kube


def tf(type_, attrs, lines=None, address=None):
    return Resource(
        address=address or f"{type_}.this",
        type=type_,
        kind="terraform",
        location=Location("main.tf", 10, 20),
        attrs=attrs,
        lines=lines or {},
        provider=type_.split("_")[0],
    )


def run(options, *resources, unknown="warn"):
    rule = RuleConfig(id="storage", type="storage-tier", options=options)
    ctx = Context(settings=Settings(unknown=unknown))
    return list(storage_tier.check(rule, resources, ctx))


DENY_OLD = {"deny": ["gp2", "io1", "standard", "pd-standard"], "suggest": {"gp2": "gp3", "io1": "io2"}}


# --- AWS ----------------------------------------------------------------------------------------


def test_explicit_denied_type_with_suggestion():
    volume = tf("aws_ebs_volume", {"type": "gp2", "size": 100}, lines={"type": 13})
    [finding] = run(DENY_OLD, volume)
    assert finding.message == "type gp2 is a denied storage type"
    assert finding.fix == 'set type = "gp3", or exempt it in the policy'
    assert (finding.rule, finding.type, finding.path, finding.line) == ("storage", "storage-tier", "type", 13)


def test_ebs_volume_without_type_is_gp2():
    [finding] = run(DENY_OLD, tf("aws_ebs_volume", {"size": 100}))
    assert finding.path == "type"
    assert finding.line == 10  # the resource's line: the attribute is absent
    assert finding.message == "type is not set, so AWS creates gp2, which is a denied storage type"
    assert finding.fix == 'set type = "gp3", or exempt it in the policy'


def test_allowed_type_passes():
    assert run(DENY_OLD, tf("aws_ebs_volume", {"type": "gp3"})) == []


def test_values_compare_as_the_api_spells_them():
    [finding] = run({"allow": ["gp3"]}, tf("aws_ebs_volume", {"type": "GP3"}))
    assert finding.message == "type GP3 is not an allowed storage type (allowed: gp3)"
    assert finding.fix == "use an allowed storage type (gp3), or exempt it in the policy"
    assert run({"deny": ["gp2"]}, tf("aws_ebs_volume", {"type": "GP2"})) == []


def test_deny_globs():
    [finding] = run({"deny": ["pd-*"]}, tf("google_compute_disk", {"type": "pd-ssd"}))
    assert finding.message == "type pd-ssd is matched by the denied pattern pd-*"
    assert finding.fix == "use a storage type the policy does not deny, or exempt it in the policy"


def test_deny_wins_over_allow():
    [finding] = run({"allow": ["gp*"], "deny": ["gp2"]}, tf("aws_ebs_volume", {"type": "gp2"}))
    assert finding.message == "type gp2 is a denied storage type"


@pytest.mark.parametrize(
    "attrs, message",
    [
        ({}, "storage_type is not set, so AWS creates gp2, which is a denied storage type"),
        ({"iops": 3000}, "storage_type is not set and iops is, so AWS creates io1, which is a denied storage type"),
        ({"storage_type": "io1"}, "storage_type io1 is a denied storage type"),
    ],
)
def test_db_instance_default_depends_on_iops(attrs, message):
    [finding] = run(DENY_OLD, tf("aws_db_instance", attrs))
    assert finding.path == "storage_type"
    assert finding.message == message


@pytest.mark.parametrize("iops", [0, "0", 0.0])
def test_db_instance_with_zero_iops_is_gp2(iops):
    # The provider sends iops only when it is non-zero (GetOk), so AWS creates its gp2 default;
    # pricing prices the same gp2 (test_cost_aws.py).
    [finding] = run(DENY_OLD, tf("aws_db_instance", {"iops": iops}))
    assert finding.message == "storage_type is not set, so AWS creates gp2, which is a denied storage type"


def test_db_instance_empty_storage_type_is_not_set():
    [finding] = run(DENY_OLD, tf("aws_db_instance", {"storage_type": "", "iops": 3000}))
    assert finding.message == "storage_type is not set and iops is, so AWS creates io1, which is a denied storage type"


def test_db_instance_default_with_unknown_iops_is_unknown():
    [finding] = run(DENY_OLD, tf("aws_db_instance", {"iops": Unknown("var.iops has no value")}))
    assert finding.severity == "warn"
    assert "var.iops has no value" in finding.message


def test_rds_cluster_storage_type_and_size_are_judged():
    cluster = tf("aws_rds_cluster", {"engine": "mysql", "storage_type": "io1", "allocated_storage": 5000},
                 lines={"storage_type": 14, "allocated_storage": 15})
    tier, size = run({**DENY_OLD, "max_size_gb": 2000}, cluster)
    assert (tier.message, tier.path, tier.line) == ("storage_type io1 is a denied storage type", "storage_type", 14)
    assert (size.path, size.line) == ("allocated_storage", 15)


def test_aurora_cluster_without_storage_type_has_no_finding():
    assert run({"allow": ["gp3", "io2"]}, tf("aws_rds_cluster", {"engine": "aurora-postgresql"})) == []
    assert run({"allow": ["gp3", "io2"]}, tf("aws_rds_cluster", {"engine": "aurora-postgresql", "storage_type": ""})) == []


def test_aws_instance_root_volume_without_type_is_left_to_the_ami_and_not_judged():
    # Users cannot act on "the AMI decides": the volume is priced as the provider's default with a
    # note, and judged only where the policy asks for explicit volume types.
    instance = tf("aws_instance", {"root_block_device": [{"volume_size": 50}]})
    assert run(DENY_OLD, instance) == []
    assert run(DENY_OLD, tf("aws_instance", {"instance_type": "t3.micro"}), unknown="fail") == []


def test_explicit_root_volumes_makes_each_volume_left_to_the_ami_a_finding():
    explicit = {**DENY_OLD, "explicit_root_volumes": True}
    [finding] = run(explicit, tf("aws_instance", {"root_block_device": [{"volume_size": 50}]}))
    assert finding.path == "root_block_device[0].volume_type"
    assert finding.severity == "fail"
    assert finding.message == ("volume_type is not set, so the AMI decides the root volume type; "
                               "the policy asks for explicit volume types")
    [finding] = run(explicit, tf("aws_instance", {"instance_type": "t3.micro"}), unknown="ignore")
    assert finding.path == "root_block_device[0].volume_type"
    assert "root_block_device is not set, so the AMI decides the root volume type" in finding.message
    assert finding.fix.startswith('add root_block_device { volume_type = "gp3" }')


def test_aws_instance_block_devices_each_checked():
    instance = tf("aws_launch_configuration", {
        "root_block_device": [{"volume_type": "gp3", "volume_size": 50}],
        "ebs_block_device": [
            {"device_name": "/dev/sdb", "volume_type": "io1", "volume_size": 100},
            {"device_name": "/dev/sdc", "volume_type": "gp2", "volume_size": 100},
        ],
    })
    findings = run(DENY_OLD, instance)
    assert [(f.path, f.fix) for f in findings] == [
        ("ebs_block_device[0].volume_type", 'set volume_type = "io2", or exempt it in the policy'),
        ("ebs_block_device[1].volume_type", 'set volume_type = "gp3", or exempt it in the policy'),
    ]


def test_ebs_block_device_without_type_is_gp2():
    # aws_instance docs: an ebs_block_device's volume_type "Defaults to gp2" (the root volume's is the AMI's).
    instance = tf("aws_instance", {"root_block_device": [{"volume_type": "gp3"}],
                                   "ebs_block_device": [{"device_name": "/dev/sdb", "volume_size": 100}]})
    [finding] = run(DENY_OLD, instance)
    assert finding.path == "ebs_block_device[0].volume_type"
    assert finding.message == "volume_type is not set, so AWS creates gp2, which is a denied storage type"
    assert finding.fix == 'set volume_type = "gp3", or exempt it in the policy'


def test_launch_template_mappings():
    template = tf("aws_launch_template", {"block_device_mappings": [
        {"device_name": "/dev/xvda", "ebs": [{"volume_type": "gp2", "volume_size": 20}]},
        {"device_name": "/dev/xvdb", "ebs": [{"volume_size": 20}]},
        {"device_name": "/dev/xvdc", "virtual_name": "ephemeral0"},
    ]})
    findings = run(DENY_OLD, template)
    assert [(f.path, f.severity) for f in findings] == [("block_device_mappings[0].ebs[0].volume_type", "fail")]
    findings = run({**DENY_OLD, "explicit_root_volumes": True}, template)
    assert [(f.path, f.severity) for f in findings] == [
        ("block_device_mappings[0].ebs[0].volume_type", "fail"),
        ("block_device_mappings[1].ebs[0].volume_type", "fail"),
    ]
    assert "volume_type is not set, so the AMI decides" in findings[1].message


def test_launch_template_without_mappings_says_nothing():
    assert run(DENY_OLD, tf("aws_launch_template", {"instance_type": "t3.micro"})) == []


def test_dynamic_block_device_is_unknown():
    template = tf("aws_launch_template", {"block_device_mappings": Unknown("dynamic block over var.disks")})
    [finding] = run(DENY_OLD, template)
    assert finding.path == "block_device_mappings"
    assert "dynamic block over var.disks" in finding.message


# --- GCP and Azure ----------------------------------------------------------------------------------


def test_gcp_disk_defaults():
    findings = run(DENY_OLD, tf("google_compute_disk", {"size": 10}),
                   tf("google_compute_instance", {"boot_disk": [{"initialize_params": [{"size": 20}]}]}))
    assert [(f.path, f.message) for f in findings] == [
        ("type", "type is not set, so GCP creates pd-standard, which is a denied storage type"),
        ("boot_disk[0].initialize_params[0].type",
         "type is not set, so GCP creates pd-standard, which is a denied storage type"),
    ]


def test_gcp_instance_without_boot_disk_is_judged_by_the_defaults():
    [finding] = run(DENY_OLD, tf("google_compute_instance", {"machine_type": "e2-medium"}))
    assert finding.path == "boot_disk[0].initialize_params[0].type"
    assert finding.message == "type is not set, so GCP creates pd-standard, which is a denied storage type"


def test_gcp_boot_disk_from_an_existing_disk_is_judged_on_that_disk():
    instance = tf("google_compute_instance", {"boot_disk": [{"source": "projects/p/disks/d"}]})
    assert run(DENY_OLD, instance) == []


def test_gke_node_pool_defaults_to_pd_balanced():
    [finding] = run({"allow": ["pd-ssd"]}, tf("google_container_node_pool", {"node_count": 1}))
    assert finding.path == "node_config[0].disk_type"
    assert finding.message == (
        "disk_type is not set, so GKE creates pd-balanced, which is not an allowed storage type (allowed: pd-ssd)")
    assert run({"allow": ["pd-ssd"]}, tf("google_container_node_pool",
                                         {"node_config": [{"disk_type": "pd-ssd"}]})) == []


def test_azure_disks():
    findings = run(
        {"deny": ["Standard_LRS"], "suggest": {"Standard_LRS": "StandardSSD_LRS"}},
        tf("azurerm_managed_disk", {"storage_account_type": "Standard_LRS"}),
        tf("azurerm_linux_virtual_machine", {"os_disk": [{"storage_account_type": "Standard_LRS"}]}),
        tf("azurerm_windows_virtual_machine", {"os_disk": [{"storage_account_type": "Premium_LRS"}]}),
    )
    assert [(f.resource, f.path) for f in findings] == [
        ("azurerm_managed_disk.this", "storage_account_type"),
        ("azurerm_linux_virtual_machine.this", "os_disk[0].storage_account_type"),
    ]
    assert findings[0].fix == 'set storage_account_type = "StandardSSD_LRS", or exempt it in the policy'


def test_non_string_type_is_a_finding():
    [finding] = run(DENY_OLD, tf("aws_ebs_volume", {"type": 3}))
    assert finding.message == "type is 3, not a storage type"


# --- sizes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_, attrs, path",
    [
        ("aws_ebs_volume", {"type": "gp3", "size": 4000}, "size"),
        ("aws_db_instance", {"storage_type": "gp3", "allocated_storage": 4000}, "allocated_storage"),
        ("aws_instance", {"root_block_device": [{"volume_type": "gp3", "volume_size": 4000}]},
         "root_block_device[0].volume_size"),
        ("aws_launch_template", {"block_device_mappings": [{"ebs": [{"volume_type": "gp3", "volume_size": 4000}]}]},
         "block_device_mappings[0].ebs[0].volume_size"),
        ("google_compute_disk", {"type": "pd-ssd", "size": 4000}, "size"),
        ("google_compute_instance", {"boot_disk": [{"initialize_params": [{"type": "pd-ssd", "size": 4000}]}]},
         "boot_disk[0].initialize_params[0].size"),
        ("google_container_node_pool", {"node_config": [{"disk_type": "pd-ssd", "disk_size_gb": 4000}]},
         "node_config[0].disk_size_gb"),
        ("azurerm_managed_disk", {"storage_account_type": "Premium_LRS", "disk_size_gb": 4000}, "disk_size_gb"),
        ("azurerm_linux_virtual_machine", {"os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 4000}]},
         "os_disk[0].disk_size_gb"),
    ],
)
def test_sizes_above_max_size_gb(type_, attrs, path):
    [finding] = run({"max_size_gb": 2000}, tf(type_, attrs))
    assert finding.path == path
    attr = path.rsplit(".", 1)[-1]
    assert finding.message == f"{attr} 4000 GB is larger than max_size_gb 2000"
    assert finding.fix == "use at most 2000 GB, or exempt it in the policy"


def test_sizes_at_the_limit_pass_and_are_not_read_without_max_size_gb():
    assert run({"max_size_gb": 2000}, tf("aws_ebs_volume", {"type": "gp3", "size": 2000})) == []
    assert run({"deny": ["gp2"]}, tf("aws_ebs_volume", {"type": "gp3", "size": -1})) == []


@pytest.mark.parametrize(
    "size, message",
    [
        (-5, "size -5 is negative"),
        ("abc", "size 'abc' is not a number"),
        (True, "size True is not a number"),
        (float("nan"), "size nan is not a number"),
    ],
)
def test_bad_sizes_are_findings(size, message):
    [finding] = run({"max_size_gb": 2000}, tf("aws_ebs_volume", {"type": "gp3", "size": size}))
    assert finding.path == "size"
    assert finding.message == message


def test_numeric_string_size_is_read():
    [finding] = run({"max_size_gb": 100}, tf("aws_ebs_volume", {"type": "gp3", "size": "150"}))
    assert finding.message == "size 150 GB is larger than max_size_gb 100"


def test_unknown_size_follows_settings_unknown():
    volume = tf("aws_ebs_volume", {"type": "gp3", "size": Unknown("var.size has no value")})
    [finding] = run({"max_size_gb": 100}, volume)
    assert finding.message == "disk size cannot be checked: var.size has no value"
    assert run({"max_size_gb": 100}, volume, unknown="ignore") == []


# --- Kubernetes -------------------------------------------------------------------------------------


def pvc(name, spec, annotations=None):
    metadata = {"name": name}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata, "spec": spec}


def test_pvc_storage_class():
    claim = kube(pvc("data", {"storageClassName": "standard", "resources": {"requests": {"storage": "10Gi"}}}),
                 lines={"spec.storageClassName": 7})
    [finding] = run({"deny": ["standard"], "suggest": {"standard": "premium-rwo"}}, claim)
    assert (finding.path, finding.line) == ("spec.storageClassName", 7)
    assert finding.message == "storageClassName standard is a denied storage type"
    assert finding.fix == "set storageClassName: premium-rwo, or exempt it in the policy"


def test_pvc_without_class_gets_the_cluster_default_unknown():
    findings = run({"deny": ["standard"]}, kube(pvc("a", {})), kube(pvc("b", {"storageClassName": ""})))
    assert [f.path for f in findings] == ["spec.storageClassName", "spec.storageClassName"]
    assert "the cluster's default StorageClass decides" in findings[0].message
    assert "binds to a pre-provisioned volume" in findings[1].message
    assert {f.severity for f in findings} == {"warn"}


def test_pvc_beta_annotation_names_the_class():
    claim = kube(pvc("old", {}, annotations={"volume.beta.kubernetes.io/storage-class": "standard"}))
    [finding] = run({"deny": ["standard"], "suggest": {"standard": "gp3"}}, claim)
    assert finding.path == 'metadata.annotations["volume.beta.kubernetes.io/storage-class"]'
    assert finding.message == "volume.beta.kubernetes.io/storage-class standard is a denied storage type"
    assert finding.fix == "set storageClassName: gp3, or exempt it in the policy"


def test_statefulset_claim_templates():
    statefulset = kube({
        "kind": "StatefulSet", "metadata": {"name": "db"},
        "spec": {"volumeClaimTemplates": [
            {"metadata": {"name": "data"}, "spec": {"storageClassName": "gp3",
                                                    "resources": {"requests": {"storage": "3Ti"}}}},
            {"metadata": {"name": "logs"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}},
        ]},
    })
    findings = run({"allow": ["gp3"], "max_size_gb": 2000}, statefulset)
    assert [(f.path, f.severity) for f in findings] == [
        ("spec.volumeClaimTemplates[0].spec.resources.requests.storage", "fail"),
        ("spec.volumeClaimTemplates[1].spec.storageClassName", "warn"),
    ]
    assert findings[0].message == "requests.storage 3Ti (3072 GB) is larger than max_size_gb 2000"


def test_pvc_size_in_decimal_units_is_converted_to_gib():
    claim = kube(pvc("data", {"storageClassName": "gp3", "resources": {"requests": {"storage": "2000G"}}}))
    assert run({"max_size_gb": 1900}, claim) == []  # 2000 GB is 1862.6 GiB
    [finding] = run({"max_size_gb": 1800}, claim)
    assert finding.message == "requests.storage 2000G (1862.65 GB) is larger than max_size_gb 1800"


def test_bad_pvc_size_is_a_finding():
    claim = kube(pvc("data", {"storageClassName": "gp3", "resources": {"requests": {"storage": "lots"}}}))
    [finding] = run({"max_size_gb": 100}, claim)
    assert finding.path == "spec.resources.requests.storage"
    assert finding.message == "requests.storage 'lots' does not start with a number"


def test_negative_pvc_size_is_a_finding():
    claim = kube(pvc("data", {"storageClassName": "gp3", "resources": {"requests": {"storage": "-1Gi"}}}))
    [finding] = run({"max_size_gb": 100}, claim)
    assert finding.message == "requests.storage -1Gi is negative"


def test_other_kinds_are_ignored():
    deployment = kube({"kind": "Deployment", "metadata": {"name": "api"}, "spec": {}})
    assert run({"deny": ["standard"]}, deployment, tf("aws_s3_bucket", {"bucket": "b"})) == []


def test_docstring_has_the_explain_sections():
    doc = storage_tier.__doc__
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in doc
    assert "```hcl" in doc


# --- the rule judges what pricing prices ------------------------------------------------------------
# Both read disks through guardrails/providers/disks.py; these cases are ones where they once differed.


def _priced_types(resource):
    """The storage types pricing bills a resource's disks as, from its component names."""
    from guardrails.pricing import aws, gcp
    from guardrails.pricing.base import PricingContext
    from guardrails.pricing.catalog import Catalog

    catalog = Catalog()
    for key, value in {"db.t3.micro/mysql": 0.017, "storage/gp2": 0.115, "storage/io1": 0.125,
                       "storage/io1/iops": 0.1, "backup-storage": 0.095}.items():
        catalog.add("aws", "rds", "us-east-1", key, value, "unit", "test")
    for key, value in {"m5.large": 0.096}.items():
        catalog.add("aws", "ec2", "us-east-1", key, value, "unit", "test")
    for key, value in {"gp2": 0.1, "gp3": 0.08}.items():
        catalog.add("aws", "ebs", "us-east-1", key, value, "unit", "test")
    catalog.add("gcp", "compute", "us-central1", "e2-medium", 0.0335, "unit", "test")
    catalog.add("gcp", "disk", "us-central1", "pd-standard", 0.04, "unit", "test")
    models = aws.MODELS if resource.provider == "aws" else gcp.MODELS
    ctx = PricingContext(catalog=catalog, environment_regions={"aws": "us-east-1", "gcp": "us-central1"})
    components = models[resource.type](resource, ctx)
    names = [c.name for c in components if c.name.startswith(("Storage (", "Root volume (", "EBS volume", "Boot disk ("))]
    return [name.split("(", 1)[1].split(",", 1)[0] for name in names]


@pytest.mark.parametrize("type_, attrs", [
    ("aws_db_instance", {"engine": "mysql", "instance_class": "db.t3.micro", "allocated_storage": 20, "iops": 0}),
    ("aws_db_instance", {"engine": "mysql", "instance_class": "db.t3.micro", "allocated_storage": 20, "iops": "0"}),
    ("aws_db_instance", {"engine": "mysql", "instance_class": "db.t3.micro", "allocated_storage": 20, "iops": 1000}),
    ("aws_instance", {"instance_type": "m5.large", "root_block_device": [{"volume_type": "gp3", "volume_size": 8}],
                      "ebs_block_device": [{"device_name": "/dev/sdb", "volume_size": 100}]}),
    ("google_compute_instance", {"machine_type": "e2-medium", "zone": "us-central1-a"}),
])
def test_the_rule_judges_each_disk_as_the_type_pricing_prices(type_, attrs):
    resource = tf(type_, attrs)
    priced = _priced_types(resource)
    assert priced, "pricing named no disk"
    assert run({"allow": priced}, resource) == []
    assert len(run({"deny": priced}, resource)) == len(priced)
