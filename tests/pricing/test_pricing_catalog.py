"""The catalog file: round trip, unusable files, the bundled catalog, user catalogs on top."""
import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.catalog import BUNDLED, Catalog, CatalogError, Source, read

SHARED_PRICES = Path("/work/shared/data/prices")


@pytest.fixture(autouse=True)
def _no_user_catalog(monkeypatch):
    monkeypatch.delenv("GUARDRAILS_PRICES", raising=False)


def small_catalog() -> Catalog:
    catalog = Catalog(sources={"test": Source(id="test", name="Test prices", published="2026-11-01", url="https://example.test")})
    catalog.add("aws", "ec2", "us-east-1", "m5.large", 0.096, "hour", "test")
    catalog.add("aws", "ebs", "us-east-1", "gp3/iops", 0.005, "IOPS-month", "test")
    catalog.add("gcp", "disk", "us-central1", "pd-ssd", 0.17, "GB-month", "test")
    return catalog


@pytest.mark.parametrize("name", ["prices.json.gz", "prices.json"])
def test_round_trip(tmp_path, name):
    original = small_catalog()
    original.write(tmp_path / name)
    loaded = read(tmp_path / name)
    assert loaded.prices == original.prices
    assert loaded.sources == original.sources
    assert loaded.files == [str(tmp_path / name)]


