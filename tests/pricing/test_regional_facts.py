"""The regional AWS services table (data/facts/aws-services-regional.csv) and its importer.

The figures checked below are the published AWS Price List on-demand rates, as the two sources
named in the table's header carry them: mooncitizen/togen's trimmed offer files (AmazonEC2 and
AmazonRDS offers of 2026-09-04, AWSLambda of 2026-08-31) and wardbox/tofu-drift's tables
generated from the offer files (dated 2026-09-11); and, added later, tofu-drift's instances.json
(RDS MySQL and ElastiCache Redis node-hours, in nine regions), togen's eu-west-2 offer extracts kept as test data
(ElastiCache, ELB, RDS, S3) and, for Azure managed disks (data/facts/azure-disks-regional.csv),
infracost's azurerm image test golden output (West Europe, 2024-07-01).
"""
import json
import textwrap

import pytest

from conftest import run, write_tree
from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.build_bundled import FACTS, REGIONAL_FACTS
from guardrails.pricing.importers import PriceImportError, import_regional_services_csv

M = 730
HEAD = """\
# A test table.
# source src-a: https://example.com/a | Source A | 2026-09-04 | first
# source src-b: https://example.com/b | Source B | 2026-09-11
region,service,item,unit,usd,source,date,notes
"""


def table(tmp_path, rows: str, head: str = HEAD):
    path = tmp_path / "regional.csv"
    path.write_text(head + textwrap.dedent(rows).lstrip("\n"), encoding="utf-8")
    return path


def test_imports_rows_with_their_source_and_catalog_key(tmp_path):
    path = table(tmp_path, """
        eu-west-1,ebs,gp3-iops,IOPS-month,0.0055,src-a,2026-09-04,
        eu-west-1,rds,postgres-db.t4g.micro,hour,0.017,src-a,2026-09-04,Single-AZ
        ap-south-1,elb,network-hour,hour,0.0239,src-b,2026-09-11
        us-gov-west-1,natgateway,hour,hour,0.054,src-b,2026-09-11,
    """)
    imported = import_regional_services_csv(path)
    assert imported.get("aws", "ebs", "eu-west-1", "gp3/iops").value == 0.0055
    assert imported.get("aws", "rds", "eu-west-1", "db.t4g.micro/postgres") == (0.017, "hour", "src-a")
    assert imported.get("aws", "elb", "ap-south-1", "network/hour").source == "src-b"
    assert imported.get("aws", "natgateway", "us-gov-west-1", "hour").value == 0.054
    assert imported.sources["src-a"].published == "2026-09-04"
    assert imported.sources["src-a"].url == "https://example.com/a"
    assert imported.sources["src-a"].notes == "first"
    assert imported.sources["src-b"].name == "Source B"


@pytest.mark.parametrize("row, message", [
    ("eu-west-1,ebs,gp3,GB-month,0,src-a,2026-09-04", "a price must be above 0"),
    ("eu-west-1,ebs,gp3,GB-month,-0.1,src-a,2026-09-04", "a price must be above 0"),
    ("eu-west-1,ebs,gp3,GB-month,nan,src-a,2026-09-04", "a price must be above 0"),
    ("eu-west-1,ebs,gp3,GB-month,cheap,src-a,2026-09-04", "'cheap' is not a price"),
    ("Europe (Ireland),ebs,gp3,GB-month,0.088,src-a,2026-09-04", "is not an AWS region name"),
    ("eu-west,ebs,gp3,GB-month,0.088,src-a,2026-09-04", "is not an AWS region name"),
    ("eu-west-1,elb,gateway,hour,0.0125,src-a,2026-09-04", "unknown elb item 'gateway'"),
    ("eu-west-1,rds,aurora,hour,0.1,src-a,2026-09-04", "unknown rds item 'aurora'"),
    ("eu-west-1,dynamodb,wcu,hour,0.1,src-a,2026-09-04", "unknown service 'dynamodb'"),
    ("eu-west-1,ebs,gp3,GB-month,0.088,src-z,2026-09-04", "source 'src-z' is not declared"),
    ("eu-west-1,ebs,gp3,GB-month,0.088,src-a,4 Sep 2026", "is not a YYYY-MM-DD date"),
    ("eu-west-1,ebs,gp3,GB-month", "4 fields where 8 are expected"),
])
def test_a_bad_row_is_refused_at_its_line(tmp_path, row, message):
    path = table(tmp_path, "eu-west-1,ebs,gp2,GB-month,0.11,src-a,2026-09-04\n" + row + "\n")
    with pytest.raises(PriceImportError) as caught:
        import_regional_services_csv(path)
    assert f"{path}:6:" in str(caught.value)  # 4 header lines, the good row on 5, the bad one on 6
    assert message in str(caught.value)


