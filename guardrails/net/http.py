"""Downloads for `guardrails prices update` and `guardrails modules fetch`, the only commands
that reach the network.

Every response is streamed to a file in chunks (constant memory, whatever the size), bounded in
size and in time per read, and checked against its Content-Length, so that a connection that
drops mid-file is an error rather than a shorter file. Only http and https URLs are fetched,
and only from the hosts the command was pointed at (a page's "next" link to any other host is
refused); a redirect is refused unless the caller allows them (module archives, which registries
and forges serve through redirects), and then only to https or to an allowed host.
"""
from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
MAX_DOWNLOAD = 4 << 30  # a regional AmazonEC2 offer file is about 450 MB (CSV)
MAX_INDEX = 64 << 20  # index and API pages are parsed whole

# (what is being read, bytes so far, bytes in all or None when the server does not say)
Progress = Callable[[str, int, "int | None"], None]


class DownloadError(Exception):
    """A download that failed or did not verify; the message names the URL."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, fetcher: "Fetcher") -> None:
        self.fetcher = fetcher

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        fetcher = self.fetcher
        if not fetcher.redirects:
            raise fetcher.error(f"{req.full_url}: redirected to {newurl} (HTTP {code}); give that address instead")
        target = urllib.parse.urljoin(req.full_url, newurl)
        if urllib.parse.urlsplit(target).scheme != "https" and _origin(target) not in fetcher.allowed:
            raise fetcher.error(f"{req.full_url}: redirected to {target}, which is not https")
        return super().redirect_request(req, fp, code, msg, headers, target)


class Fetcher:
    """HTTP GETs to a fixed set of hosts, each read bounded in time (`timeout` seconds).

    `error` is the exception raised (the caller's kind: a catalog error for prices), `who` how
    messages name the command ("this update").
    """

    error: type[Exception] = DownloadError
    who = "this download"

    def __init__(self, allowed: Iterable[str], timeout: float = 60.0, progress: Progress | None = None,
                 max_bytes: int = MAX_DOWNLOAD, redirects: bool = False) -> None:
        self.allowed = {_origin(url) for url in allowed}
        self.timeout = timeout
        self.progress = progress
        self.max_bytes = max_bytes
        self.redirects = redirects
        self._opener = urllib.request.build_opener(_Redirects(self))

    def allow(self, url: str) -> None:
        """Read from `url`'s host too (a registry names where its modules are downloaded from)."""
        self.allowed.add(_origin(url))

    def check(self, url: str) -> str:
        """The URL, or the error when it is not http(s) on an allowed host."""
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise self.error(f"{url}: only http and https addresses are fetched")
        if _origin(url) not in self.allowed:
            raise self.error(f"{url}: not on a host {self.who} reads from ({', '.join(sorted(self.allowed))})")
        return url

    def download(self, url: str, target: Path, label: str = "", limit: int | None = None,
                 headers: dict[str, str] | None = None) -> int:
        """Stream `url` into `target`; the number of bytes. The error for any failure.

        `headers`, when given, receives the response's headers (lower-case names)."""
        limit = self.max_bytes if limit is None else limit
        label = label or url
        done = 0
        try:
            with self._opener.open(urllib.request.Request(self.check(url), headers={"Accept-Encoding": "identity"}),
                                   timeout=self.timeout) as response, target.open("wb") as out:
                if headers is not None:
                    headers.update({name.lower(): value for name, value in response.headers.items()})
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                if total is not None and total > limit:
                    raise self.error(f"{url}: {total:,} bytes is more than the {limit:,} {self.who} reads")
                while True:
                    chunk = response.read(CHUNK)
                    if not chunk:
                        break
                    done += len(chunk)
                    if done > limit:
                        raise self.error(f"{url}: more than the {limit:,} bytes {self.who} reads")
                    out.write(chunk)
                    if self.progress:
                        self.progress(label, done, total)
                if total is not None and done != total:
                    raise self.error(f"{url}: truncated: {done:,} of {total:,} bytes arrived")
        except urllib.error.HTTPError as exc:
            raise self.error(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise self.error(f"{url}: cannot connect: {_reason(exc.reason)}") from None
        except http.client.IncompleteRead as exc:
            raise self.error(f"{url}: truncated: the connection closed after {done + len(exc.partial):,} bytes") from None
        except (socket.timeout, TimeoutError):
            raise self.error(f"{url}: timed out (no data for {self.timeout:g} s)") from None
        except (http.client.HTTPException, ConnectionError) as exc:
            raise self.error(f"{url}: the connection failed: {exc}") from None
        except OSError as exc:
            raise self.error(f"{url}: {_reason(exc)}") from None
        return done

    def json(self, url: str, scratch: Path, label: str = "") -> Any:
        """A JSON document (an index, an API page), read through a file in `scratch`."""
        target = scratch / f"page-{abs(hash(url)) % 10**12}.json"
        self.download(url, target, label, limit=MAX_INDEX)
        try:
            with target.open(encoding="utf-8") as handle:
                return json.load(handle)
        except (UnicodeDecodeError, ValueError) as exc:
            raise self.error(f"{url}: not JSON (corrupt or truncated?): {exc}") from None
        finally:
            target.unlink(missing_ok=True)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _reason(reason: Any) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out"
    return getattr(reason, "strerror", None) or str(reason)
