"""One guardrails comment per pull or merge request, posted once and edited on every push.

GitHub's issue comments API and GitLab's merge request notes API, spoken with urllib so that a CI
image needs nothing beyond this package. The comment is found again by the hidden marker the
markdown reporter writes on its first line.

A comment is a courtesy, never the verdict: no token, a fork's read-only token, a timeout or a
server error all end as an `Outcome` with action "skipped" and a reason, never as an exception.
The token travels only in a request header to the API's own host and never appears in a reason.
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException
from typing import Any, Protocol

from guardrails import __version__
from guardrails.report.cut import cut_to
from guardrails.report.markdown import MARKER

BEHAVIOURS = ("update", "new", "delete-and-new")
GITHUB_LIMIT = 65_536  # characters in one issue comment
GITLAB_LIMIT = 1_000_000  # characters in one note
CUT_NOTE = "\n\n---\n*This report was cut to fit the comment size limit; the CI job's log has all of it.*\n"
_MAX_PAGES = 100  # 10,000 comments: far beyond any real thread, and no Link loop runs forever
_MAX_RESPONSE = 32 * 1024 * 1024  # a page of comments is far smaller; a runaway answer must not fill memory
_CHUNK = 64 * 1024
_NEXT_LINK = re.compile(r'<([^>]*)>\s*;[^,]*\brel="?next"?')
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]+")  # what an HTTP header can carry


class CommentError(Exception):
    """A request that failed, with a one-line message; `status` is the HTTP status if one came back."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    """What posting did; `reason` says why it skipped, or what else the reader should know."""

    action: str  # created | updated | deleted-and-created | skipped | unchanged
    url: str = ""
    reason: str = ""


def detect_platform(env: Mapping[str, str] = os.environ) -> str | None:
    """"github" or "gitlab" from the variables each CI sets in every job, else None."""
    if _is_set(env.get("GITHUB_ACTIONS")):
        return "github"
    if _is_set(env.get("GITLAB_CI")):
        return "gitlab"
    return None


def post_github(body: str, *, behaviour: str = "update", env: Mapping[str, str] = os.environ,
                timeout: float = 10, pr: int | None = None) -> Outcome:
    """Post or update the report comment on the pull request of a GitHub Actions run.

    The pull request is `pr`, else the number in the event file (GITHUB_EVENT_PATH). Raises
    CommentError only for an unknown `behaviour`; everything else is an Outcome.
    """
    _check_behaviour(behaviour)
    token = env.get("GITHUB_TOKEN", "").strip()
    if not token:
        return Outcome("skipped", reason="GITHUB_TOKEN is not set")
    if not _TOKEN_TEXT.fullmatch(token):
        return Outcome("skipped", reason="GITHUB_TOKEN holds characters an HTTP header cannot carry")
    base = env.get("GITHUB_API_URL") or "https://api.github.com"
    if not _is_http(base):
        return Outcome("skipped", reason=f"GITHUB_API_URL is not an http(s) URL: {base!r}")
    repo = env.get("GITHUB_REPOSITORY", "")
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        return Outcome("skipped", reason="GITHUB_REPOSITORY is not set (expected owner/name)")
    if pr is not None and pr < 1:
        return Outcome("skipped", reason=f"not a pull request number: {pr}")
    number, why_not = (pr, "") if pr is not None else _github_pull_request(env)
    if number is None:
        return Outcome("skipped", reason=why_not)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
               "X-GitHub-Api-Version": "2022-11-28", "User-Agent": f"guardrails/{__version__}"}
    http = _Http(base, headers, timeout)
    # GITHUB_TOKEN comments as this bot but cannot ask GET /user who it is.
    guess = "github-actions[bot]" if _is_set(env.get("GITHUB_ACTIONS")) else None
    return _post(_GitHub(http, repo, number, guess), body, behaviour, token)


def post_gitlab(body: str, *, behaviour: str = "update", env: Mapping[str, str] = os.environ,
                timeout: float = 10, pr: int | None = None) -> Outcome:
    """Post or update the report note on the merge request of a GitLab CI pipeline.

    The merge request is `pr`, else CI_MERGE_REQUEST_IID. The token is GITLAB_TOKEN (a project,
    group or personal access token with the api scope), else the job's CI_JOB_TOKEN. Raises
    CommentError only for an unknown `behaviour`; everything else is an Outcome.
    """
    _check_behaviour(behaviour)
    private = env.get("GITLAB_TOKEN", "").strip()
    token = private or env.get("CI_JOB_TOKEN", "").strip()
    name = "GITLAB_TOKEN" if private else "CI_JOB_TOKEN"
    if not token:
        return Outcome("skipped", reason="neither GITLAB_TOKEN nor CI_JOB_TOKEN is set")
    if not _TOKEN_TEXT.fullmatch(token):
        return Outcome("skipped", reason=f"{name} holds characters an HTTP header cannot carry")
    base = env.get("CI_API_V4_URL") or "https://gitlab.com/api/v4"
    if not _is_http(base):
        return Outcome("skipped", reason=f"CI_API_V4_URL is not an http(s) URL: {base!r}")
    project = env.get("CI_PROJECT_ID", "")
    if not project:
        return Outcome("skipped", reason="CI_PROJECT_ID is not set")
    if pr is not None and pr < 1:
        return Outcome("skipped", reason=f"not a merge request number: {pr}")
    iid = pr if pr is not None else _positive(env.get("CI_MERGE_REQUEST_IID"))
    if iid is None:
        return Outcome("skipped", reason="not a merge request pipeline (CI_MERGE_REQUEST_IID is not set)")
    headers = {"PRIVATE-TOKEN" if private else "JOB-TOKEN": token, "User-Agent": f"guardrails/{__version__}"}
    web = (env.get("CI_MERGE_REQUEST_PROJECT_URL") or env.get("CI_PROJECT_URL") or "").rstrip("/")
    guess = None if private else env.get("GITLAB_USER_LOGIN") or None
    thread = _GitLab(_Http(base, headers, timeout), project, iid, web, job_token=not private, guess=guess)
    return _post(thread, body, behaviour, token)


@dataclass(frozen=True)
class _Comment:
    id: int
    body: str
    author: str
    url: str
    bot: bool = False  # written by a bot account (GitHub user.type "Bot", GitLab author.bot)


class _Thread(Protocol):
    """The comments of one pull or merge request; writes raise CommentError with a reason to show."""

    name: str
    limit: int
    too_long: frozenset[int]  # statuses a body over the limit may get

    def comments(self) -> list[_Comment]: ...
    def login(self) -> tuple[str | None, bool]: ...  # who the token writes as, and whether that is certain
    def create(self, body: str) -> _Comment: ...
    def update(self, comment: _Comment, body: str) -> _Comment: ...
    def delete(self, comment: _Comment) -> None: ...


def _post(thread: _Thread, body: str, behaviour: str, secret: str) -> Outcome:
    try:
        outcome = _sync(thread, body, behaviour)
    except CommentError as exc:
        outcome = Outcome("skipped", reason=f"{thread.name}: {exc}")
    outcome.reason = _scrub(outcome.reason, secret)
    return outcome


def _sync(thread: _Thread, body: str, behaviour: str) -> Outcome:
    if MARKER not in body:
        body = f"{MARKER}\n{body}"
    if behaviour == "new":
        made, note = _write(thread, body, thread.create)
        return Outcome("created", made.url, note)
    earlier = _ours(thread)
    latest = earlier[-1] if earlier else None
    # delete-and-new moves the comment down to draw the eye to a change; with none, stay quiet.
    if latest and (behaviour == "update" or len(earlier) == 1) and _unchanged(latest.body, body, thread.limit):
        return Outcome("unchanged", latest.url)
    if behaviour == "update":
        if latest is None:
            made, note = _write(thread, body, thread.create)
            return Outcome("created", made.url, note)
        made, note = _write(thread, body, lambda text: thread.update(latest, text))
        return Outcome("updated", made.url, note)
    # The new comment first: if posting fails, the pull request keeps its earlier report.
    made, note = _write(thread, body, thread.create)
    try:
        for comment in earlier:
            thread.delete(comment)
    except CommentError as exc:
        return Outcome("created", made.url, _join(note, f"the earlier comment is still there: {exc}"))
    return Outcome("deleted-and-created" if earlier else "created", made.url, note)


def _ours(thread: _Thread) -> list[_Comment]:
    """The marked comments this token wrote, oldest first; all marked ones when that is not known."""
    marked = sorted((c for c in thread.comments() if MARKER in c.body), key=lambda c: c.id)
    if not marked:
        return []
    login, certain = thread.login()
    mine = [c for c in marked if login is not None and c.author == login]
    if certain or mine:
        return mine
    # GITHUB_TOKEN cannot ask who it is. Anyone can write the marker into a comment of their own,
    # so a person's comment is never taken for ours (to be edited or deleted): only a bot's.
    return [c for c in marked if c.bot]


def _write(thread: _Thread, body: str, send: Callable[[str], _Comment]) -> tuple[_Comment, str]:
    """Send the body cut to the limit; when the server counts longer than characters, cut by bytes."""
    fitted = fit(body, thread.limit, "chars")
    cut = f"cut to fit {thread.name}'s limit of {thread.limit:,} characters"
    try:
        return send(fitted), cut if fitted != body else ""
    except CommentError as exc:
        if exc.status not in thread.too_long:
            raise
        # UTF-8 bytes are at least as many as characters or UTF-16 units, whichever the server counts.
        smaller = fit(body, thread.limit, "bytes")
        if smaller == fitted:
            raise
        return send(smaller), cut


def _unchanged(existing: str, body: str, limit: int) -> bool:
    stored = _normal(existing)
    return any(stored == _normal(fit(body, limit, unit)) for unit in ("chars", "bytes"))


def fit(body: str, limit: int, unit: str = "chars") -> str:
    """The body cut at a line end to at most `limit` chars or UTF-8 bytes, open blocks closed, and a note."""
    return cut_to(body, limit, CUT_NOTE, unit)


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


class _GitHub:
    name = "GitHub"
    limit = GITHUB_LIMIT
    too_long = frozenset({422})

    def __init__(self, http: _Http, repo: str, number: int, guess: str | None) -> None:
        self.http, self.repo, self.number, self.guess = http, repo, number, guess

    def comments(self) -> list[_Comment]:
        url: str | None = self.http.url(f"/repos/{self.repo}/issues/{self.number}/comments?per_page=100")
        found: list[_Comment] = []
        for _ in range(_MAX_PAGES):
            if url is None:
                return found
            data, headers = self.http.request("GET", url)
            if not isinstance(data, list):
                raise CommentError("the comments list is not a JSON array")
            found += [self._comment(item) for item in data]
            match = _NEXT_LINK.search(headers.get("Link") or "")
            url = urllib.parse.urljoin(url, match.group(1)) if match else None
        raise CommentError(f"more than {_MAX_PAGES} pages of comments")

    def login(self) -> tuple[str | None, bool]:
        try:
            data, _ = self.http.request("GET", self.http.url("/user"))
        except CommentError:
            return self.guess, False
        login = data.get("login") if isinstance(data, dict) else None
        return (login, True) if isinstance(login, str) else (self.guess, False)

    def create(self, body: str) -> _Comment:
        url = self.http.url(f"/repos/{self.repo}/issues/{self.number}/comments")
        return self._comment(self._write("POST", url, {"body": body}))

    def update(self, comment: _Comment, body: str) -> _Comment:
        url = self.http.url(f"/repos/{self.repo}/issues/comments/{comment.id}")
        return self._comment(self._write("PATCH", url, {"body": body}))

    def delete(self, comment: _Comment) -> None:
        try:
            self._write("DELETE", self.http.url(f"/repos/{self.repo}/issues/comments/{comment.id}"))
        except CommentError as exc:
            if exc.status != 404:  # already gone: what we wanted
                raise

    def _write(self, method: str, url: str, payload: Any = None) -> Any:
        try:
            return self.http.request(method, url, payload)[0]
        except CommentError as exc:
            if exc.status in (403, 404) and "rate limit" not in str(exc).lower():
                raise CommentError(f"the token cannot write comments (a pull request from a fork?): {exc}",
                                   exc.status) from None
            raise

    @staticmethod
    def _comment(item: Any) -> _Comment:
        if not isinstance(item, dict) or type(item.get("id")) is not int:
            raise CommentError("a comment in the answer has no numeric id")
        user = item.get("user")
        author = user.get("login") if isinstance(user, dict) else None
        bot = isinstance(user, dict) and user.get("type") == "Bot"
        return _Comment(item["id"], _text(item.get("body")), _text(author), _text(item.get("html_url")), bot)


class _GitLab:
    name = "GitLab"
    limit = GITLAB_LIMIT
    too_long = frozenset({400, 413, 422})

    def __init__(self, http: _Http, project: str, iid: int, web: str, *, job_token: bool,
                 guess: str | None) -> None:
        self.http, self.iid, self.web, self.job_token, self.guess = http, iid, web, job_token, guess
        self.notes = f"/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{iid}/notes"

    def comments(self) -> list[_Comment]:
        found: list[_Comment] = []
        page = "1"
        for _ in range(_MAX_PAGES):
            url = self.http.url(f"{self.notes}?per_page=100&page={page}&sort=asc&order_by=created_at")
            data, headers = self._call("GET", url)
            if not isinstance(data, list):
                raise CommentError("the notes list is not a JSON array")
            # System notes ("added 1 commit") are GitLab's own, never ours.
            found += [self._comment(item) for item in data if not (isinstance(item, dict) and item.get("system"))]
            page = (headers.get("X-Next-Page") or "").strip()
            if not page.isdigit():
                return found
        raise CommentError(f"more than {_MAX_PAGES} pages of notes")

    def login(self) -> tuple[str | None, bool]:
        if self.job_token:  # GET /user does not take job tokens
            return self.guess, False
        try:
            data, _ = self.http.request("GET", self.http.url("/user"))
        except CommentError:
            return self.guess, False
        name = data.get("username") if isinstance(data, dict) else None
        return (name, True) if isinstance(name, str) else (self.guess, False)

    def create(self, body: str) -> _Comment:
        return self._comment(self._call("POST", self.http.url(self.notes), {"body": body}, writing=True)[0])

    def update(self, comment: _Comment, body: str) -> _Comment:
        url = self.http.url(f"{self.notes}/{comment.id}")
        return self._comment(self._call("PUT", url, {"body": body}, writing=True)[0])

    def delete(self, comment: _Comment) -> None:
        try:
            self._call("DELETE", self.http.url(f"{self.notes}/{comment.id}"), writing=True)
        except CommentError as exc:
            if exc.status != 404:
                raise

    def _call(self, method: str, url: str, payload: Any = None, *, writing: bool = False) -> tuple[Any, Message]:
        try:
            return self.http.request(method, url, payload)
        except CommentError as exc:
            if exc.status in (401, 403) and self.job_token:
                raise CommentError("the CI job token may not use merge request notes; set GITLAB_TOKEN to a "
                                   f"token with the api scope: {exc}", exc.status) from None
            if exc.status in (401, 403) and writing:
                raise CommentError("the token cannot write merge request notes (it needs the api scope and "
                                   f"the Reporter role): {exc}", exc.status) from None
            raise

    def _comment(self, item: Any) -> _Comment:
        if not isinstance(item, dict) or type(item.get("id")) is not int:
            raise CommentError("a note in the answer has no numeric id")
        author = item.get("author")
        name = author.get("username") if isinstance(author, dict) else None
        url = f"{self.web}/-/merge_requests/{self.iid}#note_{item['id']}" if self.web else ""
        bot = isinstance(author, dict) and author.get("bot") is True
        return _Comment(item["id"], _text(item.get("body")), _text(name), url, bot)


class _Transient(Exception):
    """A failure worth one more try: a timeout, a dropped connection, a 5xx."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _Http:
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