def test_a_row_given_twice_and_a_bad_source_line_are_refused(tmp_path):
    path = table(tmp_path, """
        eu-west-1,ebs,gp2,GB-month,0.11,src-a,2026-09-04
        eu-west-1,ebs,gp2,GB-month,0.12,src-b,2026-09-11
    """)
    with pytest.raises(PriceImportError, match=r"regional\.csv:6: eu-west-1 ebs gp2 is given twice"):
        import_regional_services_csv(path)
    undated = table(tmp_path, "", head="# source x: https://example.com | X | September\nregion,service,item,unit,usd,source,date\n")
    with pytest.raises(PriceImportError, match=r"regional\.csv:1: source x has no YYYY-MM-DD date"):
        import_regional_services_csv(undated)
    headless = table(tmp_path, "", head="# source x: https://example.com | X | 2026-09-04\nregion,service,usd\n")
    with pytest.raises(PriceImportError, match=r"regional\.csv:2: the header lacks item, unit, source, date"):
        import_regional_services_csv(headless)


# (region, service, catalog key, published figure). Each service in three or more regions other
# than us-east-1; source: togen = mooncitizen/togen's offer extract, tofu-drift = wardbox/tofu-drift.
PUBLISHED = [
    ("eu-west-1", "ebs", "gp3", 0.088),              # tofu-drift, EBS gp3 GB-month, Ireland
    ("eu-central-1", "ebs", "gp2", 0.119),           # tofu-drift, Frankfurt
    ("ap-northeast-1", "ebs", "io1", 0.142),         # tofu-drift, Tokyo
    ("ca-central-1", "ebs", "sc1", 0.0168),          # tofu-drift, Canada
    ("eu-west-2", "elb", "application/hour", 0.02646),  # tofu-drift, ALB hour, London
    ("ap-northeast-1", "elb", "network/hour", 0.0243),  # tofu-drift, NLB hour, Tokyo
    ("eu-central-1", "elb", "classic/hour", 0.03),   # tofu-drift, CLB hour, Frankfurt
    ("sa-east-1", "natgateway", "hour", 0.093),      # togen, SAE1-NatGateway-Hours
    ("eu-west-1", "natgateway", "hour", 0.048),      # togen, EU-NatGateway-Hours
    ("ap-south-1", "natgateway", "hour", 0.056),     # togen, APS3-NatGateway-Hours
    ("eu-west-2", "rds", "db.t4g.micro/postgres", 0.018),  # togen, SKU ATYF9R3XTURNBSMZ
    ("af-south-1", "rds", "db.r6g.large/mysql", 0.281),    # togen, SKU FED48GUXJB846BGZ
    ("me-central-1", "rds", "storage/gp2", 0.1397),        # togen, General Purpose, Single-AZ
    ("af-south-1", "lambda", "requests", 0.27),      # togen, AFS1-Request 2.7e-7 per request
    ("eu-central-2", "lambda", "requests", 0.22),    # togen, EUC2-Request 2.2e-7 per request
    ("eu-south-1", "lambda", "duration", 0.0000195172),  # togen, EUS1-Lambda-GB-Second
    ("me-south-1", "lambda", "duration", 0.0000206667),  # togen, MES1-Lambda-GB-Second
]


