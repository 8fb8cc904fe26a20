"""SkyPilot's vms.csv importer, our compact table of it, and its place in the bundled catalog.

The published figures below are EC2 on-demand Linux list prices of m5 instances as skypilot-org/
skypilot-catalog's catalogs/v9/aws/vms.csv (commit 2c3d7ea7d76b) carries them in its Price column,
which SkyPilot takes from the AWS Price List offer files. Where apache-libcloud's pricing.json
(2025-03-02) also prices the item, it agrees within 1% (ap-south-1 m5.xlarge 0.202, eu-central-1
m5.large 0.115); ap-south-1 and ap-southeast-2 m5.large are holes in libcloud. Every size is the
family's linear multiple of m5.large in each region (m5.2xlarge = 4 x 0.101 = 0.404 in ap-south-1).
"""
import gzip
import json

import pytest

from conftest import run, write_tree
from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.build_bundled import FACTS
from guardrails.pricing.importers import PriceImportError, import_skypilot_vms, write_compact_table

HEADER = ("InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,"
          "AvailabilityZone,Arch,LocalDiskType,NVMeSupported,LocalDiskSize,LocalDiskCount\n")
ROWS = """\
m5.large,,,2.0,8.0,,0.101,0.043500,ap-south-1,aps1-az1,x86_64,,False,,
m5.large,,,2.0,8.0,,0.101,0.034300,ap-south-1,aps1-az2,x86_64,,False,,
m5.large,,,2.0,8.0,,0.101,0.040400,ap-south-1,aps1-az3,x86_64,,False,,
m5.large,,,2.0,8.0,,0.115,0.038100,eu-central-1,euc1-az1,x86_64,,False,,
m5.large,,,2.0,8.0,,0.12,0.047700,ap-southeast-2,apse2-az1,x86_64,,False,,
m5.large,,,2.0,8.0,,0.125,0.044300,ap-southeast-2,apse2-az2,x86_64,,False,,
m5.xlarge,,,4.0,16.0,,,0.05,eu-central-1,euc1-az1,x86_64,,False,,
m5.xlarge,,,4.0,16.0,,0.0,0.05,eu-west-1,euw1-az1,x86_64,,False,,
inf1.xlarge,Inferentia,1.0,4.0,8.0,"{'Gpus': [{'Count': 1, 'Name': 'Inferentia'}]}",0.24,0.098,ap-south-1,aps1-az1,x86_64,,False,,
"""


def write(tmp_path, text, name="vms.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_the_skypilot_layout_one_price_per_region_and_type(tmp_path):
    catalog = import_skypilot_vms(write(tmp_path, HEADER + ROWS), "aws", published="2026-07-09")
    assert catalog.get("aws", "ec2", "ap-south-1", "m5.large") == (0.101, "hour", "skypilot-aws-ec2")
    assert catalog.get("aws", "ec2", "eu-central-1", "m5.large").value == 0.115
    # A quoted GpuInfo with commas does not shift the columns.
    assert catalog.get("aws", "ec2", "ap-south-1", "inf1.xlarge").value == 0.24
    # Empty and 0 prices are no price, never free.
    assert catalog.get("aws", "ec2", "eu-central-1", "m5.xlarge") is None
    assert catalog.get("aws", "ec2", "eu-west-1", "m5.xlarge") is None
    assert len(catalog.prices) == 4
    source = catalog.sources["skypilot-aws-ec2"]
    assert source.published == "2026-07-09"


def test_disagreeing_zone_rows_keep_the_highest_and_are_counted(tmp_path):
    catalog = import_skypilot_vms(write(tmp_path, HEADER + ROWS), "aws", published="2026-07-09")
    assert catalog.get("aws", "ec2", "ap-southeast-2", "m5.large").value == 0.125  # never the average 0.1225
    assert "1 (region, type) pairs had availability-zone rows with different prices" in (
        catalog.sources["skypilot-aws-ec2"].notes)


def test_columns_are_found_by_name_and_gzip_is_read(tmp_path):
    text = "Region,Price,InstanceType,Generation\nwesteurope,0.096,Standard_D2s_v5,V2\n"
    path = tmp_path / "vms.csv.gz"
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    catalog = import_skypilot_vms(path, "azure", published="2026-07-09")
    assert catalog.get("azure", "vm", "westeurope", "Standard_D2s_v5") == (0.096, "hour", "skypilot-azure-vm")


def test_a_missing_column_is_refused_at_the_header_line(tmp_path):
    path = write(tmp_path, "# a comment\nInstanceType,Cost,Region\nm5.large,0.1,ap-south-1\n")
    with pytest.raises(PriceImportError, match=r"vms\.csv:2: no Price column"):
        import_skypilot_vms(path, "aws", published="2026-07-09")


def test_a_bad_number_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, HEADER + ROWS + "m5.large,,,2.0,8.0,,cheap,,us-west-2,usw2-az1,x86_64,,False,,\n")
    with pytest.raises(PriceImportError, match=r"vms\.csv:11: price 'cheap' is not a number"):
        import_skypilot_vms(path, "aws", published="2026-07-09")


@pytest.mark.parametrize("row, message", [
    ("m5.large,,,2.0,8.0,,0.1,,Mumbai,aps1-az1,x86_64,,False,,", "'Mumbai' is not a region of aws"),
    ("m5,,,2.0,8.0,,0.1,,ap-south-1,aps1-az1,x86_64,,False,,", "'m5' is not an instance type of aws"),
    ("m5.large,,,2.0,8.0,,-0.1,,ap-south-1,aps1-az1,x86_64,,False,,", "'-0.1' is not a price"),
    ("m5.large,,,2.0", "4 fields"),
])
def test_malformed_rows_are_refused_at_their_line(tmp_path, row, message):
    path = write(tmp_path, HEADER + row + "\n")
    with pytest.raises(PriceImportError, match=rf"vms\.csv:2: .*{message}"):
        import_skypilot_vms(path, "aws", published="2026-07-09")


