"""Build the bundled price catalog (data/catalog/: an index and one shard per provider and region)
from the shared price facts.

    python -m guardrails.pricing.build_bundled /path/to/data/prices [--output DIR]

Inputs (see that folder's README for where each came from), merged oldest first, so that where
two sources price the same item the newest wins:
- libcloud-pricing-*.json.gz (libcloud): EC2 Linux for about 35 regions, 2025-03-02
- aws-ec2-linux-ondemand-us-east-1.csv and aws-services-us-east-1.csv (shared_facts)
- this package's data/facts/skypilot-aws-ec2-<date>.csv.gz (skypilot; our compact table of
  skypilot-org/skypilot-catalog's vms.csv): merged newest-wins by date, so it fills libcloud's holes
  and replaces libcloud's older rows, while a newer table (the us-east-1 one) keeps its rows; the
  Source notes count the rows filled, replaced, kept and those that differed by more than 1%.
  A skypilot-azure-vm-<date>.csv.gz would be merged the same way after the Azure tables
- this package's data/facts/aws-services-regional.csv (regional_facts): EBS, ELB, NAT gateway, RDS
  and Lambda in up to 23 commercial regions, each row with its source and date; in us-east-1 the
  shared table keeps its rows unless a regional row's source is newer
- gcp-pricing-*.yml (gcp_pricing; the newest by name)
- azure-retail-prices-sample-francecentral-2021.json (azure_retail): a real but old API response;
  where the newer table below prices the same size it wins
- azure-vm-linux-ondemand-*.go.gz (karpenter_azure): Azure VM Linux for 57 regions, 2026-06-18
- four small hand-written sources below: public Azure eastus list prices and the GKE, EKS and AKS cluster fees
- this package's data/facts/azure-disks-regional.csv (regional_facts): Azure managed disk tiers
  outside eastus, each row with its source and date
- this package's data/facts/catalog-*.csv (regional_facts, catalog-facts form): the prices of the
  newer cost models, keys spelled as the models read them, merged newest-wins by date
- `--extra CATALOG` (repeatable): a catalog `guardrails prices update` or `prices import` wrote,
  merged last and newest-wins by date: how the bundle is refreshed from the providers' own files
The output is byte-identical for the same inputs (sorted rows, gzip without a timestamp).
"""
from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from guardrails.pricing.catalog import BUNDLED, Catalog, CatalogError, Source, read as read_catalog
from guardrails.pricing.importers import (
    PriceImportError,
    import_azure_retail,
    import_ec2_csv,
    import_gcp_pricing,
    import_karpenter_azure,
    import_libcloud_ec2,
    import_regional_services_csv,
    import_services_csv,
    import_skypilot_vms,
)

# The date facts without a publication date of their own were recorded for this catalog.
RECORDED = "2026-11-28"

# Regional AWS service facts kept in the repository (not in the shared folder): see its header.
FACTS = Path(__file__).with_name("data") / "facts"
REGIONAL_FACTS = FACTS / "aws-services-regional.csv"
AZURE_DISKS_FACTS = FACTS / "azure-disks-regional.csv"
# Two sources disagree on an item when their prices differ by more than this share.
DISAGREE = 0.01

AZURE_EASTUS = Source(
    id="azure-eastus-facts",
    name="Azure public list prices, eastus: a few VM sizes and managed disk tiers",
    published=RECORDED,
    url="https://azure.microsoft.com/pricing/details/virtual-machines/linux/",
    filters="pay-as-you-go, Linux unless /windows; disks LRS per disk and month",
    notes="Public facts from Microsoft's pricing pages (VMs; managed disks: "
          "https://azure.microsoft.com/pricing/details/managed-disks/); no publication date, dated when recorded.",
)
# (service, key, price, unit)
AZURE_EASTUS_PRICES = [
    ("vm", "Standard_B1s", 0.0104, "hour"),
    ("vm", "Standard_F2", 0.099, "hour"),
    ("vm", "Standard_F2/windows", 0.192, "hour"),
    ("disk", "S4", 1.536, "month"),
    ("disk", "E4", 2.40, "month"),
    ("disk", "P4", 5.28, "month"),
    ("disk", "E30", 76.80, "month"),
]

GKE_FEE = Source(
    id="gcp-gke-fee",
    name="GKE cluster management fee (Google Cloud, Google Kubernetes Engine pricing)",
    published=RECORDED,
    url="https://cloud.google.com/kubernetes-engine/pricing",
    filters="cluster management fee per cluster-hour, Standard and Autopilot, every region",
    notes="$0.10 per cluster per hour in every region; the free tier's monthly credit (one zonal or "
          "Autopilot cluster per billing account) is not applied. No publication date, dated when recorded.",
)
GKE_CLUSTER_HOUR = 0.10