def test_writing_twice_gives_the_same_bytes(tmp_path):
    small_catalog().write(tmp_path / "a.json.gz")
    small_catalog().write(tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()


def test_corrupt_gzip_is_a_catalog_error(tmp_path):
    path = tmp_path / "prices.json.gz"
    path.write_bytes(b"\x1f\x8b" + b"not really gzip" * 10)
    with pytest.raises(CatalogError, match="corrupt or truncated"):
        read(path)


def test_truncated_gzip_is_a_catalog_error(tmp_path):
    small_catalog().write(tmp_path / "whole.json.gz")
    data = (tmp_path / "whole.json.gz").read_bytes()
    path = tmp_path / "cut.json.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CatalogError, match="corrupt or truncated"):
        read(path)


@pytest.mark.parametrize("text, message", [
    (b'{"format": "something/v9", "prices": []}', "not a guardrails price catalog"),
    (b'{"format": "guardrails.catalog/v1", "prices": [["aws", "ec2", "us-east-1", "m5.large", -1, "hour", "x"]]}',
     "malformed"),
    (b'{"format": "guardrails.catalog/v1", "prices": [["aws", "ec2"]]}', "malformed"),
])
def test_wrong_content_is_a_catalog_error(tmp_path, text, message):
    path = tmp_path / "prices.json.gz"
    path.write_bytes(gzip.compress(text))
    with pytest.raises(CatalogError, match=message):
        read(path)


def test_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        read(tmp_path / "nowhere.json.gz")


def test_stale_sources_are_those_older_than_90_days():
    catalog = Catalog(sources={
        "old": Source(id="old", name="Old", published="2026-08-29"),  # 91 days before 2026-11-28
        "fresh": Source(id="fresh", name="Fresh", published="2026-08-30"),  # 90 days: not yet
    })
    assert [s.id for s in catalog.stale_sources(dt.date(2026, 11, 28))] == ["old"]


# --- the bundled catalog -------------------------------------------------------------------------

def test_bundled_catalog_loads_with_known_prices():
    catalog = catalog_module.load()
    assert catalog.get("aws", "ec2", "us-east-1", "m5.large").value == 0.096
    # gcp-pricing-2026-07-30.yml: compute.instance.n2-standard-4.cost.us-central1.hour
    assert catalog.get("gcp", "compute", "us-central1", "n2-standard-4").value == 0.194236
    assert catalog.get("gcp", "compute", "us-central1", "n2-standard-4/month").value == 113.462182456
    assert catalog.get("gcp", "disk", "us-central1", "pd-balanced").value == 0.1
    assert catalog.get("gcp", "gke", "us-central1", "cluster/hour").value == 0.10
    assert catalog.get("aws", "rds", "us-east-1", "db.t3.micro/mysql").value == 0.017
    assert catalog.get("aws", "ebs", "us-east-1", "gp3/iops").value == 0.005
    assert catalog.get("azure", "vm", "eastus", "Standard_F2/windows").value == 0.192
    assert catalog.get("azure", "disk", "eastus", "E30").value == 76.80


def test_bundled_catalog_names_a_dated_source_for_every_price():
    catalog = read(BUNDLED)
    rows = catalog.everything()
    assert {price.source for price in rows.values()} == set(catalog.sources)
    for source in catalog.sources.values():
        assert dt.date.fromisoformat(source.published) and source.name and source.url
    assert all(price.value > 0 for price in rows.values())


def test_bundled_azure_sample_shows_as_stale():
    catalog = read(BUNDLED)
    stale = {s.id for s in catalog.stale_sources(dt.date(2026, 11, 28))}
    assert "azure-retail-francecentral-2021" in stale
    assert "azure-eastus-facts" not in stale


def test_bundled_catalog_stays_compact():
    # Every region of three clouds: ~115,000 rows in ~1 MB, read a shard (~10 KB) at a time.
    files = list(BUNDLED.iterdir())
    assert sum(f.stat().st_size for f in files) < 2_000_000
    assert (BUNDLED / "index.json").stat().st_size < 100_000
    assert max(f.stat().st_size for f in files if f.name != "index.json") < 100_000


def test_a_run_reads_only_the_shards_it_prices():
    catalog = read(BUNDLED)
    waiting = len(catalog._shards)
    assert waiting > 100 and not catalog.prices  # the index only
    assert catalog.get("aws", "ec2", "eu-west-1", "t3.micro").value == 0.0114  # AWS's published eu-west-1 price
    assert len(catalog._shards) == waiting - 1 and {key[2] for key in catalog.prices} == {"eu-west-1"}
    assert "eu-west-1" in catalog.regions("aws", "ec2") and len(catalog.regions("azure", "vm")) == 57


def test_a_user_row_wins_over_a_bundled_shard_read_after_it(tmp_path):
    user = Catalog()
    user.add("aws", "ec2", "eu-west-1", "t3.micro", 0.02, "hour", "mine")
    user.sources["mine"] = Source(id="mine", name="negotiated", published="2026-12-01")
    merged = read(BUNDLED)
    merged.merge(user)
    assert merged.get("aws", "ec2", "eu-west-1", "t3.micro").source == "mine"
    assert merged.get("aws", "ec2", "eu-west-1", "t3.small").source == "libcloud-ec2"


def test_the_eks_fee_is_aws_published_single_price_in_each_commercial_region():
    # https://aws.amazon.com/eks/pricing/: $0.10 per cluster-hour, $0.60 in extended support, one
    # price for every commercial region; us-east-1 keeps its own row, GovCloud and Local Zones get none.
    bundled = read(BUNDLED)
    for region in ("eu-west-1", "ap-south-1", "sa-east-1"):
        assert bundled.get("aws", "eks", region, "cluster/hour").value == 0.10
        assert bundled.get("aws", "eks", region, "cluster/hour").source == "aws-eks-fee"
        assert bundled.get("aws", "eks", region, "cluster-extended/hour").value == 0.60
    assert bundled.get("aws", "eks", "us-east-1", "cluster/hour").source == "aws-services-us-east-1"
    for region in ("us-gov-west-1", "us-west-2-lax-1"):
        assert bundled.get("aws", "eks", region, "cluster/hour") is None


def test_the_aks_tier_fees_are_microsofts_single_price_in_every_region():
    # https://azure.microsoft.com/pricing/details/kubernetes-service/: Standard $0.10, Premium $0.60
    # per cluster-hour, one price for every public region.
    bundled = read(BUNDLED)
    for region in ("westeurope", "japaneast", "brazilsouth"):
        assert bundled.get("azure", "aks", region, "standard/hour").value == 0.10
        assert bundled.get("azure", "aks", region, "premium/hour").value == 0.60


@pytest.mark.parametrize("shard", ["../../etc/passwd", "/abs.json.gz", "aws-us-east-1.json"])
def test_an_index_never_names_a_file_outside_its_directory(tmp_path, shard):
    (tmp_path / "index.json").write_text(json.dumps({
        "format": "guardrails.catalog-index/v1", "sources": [],
        "shards": [{"provider": "aws", "region": "us-east-1", "file": shard, "services": ["ec2"], "rows": 1}]}))
    with pytest.raises(CatalogError, match="bad shard file name"):
        read(tmp_path)


def test_a_damaged_shard_is_a_catalog_error_naming_it(tmp_path):
    Catalog(prices={("aws", "ec2", "us-east-1", "t3.micro"): read(BUNDLED).get("aws", "ec2", "us-east-1", "t3.micro")},
            sources=dict(read(BUNDLED).sources)).write_bundle(tmp_path)
    (tmp_path / "aws-us-east-1.json.gz").write_bytes(b"\x1f\x8b not gzip")
    catalog = read(tmp_path)
    with pytest.raises(CatalogError, match="aws-us-east-1.json.gz: the bundled price shard is corrupt"):
        catalog.get("aws", "ec2", "us-east-1", "t3.micro")


@pytest.mark.slow  # parsing the 4 MB GCP YAML takes about 5 s
@pytest.mark.skipif(not SHARED_PRICES.is_dir(), reason="the shared price facts are not on this machine")
def test_bundled_catalog_is_rebuilt_byte_for_byte(tmp_path):
    from guardrails.pricing.build_bundled import main

    assert main([str(SHARED_PRICES), "--output", str(tmp_path / "catalog")]) == 0
    built = {f.name: f.read_bytes() for f in (tmp_path / "catalog").iterdir()}
    assert built == {f.name: f.read_bytes() for f in BUNDLED.iterdir()}


@pytest.mark.slow  # parsing the 4 MB GCP YAML takes about 5 s
@pytest.mark.skipif(not SHARED_PRICES.is_dir(), reason="the shared price facts are not on this machine")
def test_a_catalog_from_prices_update_refreshes_the_bundle_newest_wins(tmp_path):
    from guardrails.pricing.build_bundled import main

    fresh = Catalog(sources={"upd": Source(id="upd", name="AWS Price List, AmazonEC2 offer, eu-west-1",
                                           published="2026-12-01")})
    fresh.add("aws", "natgateway", "eu-west-1", "data-processed", 0.048, "GB", "upd")  # a hole today
    fresh.add("aws", "ebs", "eu-west-1", "gp3", 0.0881, "GB-month", "upd")  # newer than tofu-drift's
    old = Catalog(sources={"old": Source(id="old", name="an old table", published="2020-01-01")})
    old.add("aws", "ebs", "eu-west-1", "gp2", 0.5, "GB-month", "old")  # older than the bundled row: ignored
    fresh.write(tmp_path / "update.json.gz")
    old.write(tmp_path / "old.json.gz")
    out = tmp_path / "catalog"
    assert main([str(SHARED_PRICES), "--output", str(out), "--extra", str(tmp_path / "update.json.gz"),
                 "--extra", str(tmp_path / "old.json.gz")]) == 0
    built = read(out)
    assert built.get("aws", "natgateway", "eu-west-1", "data-processed") == (0.048, "GB", "upd")
    assert built.get("aws", "ebs", "eu-west-1", "gp3").source == "upd"
    assert built.get("aws", "ebs", "eu-west-1", "gp2").value == 0.11
    assert "replaced 1 rows of the older tofu-drift" in built.sources["upd"].notes
    assert main([str(SHARED_PRICES), "--output", str(out), "--extra", str(tmp_path / "missing.json.gz")]) == 2


# --- user catalogs ---------------------------------------------------------------------------

def user_catalog(path: Path, value: float) -> Path:
    catalog = Catalog(sources={"mine": Source(id="mine", name="My prices", published="2026-11-20")})
    catalog.add("aws", "ec2", "us-east-1", "m5.large", value, "hour", "mine")
    catalog.add("aws", "ec2", "eu-west-1", "m5.large", 0.107, "hour", "mine")
    catalog.write(path)
    return path


def test_user_catalog_overrides_a_bundled_row(tmp_path):
    extra = user_catalog(tmp_path / "mine.json.gz", 0.09)
    catalog = catalog_module.load([extra])
    assert catalog.get("aws", "ec2", "us-east-1", "m5.large").value == 0.09
    assert catalog.get("aws", "ec2", "us-east-1", "m5.large").source == "mine"
    assert catalog.get("aws", "ec2", "eu-west-1", "m5.large").value == 0.107  # a region the bundle lacks
    assert catalog.get("aws", "ec2", "us-east-1", "c5.xlarge").value == 0.17  # bundled rows stay
    assert "mine" in catalog.sources and "aws-ec2-us-east-1" in catalog.sources


def test_user_catalog_from_the_environment(tmp_path, monkeypatch):
    extra = user_catalog(tmp_path / "env.json.gz", 0.091)
    monkeypatch.setenv("GUARDRAILS_PRICES", str(extra))
    assert catalog_module.load().get("aws", "ec2", "us-east-1", "m5.large").value == 0.091


def test_unusable_user_catalog_is_a_catalog_error(tmp_path):
    path = tmp_path / "broken.json.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00")
    with pytest.raises(CatalogError):
        catalog_module.load([path])