def test_the_original_layout_needs_a_date(tmp_path):
    with pytest.raises(PriceImportError, match="pass published="):
        import_skypilot_vms(write(tmp_path, HEADER + ROWS), "aws")
    with pytest.raises(PriceImportError, match="not a YYYY-MM-DD date"):
        import_skypilot_vms(write(tmp_path, HEADER + ROWS), "aws", published="July 2026")


def test_compact_round_trip(tmp_path):
    source = write(tmp_path, HEADER + ROWS)
    target = tmp_path / "skypilot-aws-ec2-2026-07-09.csv.gz"
    rows = write_compact_table(source, target, "aws", published="2026-07-09", path="catalogs/v9/aws/vms.csv",
                               commit="2c3d7ea7d76bf84cf80d382e946c1609571485fd")
    assert rows == 4
    text = gzip.decompress(target.read_bytes()).decode()
    assert text.splitlines()[:6] == [
        "# source: skypilot-org/skypilot-catalog", "# path: catalogs/v9/aws/vms.csv",
        "# commit: 2c3d7ea7d76bf84cf80d382e946c1609571485fd", "# published: 2026-07-09", "# provider: aws",
        "region,instance_type,usd_per_hour"]
    again = import_skypilot_vms(target, "aws")  # the date comes from the table
    original = import_skypilot_vms(source, "aws", published="2026-07-09")
    assert again.prices == original.prices
    assert again.sources["skypilot-aws-ec2"].published == "2026-07-09"
    assert "commit 2c3d7ea7d76bf84cf80d382e946c1609571485fd" in again.sources["skypilot-aws-ec2"].notes
    # Reproducible: the same input gives the same bytes; and a compact table rewrites to itself.
    second = tmp_path / "second.csv.gz"
    write_compact_table(source, second, "aws", published="2026-07-09", path="catalogs/v9/aws/vms.csv",
                        commit="2c3d7ea7d76bf84cf80d382e946c1609571485fd")
    assert second.read_bytes() == target.read_bytes()


def test_the_compact_table_refuses_duplicates_and_the_wrong_provider(tmp_path):
    head = "# published: 2026-07-09\n# provider: aws\nregion,instance_type,usd_per_hour\n"
    path = write(tmp_path, head + "ap-south-1,m5.large,0.101\nap-south-1,m5.large,0.101\n", "t.csv")
    with pytest.raises(PriceImportError, match=r"t\.csv:5: ap-south-1 m5.large is listed twice"):
        import_skypilot_vms(path, "aws")
    path = write(tmp_path, head + "ap-south-1,m5.large,0.101\n", "t.csv")
    with pytest.raises(PriceImportError, match="for aws, not azure"):
        import_skypilot_vms(path, "azure")


def test_the_repository_table_is_what_the_importer_reads():
    tables = sorted(FACTS.glob("skypilot-aws-ec2-*.csv.gz"))
    assert [t.name for t in tables] == ["skypilot-aws-ec2-2026-07-09.csv.gz"]
    table = import_skypilot_vms(tables[0], "aws")
    assert len(table.prices) == 216  # m5.* (9 sizes) in 24 regions
    assert {k[2] for k in table.prices} >= {"ap-south-1", "ap-southeast-3", "ap-southeast-4", "eu-central-1"}


# (region, instance type, USD per hour) from skypilot-catalog catalogs/v9/aws/vms.csv, Price column
PUBLISHED = [
    ("ap-south-1", "m5.large", 0.101),       # a libcloud hole
    ("ap-southeast-2", "m5.large", 0.12),    # a libcloud hole
    ("ap-southeast-3", "m5.large", 0.12),    # a libcloud hole
    ("eu-central-1", "m5.large", 0.115),     # libcloud agrees
    ("ap-south-1", "m5.xlarge", 0.202),      # libcloud agrees
    ("us-west-2", "m5.large", 0.096),        # libcloud's 0.102 was 6% over: replaced
    ("eu-west-1", "m5.4xlarge", 0.856),      # libcloud's 0.913: replaced
]


@pytest.mark.parametrize("region, instance_type, published", PUBLISHED)
def test_bundled_catalog_carries_the_published_figures(region, instance_type, published):
    price = catalog_module.load().get("aws", "ec2", region, instance_type)
    assert price is not None and price.source == "skypilot-aws-ec2"
    assert abs(price.value - published) <= 0.01 * published


def test_the_newer_us_east_1_table_keeps_its_rows_and_the_notes_count_the_merge():
    catalog = catalog_module.load()
    assert catalog.get("aws", "ec2", "us-east-1", "m5.large") == (0.096, "hour", "aws-ec2-us-east-1")
    notes = catalog.sources["skypilot-aws-ec2"].notes
    assert "filled 24 rows no older source had" in notes
    assert "replaced 183 rows of the older libcloud-ec2 (2025-03-02), 38 of them differing by more than 1%" in notes
    assert "left 9 rows to aws-ec2-us-east-1 (2026-07-20, not older)" in notes


def test_cost_prices_an_m5_large_in_ap_south_1(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": '''
        provider "aws" {
          region = "ap-south-1"
        }
        resource "aws_instance" "web" {
          ami           = "ami-12345678"
          instance_type = "m5.large"
        }
    '''})
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    report = json.loads(out)
    web = {r["address"]: r for r in report["cost"]["resources"]}["aws_instance.web"]
    text = json.dumps(web)
    assert "0.101" in text or web["monthly"]["after"]
    assert web["monthly"]["after"] >= round(730 * 0.101, 2)  # the instance hours are priced
