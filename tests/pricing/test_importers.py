"""Importers of the official price formats: what is kept, what is filtered out, and bad files."""
import gzip
import json
from pathlib import Path

import pytest

from guardrails.pricing.catalog import CatalogError
from guardrails.pricing.importers import (
    PriceImportError,
    import_aws_offer,
    import_azure_retail,
    import_ec2_csv,
    import_gcp_pricing,
    import_services_csv,
)
from guardrails.pricing.importers.aws_offer import classify
from guardrails.pricing.importers.shared_facts import service_key

PRICES = Path(__file__).parent.parent / "fixtures" / "prices"


def rows(catalog):
    """{(provider, service, region, key): (value, unit)}: what a test compares."""
    return {key: (price.value, price.unit) for key, price in catalog.prices.items()}


# --- AWS offer files ---------------------------------------------------------------------------

EC2_EXPECTED = {
    ("aws", "ec2", "us-east-1", "m5.large"): (0.096, "hour"),
    ("aws", "ec2", "us-east-1", "c5.xlarge"): (0.17, "hour"),
    ("aws", "ec2", "us-east-1", "m5.metal"): (4.608, "hour"),  # "Compute Instance (bare metal)"
    ("aws", "ec2", "us-east-1", "m5.large/dedicated"): (0.106, "hour"),
    ("aws", "ebs", "us-east-1", "gp2"): (0.10, "GB-month"),
    ("aws", "ebs", "us-east-1", "gp3"): (0.08, "GB-month"),
    ("aws", "ebs", "us-east-1", "io1"): (0.125, "GB-month"),
    ("aws", "ebs", "us-east-1", "standard"): (0.05, "GB-month"),
    ("aws", "ebs", "us-east-1", "gp3/iops"): (0.005, "IOPS-month"),
    ("aws", "ebs", "us-east-1", "io1/iops"): (0.065, "IOPS-month"),
    ("aws", "ebs", "us-east-1", "io2/iops"): (0.065, "IOPS-month"),  # tier 1; tier 2 (0.0455) left out
    # The offer prices throughput per GiBps-month: 40.96 / 1024 = 0.04 per MBps-month.
    ("aws", "ebs", "us-east-1", "gp3/throughput"): (40.96 / 1024, "MBps-month"),
    ("aws", "natgateway", "us-east-1", "hour"): (0.045, "hour"),
    ("aws", "natgateway", "us-east-1", "data-processed"): (0.045, "GB"),
}


@pytest.mark.parametrize("name", ["aws-ec2-offer.csv", "aws-ec2-offer.json"])
def test_ec2_offer_keeps_linux_shared_on_demand_and_filters_the_rest(name):
    catalog = import_aws_offer(PRICES / name)
    # Windows, RHEL, SQL Std pre-installed, capacity reservations, Host tenancy, a Local Zone, BYOL,
    # the Reserved term, a zero price (t3.nano), magnetic I/O requests and io2 tier 2 are all absent.
    assert rows(catalog) == EC2_EXPECTED
    assert catalog.get("aws", "ec2", "us-east-1", "t3.nano") is None


@pytest.mark.parametrize("name", ["aws-ec2-offer.csv", "aws-ec2-offer.json"])
def test_ec2_offer_source_has_the_publication_date_and_url(name):
    catalog = import_aws_offer(PRICES / name)
    (source,) = catalog.sources.values()
    assert source.id == "aws-amazonec2-us-east-1"
    assert source.published == "2026-11-02"
    suffix = name.rsplit(".", 1)[1]
    assert source.url == f"https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261102182451/us-east-1/index.{suffix}"
    assert "Linux" in source.filters and "Shared" in source.filters
    assert {p.source for p in catalog.prices.values()} == {source.id}


def test_json_offer_read_through_a_tiny_window_gives_the_same_prices():
    # A 3-character window cuts every key, string and number in two: the scanner must not care.
    assert rows(import_aws_offer(PRICES / "aws-ec2-offer.json", chunk=3)) == EC2_EXPECTED