@pytest.mark.parametrize("region, service, key, published", PUBLISHED)
def test_table_matches_the_published_figure_within_one_percent(region, service, key, published):
    price = import_regional_services_csv(REGIONAL_FACTS).get("aws", service, region, key)
    assert price is not None, (region, service, key)
    assert price.value == pytest.approx(published, rel=0.01)


@pytest.mark.parametrize("region, service, key, published", PUBLISHED)
def test_the_bundled_catalog_carries_the_regional_rows(region, service, key, published):
    price = catalog_module.read(catalog_module.BUNDLED).get("aws", service, region, key)
    assert price is not None and price.value == pytest.approx(published, rel=0.01)
    assert price.source in {"togen", "tofu-drift"}


def test_every_row_is_a_real_region_with_a_declared_source():
    imported = import_regional_services_csv(REGIONAL_FACTS)
    assert set(imported.sources) == {"togen", "tofu-drift", "tofu-drift-instances", "togen-elasticache-euw2",
                                     "togen-elb-euw2", "togen-rds-euw2", "togen-s3-euw2"}
    regions = {region for (_, _, region, _) in imported.prices}
    assert "us-west-2-lax-1" not in regions and not any(r.startswith("us-gov") for r in regions)
    assert len(regions) == 23
    # No source gives these: they stay absent, never filled from a neighbour.
    assert not {"ap-east-1", "ap-southeast-3", "il-central-1", "mx-central-1"} & regions
    assert not any(service == "eks" for (_, service, _, _) in imported.prices)
    assert not any(key in {"io2", "io1/iops", "io2/iops", "gp3/iops", "gp3/throughput", "backup-storage"}
                   for (_, _, _, key) in imported.prices)
    # ElastiCache and S3 only where a source gives them.
    assert {r for (_, s, r, _) in imported.prices if s == "elasticache"} == {
        "ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1",
        "eu-west-2", "us-east-2", "us-west-2"}
    assert {r for (_, s, r, _) in imported.prices if s == "s3"} == {"eu-west-2"}
    assert not any(s == "natgateway" and k == "data-processed" for (_, s, _, k) in imported.prices)


# Figures added from tofu-drift's instances.json (tdi = RDS MySQL Single-AZ and ElastiCache Redis,
# hourly, offer-generated) and togen's eu-west-2 offer extracts (tg-euw2: the CSV rows quoted).
ADDED = [
    ("ap-northeast-1", "elasticache", "cache.r6g.large", 0.247),   # tdi, Tokyo
    ("ap-southeast-2", "elasticache", "cache.m5.large", 0.194),    # tdi, Sydney
    ("ca-central-1", "elasticache", "cache.t4g.micro", 0.018),     # tdi, Canada
    ("eu-central-1", "elasticache", "cache.r7g.xlarge", 0.525),    # tdi, Frankfurt
    ("ap-southeast-1", "elasticache", "cache.m6g.12xlarge", 4.424),  # tdi, Singapore
    ("eu-west-2", "elasticache", "cache.r7g.large", 0.256),        # tg-euw2, "$0.256 per ... r7g.large node hour running Redis"
    ("eu-west-2", "elasticache", "cache.t4g.medium", 0.072),       # tg-euw2, EUW2-NodeUsage:cache.t4g.medium, Redis
    ("eu-west-1", "rds", "db.m5.large/mysql", 0.189),              # tdi, Ireland
    ("eu-central-1", "rds", "db.r5.xlarge/mysql", 0.58),           # tdi, Frankfurt
    ("ap-northeast-1", "rds", "db.t3.micro/mysql", 0.026),         # tdi, Tokyo
    ("ca-central-1", "rds", "db.m7g.large/mysql", 0.1856),         # tdi, Canada
    ("ap-southeast-2", "rds", "db.r7g.xlarge/mysql", 0.574),       # tdi, Sydney
    ("eu-west-2", "rds", "db.t3.micro/postgres", 0.021),           # tg-euw2, SKU F6VC6CJNFKSKWG9T
    ("eu-west-2", "rds", "storage/gp3", 0.133),                    # tg-euw2, EUW2-RDS:GP3-Storage, PostgreSQL
    ("eu-west-2", "rds", "storage/standard", 0.116),               # tg-euw2, EUW2-RDS:StorageUsage, magnetic
    ("eu-west-2", "s3", "standard", 0.024),                        # tg-euw2, EUW2-TimedStorage-ByteHrs, first 50 TB
    ("eu-west-2", "elb", "application/lcu", 0.0084),               # tg-euw2, EUW2-LCUUsage, Application
    ("eu-west-2", "elb", "network/lcu", 0.006),                    # tg-euw2, EUW2-LCUUsage, Network
    ("eu-west-2", "elb", "classic/data", 0.0084),                  # tg-euw2, EUW2-DataProcessing-Bytes
]


