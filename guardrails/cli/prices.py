"""`guardrails prices show|import|update`: what the price catalog covers, and building a user catalog.

A user catalog is the bundled format (catalog.py) written by `import`; it is used through the
policy setting `settings.prices: <path>` or the environment variable GUARDRAILS_PRICES, its rows
winning over the bundled ones.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import textwrap
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
@click.option("--region", default=None, metavar="REGION",
              help="Only the prices of this region (eu-west-1, westeurope, europe-west1).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="The date staleness is judged against (tests).")
def show(extra: Sequence[str], region: str | None, fmt: str, today: _dt.datetime | None) -> None:
    """Per provider and service, how many prices and regions and from which sources; every source with its date."""
    try:
        catalog = catalog_module.load(list(extra))
    except CatalogError as exc:
        raise PricesError(str(exc)) from None
    from guardrails.providers.specs import spec_table_sources

    from guardrails.pricing.estimate import modelled_types

    summary = summarize(catalog, today.date() if today else _dt.date.today(), region)
    summary["instance_specs"] = spec_table_sources()
    summary["types"] = modelled_types()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
    else:
        click.echo("\n".join(_text(summary)))


def summarize(catalog: Catalog, today: _dt.date, only_region: str | None = None) -> dict[str, Any]:
    """What `prices show` reports, as data: all of the catalog, or one region's part of it."""
    counts: Counter[tuple[str, str]] = Counter()
    regions: dict[tuple[str, str], set[str]] = defaultdict(set)
    service_sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    per_source: Counter[str] = Counter()
    everything = catalog.everything()
    for (provider, service, region, _), price in everything.items():
        if only_region is not None and region != only_region:
            continue
        counts[(provider, service)] += 1
        regions[(provider, service)].add(region)
        service_sources[(provider, service)].add(price.source)
        per_source[price.source] += 1
    stale = {s.id for s in catalog.stale_sources(today)}
    summary: dict[str, Any] = {
        "schema": "guardrails.prices/v1",
        "files": list(catalog.files),
        "coverage": [
            {"provider": provider, "service": service, "prices": counts[(provider, service)],
             "regions": len(regions[(provider, service)]), "sources": sorted(service_sources[(provider, service)])}
            for provider, service in sorted(counts)
        ],
        "sources": [
            {"id": s.id, "name": s.name, "published": s.published, "url": s.url, "filters": s.filters,
             "prices": per_source[s.id], "stale": s.id in stale}
            for s in sorted(catalog.sources.values(), key=lambda s: s.id)
            if only_region is None or per_source[s.id]
        ],
    }
    if only_region is not None:
        summary["region"] = only_region
        if not counts:
            import difflib

            known = sorted({key[2] for key in everything})
            summary["closest"] = difflib.get_close_matches(only_region, known, n=3, cutoff=0.6)
    return summary


def _text(summary: dict[str, Any]) -> list[str]:
    lines = ["Price catalog: " + ", ".join(summary["files"])]
    if "region" in summary:
        lines.append(f"Region: {summary['region']}")
        if not summary["coverage"]:
            closest = summary.get("closest") or []
            lines.append("no prices in this region" + (f"; the closest regions it has: {', '.join(closest)}"
                                                       if closest else ""))
    lines += ["", f"{'provider':<9} {'service':<12} {'prices':>7} {'regions':>8}  sources"]
    for row in summary["coverage"]:
        lines.append(f"{row['provider']:<9} {row['service']:<12} {row['prices']:>7} {row['regions']:>8}  "
                     + ", ".join(row["sources"]))
    lines += ["", "Sources:"]
    for source in summary["sources"]:
        lines.append(f"  {source['id']}: {source['name']}")
        lines.append(f"    published {source['published'] or 'unknown'}, {source['prices']} prices"
                     + (f", {source['url']}" if source["url"] else ""))
    if summary.get("types"):
        lines += ["", "Types priced (and known to be free), per provider:"]
        for provider, types in summary["types"].items():
            free = len(types["free"]) + len(types["free_suffixes"])
            lines.append(f"  {provider}: {len(types['priced'])} priced, {free} free"
                         + (" (and every *" + ", *".join(types["free_suffixes"]) + ")" if types["free_suffixes"] else ""))
            lines += textwrap.wrap(", ".join(types["priced"]), 100, initial_indent="    ", subsequent_indent="    ",
                                   break_long_words=False, break_on_hyphens=False)
    if summary.get("instance_specs"):
        lines += ["", "Instance specs (vCPUs, memory) for instance-size rules:"]
        lines += [f"  {provider}: {where}" for provider, where in sorted(summary["instance_specs"].items())]
    warnings = [s for s in summary["sources"] if s["stale"]]
    if warnings:
        lines.append("")
    for source in warnings:
        lines.append(f"warning: {source['id']} prices date from {source['published']}, more than {STALE_AFTER_DAYS} "
                     "days ago (refresh them with guardrails prices update)")
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