def test_json_offer_with_terms_before_products_is_read_in_a_second_pass(tmp_path):
    document = json.loads((PRICES / "aws-ec2-offer.json").read_text())
    reordered = {"formatVersion": document["formatVersion"], "terms": document["terms"],
                 "offerCode": document["offerCode"], "version": document["version"],
                 "publicationDate": document["publicationDate"], "products": document["products"]}
    path = tmp_path / "index.json"
    path.write_text(json.dumps(reordered))
    assert rows(import_aws_offer(path, chunk=64)) == EC2_EXPECTED


def test_gzipped_offer_is_read(tmp_path):
    path = tmp_path / "index.csv.gz"
    path.write_bytes(gzip.compress((PRICES / "aws-ec2-offer.csv").read_bytes()))
    assert rows(import_aws_offer(path)) == EC2_EXPECTED


def test_rds_offer_maps_engines_and_storage_and_the_location_name():
    catalog = import_aws_offer(PRICES / "aws-rds-offer-eu-west-1.csv")
    # No Region Code column: "EU (Ireland)" is eu-west-1; usage types carry the EU- prefix.
    assert rows(catalog) == {
        ("aws", "rds", "eu-west-1", "db.m5.large/mysql"): (0.19, "hour"),
        ("aws", "rds", "eu-west-1", "db.m5.large/postgres"): (0.198, "hour"),
        ("aws", "rds", "eu-west-1", "db.m5.xlarge/sqlserver-se"): (1.83, "hour"),
        ("aws", "rds", "eu-west-1", "db.m5.large/oracle-se2"): (0.391, "hour"),  # licence included, not BYOL 0.19
        ("aws", "rds", "eu-west-1", "storage/gp2"): (0.127, "GB-month"),  # not the Multi-AZ 0.254
        ("aws", "rds", "eu-west-1", "storage/io1/iops"): (0.11, "IOPS-month"),
    }
    # gp3 storage is priced 0.127 (MySQL) and 0.133 (SQL Server) under one key: left out, and said so.
    (source,) = catalog.sources.values()
    assert source.published == "2026-10-15"
    assert "rds/eu-west-1/storage/gp3" in source.notes


def test_eks_extended_support_is_the_standard_fee_plus_the_surcharge():
    catalog = import_aws_offer(PRICES / "aws-eks-offer.json")
    assert rows(catalog) == {
        ("aws", "eks", "us-west-2", "cluster/hour"): (0.10, "hour"),
        ("aws", "eks", "us-west-2", "cluster-extended/hour"): (0.10 + 0.50, "hour"),
    }


@pytest.mark.parametrize("attrs, expected", [
    ({"servicecode": "AWSELB", "productfamily": "Load Balancer-Application", "regioncode": "us-east-2",
      "usagetype": "USE2-LoadBalancerUsage"}, ("us-east-2", "elb", "application/hour")),
    ({"servicecode": "AWSELB", "productfamily": "Load Balancer-Network", "regioncode": "us-east-2",
      "usagetype": "USE2-LCUUsage"}, ("us-east-2", "elb", "network/lcu")),
    ({"servicecode": "AWSELB", "productfamily": "Load Balancer", "regioncode": "us-east-1",
      "usagetype": "DataProcessing-Bytes"}, ("us-east-1", "elb", "classic/data")),
    ({"servicecode": "AmazonElastiCache", "productfamily": "Cache Instance", "regioncode": "eu-west-1",
      "instancetype": "cache.m5.large", "cacheengine": "Redis", "usagetype": "EU-NodeUsage:cache.m5.large"},
     ("eu-west-1", "elasticache", "cache.m5.large")),
    ({"servicecode": "AmazonEC2", "productfamily": "Compute Instance", "location": "EU (Frankfurt)",
      "instancetype": "m5.large", "tenancy": "Shared", "operatingsystem": "Linux", "preinstalledsw": "NA",
      "capacitystatus": "Used", "licensemodel": "No License required", "usagetype": "EUC1-BoxUsage:m5.large"},
     ("eu-central-1", "ec2", "m5.large")),
])
def test_classify_other_services(attrs, expected):
    region, target = classify(attrs)
    assert (region, target.service, target.key) == expected