# Figures of the later pass over the same instances.json (commit 2e25e2c, hourly USD, offer-generated:
# RDS MySQL Single-AZ, ElastiCache Redis) for its regions not transcribed before.
ADDED_REGIONS = [
    ("eu-west-1", "elasticache", "cache.r6g.xlarge", 0.458),       # tdi, Ireland
    ("eu-west-1", "elasticache", "cache.t4g.micro", 0.017),        # tdi, Ireland
    ("eu-west-2", "elasticache", "cache.m6g.12xlarge", 4.11),      # tdi, London
    ("us-east-2", "elasticache", "cache.r5.4xlarge", 1.724),       # tdi, Ohio
    ("us-west-2", "elasticache", "cache.m7g.xlarge", 0.315),       # tdi, Oregon
    ("eu-west-2", "rds", "db.m7g.large/mysql", 0.1952),            # tdi, London
    ("eu-west-2", "rds", "db.r7g.large/mysql", 0.2805),            # tdi, London
    ("us-east-2", "rds", "db.m7g.xlarge/mysql", 0.337),            # tdi, Ohio
    ("us-west-2", "rds", "db.t3.large/mysql", 0.136),              # tdi, Oregon
    ("us-west-2", "rds", "db.r5.xlarge/mysql", 0.48),              # tdi, Oregon
]


@pytest.mark.parametrize("region, service, key, published", ADDED + ADDED_REGIONS)
def test_added_rows_match_the_published_figure_within_one_percent(region, service, key, published):
    price = import_regional_services_csv(REGIONAL_FACTS).get("aws", service, region, key)
    assert price is not None, (region, service, key)
    assert price.value == pytest.approx(published, rel=0.01)


def test_a_newer_class_row_does_not_replace_the_older_sources_row():
    # tofu-drift's instances.json gives db.t4g.micro/medium and db.r6g.large too, at the same figures
    # as togen's rows: those stay togen's, the table holds each item once.
    imported = import_regional_services_csv(REGIONAL_FACTS)
    assert imported.get("aws", "rds", "eu-west-1", "db.r6g.large/mysql") == (0.237, "hour", "togen")
    assert imported.get("aws", "rds", "eu-west-1", "db.r6g.xlarge/mysql") == (0.474, "hour", "tofu-drift-instances")
    assert imported.get("aws", "rds", "us-west-2", "db.r6g.large/mysql") == (0.215, "hour", "togen")
    # instances.json's eu-west-2 Redis figures for the three classes togen's extract gives agree with it.
    assert imported.get("aws", "elasticache", "eu-west-2", "cache.r7g.large") == (0.256, "node-hour",
                                                                                   "togen-elasticache-euw2")
    assert imported.get("aws", "elasticache", "eu-west-2", "cache.r6g.large").source == "tofu-drift-instances"


