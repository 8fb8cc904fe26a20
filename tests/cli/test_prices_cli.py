"""`guardrails prices show|import`, through the click group itself."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from guardrails.cli.prices import prices
from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.catalog import Catalog, Source

PRICES = Path(__file__).parent.parent / "fixtures" / "prices"


@pytest.fixture(autouse=True)
def _no_user_catalog(monkeypatch):
    monkeypatch.delenv("GUARDRAILS_PRICES", raising=False)


def invoke(*args):
    return CliRunner().invoke(prices, list(args), catch_exceptions=False)


def test_show_lists_coverage_sources_and_stale_warnings():
    result = invoke("show", "--today", "2026-11-28")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    # One line per provider and service: prices, then regions.
    coverage = {tuple(line.split()[:2]): line.split()[2:] for line in lines if line.startswith(("aws ", "gcp ", "azure "))}
    assert coverage[("aws", "ec2")][1] == "35"  # libcloud's regions, us-east-1 from the newer table
    assert coverage[("azure", "vm")][1] == "57"
    assert int(coverage[("gcp", "compute")][1]) > 30
    assert "  gcp-pricing: Google Cloud prices from Cyclenerd/google-cloud-pricing-cost-calculator (pricing.yml)" in lines
    assert any(line.startswith("    published 2026-07-30") for line in lines)
    assert ("warning: azure-retail-francecentral-2021 prices date from 2021-12-01, more than 90 days ago "
            "(refresh them with guardrails prices update)") in lines
    assert not any(line.startswith("warning: azure-eastus-facts") for line in lines)


def test_show_json():
    result = invoke("show", "--format", "json", "--today", "2026-11-28")
    data = json.loads(result.output)
    assert data["schema"] == "guardrails.prices/v1"
    ec2 = next(row for row in data["coverage"] if (row["provider"], row["service"]) == ("aws", "ec2"))
    assert ec2["regions"] == 35 and ec2["prices"] >= 1367 + 10_000
    sources = {s["id"]: s for s in data["sources"]}
    assert sources["aws-ec2-us-east-1"]["published"] == "2026-07-20"
    assert sources["aws-ec2-us-east-1"]["stale"] is True  # 131 days before 2026-11-28
    assert sources["gcp-gke-fee"]["stale"] is False
    assert sum(s["prices"] for s in data["sources"]) == sum(row["prices"] for row in data["coverage"])


def test_show_with_a_user_catalog(tmp_path):
    catalog = Catalog(sources={"mine": Source(id="mine", name="My offer import", published="2026-11-20")})
    catalog.add("aws", "ec2", "eu-west-1", "m5.large", 0.107, "hour", "mine")
    catalog.add("aws", "ec2", "ap-east-9", "m5.large", 0.2, "hour", "mine")  # a region the bundle lacks
    catalog.write(tmp_path / "mine.json.gz")
    result = invoke("show", "--prices", str(tmp_path / "mine.json.gz"), "--format", "json", "--today", "2026-11-28")
    data = json.loads(result.output)
    ec2 = next(row for row in data["coverage"] if (row["provider"], row["service"]) == ("aws", "ec2"))
    assert ec2["regions"] == 36
    assert {"id": "mine", "name": "My offer import", "published": "2026-11-20", "url": "", "filters": "",
            "prices": 2, "stale": False} in data["sources"]


def test_show_with_a_broken_catalog_is_an_input_error(tmp_path):
    (tmp_path / "bad.json.gz").write_bytes(b"\x1f\x8bnope")
    result = invoke("show", "--prices", str(tmp_path / "bad.json.gz"))
    assert result.exit_code == 2
    assert "corrupt or truncated" in result.output


def test_import_then_use(tmp_path):
    out = tmp_path / "x.json.gz"
    result = invoke("import", "--aws-offer", str(PRICES / "aws-rds-offer-eu-west-1.csv"),
                    "--aws-offer", str(PRICES / "aws-ec2-offer.json"), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote 20 prices to {out}" in result.output  # 6 RDS rows + 14 EC2 offer rows
    assert f"GUARDRAILS_PRICES={out}" in result.output
    catalog = catalog_module.load([str(out)])
    assert catalog.get("aws", "rds", "eu-west-1", "db.m5.large/mysql").value == 0.19
    assert catalog.get("aws", "ec2", "us-east-1", "m5.large/dedicated").value == 0.106
    assert catalog.sources["aws-amazonrds-eu-west-1"].published == "2026-10-15"


def test_import_azure_and_gcp(tmp_path):
    out = tmp_path / "x.json"
    result = invoke("import", "--azure-retail", str(PRICES / "azure-retail-page1.json"),
                    "--azure-retail", str(PRICES / "azure-retail-page2.json"),
                    "--gcp-pricing", str(PRICES / "gcp-pricing-excerpt-2026-07-30.yml"), "--output", str(out))
    assert result.exit_code == 0, result.output
    catalog = catalog_module.read(out)
    assert catalog.get("azure", "vm", "eastus", "Standard_F2").value == 0.099
    assert catalog.get("gcp", "compute", "us-central1", "e2-micro").value == 0.0083764275
    assert set(catalog.sources) == {"azure-retail-eastus", "gcp-pricing"}


def test_import_merge_adds_to_the_existing_catalog(tmp_path):
    out = tmp_path / "x.json.gz"
    invoke("import", "--aws-offer", str(PRICES / "aws-eks-offer.json"), "--output", str(out))
    invoke("import", "--aws-offer", str(PRICES / "aws-rds-offer-eu-west-1.csv"), "--output", str(out), "--merge")
    merged = catalog_module.read(out)
    assert merged.get("aws", "eks", "us-west-2", "cluster/hour").value == 0.10
    assert merged.get("aws", "rds", "eu-west-1", "storage/gp2").value == 0.127
    invoke("import", "--aws-offer", str(PRICES / "aws-rds-offer-eu-west-1.csv"), "--output", str(out))
    replaced = catalog_module.read(out)
    assert replaced.get("aws", "eks", "us-west-2", "cluster/hour") is None  # without --merge: replaced


def test_import_of_a_truncated_file_is_an_input_error_and_writes_nothing(tmp_path):
    data = (PRICES / "aws-ec2-offer.json").read_bytes()
    (tmp_path / "index.json").write_bytes(data[:5000])
    out = tmp_path / "x.json.gz"
    result = invoke("import", "--aws-offer", str(tmp_path / "index.json"), "--output", str(out))
    assert result.exit_code == 2
    assert "truncated" in result.output
    assert not out.exists()


def test_import_of_the_wrong_format_is_an_input_error(tmp_path):
    out = tmp_path / "x.json.gz"
    result = invoke("import", "--gcp-pricing", str(PRICES / "azure-retail-page1.json"), "--output", str(out))
    assert result.exit_code == 2
    assert "compute.instance" in result.output


def test_import_needs_a_price_file(tmp_path):
    result = invoke("import", "--output", str(tmp_path / "x.json.gz"))
    assert result.exit_code == 2
    assert "give at least one price file" in result.output


def test_show_one_region_lists_its_services_and_their_sources():
    result = invoke("show", "--region", "eu-west-1", "--format", "json")
    summary = json.loads(result.output)
    assert result.exit_code == 0 and summary["region"] == "eu-west-1"
    services = {(row["provider"], row["service"]): row for row in summary["coverage"]}
    assert services[("aws", "ec2")]["regions"] == 1 and services[("aws", "ec2")]["prices"] > 100
    assert ("aws", "ebs") in services and all(row["sources"] for row in summary["coverage"])
    used = {source for row in summary["coverage"] for source in row["sources"]}
    assert {s["id"] for s in summary["sources"]} == used  # only the sources that price this region


def test_show_an_unknown_region_names_the_closest_ones():
    result = invoke("show", "--region", "eu-wset-1")
    assert result.exit_code == 0
    assert "no prices in this region; the closest regions it has: eu-west-1" in result.output


def test_show_lists_the_types_priced_per_provider():
    result = invoke("show", "--format", "json")
    types = json.loads(result.output)["types"]
    assert {"aws_instance", "aws_db_instance", "aws_nat_gateway"} <= set(types["aws"]["priced"])
    assert "aws_iam_role" in types["aws"]["free"] and "_iam_member" in types["google"]["free_suffixes"]
    assert "Deployment" in types["kubernetes"]["priced"] and "kubernetes_secret" in types["kubernetes"]["free"]
    text = invoke("show").output
    assert "Types priced (and known to be free), per provider:" in text
    assert any(line.startswith("  aws: ") and " priced, " in line for line in text.splitlines())
