"""AWS cost models: each type priced from a small in-memory catalog, the arithmetic spelled out."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import pytest

from guardrails.core.model import CostLine, Location, Resource, Unknown
from guardrails.pricing import aws
from guardrails.core.usage import Usage
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate

REGION = "us-east-1"
PRICES = {
    "ec2": {"m5.large": 0.096, "m5.large/dedicated": 0.106, "t3.medium": 0.0416, "t3.micro": 0.0104,
            "t2.micro": 0.0116, "r3.xlarge": 0.333, "c5.xlarge": 0.17, "ebs-optimized/r3.xlarge": 0.02,
            "detailed-monitoring/metric": 0.30, "cpu-credits": 0.05},
    "ebs": {"gp2": 0.10, "gp3": 0.08, "gp3/iops": 0.005, "gp3/throughput": 0.04, "io1": 0.125,
            "io1/iops": 0.065, "io2": 0.125, "io2/iops": 0.065, "st1": 0.045, "sc1": 0.015, "standard": 0.05},
    "rds": {"db.t3.micro/mysql": 0.017, "db.t3.large/postgres": 0.145, "db.m5.xlarge/sqlserver-se": 1.224,
            "db.m5.large/oracle-se2": 0.5, "storage/gp2": 0.115, "storage/gp3": 0.115,
            "storage/gp3/iops": 0.02, "storage/io1": 0.125, "storage/io1/iops": 0.10, "backup-storage": 0.095},
    "natgateway": {"hour": 0.045, "data-processed": 0.045},
    "elb": {"application/hour": 0.0225, "application/lcu": 0.008, "network/hour": 0.0225,
            "network/lcu": 0.006, "classic/hour": 0.025, "classic/data": 0.008},
    "eks": {"cluster/hour": 0.10, "cluster-extended/hour": 0.60},
    "elasticache": {"cache.m4.large": 0.156, "cache.r5.4xlarge": 1.724},
    "s3": {"standard": 0.023, "standard-ia": 0.0125, "onezone-ia": 0.01, "glacier-flexible": 0.0036,
           "glacier-deep-archive": 0.00099},
    "lambda": {"requests": 0.20, "duration": 0.0000166667},
}


def make_catalog(extra: Mapping[tuple[str, str], float] | None = None) -> Catalog:
    catalog = Catalog()
    for service, items in PRICES.items():
        for key, value in items.items():
            catalog.add("aws", service, REGION, key, value, "unit", "test")
    for (service, key), value in (extra or {}).items():
        catalog.add("aws", service, REGION, key, value, "unit", "test")
    return catalog


def res(rtype: str, attrs: Mapping[str, Any], name: str = "this", module: str = "",
        provider_config: Mapping[str, Any] | None = None) -> Resource:
    """A resource of a provider block that sets the test region, unless `provider_config` is given."""
    address = f"{module + '.' if module else ''}{rtype}.{name}"
    config = {"region": REGION} if provider_config is None else dict(provider_config)
    return Resource(address=address, type=rtype, kind="terraform", location=Location("main.tf", 1),
                    attrs=dict(attrs), provider="aws", provider_config=config, module=module)


def price(resource: Resource, usage: Usage | None = None, others: Sequence[Resource] = (),
          catalog: Catalog | None = None, environment_regions: Mapping[str, str] | None = None) -> CostLine:
    """Price one resource as estimate.py does: components, or the reason it is unpriced."""
    result = estimate([resource, *others], catalog or make_catalog(), usage=usage,
                      environment_regions=environment_regions)
    return next(line for line in result.lines if line.address == resource.address)


def names(line: CostLine) -> list[str]:
    return [c.name for c in line.components]


def component(line: CostLine, start: str):
    found = [c for c in line.components if c.name.startswith(start)]
    assert len(found) == 1, names(line)
    return found[0]


# --- aws_instance -----------------------------------------------------------------------------

def test_instance_defaults_price_an_assumed_8_gb_gp2_root_volume() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large"}))
    assert line.monthly == round(730 * 0.096 + 8 * 0.10, 2)
    assert names(line) == ["Instance usage (Linux, on-demand, m5.large)", "Root volume (gp2, 8 GB, assumed)"]
    assert line.notes == ("root volume: the AMI decides its type and size; priced as gp2, 8 GB",)


def test_instance_root_volume_gp3_pays_iops_and_throughput_above_the_baseline() -> None:
    root = {"volume_type": "gp3", "volume_size": 50, "iops": 4000, "throughput": 250}
    line = price(res("aws_instance", {"instance_type": "m5.large", "root_block_device": [root]}))
    assert line.monthly == round(730 * 0.096 + 50 * 0.08 + (4000 - 3000) * 0.005 + (250 - 125) * 0.04, 2)
    assert component(line, "Root volume: provisioned IOPS").quantity == 1000
    assert component(line, "Root volume: provisioned throughput").unit == "MBps-months"


def test_instance_root_volume_size_without_type_assumes_gp2() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large", "root_block_device": [{"volume_size": 50}]}))
    assert line.monthly == round(730 * 0.096 + 50 * 0.10, 2)
    assert "Root volume (gp2 assumed, 50 GB)" in names(line)
    assert line.notes == ("root volume: the AMI decides its type; priced as gp2, 50 GB",)


def test_instance_ebs_block_devices_default_to_gp2_and_io1_pays_iops() -> None:
    blocks = [{"device_name": "/dev/sdf", "volume_size": 100},
              {"device_name": "/dev/sdg", "volume_size": 200, "volume_type": "io1", "iops": 1000}]
    line = price(res("aws_instance", {"instance_type": "m5.large", "ebs_block_device": blocks}))
    assert line.monthly == round(730 * 0.096 + 8 * 0.10 + 100 * 0.10 + 200 * 0.125 + 1000 * 0.065, 2)
    assert "EBS volume /dev/sdf (gp2, 100 GB)" in names(line)


def test_instance_ebs_block_device_from_a_snapshot_without_size_is_unpriced() -> None:
    block = {"device_name": "/dev/sdf", "snapshot_id": "snap-1"}
    line = price(res("aws_instance", {"instance_type": "m5.large", "ebs_block_device": [block]}))
    assert line.unpriced is not None and "snapshot" in line.unpriced


def test_dedicated_tenancy_uses_the_dedicated_price() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large", "tenancy": "dedicated"}))
    assert line.monthly == round(730 * 0.106 + 8 * 0.10, 2)
    assert "dedicated" in names(line)[0]


def test_host_tenancy_is_unpriced() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large", "tenancy": "host"}))
    assert line.unpriced == "dedicated hosts are not modelled"


def test_ebs_optimized_surcharge_only_where_the_catalog_lists_the_type() -> None:
    old = price(res("aws_instance", {"instance_type": "r3.xlarge", "ebs_optimized": True}))
    assert old.monthly == round(730 * 0.333 + 730 * 0.02 + 8 * 0.10, 2)
    current = price(res("aws_instance", {"instance_type": "m5.large", "ebs_optimized": True}))
    assert current.monthly == round(730 * 0.096 + 8 * 0.10, 2)
    off = price(res("aws_instance", {"instance_type": "r3.xlarge", "ebs_optimized": False}))
    assert off.monthly == round(730 * 0.333 + 8 * 0.10, 2)


def test_detailed_monitoring_is_seven_metrics() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large", "monitoring": True}))
    assert line.monthly == round(730 * 0.096 + 8 * 0.10 + 7 * 0.30, 2)


def test_t3_is_unlimited_by_default_so_cpu_credits_are_listed_at_zero() -> None:
    line = price(res("aws_instance", {"instance_type": "t3.micro"}))
    credits = component(line, "CPU credits")
    assert credits.usage_based and credits.quantity == 0
    assert line.monthly == round(730 * 0.0104 + 8 * 0.10, 2)


def test_cpu_credits_from_usage() -> None:
    instance = res("aws_instance", {"instance_type": "t3.micro"})
    line = price(instance, Usage(by_address={"aws_instance.this": {"monthly_cpu_credit_hrs": 100}}))
    assert line.monthly == round(730 * 0.0104 + 8 * 0.10 + 100 * 0.05, 2)


def test_t2_is_standard_by_default_and_unlimited_when_asked() -> None:
    standard = price(res("aws_instance", {"instance_type": "t2.micro"}))
    assert not [n for n in names(standard) if n.startswith("CPU credits")]
    unlimited = price(res("aws_instance", {"instance_type": "t2.micro",
                                           "credit_specification": [{"cpu_credits": "unlimited"}]}),
                      Usage(by_type={"aws_instance": {"monthly_cpu_credit_hrs": 10}}))
    assert unlimited.monthly == round(730 * 0.0116 + 8 * 0.10 + 10 * 0.05, 2)


def test_instance_type_unknown_is_unpriced_with_the_reason() -> None:
    line = price(res("aws_instance", {"instance_type": Unknown("depends on var.size")}))
    assert line.unpriced == "instance_type cannot be evaluated: depends on var.size"


@pytest.mark.parametrize("value, reason", [
    (5, "instance_type is 5, not a string"),
    (True, "instance_type is true, not a string"),
    (["m5.large"], "instance_type is a list, not a string"),
])
def test_instance_type_that_is_not_a_string_says_so(value, reason) -> None:
    assert price(res("aws_instance", {"instance_type": value})).unpriced == reason


def test_an_instance_type_missing_from_the_catalog_leaves_the_instance_incomplete() -> None:
    line = price(res("aws_instance", {"instance_type": "x9.huge"}))
    # The root volume is still priced; the instance hours are listed as missing, never as $0.
    assert line.unpriced is None and line.incomplete
    assert names(line) == ["Root volume (gp2, 8 GB, assumed)"] and line.monthly == 0.80
    assert [(m.name, m.reason) for m in line.missing] == [
        ("instance type x9.huge", "instance type x9.huge is not in the price catalog (aws ec2, us-east-1)")]


def test_an_instance_whose_region_lacks_ebs_prices_is_priced_in_part() -> None:
    catalog = make_catalog()
    catalog.add("aws", "ec2", "eu-west-1", "m5.large", 0.107, "hour", "test")
    line = price(res("aws_instance", {"instance_type": "m5.large"}, provider_config={"region": "eu-west-1"}),
                 catalog=catalog)
    assert line.incomplete and names(line) == ["Instance usage (Linux, on-demand, m5.large)"]
    assert line.monthly == round(730 * 0.107, 2)
    assert [m.name for m in line.missing] == ["Root volume (gp2, 8 GB, assumed)"]
    assert line.missing[0].reason.startswith("region eu-west-1 has no aws ebs prices in the price catalog")


def test_a_region_the_catalog_does_not_know_names_the_closest_ones() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large"}, provider_config={"region": "us-esat-1"}))
    assert line.unpriced == ("region us-esat-1 is not among the aws regions of the price catalog; "
                             "the closest it knows: us-east-1")


def test_instance_in_a_region_missing_from_the_catalog_is_unpriced() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large"}, provider_config={"region": "eu-west-1"}))
    assert line.unpriced is not None and "region eu-west-1" in line.unpriced


def test_instance_type_from_its_launch_template() -> None:
    template = res("aws_launch_template", {"instance_type": "c5.xlarge"}, name="lt")
    instance = res("aws_instance", {"launch_template": [{"id": Unknown("depends on aws_launch_template.lt.id")}]})
    line = price(instance, others=[template])
    assert line.monthly == round(730 * 0.17 + 8 * 0.10, 2)


# --- aws_ebs_volume ---------------------------------------------------------------------------

def test_ebs_volume_defaults_to_gp2() -> None:
    line = price(res("aws_ebs_volume", {"size": 100}))
    assert line.monthly == round(100 * 0.10, 2)
    assert names(line) == ["Storage (gp2, 100 GB)"]


def test_ebs_gp3_iops_and_throughput_above_the_free_baseline() -> None:
    line = price(res("aws_ebs_volume", {"type": "gp3", "size": 500, "iops": 6000, "throughput": 500}))
    assert line.monthly == round(500 * 0.08 + (6000 - 3000) * 0.005 + (500 - 125) * 0.04, 2)
    assert names(line) == ["Storage (gp3, 500 GB)", "Provisioned IOPS (gp3, above 3000)",
                           "Provisioned throughput (gp3, above 125 MBps)"]


def test_ebs_gp3_at_the_baseline_pays_only_storage() -> None:
    line = price(res("aws_ebs_volume", {"type": "gp3", "size": 500, "iops": 3000, "throughput": 125}))
    assert line.monthly == round(500 * 0.08, 2)
    assert len(line.components) == 1


@pytest.mark.parametrize("volume_type, gb_price", [("st1", 0.045), ("sc1", 0.015), ("gp2", 0.10)])
def test_ebs_size_only_types(volume_type: str, gb_price: float) -> None:
    line = price(res("aws_ebs_volume", {"type": volume_type, "size": 1000}))
    assert line.monthly == round(1000 * gb_price, 2)


def test_ebs_io1_pays_every_provisioned_iops() -> None:
    line = price(res("aws_ebs_volume", {"type": "io1", "size": 200, "iops": 5000}))
    assert line.monthly == round(200 * 0.125 + 5000 * 0.065, 2)


def test_ebs_io2_above_the_first_tier_says_so_in_the_name() -> None:
    line = price(res("aws_ebs_volume", {"type": "io2", "size": 100, "iops": 40000}))
    assert line.monthly == round(100 * 0.125 + 40000 * 0.065, 2)
    assert "32000" in component(line, "Provisioned IOPS").name
    below = price(res("aws_ebs_volume", {"type": "io2", "size": 100, "iops": 20000}))
    assert component(below, "Provisioned IOPS").name == "Provisioned IOPS (io2)"


def test_ebs_io1_without_iops_is_unpriced() -> None:
    line = price(res("aws_ebs_volume", {"type": "io1", "size": 200}))
    assert line.unpriced == "iops is not set (required for io1)"


def test_ebs_from_a_snapshot_without_size_is_unpriced() -> None:
    line = price(res("aws_ebs_volume", {"snapshot_id": "snap-123"}))
    assert line.unpriced == "size is not set: the size comes from the snapshot"


def test_ebs_size_unknown_is_unpriced() -> None:
    line = price(res("aws_ebs_volume", {"size": Unknown("depends on var.size")}))
    assert line.unpriced == "size cannot be evaluated: depends on var.size"


def test_ebs_standard_io_requests_are_usage_based_when_the_catalog_has_a_price() -> None:
    volume = res("aws_ebs_volume", {"type": "standard", "size": 100})
    usage = Usage(by_address={"aws_ebs_volume.this": {"monthly_standard_io_requests": 4_000_000}})
    line = price(volume, usage, catalog=make_catalog({("ebs", "standard/io"): 0.05}))
    assert line.monthly == round(100 * 0.05 + 4 * 0.05, 2)
    assert component(line, "I/O requests").usage_based


def test_ebs_standard_io_requests_without_a_price_are_noted() -> None:
    line = price(res("aws_ebs_volume", {"type": "standard", "size": 100}))
    assert line.monthly == round(100 * 0.05, 2)
    assert any("I/O requests" in note for note in line.notes)


# --- aws_db_instance --------------------------------------------------------------------------

def rds(**attrs: Any) -> Resource:
    return res("aws_db_instance", {"engine": "mysql", "instance_class": "db.t3.micro", "allocated_storage": 20, **attrs})


def test_rds_single_az_gp2_by_default_and_backup_listed_at_zero() -> None:
    line = price(rds())
    assert line.monthly == round(730 * 0.017 + 20 * 0.115, 2)
    assert names(line) == ["Database instance (db.t3.micro, mysql, Single-AZ)", "Storage (gp2, 20 GB)", "Backup storage"]
    assert component(line, "Backup storage").usage_based


def test_rds_multi_az_doubles_instance_and_storage() -> None:
    line = price(rds(multi_az=True))
    assert line.monthly == round(2 * 730 * 0.017 + 2 * 20 * 0.115, 2)


def test_rds_iops_without_storage_type_means_io1() -> None:
    line = price(rds(allocated_storage=100, iops=1000))
    assert line.monthly == round(730 * 0.017 + 100 * 0.125 + 1000 * 0.10, 2)


@pytest.mark.parametrize("iops", [0, "0"])
def test_rds_zero_iops_without_storage_type_means_gp2(iops: Any) -> None:
    # The provider sends iops only when it is non-zero (GetOk), so AWS creates gp2, as the
    # storage-tier rule judges it (test_rule_storage_tier.py).
    line = price(rds(iops=iops))
    assert line.monthly == round(730 * 0.017 + 20 * 0.115, 2)
    assert names(line) == ["Database instance (db.t3.micro, mysql, Single-AZ)", "Storage (gp2, 20 GB)", "Backup storage"]


def test_rds_empty_storage_type_is_not_set() -> None:
    line = price(rds(storage_type="", allocated_storage=100, iops=1000))
    assert names(line)[1:3] == ["Storage (io1, 100 GB)", "Provisioned IOPS (io1)"]


def test_rds_multi_az_doubles_io1_iops() -> None:
    line = price(rds(allocated_storage=100, iops=1000, multi_az=True))
    assert line.monthly == round(2 * 730 * 0.017 + 2 * 100 * 0.125 + 2 * 1000 * 0.10, 2)


def test_rds_gp3_baseline_is_12000_iops_from_400_gb() -> None:
    big = price(rds(engine="postgres", instance_class="db.t3.large", storage_type="gp3",
                    allocated_storage=500, iops=15000))
    assert big.monthly == round(730 * 0.145 + 500 * 0.115 + (15000 - 12000) * 0.02, 2)
    small = price(rds(engine="postgres", instance_class="db.t3.large", storage_type="gp3",
                      allocated_storage=300, iops=5000))
    assert small.monthly == round(730 * 0.145 + 300 * 0.115 + (5000 - 3000) * 0.02, 2)
    within = price(rds(engine="postgres", instance_class="db.t3.large", storage_type="gp3",
                       allocated_storage=500, iops=12000))
    assert within.monthly == round(730 * 0.145 + 500 * 0.115, 2)


def test_rds_sql_server_gp3_baseline_stays_3000() -> None:
    line = price(rds(engine="sqlserver-se", instance_class="db.m5.xlarge", storage_type="gp3",
                     allocated_storage=500, iops=5000))
    assert line.monthly == round(730 * 1.224 + 500 * 0.115 + (5000 - 3000) * 0.02, 2)


def test_rds_gp3_throughput_above_baseline_needs_a_price() -> None:
    line = price(rds(storage_type="gp3", allocated_storage=100, storage_throughput=250))
    assert line.incomplete and [m.name for m in line.missing] == ["Provisioned throughput (gp3, above 125 MBps)"]
    assert "RDS gp3 throughput" in line.missing[0].reason


def test_rds_backup_storage_from_usage() -> None:
    line = price(rds(multi_az=True), Usage(by_type={"aws_db_instance": {"backup_storage_gb": 50}}))
    assert line.monthly == round(2 * 730 * 0.017 + 2 * 20 * 0.115 + 50 * 0.095, 2)


def test_rds_aurora_is_unpriced() -> None:
    line = price(rds(engine="aurora-postgresql"))
    assert line.unpriced == "Aurora is priced per cluster instance: not modelled"


def test_rds_oracle_license_model() -> None:
    unset = price(rds(engine="oracle-se2", instance_class="db.m5.large"))
    assert unset.unpriced is not None and "license_model" in unset.unpriced
    included = price(rds(engine="oracle-se2", instance_class="db.m5.large", license_model="license-included"))
    assert included.monthly == round(730 * 0.5 + 20 * 0.115, 2)
    byol = price(rds(engine="oracle-se2", instance_class="db.m5.large", license_model="bring-your-own-license"))
    assert byol.incomplete and "bring-your-own-license" in byol.missing[0].reason


def test_rds_instance_class_unknown_is_unpriced() -> None:
    line = price(rds(instance_class=Unknown("depends on var.class")))
    assert line.unpriced == "instance_class cannot be evaluated: depends on var.class"


def test_rds_read_replica_without_storage_is_unpriced() -> None:
    line = price(res("aws_db_instance", {"instance_class": "db.t3.micro", "engine": "mysql",
                                         "replicate_source_db": "source"}))
    assert line.unpriced == "allocated_storage is not set: it comes from the source database"


# --- aws_autoscaling_group ----------------------------------------------------------------------

def launch_template(name: str = "lt", module: str = "", **attrs: Any) -> Resource:
    return res("aws_launch_template", {"instance_type": "m5.large", **attrs}, name=name, module=module)


def test_asg_prices_desired_capacity_instances_of_its_launch_template() -> None:
    template = launch_template(block_device_mappings=[
        {"device_name": "/dev/xvda", "ebs": [{"volume_size": 30, "volume_type": "gp3"}]}])
    group = res("aws_autoscaling_group", {"desired_capacity": 3, "min_size": 1, "max_size": 5,
                                          "launch_template": [{"id": Unknown("depends on aws_launch_template.lt.id")}]})
    line = price(group, others=[template])
    assert line.monthly == round(3 * 730 * 0.096 + 3 * 30 * 0.08, 2)
    assert names(line) == ["Instance usage (Linux, on-demand, m5.large) x 3", "Root volume (gp3, 30 GB) x 3"]


def test_asg_without_desired_capacity_uses_min_size_and_an_assumed_root() -> None:
    group = res("aws_autoscaling_group", {"min_size": 2, "max_size": 5,
                                          "launch_template": [{"id": Unknown("depends on aws_launch_template.lt.id")}]})
    line = price(group, others=[launch_template()])
    assert line.monthly == round(2 * 730 * 0.096 + 2 * 8 * 0.10, 2)


def test_asg_in_a_module_resolves_the_template_of_that_module() -> None:
    # The loader names a module's resources by absolute address in what it leaves unresolved.
    group = res("aws_autoscaling_group", {"min_size": 1, "launch_template": [
        {"id": Unknown("depends on module.app.aws_launch_template.lt.id")}]}, module="module.app")
    line = price(group, others=[launch_template(module="module.app", instance_type="c5.xlarge"),
                                launch_template(instance_type="m5.large")])
    assert line.monthly == round(730 * 0.17 + 8 * 0.10, 2)


def test_asg_with_a_launch_configuration() -> None:
    config = res("aws_launch_configuration", {"instance_type": "t3.medium",
                                              "root_block_device": [{"volume_size": 20, "volume_type": "gp3"}]},
                 name="lc")
    group = res("aws_autoscaling_group", {"desired_capacity": 2, "min_size": 1,
                                          "launch_configuration": Unknown("depends on aws_launch_configuration.lc.name")})
    line = price(group, others=[config])
    # enable_monitoring is on by default for a launch configuration: 7 CloudWatch metrics an instance.
    assert line.monthly == round(2 * 730 * 0.0416 + 2 * 20 * 0.08 + 2 * 7 * 0.30, 2)
    assert "Detailed monitoring (7 metrics) x 2" in names(line)
    assert "detailed monitoring: on by default for a launch configuration (enable_monitoring)" in line.notes
    config.attrs["enable_monitoring"] = False
    assert price(group, others=[config]).monthly == round(2 * 730 * 0.0416 + 2 * 20 * 0.08, 2)


def test_asg_template_detailed_monitoring_is_billed_only_when_enabled() -> None:
    group = res("aws_autoscaling_group", {"desired_capacity": 3, "min_size": 1,
                                          "launch_template": [{"id": Unknown("depends on aws_launch_template.lt.id")}]})
    plain = price(group, others=[launch_template()])
    watched = price(group, others=[launch_template(monitoring=[{"enabled": True}])])
    assert round(watched.monthly - plain.monthly, 2) == round(3 * 7 * 0.30, 2)


def test_asg_mixed_instances_priced_with_the_first_override() -> None:
    policy = {"launch_template": [{
        "launch_template_specification": [{"launch_template_id": Unknown("depends on aws_launch_template.lt.id")}],
        "override": [{"instance_type": "c5.xlarge"}, {"instance_type": "m5.large"}]}]}
    group = res("aws_autoscaling_group", {"desired_capacity": 4, "min_size": 1, "mixed_instances_policy": [policy]})
    line = price(group, others=[launch_template()])
    assert line.monthly == round(4 * 730 * 0.17 + 4 * 8 * 0.10, 2)
    assert any("first override" in note for note in line.notes)


def test_asg_with_an_unresolvable_template_is_unpriced() -> None:
    group = res("aws_autoscaling_group", {"min_size": 1, "launch_template": [
        {"id": Unknown("depends on aws_launch_template.missing.id")}]})
    line = price(group)
    assert line.unpriced is not None and "aws_launch_template.missing" in line.unpriced
    from_var = res("aws_autoscaling_group", {"min_size": 1, "launch_template": [{"id": Unknown("depends on var.lt")}]})
    assert price(from_var).unpriced == "launch_template cannot be evaluated: depends on var.lt"


def test_asg_on_a_counted_template_whose_instances_differ_is_unpriced() -> None:
    group = res("aws_autoscaling_group", {"min_size": 1, "launch_template": [
        {"id": Unknown("depends on aws_launch_template.lt[...].id")}]})
    same = [launch_template(name="lt[0]"), launch_template(name="lt[1]")]
    assert price(group, others=same).monthly == round(730 * 0.096 + 8 * 0.10, 2)
    differ = [launch_template(name="lt[0]"), launch_template(name="lt[1]", instance_type="c5.xlarge")]
    assert price(group, others=differ).unpriced is not None


def test_asg_desired_capacity_unknown_is_unpriced() -> None:
    group = res("aws_autoscaling_group", {"desired_capacity": Unknown("depends on var.n"), "min_size": 1,
                                          "launch_template": [{"id": Unknown("depends on aws_launch_template.lt.id")}]})
    assert price(group, others=[launch_template()]).unpriced == "desired_capacity cannot be evaluated: depends on var.n"


# --- EKS ---------------------------------------------------------------------------------------

def test_eks_cluster_is_priced_per_hour_with_a_note_on_extended_support() -> None:
    line = price(res("aws_eks_cluster", {"name": "main"}))
    assert line.monthly == round(730 * 0.10, 2)
    assert any("extended support" in note for note in line.notes)
    standard = price(res("aws_eks_cluster", {"upgrade_policy": [{"support_type": "STANDARD"}]}))
    assert standard.notes == ()


def test_eks_node_group_defaults_t3_medium_and_20_gb_gp2() -> None:
    line = price(res("aws_eks_node_group", {"scaling_config": [{"desired_size": 2, "min_size": 1, "max_size": 3}]}))
    assert line.monthly == round(2 * 730 * 0.0416 + 2 * 20 * 0.10, 2)
    assert names(line) == ["Instance usage (Linux, on-demand, t3.medium) x 2", "Node disk (gp2, 20 GB) x 2"]


def test_eks_node_group_instance_types_and_disk_size() -> None:
    line = price(res("aws_eks_node_group", {"scaling_config": [{"desired_size": 3}],
                                            "instance_types": ["m5.large"], "disk_size": 50}))
    assert line.monthly == round(3 * 730 * 0.096 + 3 * 50 * 0.10, 2)


def test_eks_node_group_desired_size_unknown_is_unpriced() -> None:
    line = price(res("aws_eks_node_group", {"scaling_config": [{"desired_size": Unknown("depends on var.n")}]}))
    assert line.unpriced == "scaling_config.desired_size cannot be evaluated: depends on var.n"


# --- NAT gateway and load balancers -------------------------------------------------------------

def test_nat_gateway_hours_and_data_processed_at_zero() -> None:
    line = price(res("aws_nat_gateway", {}))
    assert line.monthly == round(730 * 0.045, 2)
    data = component(line, "Data processed")
    assert data.usage_based and data.quantity == 0


def test_nat_gateway_data_processed_from_usage() -> None:
    line = price(res("aws_nat_gateway", {}), Usage(by_type={"aws_nat_gateway": {"monthly_data_processed_gb": 100}}))
    assert line.monthly == round(730 * 0.045 + 100 * 0.045, 2)


def test_load_balancer_defaults_to_application() -> None:
    line = price(res("aws_lb", {}))
    assert line.monthly == round(730 * 0.0225, 2)
    assert component(line, "Load balancer capacity units").usage_based


def test_network_load_balancer_lcu_hours_from_usage() -> None:
    lb = res("aws_lb", {"load_balancer_type": "network"})
    line = price(lb, Usage(by_address={"aws_lb.this": {"monthly_lcu_hours": 1000}}))
    assert line.monthly == round(730 * 0.0225 + 1000 * 0.006, 2)


def test_alb_alias_and_gateway_load_balancer() -> None:
    alb = price(res("aws_alb", {}), Usage(by_type={"aws_alb": {"monthly_lcu_hours": 730}}))
    assert alb.monthly == round(730 * 0.0225 + 730 * 0.008, 2)
    gateway = price(res("aws_lb", {"load_balancer_type": "gateway"}))
    assert gateway.unpriced == "gateway load balancers are not modelled"


def test_classic_elb_hours_and_data() -> None:
    line = price(res("aws_elb", {}), Usage(by_type={"aws_elb": {"monthly_data_processed_gb": 500}}))
    assert line.monthly == round(730 * 0.025 + 500 * 0.008, 2)


# --- ElastiCache -------------------------------------------------------------------------------

def test_elasticache_cluster_defaults_to_one_node() -> None:
    line = price(res("aws_elasticache_cluster", {"node_type": "cache.m4.large", "engine": "redis"}))
    assert line.monthly == round(730 * 0.156, 2)


def test_elasticache_cluster_num_cache_nodes() -> None:
    line = price(res("aws_elasticache_cluster", {"node_type": "cache.m4.large", "engine": "memcached",
                                                 "num_cache_nodes": 3}))
    assert line.monthly == round(3 * 730 * 0.156, 2)


def test_replication_group_num_cache_clusters_defaults_to_one() -> None:
    two = price(res("aws_elasticache_replication_group", {"node_type": "cache.m4.large", "num_cache_clusters": 2}))
    assert two.monthly == round(2 * 730 * 0.156, 2)
    one = price(res("aws_elasticache_replication_group", {"node_type": "cache.m4.large"}))
    assert one.monthly == round(730 * 0.156, 2)


def test_replication_group_shards_times_replicas_plus_one() -> None:
    line = price(res("aws_elasticache_replication_group", {"node_type": "cache.r5.4xlarge", "num_node_groups": 3,
                                                           "replicas_per_node_group": 2}))
    assert line.monthly == round(3 * (2 + 1) * 730 * 1.724, 2)
    legacy = price(res("aws_elasticache_replication_group", {"node_type": "cache.r5.4xlarge", "cluster_mode": [
        {"num_node_groups": 2, "replicas_per_node_group": 1}]}))
    assert legacy.monthly == round(2 * (1 + 1) * 730 * 1.724, 2)


def test_elasticache_node_type_unknown_is_unpriced() -> None:
    line = price(res("aws_elasticache_cluster", {"node_type": Unknown("depends on var.node")}))
    assert line.unpriced == "node_type cannot be evaluated: depends on var.node"


# --- S3 and Lambda -----------------------------------------------------------------------------

def test_s3_lists_every_storage_class_at_zero_without_usage() -> None:
    line = price(res("aws_s3_bucket", {"bucket": "logs"}))
    assert line.monthly == 0
    assert names(line) == [f"Storage ({c})" for c in aws.S3_STORAGE_CLASSES]
    assert all(c.usage_based and c.quantity == 0 for c in line.components)


def test_s3_storage_by_class_from_usage() -> None:
    usage = Usage(by_address={"aws_s3_bucket.this": {"storage_gb": {"standard": 100, "standard-ia": 40}}})
    line = price(res("aws_s3_bucket", {}), usage)
    assert line.monthly == round(100 * 0.023 + 40 * 0.0125, 2)


def test_lambda_is_usage_based_only() -> None:
    line = price(res("aws_lambda_function", {"function_name": "api"}))
    assert line.monthly == 0
    assert names(line) == ["Requests", "Duration (128 MB)"]
    assert any("free tier" in note for note in line.notes)


def test_lambda_requests_and_gb_seconds_from_usage() -> None:
    usage = Usage(by_address={"aws_lambda_function.this": {"monthly_requests": 2_000_000, "average_duration_ms": 200}})
    line = price(res("aws_lambda_function", {"memory_size": 512}), usage)
    gb_seconds = 2_000_000 * (200 / 1000) * (512 / 1024)
    assert component(line, "Duration").quantity == gb_seconds
    assert line.monthly == round(2 * 0.20 + gb_seconds * 0.0000166667, 2)


def test_lambda_memory_unknown_is_unpriced() -> None:
    line = price(res("aws_lambda_function", {"memory_size": Unknown("depends on var.mem")}))
    assert line.unpriced == "memory_size cannot be evaluated: depends on var.mem"


# --- every type: regions, free types ------------------------------------------------------------

MINIMAL = {
    "aws_instance": {"instance_type": "m5.large"},
    "aws_ebs_volume": {"size": 10},
    "aws_db_instance": {"engine": "mysql", "instance_class": "db.t3.micro", "allocated_storage": 20},
    "aws_eks_cluster": {},
    "aws_eks_node_group": {"scaling_config": [{"desired_size": 1}]},
    "aws_nat_gateway": {},
    "aws_lb": {},
    "aws_alb": {},
    "aws_elb": {},
    "aws_elasticache_cluster": {"node_type": "cache.m4.large"},
    "aws_elasticache_replication_group": {"node_type": "cache.m4.large"},
    "aws_s3_bucket": {},
    "aws_lambda_function": {},
}


@pytest.mark.parametrize("rtype", sorted(MINIMAL))
def test_every_type_prices_in_the_catalog_region_and_not_elsewhere(rtype: str) -> None:
    assert price(res(rtype, MINIMAL[rtype])).unpriced is None
    elsewhere = price(res(rtype, MINIMAL[rtype], provider_config={"region": "ap-south-1"}))
    assert elsewhere.unpriced is not None and "region ap-south-1" in elsewhere.unpriced


def test_minimal_configs_cover_every_model() -> None:
    # The database and fee tables' types are tested in their own files (test_cost_aws_*.py).
    from guardrails.pricing.aws import databases_table, fees_table

    newer = set(databases_table.MODELS) | set(fees_table.MODELS)
    assert set(MINIMAL) | {"aws_autoscaling_group"} == set(aws.MODELS) - newer


def test_free_types_are_not_priced_and_billed_types_are_not_free() -> None:
    assert {"aws_launch_template", "aws_launch_configuration", "aws_security_group", "aws_vpc"} <= aws.FREE_TYPES
    assert not aws.FREE_TYPES & set(aws.MODELS)
    assert {"aws_eip", "aws_kms_key", "aws_cloudwatch_log_group"}.isdisjoint(aws.FREE_TYPES)
    assert "priced where used" in aws.FREE_NOTES["aws_launch_template"]


def test_a_provider_region_that_cannot_be_evaluated_says_so() -> None:
    line = price(res("aws_instance", {"instance_type": "m5.large"},
                     provider_config={"region": Unknown("depends on var.region")}))
    assert line.unpriced == "the provider's region cannot be evaluated: depends on var.region"