def test_instances_json_regions_carry_the_same_classes():
    # Every region read from instances.json has the same ElastiCache and RDS MySQL classes, whichever
    # source holds the row; us-east-1 (the shared table's) is not among them.
    imported = import_regional_services_csv(REGIONAL_FACTS)
    regions = ["ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
               "eu-west-1", "eu-west-2", "us-east-2", "us-west-2"]
    for service in ("elasticache", "rds"):
        sets = {r: {k for (_, s, reg, k) in imported.prices if s == service and reg == r
                    and (service == "elasticache" or k.endswith("/mysql"))} for r in regions}
        assert all(keys == sets["ap-southeast-1"] for keys in sets.values()), service
    assert len(sets["ap-southeast-1"]) == 20  # 17 classes from instances.json, 3 from togen
    assert imported.get("aws", "elasticache", "us-east-1", "cache.m5.large") is None


AZURE_DISKS = FACTS / "azure-disks-regional.csv"
# Azure managed disk tiers, LRS, per month: infracost's image_test golden (West Europe, 2024-07-01).
AZURE_PUBLISHED = [
    ("westeurope", "P4", 5.81),   # Storage (P4, LRS) $5.81
    ("westeurope", "E4", 2.40),   # Storage (E4, LRS) $2.40
    ("westeurope", "S10", 5.89),  # Storage (S10, LRS) $5.89
]


@pytest.mark.parametrize("region, tier, published", AZURE_PUBLISHED)
def test_azure_disk_tiers_match_the_published_figure_within_one_percent(region, tier, published):
    imported = import_regional_services_csv(AZURE_DISKS)
    price = imported.get("azure", "disk", region, tier)
    assert price is not None and price.unit == "month"
    assert price.value == pytest.approx(published, rel=0.01)
    assert set(imported.sources) == {"infracost-image-golden"}
    assert imported.sources["infracost-image-golden"].published == "2024-07-01"


AZURE_HEAD = """\
# source src-a: https://example.com/a | Source A | 2026-09-04
region,service,item,unit,usd,source,date,notes
"""


@pytest.mark.parametrize("row, message", [
    ("eu-west-1,disk,P10,month,21.68,src-a,2026-09-04", "is not an Azure region name"),
    ("westeurope,vm,Standard_B1s,hour,0.01,src-a,2026-09-04", "unknown azure service 'vm'"),
    ("westeurope,disk,P10-LRS,month,21.68,src-a,2026-09-04", "unknown disk tier 'P10-LRS'"),
])
def test_an_azure_table_refuses_aws_spellings(tmp_path, row, message):
    path = tmp_path / "azure-disks.csv"
    path.write_text(AZURE_HEAD + "northeurope,disk,P10,month,21.68,src-a,2026-09-04\n" + row + "\n", encoding="utf-8")
    with pytest.raises(PriceImportError) as caught:
        import_regional_services_csv(path)
    assert f"{path}:4:" in str(caught.value) and message in str(caught.value)
    good = tmp_path / "disks.csv"
    good.write_text(AZURE_HEAD + "northeurope,disk,P10,month,21.68,src-a,2026-09-04\n", encoding="utf-8")
    assert import_regional_services_csv(good, provider="azure").get("azure", "disk", "northeurope", "P10").value == 21.68
    with pytest.raises(PriceImportError, match="is not an AWS region name"):
        import_regional_services_csv(good)  # not named azure-*: read as an AWS table


def test_us_east_1_keeps_the_newer_shared_table_and_gains_what_it_lacks():
    bundled = catalog_module.read(catalog_module.BUNDLED)
    assert bundled.get("aws", "ebs", "us-east-1", "gp3").source == "aws-services-us-east-1"
    assert bundled.get("aws", "natgateway", "us-east-1", "hour").source == "aws-services-us-east-1"
    assert bundled.get("aws", "rds", "us-east-1", "db.t4g.micro/postgres") == (0.016, "hour", "togen")


