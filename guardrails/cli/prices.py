"""`guardrails prices show|import`: what the price catalog covers, and building a user catalog.

A user catalog is the bundled format (catalog.py) written by `import`; it is used through the
policy setting `settings.prices: <path>` or the environment variable GUARDRAILS_PRICES, its rows
winning over the bundled ones.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.catalog import STALE_AFTER_DAYS, Catalog, CatalogError


class PricesError(click.ClickException):
    """A price file or catalog that cannot be used: exit 2, like every input error."""

    exit_code = 2


@click.group()
def prices() -> None:
    """The price catalog: what it covers, and importing the providers' official price files."""


@prices.command()
@click.option("--prices", "extra", multiple=True, type=click.Path(dir_okay=False),
              help="A user catalog to show on top of the bundled one (repeatable; GUARDRAILS_PRICES is read too).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="The date staleness is judged against (tests).")
def show(extra: Sequence[str], fmt: str, today: _dt.datetime | None) -> None:
    """Per provider and service, how many prices and regions; every source with its date."""
    try:
        catalog = catalog_module.load(list(extra))
    except CatalogError as exc:
        raise PricesError(str(exc)) from None
    from guardrails.providers.specs import spec_table_sources

    summary = summarize(catalog, today.date() if today else _dt.date.today())
    summary["instance_specs"] = spec_table_sources()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
    else:
        click.echo("\n".join(_text(summary)))


def summarize(catalog: Catalog, today: _dt.date) -> dict[str, Any]:
    """What `prices show` reports, as data."""
    counts: Counter[tuple[str, str]] = Counter()
    regions: dict[tuple[str, str], set[str]] = defaultdict(set)
    per_source: Counter[str] = Counter()
    for (provider, service, region, _), price in catalog.everything().items():
        counts[(provider, service)] += 1
        regions[(provider, service)].add(region)
        per_source[price.source] += 1
    stale = {s.id for s in catalog.stale_sources(today)}
    return {
        "schema": "guardrails.prices/v1",
        "files": list(catalog.files),
        "coverage": [
            {"provider": provider, "service": service, "prices": counts[(provider, service)],
             "regions": len(regions[(provider, service)])}
            for provider, service in sorted(counts)
        ],
        "sources": [
            {"id": s.id, "name": s.name, "published": s.published, "url": s.url, "filters": s.filters,
             "prices": per_source[s.id], "stale": s.id in stale}
            for s in sorted(catalog.sources.values(), key=lambda s: s.id)
        ],
    }


def _text(summary: dict[str, Any]) -> list[str]:
    lines = ["Price catalog: " + ", ".join(summary["files"]), "", f"{'provider':<9} {'service':<12} {'prices':>7} {'regions':>8}"]
    for row in summary["coverage"]:
        lines.append(f"{row['provider']:<9} {row['service']:<12} {row['prices']:>7} {row['regions']:>8}")
    lines += ["", "Sources:"]
    for source in summary["sources"]:
        lines.append(f"  {source['id']}: {source['name']}")
        lines.append(f"    published {source['published'] or 'unknown'}, {source['prices']} prices"
                     + (f", {source['url']}" if source["url"] else ""))
    if summary.get("instance_specs"):
        lines += ["", "Instance specs (vCPUs, memory) for instance-size rules:"]
        lines += [f"  {provider}: {where}" for provider, where in sorted(summary["instance_specs"].items())]
    warnings = [s for s in summary["sources"] if s["stale"]]
    if warnings:
        lines.append("")
    for source in warnings:
        lines.append(f"warning: {source['id']} prices date from {source['published']}, more than {STALE_AFTER_DAYS} "
                     "days ago (refresh them with guardrails prices import)")
    return lines


@prices.command(name="import")
@click.option("--aws-offer", "aws_offers", multiple=True, type=click.Path(dir_okay=False),
              help="An AWS Price List offer file, index.csv or index.json (repeatable; gzip allowed).")
@click.option("--azure-retail", "azure_pages", multiple=True, type=click.Path(dir_okay=False),
              help="A saved Azure Retail Prices API page (repeatable: the pages make one source).")
@click.option("--gcp-pricing", "gcp_file", type=click.Path(dir_okay=False),
              help="A pricing.yml of Cyclenerd/google-cloud-pricing-cost-calculator.")
@click.option("--libcloud", "libcloud_file", type=click.Path(dir_okay=False),
              help="apache-libcloud's libcloud/data/pricing.json (EC2 Linux prices per region; gzip allowed).")
@click.option("--karpenter-azure", "karpenter_azure_file", type=click.Path(dir_okay=False),
              help="Azure/karpenter-provider-azure's generated pricing table (Azure VM Linux prices per region).")
@click.option("--output", required=True, type=click.Path(dir_okay=False),
              help="The catalog to write (.json.gz, or .json uncompressed).")
@click.option("--merge", is_flag=True, help="Add to the catalog already at --output instead of replacing it.")
def import_(aws_offers: Sequence[str], azure_pages: Sequence[str], gcp_file: str | None, libcloud_file: str | None,
            karpenter_azure_file: str | None, output: str, merge: bool) -> None:
    """Build a user catalog from the providers' official price files (and public tables of them)."""
    from guardrails.pricing.importers import (
        import_aws_offer,
        import_azure_retail,
        import_gcp_pricing,
        import_karpenter_azure,
        import_libcloud_ec2,
    )

    if not (aws_offers or azure_pages or gcp_file or libcloud_file or karpenter_azure_file):
        raise click.UsageError("give at least one price file: --aws-offer, --azure-retail, --gcp-pricing, "
                               "--libcloud or --karpenter-azure")
    target = Path(output)
    result = Catalog()
    try:
        if merge and target.exists():
            result.merge(catalog_module.read(target))
        imported = [import_aws_offer(path) for path in aws_offers]
        if azure_pages:
            imported.append(import_azure_retail(list(azure_pages)))
        if gcp_file:
            imported.append(import_gcp_pricing(gcp_file))
        if libcloud_file:
            imported.append(import_libcloud_ec2(libcloud_file))
        if karpenter_azure_file:
            imported.append(import_karpenter_azure(karpenter_azure_file))
    except CatalogError as exc:  # PriceImportError is one
        raise PricesError(str(exc)) from None
    for part in imported:
        result.merge(part)
    _write(result, target)
    for part in imported:
        for source in part.sources.values():
            click.echo(f"imported {len(part.prices)} prices from {source.name} (published {source.published})")
    click.echo(f"wrote {len(result.prices)} prices to {target}")
    click.echo(f"use it with the policy setting `settings: {{prices: {target}}}` or GUARDRAILS_PRICES={target}")


def _write(catalog: Catalog, target: Path) -> None:
    # Written beside the target and renamed: an interrupted import leaves the old catalog whole.
    partial = target.with_name(f".partial-{target.name}")
    try:
        catalog.write(partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise PricesError(f"{target}: cannot write the catalog: {exc.strerror or exc}") from None
