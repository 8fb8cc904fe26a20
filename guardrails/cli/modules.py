"""`guardrails modules fetch`: install registry, git and archive modules into the cache (network)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

import click

from guardrails.core.errors import UsageError



@click.group()
def modules() -> None:
    """Modules that a configuration calls from registries, git or archives."""


def _registry(ctx: click.Context, _param: click.Parameter, values: Sequence[str]) -> dict[str, str]:
    found = {}
    for value in values:
        host, sep, url = value.partition("=")
        if not sep or not host or not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"{value!r}: give HOST=URL (the address its discovery document is read from)")
        found[host.lower()] = url
    return found


@modules.command()
@click.argument("paths", nargs=-1)
@click.option("--registry", "registries", multiple=True, metavar="HOST=URL", callback=_registry,
              help="Read the registry HOST's service discovery from URL (a mirror; as Terraform's CLI "
                   "configuration `host` blocks).")
@click.option("--allow-local-sources", is_flag=True,
              help="Also fetch file:// git repositories and file: archives (any path on this machine: "
                   "leave off where a pull request chooses the sources).")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds to wait for data on one connection.")
def fetch(paths: Sequence[str], registries: dict[str, str], allow_local_sources: bool, timeout: float) -> None:
    """Download the modules the configuration calls (needs network access) into the cache.

    Like `terraform init` for guardrails' purposes, without Terraform and without running
    anything: registry sources through the module registry protocol, git sources, and https
    archives are installed into guardrails' cache (never into the repository), listed as
    .terraform/modules/modules.json would list them. check, cost and diff then read them.
    Exit 2 when a module could not be fetched (each one said at its call); the others are installed.
    """
    from guardrails.app.scan import find_root, relative_paths
    from guardrails.modules.install import FetchError, FetchOptions, fetch_modules

    root = find_root(Path.cwd())
    inside, outside = relative_paths(root, list(paths) or ["."])
    if outside:
        raise UsageError(f"{outside[0]} is outside the repository {root}")
    options = FetchOptions(registries=registries, allow_local=allow_local_sources, timeout=timeout)
    try:
        result = fetch_modules(root, inside, options, say=lambda line: click.echo(line, err=True))
    except FetchError as exc:
        raise UsageError(str(exc)) from None
    from guardrails.report.printable import printable

    for file, line, message in result.problems:
        click.echo(f"guardrails: error: {printable(f'{file}:{line}: {message}')}", err=True)
    downloaded = sum(1 for item in result.installed if not item.reused)
    click.echo(f"{len(result.installed)} module calls installed ({downloaded} packages downloaded, "
               f"{len(result.installed) - downloaded} reused) into {result.directory}")
    if result.problems:
        sys.exit(2)  # an input error (EXIT_INPUT of cli.main), after installing the rest