def test_cost_prices_eu_west_1_resources_with_the_eu_west_1_figures(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": '''
        provider "aws" {
          region = "eu-west-1"
        }
        resource "aws_ebs_volume" "data" {
          availability_zone = "eu-west-1a"
          size              = 100
          type              = "gp3"
        }
        resource "aws_nat_gateway" "nat" {
          allocation_id = "eipalloc-1"
          subnet_id     = "subnet-1"
        }
        resource "aws_lb" "web" {
          name               = "web"
          load_balancer_type = "application"
        }
        resource "aws_db_instance" "db" {
          engine            = "postgres"
          instance_class    = "db.t4g.micro"
          allocated_storage = 20
          storage_type      = "gp2"
        }
    '''})
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    report = json.loads(out)
    by_address = {r["address"]: r for r in report["cost"]["resources"]}
    assert by_address["aws_ebs_volume.data"]["monthly"]["after"] == round(100 * 0.088, 2)  # not us-east-1's 0.08
    # The fixed parts use eu-west-1's figures. No source gives eu-west-1's usage-based rates (NAT
    # per GB, LCUs, RDS backup storage): those parts are missing (the resource incomplete, or
    # unpriced naming them), never $0 and never us-east-1's.
    expected = {"aws_nat_gateway.nat": {"hours": 0.048}, "aws_lb.web": {"hours": 0.0252},
                "aws_db_instance.db": {"hours": 0.017, "GB-months": 0.127}}
    for address, unit_prices in expected.items():
        line = by_address[address]
        if line["unpriced"] is None:
            got = {c["unit"]: c["unit_price"] for c in line["components"] if not c["usage_based"]}
            assert got == unit_prices
            assert line["monthly"]["after"] == round(sum(M * p if u == "hours" else 20 * p for u, p in got.items()), 2)
            reasons = " ".join(m["reason"] for m in line["missing"])
        else:
            reasons = line["unpriced"]
        assert "is not in the price catalog" in reasons and "eu-west-1" in reasons


# --- catalog facts: keys spelled directly, any cloud ---------------------------------------------

CATALOG_FACTS_HEADER = ("# source pub: https://example.com/pricing | Example published prices | 2026-11-01 | test\n"
                        "provider,region,service,key,unit,usd,source,date,notes\n")


def test_catalog_facts_spell_keys_directly_for_every_cloud(tmp_path):
    from guardrails.pricing.importers.regional_facts import import_regional_services_csv

    path = tmp_path / "catalog-test.csv"
    path.write_text(CATALOG_FACTS_HEADER
                    + "aws,eu-west-1,eip,hour,hour,0.005,pub,2026-11-01,public IPv4\n"
                    + "azure,westeurope,public-ip,standard/static,hour,0.005,pub,2026-11-01,\n"
                    + "gcp,europe-west1,sql,db-custom-2-7680/postgres,hour,0.1,pub,2026-11-01,\n")
    catalog = import_regional_services_csv(path)
    assert catalog.get("aws", "eip", "eu-west-1", "hour").value == 0.005
    assert catalog.get("azure", "public-ip", "westeurope", "standard/static").value == 0.005
    assert catalog.get("gcp", "sql", "europe-west1", "db-custom-2-7680/postgres").source == "pub"


@pytest.mark.parametrize("row, message", [
    ("oracle,eu-west-1,eip,hour,hour,0.005,pub,2026-11-01,", "unknown provider 'oracle'"),
    ("aws,westeurope,eip,hour,hour,0.005,pub,2026-11-01,", "'westeurope' is not a aws region name"),
    ("aws,eu-west-1,eip,../x,hour,0.005,pub,2026-11-01,", "'../x' is not a catalog key"),
    ("aws,eu-west-1,EIP,hour,hour,0.005,pub,2026-11-01,", "'EIP' is not a service name"),
    ("aws,eu-west-1,eip,hour,hour,0,pub,2026-11-01,", "a price must be above 0"),
])
def test_catalog_facts_refuse_a_bad_row_at_its_line(tmp_path, row, message):
    from guardrails.pricing.importers.reading import PriceImportError
    from guardrails.pricing.importers.regional_facts import import_regional_services_csv

    path = tmp_path / "catalog-test.csv"
    path.write_text(CATALOG_FACTS_HEADER + row + "\n")
    with pytest.raises(PriceImportError, match=f"catalog-test.csv:3: .*{message}"):
        import_regional_services_csv(path)