@pytest.mark.parametrize("attrs", [
    {"servicecode": "AmazonElastiCache", "productfamily": "Cache Instance", "regioncode": "eu-west-1",
     "instancetype": "cache.m5.large", "cacheengine": "Memcached", "usagetype": "EU-NodeUsage:cache.m5.large"},
    {"servicecode": "AmazonRDS", "productfamily": "Database Instance", "regioncode": "us-east-1",
     "instancetype": "db.m5.large", "databaseengine": "Db2", "deploymentoption": "Single-AZ",
     "usagetype": "InstanceUsage:db.m5.large"},
    {"servicecode": "AmazonEC2", "productfamily": "Compute Instance", "regioncode": "us-east-1",
     "instancetype": "m5.large", "tenancy": "Shared", "operatingsystem": "Linux", "preinstalledsw": "NA",
     "capacitystatus": "UnusedCapacityReservation", "licensemodel": "No License required",
     "usagetype": "UnusedBox:m5.large"},
    {"servicecode": "AmazonEC2", "productfamily": "Compute Instance", "regioncode": "us-east-1",
     "instancetype": "m5.large", "tenancy": "Shared", "operatingsystem": "Linux", "preinstalledsw": "NA",
     "capacitystatus": "UnusedCapacityReservation", "licensemodel": "No License required",
     "usagetype": "BoxUsage:m5.large"},
    {"servicecode": "AmazonEC2", "productfamily": "Compute Instance", "regioncode": "us-east-1",
     "locationtype": "AWS Local Zone", "instancetype": "m5.large", "tenancy": "Shared", "operatingsystem": "Linux",
     "preinstalledsw": "NA", "capacitystatus": "Used", "licensemodel": "No License required",
     "usagetype": "BoxUsage:m5.large"},
    {"servicecode": "AmazonRDS", "productfamily": "Database Instance", "regioncode": "us-east-1",
     "instancetype": "db.m5.large", "databaseengine": "MySQL", "deploymentoption": "Multi-AZ",
     "usagetype": "InstanceUsage:db.m5.large"},
    {"servicecode": "AmazonS3", "productfamily": "Storage", "regioncode": "us-east-1", "usagetype": "TimedStorage-ByteHrs"},
    {"servicecode": "AmazonEC2", "productfamily": "Compute Instance", "location": "Somewhere New",
     "instancetype": "m5.large", "tenancy": "Shared", "operatingsystem": "Linux", "preinstalledsw": "NA",
     "capacitystatus": "Used", "licensemodel": "No License required", "usagetype": "BoxUsage:m5.large"},
])
def test_classify_leaves_out_what_it_cannot_name(attrs):
    assert classify(attrs) is None


NAT_BYTES = {"servicecode": "AmazonEC2", "location": "US East (N. Virginia)", "locationType": "AWS Region",
             "usagetype": "NatGateway-Bytes", "regionCode": "us-east-1"}


def test_json_offer_keeps_the_first_tier_only(tmp_path):
    dimensions = {f"T.{n}": {"unit": "GB", "beginRange": begin, "endRange": end, "pricePerUnit": {"USD": usd}}
                  for n, (begin, end, usd) in enumerate([("10240", "Inf", "0.030"), ("0", "10240", "0.045")])}
    document = {"formatVersion": "v1.0", "offerCode": "AmazonEC2", "publicationDate": "2026-11-02T00:00:00Z",
                "products": {"T": {"sku": "T", "productFamily": "NAT Gateway", "attributes": NAT_BYTES}},
                "terms": {"OnDemand": {"T": {"T.J": {"priceDimensions": dimensions}}}}}
    path = tmp_path / "index.json"
    path.write_text(json.dumps(document))
    assert rows(import_aws_offer(path)) == {("aws", "natgateway", "us-east-1", "data-processed"): (0.045, "GB")}


