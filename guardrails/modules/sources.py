"""Module source addresses as Terraform reads them (developer.hashicorp.com/terraform/language/modules/sources).

- registry: `[host/]namespace/name/provider[//subdir]` (host registry.terraform.io when absent);
- git: `git::<url>[//subdir][?ref=...]`, and the shorthands `github.com/org/repo` and
  `git@github.com:org/repo.git`;
- archives: an http(s) URL whose path ends in an archive extension, or with `?archive=zip|tar.gz|...`.

Anything else (`hg::`, `s3::`, `gcs::`, bitbucket, local paths) is not fetched, with the reason.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

DEFAULT_REGISTRY = "registry.terraform.io"
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar")
_NAME = r"[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?"
_REGISTRY = re.compile(rf"^(?:(?P<host>[0-9A-Za-z.-]+(?::\d+)?)/)?(?P<ns>{_NAME})/(?P<name>{_NAME})/(?P<provider>[0-9a-z]{{1,64}})$")


class SourceError(ValueError):
    """A source we do not fetch; the message says why."""


@dataclass(frozen=True)
class Source:
    kind: str  # registry | git | archive
    address: str  # registry: host/ns/name/provider; git and archive: the URL without subdir and ref
    subdir: str = ""
    ref: str = ""  # git: the ref= of the query; archive: the archive= format when given
    original: str = ""

    @property
    def registry_parts(self) -> tuple[str, str, str, str]:
        host, ns, name, provider = self.address.split("/")
        return host, ns, name, provider


def _split_subdir(text: str) -> tuple[str, str]:
    """`addr//sub/dir?query` -> (`addr?query`, `sub/dir`), past any scheme's own `//`."""
    start = text.find("://")
    start = start + 3 if start >= 0 else 0
    at = text.find("//", start)
    if at < 0:
        return text, ""
    query_at = text.find("?", at)
    subdir = text[at + 2: query_at if query_at >= 0 else len(text)]
    rest = text[:at] + (text[query_at:] if query_at >= 0 else "")
    return rest, subdir.strip("/")


def parse_source(text: str) -> Source:
    original = text
    text = text.strip()
    if not text or text.startswith(("./", "../", "/")) or text in (".", ".."):
        raise SourceError(f"{original!r} is a local path, read where it is")
    for forced in ("hg::", "s3::", "gcs::"):
        if text.startswith(forced):
            raise SourceError(f"{original!r}: {forced[:-2]} sources are not fetched (git, registry and https archives are)")
    if text.startswith("git@"):
        # scp-like git@host:org/repo.git
        host, _, path = text[len("git@"):].partition(":")
        text = f"git::ssh://git@{host}/{path}"
    elif text.startswith(("github.com/", "gitlab.com/")):
        text = "git::https://" + text
    elif text.startswith("bitbucket.org/"):
        raise SourceError(f"{original!r}: bitbucket shorthands are not fetched; write git::https://bitbucket.org/...")
    forced_git = text.startswith("git::")
    if forced_git:
        text = text[len("git::"):]
    rest, subdir = _split_subdir(text)
    if forced_git:
        url, _, query = rest.partition("?")
        params = urllib.parse.parse_qs(query)
        if "sshkey" in params:
            raise SourceError(f"{original!r}: sshkey= is not used; give the key to ssh-agent")
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in ("https", "ssh", "file", "http"):
            raise SourceError(f"{original!r}: git over {scheme or 'this transport'} is not fetched (https, ssh or file)")
        if github := re.match(r"^https://github\.com/([^/]+/[^/.]+)$", url):
            url = f"https://github.com/{github.group(1)}.git"
        return Source("git", url, subdir, (params.get("ref") or [""])[0], original)
    parts = urllib.parse.urlsplit(rest)
    if parts.scheme in ("http", "https"):
        params = urllib.parse.parse_qs(parts.query)
        archive = (params.get("archive") or [""])[0]
        if archive or parts.path.endswith(ARCHIVE_SUFFIXES):
            query = urllib.parse.urlencode([(k, v) for k, vs in params.items() if k != "archive" for v in vs])
            url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
            return Source("archive", url, subdir, archive, original)
        raise SourceError(f"{original!r}: an https source that is not an archive is not fetched")
    if parts.scheme:
        raise SourceError(f"{original!r}: {parts.scheme} sources are not fetched")
    match = _REGISTRY.match(rest)
    if not match:
        raise SourceError(f"{original!r} is not a registry address (namespace/name/provider)")
    host = (match.group("host") or DEFAULT_REGISTRY).lower()
    if match.group("host") and "." not in host and ":" not in host:
        raise SourceError(f"{original!r} is not a registry address (namespace/name/provider)")
    return Source("registry", f"{host}/{match.group('ns')}/{match.group('name')}/{match.group('provider')}",
                  subdir, "", original)