EKS_FEE = Source(
    id="aws-eks-fee",
    name="Amazon EKS cluster fee (AWS, Amazon EKS pricing)",
    published=RECORDED,
    url="https://aws.amazon.com/eks/pricing/",
    filters="per cluster-hour: standard support, and in total in extended support; AWS commercial regions",
    notes="AWS publishes one price for every commercial region: $0.10 per cluster per hour in standard "
          "support and $0.60 in total in extended support, effective from the April 2024 billing cycle "
          "(aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing). "
          "Given for the commercial regions the catalog prices EC2 in; GovCloud, China and Local Zones are "
          "left out. Where a regional offer-file row exists (us-east-1) it is kept. Dated when recorded: "
          "the prices have been in force since April 2024.",
)
EKS_HOURS = (("cluster/hour", 0.10), ("cluster-extended/hour", 0.60))

AKS_FEE = Source(
    id="azure-aks-fee",
    name="Azure Kubernetes Service tier fees (Microsoft, AKS pricing)",
    published=RECORDED,
    url="https://azure.microsoft.com/pricing/details/kubernetes-service/",
    filters="per cluster-hour: Standard and Premium tiers; every public region",
    notes="Microsoft publishes one price for every public region: $0.10 per cluster-hour for the Standard "
          "tier (formerly Uptime SLA) and $0.60 for Premium; the Free tier has none. Given for the regions "
          "the catalog prices Azure VMs in; where a regional row exists it is kept. Dated when recorded.",
)
AKS_HOURS = (("standard/hour", 0.10), ("premium/hour", 0.60))
_COMMERCIAL_AWS = re.compile(r"^[a-z]{2}-[a-z]+-\d$")  # not us-gov-*, cn-*, or a Local Zone (us-west-2-lax-1)


def build(prices_dir: Path) -> Catalog:
    """The bundled catalog from the files in `prices_dir`."""
    catalog = Catalog()
    catalog.merge(import_libcloud_ec2(_newest(prices_dir, "libcloud-pricing-*.json.gz")))
    catalog.merge(import_ec2_csv(
        prices_dir / "aws-ec2-linux-ondemand-us-east-1.csv", source_id="aws-ec2-us-east-1",
        name="EC2 on-demand Linux prices, us-east-1 (AWS Price List, as generated by aws/karpenter-provider-aws)",
        url="https://github.com/aws/karpenter-provider-aws"))
    catalog.merge(import_services_csv(
        prices_dir / "aws-services-us-east-1.csv", source_id="aws-services-us-east-1",
        name="AWS published on-demand list prices, us-east-1: EBS, RDS, NAT gateway, ELB, EKS, ElastiCache, S3, Lambda",
        url="https://aws.amazon.com/pricing/", published=RECORDED))
    _merge_skypilot(catalog, "aws", "skypilot-aws-ec2-*.csv.gz")
    _merge_unless_older(catalog, import_regional_services_csv(REGIONAL_FACTS))
    _published_fee(catalog, "aws", "eks", [r for r in catalog.regions("aws", "ec2") if _COMMERCIAL_AWS.match(r)],
                   EKS_HOURS, EKS_FEE)
    gcp_files = sorted(prices_dir.glob("gcp-pricing-*.yml"))
    if not gcp_files:
        raise PriceImportError(f"{prices_dir}: no gcp-pricing-*.yml")
    gcp = import_gcp_pricing(gcp_files[-1], source_id="gcp-pricing")
    catalog.merge(gcp)
    catalog.merge(import_azure_retail(
        prices_dir / "azure-retail-prices-sample-francecentral-2021.json", source_id="azure-retail-francecentral-2021",
        name="Azure Retail Prices API response, francecentral (a 2021 sample kept in cycloidio/terracost's test data)"))
    catalog.merge(import_karpenter_azure(_newest(prices_dir, "azure-vm-linux-ondemand-*.go.gz")))
    _merge_skypilot(catalog, "azure", "skypilot-azure-vm-*.csv.gz")
    for service, key, price, unit in AZURE_EASTUS_PRICES:
        catalog.add("azure", service, "eastus", key, price, unit, AZURE_EASTUS.id)
    catalog.sources[AZURE_EASTUS.id] = AZURE_EASTUS
    _merge_unless_older(catalog, import_regional_services_csv(AZURE_DISKS_FACTS))
    # Catalog facts (keys spelled as the cost models read them), one file per topic, newest-wins.
    for facts in sorted(FACTS.glob("catalog-*.csv")):
        _merge_newest(catalog, import_regional_services_csv(facts))
    _published_fee(catalog, "azure", "aks", catalog.regions("azure", "vm"), AKS_HOURS, AKS_FEE)
    if not gcp.regions("gcp", "gke"):  # the pricing file has no GKE fee: add the public one
        _published_fee(catalog, "gcp", "gke", gcp.regions("gcp", "compute"),
                       (("cluster/hour", GKE_CLUSTER_HOUR),), GKE_FEE)
    catalog.files = []
    return catalog