@prices.command()
@click.option("--provider", "providers", multiple=True, type=click.Choice(["aws", "azure", "gcp"]),
              help="Only this cloud (repeatable). Default: every cloud the services and regions name, else all.")
@click.option("--service", "services", multiple=True, metavar="NAME",
              help="Only this service (repeatable): aws ec2 ebs natgateway elb eks rds elasticache; azure vm disk; "
                   "gcp compute disk gke.")
@click.option("--region", "regions", multiple=True, metavar="REGION",
              help="Only this region (repeatable), e.g. eu-west-1, westeurope, europe-west1. Default: every region.")
@click.option("--output", default="guardrails-prices.json.gz", show_default=True, type=click.Path(dir_okay=False),
              help="The user catalog to write (.json.gz, or .json uncompressed).")
@click.option("--merge", is_flag=True, help="Keep the prices already at --output that this update does not replace.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a download may go without data before it fails.")
@click.option("--aws-endpoint", default=None, metavar="URL", help="The AWS Price List API (default: AWS's).")
@click.option("--azure-endpoint", default=None, metavar="URL", help="The Azure Retail Prices API (default: Microsoft's).")
@click.option("--gcp-url", default=None, metavar="URL", help="The GCP pricing.yml to read (default: Cyclenerd's).")
def update(providers: Sequence[str], services: Sequence[str], regions: Sequence[str], output: str, merge: bool,
           timeout: float, aws_endpoint: str | None, azure_endpoint: str | None, gcp_url: str | None) -> None:
    """Download the providers' public price files (needs network access) into a dated user catalog.

    The only command that reaches the network, and only when run. The catalog is written when
    every download verified; a failed or interrupted update leaves --output as it was.
    """
    import tempfile

    from guardrails.pricing.update import UpdatePlan, resolve, update as run_update

    defaults = UpdatePlan()
    plan = UpdatePlan(providers=tuple(providers), services=tuple(services), regions=tuple(regions),
                      aws_endpoint=aws_endpoint or defaults.aws_endpoint,
                      azure_endpoint=azure_endpoint or defaults.azure_endpoint,
                      gcp_url=gcp_url or defaults.gcp_url, timeout=timeout)
    try:
        resolve(plan)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    target = Path(output)
    previous = Catalog()
    try:
        if merge and target.exists():
            previous = catalog_module.read(target)
        with tempfile.TemporaryDirectory(prefix=".guardrails-update-", dir=target.parent if str(target.parent) else ".") as scratch:
            with _Progress() as progress:
                result = run_update(plan, Path(scratch), progress=progress.update, done=progress.done)
    except OSError as exc:
        raise PricesError(f"{target.parent}: cannot make a scratch directory: {exc.strerror or exc}") from None
    except CatalogError as exc:  # UpdateError and PriceImportError are ones
        raise PricesError(f"{exc} (the catalog at {target} is unchanged)") from None
    previous.merge(result)
    _write(previous, target)
    click.echo(f"wrote {len(previous.prices)} prices to {target}")
    click.echo(f"use it with the policy setting `settings: {{prices: {target}}}` or GUARDRAILS_PRICES={target}")


class _Progress:
    """A bar per download on a terminal (stderr); one line per file read otherwise, so CI logs stay short."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.bar: Any = None
        self.label = ""
        self.shown = 0

    def __enter__(self) -> "_Progress":
        return self

    def __exit__(self, *_: Any) -> None:
        self._close()

    def update(self, label: str, done: int, total: int | None) -> None:
        if not self.terminal:
            return
        if label != self.label:
            self._close()
            self.label, self.shown = label, 0
            self.bar = click.progressbar(length=total or 0, label=label, file=sys.stderr,
                                         show_pos=total is None)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def done(self, label: str, part: Catalog) -> None:
        self._close()
        for source in part.sources.values():
            click.echo(f"read {len(part.prices)} prices: {source.name} (published {source.published})", err=True)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
