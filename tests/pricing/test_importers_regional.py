"""The regional price tables: apache-libcloud's EC2 prices and karpenter-provider-azure's VM prices.

Fixtures are small files written here in each source's real layout; the figures checked against
the providers' published list prices are the real ones (AWS EC2 and Azure VM pricing pages).
"""
import gzip
import json
from pathlib import Path

import pytest

from conftest import run
from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.importers import PriceImportError, import_karpenter_azure, import_libcloud_ec2

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "prices"

LIBCLOUD = {
    "compute": {
        "ec2_linux": {
            "t3.micro": {"us-east-1": 0.0104, "eu-west-1": 0.0114, "sa-east-1": 0.0168},
            "m5.xlarge": {"ap-southeast-2": 0.24, "eu-central-1": 0.0},  # 0.0: no price
            "c5": {"ap-northeast-3": 4.237},  # a bare family: dedicated hosts, not an instance type
        },
        "azure_linux": {"basica0": {"eastus": 0.018}},
    },
    "storage": {},
    "updated": 1740936978,
}

KARPENTER = '''package pricing

// generated at 2026-06-18T03:43:41Z

var initialOnDemandPrices = map[string]map[string]float64{}

func init() {
	// eastus
	initialOnDemandPrices["eastus"] = map[string]float64{
		"Basic_A1":               0.023000,
		"Dasv4_Type1":            6.600000,
		"Msv2MedMem Type1":       14.211000,
		"Standard_B1s":           0.010400,
		"Standard_D2s_v5":        0.096000,
		"Standard_F2":            0.099000,
		"Standard_NotSold":       0.000000,
	}
	// westeurope
	initialOnDemandPrices["westeurope"] = map[string]float64{
		"Standard_D2s_v5":        0.115000,
	}
}
'''


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    return path


def test_libcloud_ec2_prices_per_region_leave_out_what_the_source_does_not_price(tmp_path):
    catalog = import_libcloud_ec2(write_gz(tmp_path / "pricing.json.gz", json.dumps(LIBCLOUD)))
    assert catalog.get("aws", "ec2", "eu-west-1", "t3.micro").value == 0.0114
    assert catalog.get("aws", "ec2", "ap-southeast-2", "m5.xlarge").value == 0.24
    assert catalog.get("aws", "ec2", "eu-central-1", "m5.xlarge") is None  # 0.0 is no price, never free
    assert not any(key[3] == "c5" for key in catalog.prices)
    assert not any(key[0] == "azure" for key in catalog.prices)  # libcloud's Azure names are not ARM SKUs
    (source,) = catalog.sources.values()
    assert source.published == "2025-03-02" and "libcloud" in source.name


@pytest.mark.parametrize("document, message", [
    ({"compute": {}}, "no compute.ec2_linux table"),
    ({"compute": {"ec2_linux": {"t3.micro": {"us-east-1": "cheap"}}}, "updated": 1}, "'cheap' is not a price"),
    ({"compute": {"ec2_linux": {"t3.micro": {"Mars": 0.1}}}, "updated": 1}, "'Mars' is not a region"),
    ({"compute": {"ec2_linux": {"t3.micro": {"us-east-1": 0.1}}}}, "no `updated` date"),
])
def test_a_wrong_libcloud_file_is_an_error_naming_the_item(tmp_path, document, message):
    path = tmp_path / "pricing.json"
    path.write_text(json.dumps(document))
    with pytest.raises(PriceImportError, match=message):
        import_libcloud_ec2(path)


def test_a_truncated_libcloud_file_is_an_error(tmp_path):
    whole = gzip.compress(json.dumps(LIBCLOUD).encode(), mtime=0)
    path = tmp_path / "pricing.json.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PriceImportError, match="pricing.json.gz"):
        import_libcloud_ec2(path)


def test_karpenter_azure_reads_the_numbers_of_each_region_block(tmp_path):
    catalog = import_karpenter_azure(write_gz(tmp_path / "zz_generated.pricing.go.gz", KARPENTER))
    # Published pay-as-you-go Linux prices, eastus: B1s $0.0104/h, F2 $0.099/h, D2s v5 $0.096/h.
    assert catalog.get("azure", "vm", "eastus", "Standard_B1s").value == 0.0104
    assert catalog.get("azure", "vm", "eastus", "Standard_F2").value == 0.099
    assert catalog.get("azure", "vm", "westeurope", "Standard_D2s_v5").value == 0.115
    assert catalog.get("azure", "vm", "eastus", "Basic_A1").value == 0.023
    assert catalog.get("azure", "vm", "eastus", "Standard_NotSold") is None  # 0 is no price
    assert {key[3] for key in catalog.prices} == {"Basic_A1", "Standard_B1s", "Standard_D2s_v5", "Standard_F2"}
    (source,) = catalog.sources.values()
    assert source.published == "2026-06-18"


@pytest.mark.parametrize("text, message", [
    (KARPENTER.replace('"Standard_F2":            0.099000,', 'Standard_F2 := 0.099'), r":15: expected"),
    (KARPENTER[: KARPENTER.index('"Standard_F2"')], "ends inside the block of eastus"),
    (KARPENTER.replace("// generated at 2026-06-18T03:43:41Z", ""), "no `// generated at` date"),
    ("package pricing\n", "no initialOnDemandPrices rows"),
])
def test_a_wrong_karpenter_table_is_an_error_at_its_line(tmp_path, text, message):
    path = tmp_path / "pricing.go"
    path.write_text(text)
    with pytest.raises(PriceImportError, match=message):
        import_karpenter_azure(path)


def test_prices_import_writes_both_into_a_user_catalog(tmp_path):
    libcloud = write_gz(tmp_path / "pricing.json.gz", json.dumps(LIBCLOUD))
    karpenter = tmp_path / "pricing.go"
    karpenter.write_text(KARPENTER)
    code, out, err = run(["prices", "import", "--libcloud", str(libcloud), "--karpenter-azure", str(karpenter),
                          "--output", str(tmp_path / "user.json.gz")], cwd=tmp_path)
    assert code == 0, err
    assert "imported 4 prices from EC2 on-demand Linux prices per region" in out
    assert "imported 5 prices from Azure VM Linux on-demand prices per region" in out
    written = catalog_module.read(tmp_path / "user.json.gz")
    assert written.get("aws", "ec2", "sa-east-1", "t3.micro").value == 0.0168
    assert written.get("azure", "vm", "westeurope", "Standard_D2s_v5").value == 0.115


@pytest.mark.skipif(not (SHARED / "azure-vm-linux-ondemand-2026-06-18.go.gz").exists(), reason="shared price facts absent")
def test_the_shared_tables_match_published_list_prices():
    azure = import_karpenter_azure(SHARED / "azure-vm-linux-ondemand-2026-06-18.go.gz")
    assert len({key[2] for key in azure.prices}) == 57
    for region, size, published in (("eastus", "Standard_B1s", 0.0104), ("eastus", "Standard_F2", 0.099),
                                    ("eastus", "Standard_D2s_v5", 0.096)):
        assert abs(azure.get("azure", "vm", region, size).value - published) <= published * 0.01
    ec2 = import_libcloud_ec2(SHARED / "libcloud-pricing-2025-03-02.json.gz")
    assert len({key[2] for key in ec2.prices}) == 35
    # AWS's published Linux on-demand price of t3.micro: $0.0104/h in us-east-1, $0.0114/h in eu-west-1.
    for region, published in (("us-east-1", 0.0104), ("eu-west-1", 0.0114)):
        assert abs(ec2.get("aws", "ec2", region, "t3.micro").value - published) <= published * 0.01
