"""The module registry protocol (developer.hashicorp.com/terraform/internals/module-registry-protocol).

1. Service discovery: `https://<host>/.well-known/terraform.json` names the `modules.v1` base
   (a path on the host, or a URL).
2. `<base><namespace>/<name>/<provider>/versions` lists the versions: the newest that meets the
   call's constraint is taken, as `terraform init` does.
3. `<base>.../<version>/download` answers where the module is: the `X-Terraform-Get` header
   (Terraform's registry, 204) or a JSON `location` (OpenTofu's), relative to that URL or not.

`registries` maps a host to the address its discovery document is read from, as Terraform's CLI
configuration `host` blocks do (a mirror, or a registry served locally in tests).
"""
from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from guardrails.modules.sources import Source
from guardrails.net.http import DownloadError, Fetcher
from guardrails.terraform.versions import newest

MAX_DOCUMENT = 4 << 20


@dataclass(frozen=True)
class Resolved:
    version: str
    location: str  # a source address of its own: git::..., an archive URL


def _document(fetcher: Fetcher, url: str, scratch: Path, headers: dict[str, str] | None = None) -> Any:
    target = scratch / "registry.json"
    fetcher.download(url, target, limit=MAX_DOCUMENT, headers=headers)
    text = target.read_bytes()
    target.unlink(missing_ok=True)
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise DownloadError(f"{url}: not JSON") from None


def modules_base(fetcher: Fetcher, host: str, registries: Mapping[str, str], scratch: Path) -> str:
    root = registries.get(host, f"https://{host}").rstrip("/") + "/"
    discovery = urllib.parse.urljoin(root, ".well-known/terraform.json")
    fetcher.allow(discovery)
    document = _document(fetcher, discovery, scratch)
    base = document.get("modules.v1") if isinstance(document, dict) else None
    if not isinstance(base, str) or not base:
        raise DownloadError(f"{discovery}: the host offers no module registry (no modules.v1)")
    base = urllib.parse.urljoin(discovery, base)
    fetcher.allow(base)
    return base.rstrip("/") + "/"


def resolve(fetcher: Fetcher, source: Source, constraint: str | None, registries: Mapping[str, str],
            scratch: Path) -> Resolved:
    host, namespace, name, provider = source.registry_parts
    base = modules_base(fetcher, host, registries, scratch)
    module = f"{base}{namespace}/{name}/{provider}/"
    listing = _document(fetcher, module + "versions", scratch)
    versions = [v.get("version") for m in (listing or {}).get("modules", []) if isinstance(m, dict)
                for v in m.get("versions", []) if isinstance(v, dict) and isinstance(v.get("version"), str)] \
        if isinstance(listing, dict) else []
    version = newest(versions, constraint)
    if version is None:
        wanted = f"version {constraint!r}" if constraint else "a release"
        raise DownloadError(f"{source.original}: the registry has no {wanted} (it has {', '.join(versions[-5:]) or 'none'})")
    download = f"{module}{urllib.parse.quote(version)}/download"
    headers: dict[str, str] = {}
    answer = _document(fetcher, download, scratch, headers)
    location = headers.get("x-terraform-get") or (answer.get("location") if isinstance(answer, dict) else None)
    if not isinstance(location, str) or not location:
        raise DownloadError(f"{download}: no X-Terraform-Get header or location")
    if "://" not in location and not location.startswith(("git::", "git@")) and "::" not in location:
        location = urllib.parse.urljoin(download, location)  # a path on the registry itself
    return Resolved(version, location)