def _published_fee(catalog: Catalog, provider: str, service: str, regions: Iterable[str],
                   prices: Sequence[tuple[str, float]], source: Source) -> None:
    """A fee the provider publishes as one price for every region, in each of `regions` that has
    no row of its own (an offer file's row, where there is one, is kept)."""
    for region in sorted(regions):
        for key, price in prices:
            if catalog.get(provider, service, region, key) is None:
                catalog.add(provider, service, region, key, price, "hour", source.id)
    catalog.sources[source.id] = source


def _merge_unless_older(catalog: Catalog, other: Catalog) -> None:
    """Merge `other`, except rows the catalog already has from a source at least as new."""
    used = set()
    for (provider, service, region, key), price in sorted(other.prices.items()):
        held = catalog.prices.get((provider, service, region, key))
        if held is not None and _published(catalog, held.source) >= _published(other, price.source):
            continue
        catalog.add(provider, service, region, key, price.value, price.unit, price.source)
        used.add(price.source)
    catalog.sources.update({sid: other.sources[sid] for sid in sorted(used)})


def _merge_skypilot(catalog: Catalog, provider: str, pattern: str) -> None:
    """Merge the newest compact SkyPilot table in FACTS (if any) row by row, the newer source winning."""
    found = sorted(FACTS.glob(pattern))
    if found:
        _merge_newest(catalog, import_skypilot_vms(found[-1], provider))


def _merge_newest(catalog: Catalog, other: Catalog) -> None:
    """Merge `other` row by row: it fills what the catalog lacks and replaces rows from an older source;
    a row from a source at least as new stays. Nothing is averaged. Each of `other`'s sources gets
    notes counting what it filled, replaced and left, and how many of those rows differed by more than
    DISAGREE, per source, so no disagreement is picked silently."""
    counts: dict[str, dict[str, dict[str, list[int]]]] = {}
    for (provider, service, region, key), price in sorted(other.prices.items()):
        held = catalog.prices.get((provider, service, region, key))
        tally = counts.setdefault(price.source, {"filled": {}, "replaced": {}, "kept": {}})
        if held is None:
            tally["filled"].setdefault("", [0, 0])[0] += 1
            catalog.add(provider, service, region, key, price.value, price.unit, price.source)
            continue
        differs = abs(held.value - price.value) > DISAGREE * max(held.value, price.value)
        newer = _published(other, price.source) > _published(catalog, held.source)
        entry = tally["replaced" if newer else "kept"].setdefault(held.source, [0, 0])
        entry[0] += 1
        entry[1] += differs
        if newer:
            catalog.add(provider, service, region, key, price.value, price.unit, price.source)
    for source_id in sorted(counts):
        source = other.sources[source_id]
        tally = counts[source_id]
        said = [f"merged newest-wins by date ({source.published[:10]})"]
        said += [f"filled {tally['filled'][''][0]} rows no older source had"] if tally["filled"] else []
        for held_id, (rows, differ) in sorted(tally["replaced"].items()):
            said.append(f"replaced {rows} rows of the older {held_id} ({_published(catalog, held_id)}), "
                        f"{differ} of them differing by more than {DISAGREE:.0%}")
        for held_id, (rows, differ) in sorted(tally["kept"].items()):
            said.append(f"left {rows} rows to {held_id} ({_published(catalog, held_id)}, not older), "
                        f"{differ} of them differing by more than {DISAGREE:.0%}")
        catalog.sources[source_id] = dataclasses.replace(
            source, notes="; ".join(filter(None, [source.notes, "; ".join(said)])))


def _published(catalog: Catalog, source_id: str) -> str:
    source = catalog.sources.get(source_id)
    return source.published[:10] if source is not None else ""


def _newest(prices_dir: Path, pattern: str) -> Path:
    found = sorted(prices_dir.glob(pattern))
    if not found:
        raise PriceImportError(f"{prices_dir}: no {pattern}")
    return found[-1]  # the names carry their dates


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guardrails.pricing.build_bundled", description=__doc__.splitlines()[0])
    parser.add_argument("prices_dir", type=Path, help="the folder with the price fact files")
    parser.add_argument("--output", type=Path, default=BUNDLED, help=f"the directory to write (default: {BUNDLED})")
    parser.add_argument("--extra", type=Path, action="append", default=[], metavar="CATALOG",
                        help="a catalog written by `guardrails prices update` or `prices import`, merged last, "
                             "newest-wins by date (repeatable)")
    args = parser.parse_args(argv)
    try:
        # How the bundled catalog is kept fresh: on a machine with network access, run
        # `guardrails prices update` and rebuild with its output as --extra. Read first, so that
        # a missing or broken one fails before the build's few seconds.
        extras = [read_catalog(extra) for extra in args.extra]
        catalog = build(args.prices_dir)
        for extra in extras:
            _merge_newest(catalog, extra)
    except CatalogError as exc:  # PriceImportError is one
        # A build script, not the CLI: its one line of output goes to stderr.
        sys.stderr.write(f"build_bundled: {exc}\n")
        return 2
    catalog.write_bundle(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