def _github_pull_request(env: Mapping[str, str]) -> tuple[int | None, str]:
    """The pull request number of the run's event, or why there is none."""
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return None, "not a pull request (GITHUB_EVENT_PATH is not set; pass the number)"
    try:
        with open(path, encoding="utf-8") as stream:
            event = json.load(stream)
    except (OSError, ValueError) as exc:
        return None, f"cannot read the event file {path}: {getattr(exc, 'strerror', None) or exc}"
    if not isinstance(event, dict):
        return None, f"the event file {path} is not a JSON object"
    pull = event.get("pull_request")
    if isinstance(pull, dict) and _positive(pull.get("number")):
        return pull["number"], ""
    issue = event.get("issue")  # issue_comment: an issue that is a pull request carries `pull_request`
    if isinstance(issue, dict) and issue.get("pull_request") and _positive(issue.get("number")):
        return issue["number"], ""
    return None, f"not a pull request (event {env.get('GITHUB_EVENT_NAME') or 'unknown'})"


def _positive(value: Any) -> int | None:
    if type(value) is int:
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    return None


def _check_behaviour(behaviour: str) -> None:
    if behaviour not in BEHAVIOURS:
        raise CommentError(f"unknown behaviour {behaviour!r}: expected one of {', '.join(BEHAVIOURS)}")


def _is_set(value: str | None) -> bool:
    return bool(value) and str(value).strip().lower() not in ("false", "0", "no")


def _is_http(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc.rpartition('@')[2]).lower()}"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text
