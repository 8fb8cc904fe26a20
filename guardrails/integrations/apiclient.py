"""JSON over HTTPS to one API host, with the care a CI job's token deserves.

Spoken with urllib so that a CI image needs nothing beyond this package. Every request has a
timeout and a bounded answer, a transient failure gets one more try, and the token (carried in
the headers) never leaves the API's own origin: not through a `Link` header, not through a
redirect. Failures are `CommentError`s with a one-line message for the user.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from email.message import Message
from http.client import HTTPException
from typing import Any

_MAX_RESPONSE = 32 * 1024 * 1024  # a page of comments is far smaller; a runaway answer must not fill memory
_CHUNK = 64 * 1024


class CommentError(Exception):
    """A request that failed, with a one-line message; `status` is the HTTP status if one came back."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _Transient(Exception):
    """A failure worth one more try: a timeout, a dropped connection, a 5xx."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Http:
    """JSON requests to one API host: a timeout on each, one retry when transient, the token kept home."""

    def __init__(self, base: str, headers: Mapping[str, str], timeout: float) -> None:
        self.base = base.rstrip("/")
        self.origin = _origin(self.base)
        self.headers = dict(headers)
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_SameOriginRedirects(self.origin))

    def url(self, path: str) -> str:
        return self.base + path

    def request(self, method: str, url: str, payload: Any = None) -> tuple[Any, Message]:
        where = f"{method} {urllib.parse.urlsplit(url).path}"
        if _origin(url) != self.origin:
            # A Link header naming another host must not receive the token.
            raise CommentError(f"{where}: refusing to follow a link to another host ({_origin(url)})")
        try:
            try:
                return self._once(method, url, payload)
            except _Transient:  # most are gone a moment later
                return self._once(method, url, payload)
        except _Transient as exc:
            raise CommentError(f"{where}: {exc} (tried twice)", exc.status) from None
        except CommentError as exc:
            raise CommentError(f"{where}: {exc}", exc.status) from None

    def _once(self, method: str, url: str, payload: Any) -> tuple[Any, Message]:
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        headers = dict(self.headers, **({"Content-Type": "application/json"} if data is not None else {}))
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        deadline = time.monotonic() + self.timeout
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                raw = _read(response, deadline)
                answer_headers = response.headers
        except urllib.error.HTTPError as exc:
            message = _server_message(exc, deadline)
            if exc.code >= 500 or exc.code == 429:
                raise _Transient(f"HTTP {exc.code}: {message}", exc.code) from None
            raise CommentError(f"HTTP {exc.code}: {message}", exc.code) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Transient(f"no answer within {self.timeout:g}s") from None
            raise _Transient(f"cannot connect: {exc.reason}") from None
        except TimeoutError:
            raise _Transient(f"no answer within {self.timeout:g}s") from None
        except (HTTPException, OSError) as exc:
            raise _Transient(f"the connection failed: {exc or type(exc).__name__}") from None
        if not raw.strip():
            return None, answer_headers
        try:
            return json.loads(raw), answer_headers
        except ValueError:
            raise CommentError("the answer is not JSON") from None


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects on the API host only: urllib would carry the token along to any other."""

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin = origin

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if _origin(urllib.parse.urljoin(req.full_url, newurl)) != self.origin:
            return None  # urllib then raises the 3xx as an HTTPError
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read(response: Any, deadline: float) -> bytes:
    """The whole answer, within the deadline: a server dripping bytes must not hold the job."""
    chunks: list[bytes] = []
    total = 0
    read = getattr(response, "read1", response.read)  # read1 returns what has arrived, so the clock is seen
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > _MAX_RESPONSE:
            raise CommentError(f"the answer is larger than {_MAX_RESPONSE // (1024 * 1024)} MiB")
        chunks.append(chunk)


def _server_message(error: urllib.error.HTTPError, deadline: float) -> str:
    """The API's own explanation of an error status, on one short line."""
    try:
        raw = _read(error, deadline)
    except (CommentError, TimeoutError, HTTPException, OSError):
        raw = b""
    try:
        data = json.loads(raw)
    except ValueError:
        text = raw.decode("utf-8", "replace")
    else:
        text = _explain(data)
    text = " ".join(text.split()) or str(error.reason or "")
    return text[:300] + ("…" if len(text) > 300 else "")


def _explain(data: Any) -> str:
    if not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False)
    message = data.get("message", data.get("error", ""))
    text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
    details = [e.get("message") for e in data.get("errors") or [] if isinstance(e, dict) and e.get("message")]
    return "; ".join([text, *map(str, details)]) if details else text


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc.rpartition('@')[2]).lower()}"