def test_csv_offer_keeps_the_first_tier_only(tmp_path):
    head = ['"FormatVersion","v1.0"', '"Disclaimer","x"', '"Publication Date","2026-11-02T00:00:00Z"',
            '"Version","1"', '"OfferCode","AmazonEC2"',
            ('"TermType","StartingRange","Unit","PricePerUnit","Currency","Product Family","serviceCode","usageType",'
             '"Region Code"')]
    tiers = ['"OnDemand","10240","GB","0.030","USD","NAT Gateway","AmazonEC2","NatGateway-Bytes","us-east-1"',
             '"OnDemand","0","GB","0.045","USD","NAT Gateway","AmazonEC2","NatGateway-Bytes","us-east-1"']
    path = tmp_path / "index.csv"
    path.write_text("\n".join(head + tiers) + "\n")
    assert rows(import_aws_offer(path)) == {("aws", "natgateway", "us-east-1", "data-processed"): (0.045, "GB")}


@pytest.mark.parametrize("name", ["aws-ec2-offer.csv", "aws-ec2-offer.json"])
def test_truncated_offer_is_an_import_error(tmp_path, name):
    data = (PRICES / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(PriceImportError, match="truncated"):
        import_aws_offer(path)


def test_truncated_gzip_offer_is_an_import_error(tmp_path):
    data = gzip.compress((PRICES / "aws-ec2-offer.csv").read_bytes())
    path = tmp_path / "index.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PriceImportError):
        import_aws_offer(path)


@pytest.mark.parametrize("text, message", [
    ('{"hello": "world"}', "not an AWS offer JSON"),
    ('"FormatVersion","v1.0"\n"Disclaimer","x"\n', "five metadata rows"),
    ("instance_type,usd_per_hour\nm5.large,0.096\n", "not an AWS offer CSV"),
])
def test_wrong_format_is_an_import_error(tmp_path, text, message):
    path = tmp_path / "index.txt"
    path.write_text(text)
    with pytest.raises(PriceImportError, match=message):
        import_aws_offer(path)


def test_offer_of_a_service_without_mapped_prices_says_so(tmp_path):
    lines = (PRICES / "aws-ec2-offer.csv").read_text().splitlines()
    path = tmp_path / "index.csv"
    path.write_text("\n".join(lines[:6]) + "\n")  # metadata and header, no rows
    with pytest.raises(PriceImportError, match="no on-demand prices"):
        import_aws_offer(path)


def test_import_error_is_a_catalog_error():
    # Callers that handle unusable catalogs handle unusable price files the same way.
    assert issubclass(PriceImportError, CatalogError)


# --- Azure Retail Prices -----------------------------------------------------------------------

def test_azure_page_keeps_consumption_linux_windows_and_lrs_disks():
    catalog = import_azure_retail(PRICES / "azure-retail-page1.json")
    assert rows(catalog) == {
        # 0.096 (2026-09) wins over the 2020 price 0.11; Reservation, DevTest, Spot, Low Priority left out
        ("azure", "vm", "eastus", "Standard_D2s_v3"): (0.096, "hour"),
        ("azure", "vm", "eastus", "Standard_D2s_v3/windows"): (0.188, "hour"),
        ("azure", "vm", "eastus", "Standard_B1s"): (0.0104, "hour"),  # not the "B1s - Free" 0
        ("azure", "disk", "eastus", "P10"): (19.71, "month"),  # not ZRS
        ("azure", "disk", "eastus", "S4"): (1.536, "month"),  # not the disk operations meter
    }
    (source,) = catalog.sources.values()
    # The latest effectiveStartDate of a kept item (the skipped free meter is dated 2026-10-01).
    assert source.published == "2026-09-01"
    assert source.id == "azure-retail-eastus"


def test_azure_several_pages_make_one_source(tmp_path):
    catalog = import_azure_retail([PRICES / "azure-retail-page1.json", PRICES / "azure-retail-page2.json"])
    assert catalog.get("azure", "vm", "eastus", "Standard_F2").value == 0.099
    assert catalog.get("azure", "disk", "eastus", "E30").value == 76.8
    assert len(catalog.sources) == 1
    assert next(iter(catalog.sources.values())).published == "2026-10-01"


def test_azure_list_of_pages_with_lower_case_items(tmp_path):
    pages = [json.loads((PRICES / name).read_text()) for name in ("azure-retail-page1.json", "azure-retail-page2.json")]
    pages[1] = {"items": pages[1]["Items"]}  # as the saved sample spells it
    path = tmp_path / "pages.json"
    path.write_text(json.dumps(pages))
    assert len(import_azure_retail(path).prices) == 5 + 2


@pytest.mark.parametrize("text", ['{"Items": [', '{"value": []}', "[1, 2]"])
def test_azure_bad_file_is_an_import_error(tmp_path, text):
    path = tmp_path / "page.json"
    path.write_text(text)
    with pytest.raises(PriceImportError):
        import_azure_retail(path)


# --- GCP pricing.yml ---------------------------------------------------------------------------

def test_gcp_machine_types_hour_and_month():
    catalog = import_gcp_pricing(PRICES / "gcp-pricing-excerpt-2026-07-30.yml")
    assert catalog.get("gcp", "compute", "us-central1", "n2-standard-4").value == 0.194236
    assert catalog.get("gcp", "compute", "us-central1", "n2-standard-4").unit == "hour"
    assert catalog.get("gcp", "compute", "us-central1", "n2-standard-4/month").value == 113.462182456
    assert catalog.get("gcp", "compute", "europe-west1", "n2-standard-4").value == 0.213668
    assert catalog.get("gcp", "compute", "us-central1", "a2-highgpu-1g").value == 3.673385
    # No cost block, an empty one, or a zero: unpriced, never 0.
    assert catalog.get("gcp", "compute", "us-central1", "m4n-hypermem-16") is None
    assert catalog.get("gcp", "compute", "europe-west1", "c4-standard-2-lssd") is None
    assert catalog.get("gcp", "compute", "us-central1", "c4-standard-2-lssd") is None
    assert catalog.get("gcp", "compute", "us-central1", "c4-standard-2-lssd/month") is None


def test_gcp_disks_take_terraform_names():
    catalog = import_gcp_pricing(PRICES / "gcp-pricing-excerpt-2026-07-30.yml")
    disks = {key: price.value for (_, service, region, key), price in catalog.prices.items()
             if service == "disk" and region == "us-central1"}
    assert disks == {"pd-standard": 0.04, "pd-standard/regional": 0.08, "pd-balanced": 0.1, "pd-ssd": 0.17,
                     "pd-extreme": 0.125, "hyperdisk-extreme": 0.125, "local-ssd": 0.08, "snapshot": 0.05}
    assert catalog.regions("gcp", "disk") == {"us-central1", "europe-west1"}  # not the us-multi location
    assert {p.unit for (_, s, _, _), p in catalog.prices.items() if s == "disk"} == {"GB-month"}


def test_gcp_network_addresses_nat_and_vpn(tmp_path):
    # compute.network figures of the 2026-07-30 pricing.yml, us-central1, added to the excerpt.
    network = ("  network:\n    ip:\n      unused:\n        cost:\n          us-central1: {hour: 0.01, month: 7.3}\n"
               "      vm:\n        cost:\n          us-central1: {hour: 0.005, month: 3.65}\n"
               "    nat:\n      data:\n        cost:\n          us-central1: {month: 0.045}\n"
               "      gateway:\n        cost:\n          us-central1: {hour: 0.0448, month: 32.704}\n"
               "          us-multi: {hour: 1.0}\n"
               "    vpn:\n      tunnel:\n        cost:\n          us-central1: {hour: 0.05, month: 36.5}\n"
               "          europe-west1: {hour: 0}\n")
    text = (PRICES / "gcp-pricing-excerpt-2026-07-30.yml").read_text().replace("  license:\n", network + "  license:\n", 1)
    path = tmp_path / "gcp-pricing-2026-07-30.yml"
    path.write_text(text)
    catalog = import_gcp_pricing(path)
    found = {key: (price.value, price.unit) for (_, service, region, key), price in catalog.prices.items()
             if service == "network"}
    assert found == {"ip/unused": (0.01, "hour"), "ip/vm": (0.005, "hour"), "nat/data": (0.045, "GB"),
                     "nat/gateway": (0.0448, "hour"), "vpn/tunnel": (0.05, "hour")}
    assert catalog.regions("gcp", "network") == {"us-central1"}  # not us-multi, not a zero


def test_gcp_source_date_from_about_generated():
    catalog = import_gcp_pricing(PRICES / "gcp-pricing-excerpt-2026-07-30.yml")
    source = catalog.sources["gcp-pricing"]
    assert source.published == "2026-07-30"
    assert source.url == "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator"


def test_gcp_source_date_from_the_file_name_when_about_is_missing(tmp_path):
    text = (PRICES / "gcp-pricing-excerpt-2026-07-30.yml").read_text()
    body = text[text.index("compute:"):]
    path = tmp_path / "gcp-pricing-2026-05-04.yml"
    path.write_text(body)
    assert import_gcp_pricing(path).sources["gcp-pricing"].published == "2026-05-04"


@pytest.mark.parametrize("text", ["compute: [1, 2\n", "about: {}\n", "- a list\n"])
def test_gcp_bad_file_is_an_import_error(tmp_path, text):
    path = tmp_path / "pricing.yml"
    path.write_text(text)
    with pytest.raises(PriceImportError):
        import_gcp_pricing(path)


# --- the simplified AWS fact tables ------------------------------------------------------------

def test_ec2_fact_table():
    catalog = import_ec2_csv(PRICES / "aws-ec2-prices-us-east-1.csv")
    assert rows(catalog) == {("aws", "ec2", "us-east-1", "m5.large"): (0.096, "hour"),
                             ("aws", "ec2", "us-east-1", "t3.micro"): (0.0104, "hour")}
    source = catalog.sources["aws-ec2-us-east-1"]
    assert source.published == "2026-07-20"  # from the comment line
    assert source.name.startswith("EC2 on-demand hourly list prices")


def test_services_fact_table_follows_the_key_conventions():
    catalog = import_services_csv(PRICES / "aws-services-us-east-1.csv", published="2026-11-28")
    keys = {(service, key) for (_, service, _, key) in catalog.prices}
    assert keys == {
        ("ebs", "gp3"), ("ebs", "gp3/iops"), ("ebs", "gp3/throughput"),
        ("ec2", "ebs-optimized/r3.xlarge"), ("ec2", "detailed-monitoring/metric"),
        ("rds", "db.t3.micro/mysql"), ("rds", "db.m5.xlarge/sqlserver-se"), ("rds", "storage/gp3"),
        ("rds", "storage/gp3/iops"), ("rds", "backup-storage"),
        ("natgateway", "hour"), ("elb", "application/hour"), ("elb", "application/lcu"),
        ("eks", "cluster/hour"), ("eks", "cluster-extended/hour"), ("elasticache", "cache.m4.large"),
        ("lambda", "requests"),
    }
    assert catalog.get("aws", "rds", "us-east-1", "db.m5.xlarge/sqlserver-se").value == 1.224
    assert catalog.get("aws", "elb", "us-east-1", "application/lcu").unit == "LCU-hour"


def test_services_table_without_a_date_needs_one():
    with pytest.raises(PriceImportError, match="no date"):
        import_services_csv(PRICES / "aws-services-us-east-1.csv")


@pytest.mark.parametrize("service, item", [("rds", "mysql"), ("eks", "fargate-hour"), ("ec2", "t3.micro"),
                                           ("dynamodb", "read")])
def test_unknown_service_items_are_refused(service, item):
    with pytest.raises(ValueError):
        service_key(service, item)


def test_zero_price_in_a_fact_table_is_refused(tmp_path):
    path = tmp_path / "aws-ec2-us-east-1.csv"
    path.write_text("# generated 2026-07-20\ninstance_type,usd_per_hour\nm5.large,0\n")
    with pytest.raises(PriceImportError, match="above 0"):
        import_ec2_csv(path)
