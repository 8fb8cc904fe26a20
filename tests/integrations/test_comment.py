"""The comment client against a fake GitHub and GitLab API on 127.0.0.1 (one per test)."""
from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from guardrails.integrations.apiclient import CommentError
from guardrails.integrations.comment import detect_platform, post_github, post_gitlab
from guardrails.integrations.commentsync import CUT_NOTE, Outcome, fit
from guardrails.report.markdown import MARKER
from guardrails.cli.comment import comment

PAT = "ghp-secret-0123456789"  # a personal token: GET /user answers
ACTIONS = "ghs-secret-actions-42"  # an Actions token: GET /user is refused
LAB = "glpat-secret-987"
JOB = "job-secret-654"
SECRETS = (PAT, ACTIONS, LAB, JOB)
BODY = f"{MARKER}\n### guardrails: pass\n\nNo new findings.\n"
FAST = 0.5


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Fault:
    method: str
    path: str  # a regular expression searched in the request path
    status: int = 0  # 0: answer normally (after the delay)
    times: int | None = 1  # None: every time
    delay: float = 0.0
    message: str = "failure"
    drip: float = 0.0  # seconds between the pieces of the answer's body


@dataclass
class FakeApi:
    """Just enough of GitHub's issue comments and GitLab's notes APIs, with faults on demand."""

    port: int = 0
    page_size: int = 2
    comments: dict[int, dict] = field(default_factory=dict)
    notes: dict[int, dict] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    link_host: str = ""  # where pagination links point (default: this server)
    limit_chars: int = 65_536
    limit_bytes: int | None = None
    next_id: int = 100
    github_users: ClassVar[dict[str, str]] = {PAT: "guardrails-bot", ACTIONS: "github-actions[bot]"}
    gitlab_users: ClassVar[dict[str, str]] = {LAB: "guardrails-bot", JOB: "pipeline-user"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail(self, method: str, path: str, status: int = 0, *, times: int | None = 1, delay: float = 0.0,
             message: str = "failure", drip: float = 0.0) -> None:
        self.faults.append(Fault(method, path, status, times, delay, message, drip))

    def add_comment(self, body: str, login: str = "guardrails-bot", kind: str = "User") -> int:
        self.next_id += 1
        self.comments[self.next_id] = {"id": self.next_id, "body": body, "user": {"login": login, "type": kind},
                                       "html_url": f"https://github.test/o/r/pull/7#issuecomment-{self.next_id}"}
        return self.next_id

    def add_note(self, body: str, username: str = "guardrails-bot", system: bool = False) -> int:
        self.next_id += 1
        self.notes[self.next_id] = {"id": self.next_id, "body": body, "author": {"username": username},
                                    "system": system}
        return self.next_id

    def calls(self) -> list[tuple[str, str]]:
        return [(s.method, s.path) for s in self.seen]

    # The server side: one call per request, from the handler thread.
    def answer(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], Any]:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        payload = json.loads(handler.rfile.read(length)) if length else None
        seen = Seen(handler.command, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in handler.headers.items()}, payload)
        self.seen.append(seen)
        for fault in self.faults:
            if fault.method == seen.method and re.search(fault.path, seen.path) and fault.times != 0:
                if fault.times is not None:
                    fault.times -= 1
                time.sleep(fault.delay)
                handler.drip = fault.drip  # type: ignore[attr-defined]
                if fault.status:
                    return fault.status, {}, {"message": fault.message}
                break
        if seen.path.startswith("/api/v4/"):
            return self._gitlab(seen)
        return self._github(seen)

    def _github(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        token = seen.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.github_users:
            return 401, {}, {"message": "Bad credentials"}
        login = self.github_users[token]
        if seen.path == "/user":
            return (200, {}, {"login": login}) if token == PAT else (
                403, {}, {"message": "Resource not accessible by integration"})
        if re.fullmatch(r"/repos/o/r/issues/7/comments", seen.path):
            if seen.method == "GET":
                return self._page(seen, self.comments)
            if seen.method == "POST":
                if self._too_long(seen.body["body"]):
                    return 422, {}, {"message": "Validation Failed", "errors": [
                        {"resource": "IssueComment", "code": "custom", "field": "body",
                         "message": "body is too long (maximum is 65536 characters)"}]}
                return 201, {}, self.comments[self.add_comment(seen.body["body"], login)]
        match = re.fullmatch(r"/repos/o/r/issues/comments/(\d+)", seen.path)
        if match and int(match.group(1)) in self.comments:
            comment_id = int(match.group(1))
            if seen.method == "PATCH":
                if self._too_long(seen.body["body"]):
                    return 422, {}, {"message": "Validation Failed"}
                self.comments[comment_id]["body"] = seen.body["body"]
                return 200, {}, self.comments[comment_id]
            if seen.method == "DELETE":
                del self.comments[comment_id]
                return 204, {}, None
        return 404, {}, {"message": "Not Found"}

    def _gitlab(self, seen: Seen) -> tuple[int, dict[str, str], Any]:
        token = seen.headers.get("private-token") or seen.headers.get("job-token") or ""
        if token not in self.gitlab_users:
            return 401, {}, {"message": "401 Unauthorized"}
        if seen.path == "/api/v4/user":
            return (200, {}, {"username": self.gitlab_users[token]}) if token == LAB else (
                401, {}, {"message": "401 Unauthorized"})
        notes = "/api/v4/projects/group%2Fproject/merge_requests/5/notes"
        if seen.path == notes:
            if seen.method == "GET":
                return self._page(seen, self.notes, gitlab=True)
            if seen.method == "POST":
                if len(seen.body["body"]) > 1_000_000:
                    return 400, {}, {"message": {"note": ["is too long (maximum is 1000000 characters)"]}}
                return 201, {}, self.notes[self.add_note(seen.body["body"], self.gitlab_users[token])]
        match = re.fullmatch(re.escape(notes) + r"/(\d+)", seen.path)
        if match and int(match.group(1)) in self.notes:
            note_id = int(match.group(1))
            if seen.method == "PUT":
                self.notes[note_id]["body"] = seen.body["body"]
                return 200, {}, self.notes[note_id]
            if seen.method == "DELETE":
                del self.notes[note_id]
                return 204, {}, None
        return 404, {}, {"message": "404 Not found"}

    def _page(self, seen: Seen, items: dict[int, dict], gitlab: bool = False) -> tuple[int, dict[str, str], Any]:
        page = int(seen.query.get("page", ["1"])[0])
        ordered = [items[k] for k in sorted(items)]
        last = max(1, -(-len(ordered) // self.page_size))
        rows = ordered[(page - 1) * self.page_size: page * self.page_size]
        if gitlab:
            return 200, {"X-Page": str(page), "X-Next-Page": str(page + 1) if page < last else ""}, rows
        host = self.link_host or self.url
        links = [f'<{host}{seen.path}?per_page=100&page={page + 1}>; rel="next"'] if page < last else []
        links.append(f'<{host}{seen.path}?per_page=100&page={last}>; rel="last"')
        return 200, {"Link": ", ".join(links)}, rows

    def _too_long(self, body: str) -> bool:
        return len(body) > self.limit_chars or (
            self.limit_bytes is not None and len(body.encode("utf-8")) > self.limit_bytes)


def _serve(api: FakeApi) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            status, headers, payload = api.answer(self)
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            drip = getattr(self, "drip", 0.0)
            step = max(1, len(data) // 4) if drip else len(data) or 1
            for start in range(0, len(data), step):
                self.wfile.write(data[start: start + step])
                self.wfile.flush()
                time.sleep(drip)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda *args: None  # a client that timed out hung up: expected here
    api.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches past 127.0.0.1, and the CI variables of the machine running the tests stay out."""
    real = socket.create_connection

    def connect(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        assert address[0] == "127.0.0.1", f"a test tried to reach {address[0]}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    for name in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_EVENT_PATH",
                 "GITHUB_EVENT_NAME", "GITLAB_CI", "GITLAB_TOKEN", "CI_JOB_TOKEN", "CI_API_V4_URL",
                 "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "CI_PROJECT_URL", "CI_MERGE_REQUEST_PROJECT_URL",
                 "GITLAB_USER_LOGIN", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()
    server, thread = _serve(fake)
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def github(api: FakeApi, tmp_path: Any) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": 7}}), encoding="utf-8")
    return {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": PAT, "GITHUB_API_URL": api.url, "GITHUB_REPOSITORY": "o/r",
            "GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "pull_request"}


@pytest.fixture
def gitlab(api: FakeApi) -> dict[str, str]:
    return {"GITLAB_CI": "true", "GITLAB_TOKEN": LAB, "CI_API_V4_URL": f"{api.url}/api/v4",
            "CI_PROJECT_ID": "group/project", "CI_MERGE_REQUEST_IID": "5",
            "CI_PROJECT_URL": "https://gitlab.test/group/project"}


def assert_no_secret(*texts: Any) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in repr(text)


def assert_token_only_in_auth_header(api: FakeApi) -> None:
    for seen in api.seen:
        others = {k: v for k, v in seen.headers.items() if k.lower() not in ("authorization", "private-token", "job-token")}
        assert_no_secret(seen.path, seen.query, seen.body, others)


# GitHub


def test_github_creates_the_comment_with_the_api_headers(api: FakeApi, github: dict[str, str]) -> None:
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome == Outcome("created", "https://github.test/o/r/pull/7#issuecomment-101", "")
    assert api.calls() == [("GET", "/repos/o/r/issues/7/comments"), ("POST", "/repos/o/r/issues/7/comments")]
    assert api.seen[0].query == {"per_page": ["100"]}
    for seen in api.seen:
        assert seen.headers["authorization"] == f"Bearer {PAT}"
        assert seen.headers["accept"] == "application/vnd.github+json"
        assert seen.headers["x-github-api-version"] == "2022-11-28"
        assert seen.headers["user-agent"].startswith("guardrails/")
    assert api.seen[1].body == {"body": BODY}
    assert_token_only_in_auth_header(api)


def test_github_updates_the_marked_comment_found_on_a_later_page(api: FakeApi, github: dict[str, str]) -> None:
    for text in ("LGTM", "please fix", "nit", "ok"):
        api.add_comment(text, login="alice")
    mine = api.add_comment(f"{MARKER}\nold report")
    api.add_comment("thanks", login="alice")
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome.action == "updated" and outcome.url.endswith(f"-{mine}")
    pages = [s.query.get("page", ["1"])[0] for s in api.seen if s.path.endswith("/7/comments")]
    assert pages == ["1", "2", "3"]
    assert api.calls()[-1] == ("PATCH", f"/repos/o/r/issues/comments/{mine}")
    assert api.comments[mine]["body"] == BODY and len(api.comments) == 6


def test_github_leaves_an_identical_comment_alone(api: FakeApi, github: dict[str, str]) -> None:
    mine = api.add_comment(BODY.replace("\n", "\r\n"))
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome == Outcome("unchanged", f"https://github.test/o/r/pull/7#issuecomment-{mine}", "")
    assert [m for m, _ in api.calls()] == ["GET", "GET"]  # the list, then who the token is


def test_github_updates_its_own_comment_not_another_users(api: FakeApi, github: dict[str, str]) -> None:
    mine = api.add_comment(f"{MARKER}\nmine")
    theirs = api.add_comment(f"{MARKER}\nsomeone else's copy", login="alice")
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome.action == "updated"
    assert ("PATCH", f"/repos/o/r/issues/comments/{mine}") in api.calls()
    assert api.comments[theirs]["body"].endswith("someone else's copy")


def test_github_with_a_known_login_never_takes_over_another_users_comment(api: FakeApi, github: dict[str, str]) -> None:
    theirs = api.add_comment(f"{MARKER}\nalice's", login="alice")
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome.action == "created"
    assert api.comments[theirs]["body"].endswith("alice's")


def test_github_actions_token_prefers_the_bot_comment_then_the_latest(api: FakeApi, github: dict[str, str]) -> None:
    first = api.add_comment(f"{MARKER}\nrun 1", login="github-actions[bot]")
    second = api.add_comment(f"{MARKER}\nrun 2", login="github-actions[bot]")
    api.add_comment(f"{MARKER}\nquoted", login="alice")
    outcome = post_github(BODY, env={**github, "GITHUB_TOKEN": ACTIONS}, timeout=FAST)
    assert outcome.action == "updated"
    assert ("GET", "/user") in api.calls()  # refused for this token: the bot's name is the guess
    assert api.comments[second]["body"] == BODY and api.comments[first]["body"].endswith("run 1")


@pytest.mark.parametrize("behaviour", ["update", "delete-and-new"])
def test_github_actions_token_never_edits_or_deletes_a_persons_marked_comment(
        api: FakeApi, github: dict[str, str], behaviour: str) -> None:
    # The token cannot ask who it is, and anyone can paste the marker: only a bot's comment is ours.
    planted = api.add_comment(f"{MARKER}\nplanted by the pull request's author", login="mallory")
    outcome = post_github(BODY, behaviour=behaviour, env={**github, "GITHUB_TOKEN": ACTIONS}, timeout=FAST)
    assert outcome.action == "created"
    assert api.comments[planted]["body"].endswith("planted by the pull request's author")
    assert not [c for c in api.calls() if c[0] in ("PATCH", "DELETE")]


def test_github_actions_token_takes_a_marked_comment_of_another_bot_account(api: FakeApi, github: dict[str, str]) -> None:
    # A GitHub App posting for the workflow (user.type Bot) under a name we cannot guess.
    app = api.add_comment(f"{MARKER}\nrun 1", login="guardrails-app[bot]", kind="Bot")
    outcome = post_github(BODY, env={**github, "GITHUB_TOKEN": ACTIONS}, timeout=FAST)
    assert outcome.action == "updated" and api.comments[app]["body"] == BODY


def test_github_behaviour_new_always_posts(api: FakeApi, github: dict[str, str]) -> None:
    api.add_comment(BODY)
    outcome = post_github(BODY, behaviour="new", env=github, timeout=FAST)
    assert outcome.action == "created"
    assert api.calls() == [("POST", "/repos/o/r/issues/7/comments")]
    assert len(api.comments) == 2


def test_github_delete_and_new_replaces_every_earlier_comment(api: FakeApi, github: dict[str, str]) -> None:
    old = [api.add_comment(f"{MARKER}\nrun {n}") for n in (1, 2)]
    outcome = post_github(BODY, behaviour="delete-and-new", env=github, timeout=FAST)
    assert outcome.action == "deleted-and-created"
    writes = [c for c in api.calls() if c[0] != "GET"]
    # The new comment goes first, so a failure in between never leaves the pull request without one.
    assert writes == [("POST", "/repos/o/r/issues/7/comments")] + [
        ("DELETE", f"/repos/o/r/issues/comments/{n}") for n in old]
    assert [c["body"] for c in api.comments.values()] == [BODY]


def test_github_delete_and_new_keeps_a_single_identical_comment(api: FakeApi, github: dict[str, str]) -> None:
    api.add_comment(BODY)
    assert post_github(BODY, behaviour="delete-and-new", env=github, timeout=FAST).action == "unchanged"
    assert [m for m, _ in api.calls()] == ["GET", "GET"]


def test_github_delete_and_new_without_an_earlier_comment_just_creates(api: FakeApi, github: dict[str, str]) -> None:
    assert post_github(BODY, behaviour="delete-and-new", env=github, timeout=FAST).action == "created"


def test_github_delete_failure_still_reports_the_new_comment(api: FakeApi, github: dict[str, str]) -> None:
    api.add_comment(f"{MARKER}\nold")
    api.fail("DELETE", "/comments/", 403, message="Must have admin rights")
    outcome = post_github(BODY, behaviour="delete-and-new", env=github, timeout=FAST)
    assert outcome.action == "created" and "the earlier comment is still there" in outcome.reason


@pytest.mark.parametrize("env_change, reason", [
    ({"GITHUB_TOKEN": ""}, "GITHUB_TOKEN is not set"),
    ({"GITHUB_TOKEN": "two\nlines"}, "cannot carry"),
    ({"GITHUB_REPOSITORY": ""}, "GITHUB_REPOSITORY is not set"),
    ({"GITHUB_EVENT_PATH": ""}, "GITHUB_EVENT_PATH is not set"),
    ({"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, "cannot read the event file"),
    ({"GITHUB_API_URL": "file:///etc"}, "not an http(s) URL"),
])
def test_github_skips_without_what_it_needs(api: FakeApi, github: dict[str, str], env_change: dict[str, str],
                                            reason: str) -> None:
    outcome = post_github(BODY, env={**github, **env_change}, timeout=FAST)
    assert outcome.action == "skipped" and reason in outcome.reason
    assert api.seen == []


def test_github_skips_an_event_that_is_not_a_pull_request(api: FakeApi, github: dict[str, str], tmp_path: Any) -> None:
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}), encoding="utf-8")
    outcome = post_github(BODY, env={**github, "GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "push"})
    assert outcome == Outcome("skipped", "", "not a pull request (event push)")
    assert api.seen == []


def test_github_reads_the_number_of_an_issue_comment_on_a_pull_request(api: FakeApi, github: dict[str, str],
                                                                       tmp_path: Any) -> None:
    event = tmp_path / "issue_comment.json"
    event.write_text(json.dumps({"issue": {"number": 7, "pull_request": {"url": "x"}}}), encoding="utf-8")
    outcome = post_github(BODY, env={**github, "GITHUB_EVENT_PATH": str(event)}, timeout=FAST)
    assert outcome.action == "created"
    event.write_text(json.dumps({"issue": {"number": 7}}), encoding="utf-8")  # a plain issue
    assert post_github(BODY, env={**github, "GITHUB_EVENT_PATH": str(event)}).action == "skipped"


def test_github_explicit_number_wins_over_the_event(api: FakeApi, github: dict[str, str]) -> None:
    outcome = post_github(BODY, env={**github, "GITHUB_EVENT_PATH": ""}, timeout=FAST, pr=7)
    assert outcome.action == "created"
    assert post_github(BODY, env=github, pr=8, timeout=FAST).action == "skipped"  # the fake knows only #7
    assert ("GET", "/repos/o/r/issues/8/comments") in api.calls()


@pytest.mark.parametrize("status", [403, 404])
def test_github_read_only_token_skips_with_the_reason(api: FakeApi, github: dict[str, str], status: int) -> None:
    api.fail("POST", "/comments$", status, times=None, message=f"Resource not accessible by integration {PAT}")
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome.action == "skipped"
    assert "the token cannot write comments (a pull request from a fork?)" in outcome.reason
    assert f"HTTP {status}" in outcome.reason
    assert_no_secret(outcome)  # even when the server echoes it back


def test_github_cuts_a_body_the_server_finds_too_long_and_retries_once(api: FakeApi, github: dict[str, str]) -> None:
    api.limit_bytes = 65_536  # counts bytes: "é" is two
    body = MARKER + "\n<details><summary>all</summary>\n\n" + "".join(f"row é{n:05d} " + "é" * 30 + "\n"
                                                                          for n in range(1500))
    assert len(body) < 65_536 < len(body.encode())
    outcome = post_github(body, env=github, timeout=FAST)
    assert outcome.action == "created" and "cut to fit GitHub's limit of 65,536 characters" in outcome.reason
    posts = [s.body["body"] for s in api.seen if s.method == "POST"]
    assert len(posts) == 2 and posts[0] == body
    sent = posts[1]
    assert len(sent.encode()) <= 65_536 and sent.startswith(MARKER) and sent.endswith(CUT_NOTE)
    assert sent.count("</details>") == 1 and "\nrow é01499" not in sent


def test_github_skips_when_even_the_cut_body_is_refused(api: FakeApi, github: dict[str, str]) -> None:
    api.fail("POST", "/comments$", 422, times=None, message="Validation Failed")
    long = MARKER + "\n" + "é" * 40_000
    outcome = post_github(long, env=github, timeout=FAST)
    assert outcome.action == "skipped" and "HTTP 422: Validation Failed" in outcome.reason
    assert [m for m, _ in api.calls()].count("POST") == 2


def test_github_skips_a_422_that_cutting_cannot_help(api: FakeApi, github: dict[str, str]) -> None:
    api.fail("POST", "/comments$", 422, times=None, message="Validation Failed")
    assert post_github(BODY, env=github, timeout=FAST).action == "skipped"
    assert [m for m, _ in api.calls()].count("POST") == 1


def test_github_body_over_the_limit_is_cut_before_sending(api: FakeApi, github: dict[str, str]) -> None:
    body = MARKER + "\n```\n" + "x" * 80 + "\n" + ("line\n" * 20_000)
    outcome = post_github(body, env=github, timeout=FAST)
    assert outcome.action == "created" and "cut to fit" in outcome.reason
    (sent,) = [s.body["body"] for s in api.seen if s.method == "POST"]
    assert len(sent) <= 65_536 and sent.endswith("```" + CUT_NOTE)


def test_github_retries_a_server_error_once(api: FakeApi, github: dict[str, str]) -> None:
    api.fail("POST", "/comments$", 502)
    assert post_github(BODY, env=github, timeout=FAST).action == "created"
    assert [m for m, _ in api.calls()] == ["GET", "POST", "POST"]


def test_github_gives_up_after_two_server_errors(api: FakeApi, github: dict[str, str]) -> None:
    api.fail("GET", "/comments$", 500, times=None, message="boom")
    outcome = post_github(BODY, env=github, timeout=FAST)
    assert outcome.action == "skipped" and "HTTP 500: boom (tried twice)" in outcome.reason
    assert api.calls() == [("GET", "/repos/o/r/issues/7/comments")] * 2


def test_github_a_slow_answer_is_retried_once(api: FakeApi, github: dict[str, str]) -> None:
    api.fail("GET", "/comments$", delay=0.5)
    assert post_github(BODY, env=github, timeout=0.1).action == "created"


def test_github_never_waits_on_a_server_that_does_not_answer(api: FakeApi, github: dict[str, str]) -> None:
    api.fail("GET", "/comments$", delay=0.5, times=None)
    started = time.monotonic()
    outcome = post_github(BODY, env=github, timeout=0.1)
    assert outcome.action == "skipped" and "no answer within 0.1s (tried twice)" in outcome.reason
    assert time.monotonic() - started < 0.45


def test_github_gives_up_on_an_answer_that_trickles_in(api: FakeApi, github: dict[str, str]) -> None:
    api.add_comment("a comment long enough to arrive in four pieces", login="alice")
    api.fail("GET", "/comments$", times=None, drip=0.1)  # each piece in time, the whole answer too late
    started = time.monotonic()
    outcome = post_github(BODY, env=github, timeout=0.15)
    assert outcome.action == "skipped" and "no answer within 0.15s (tried twice)" in outcome.reason
    assert time.monotonic() - started < 0.7


def test_github_skips_when_nothing_listens(github: dict[str, str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    outcome = post_github(BODY, env={**github, "GITHUB_API_URL": closed}, timeout=FAST)
    assert outcome.action == "skipped" and "cannot connect" in outcome.reason


def test_github_never_follows_a_link_to_another_host(api: FakeApi, github: dict[str, str]) -> None:
    other = FakeApi()
    server, thread = _serve(other)
    try:
        api.link_host = other.url
        for n in range(3):
            api.add_comment(f"comment {n}", login="alice")
        outcome = post_github(BODY, env=github, timeout=FAST)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert outcome.action == "skipped" and "refusing to follow a link to another host" in outcome.reason
    assert other.seen == []


def test_github_adds_the_marker_when_the_body_has_none(api: FakeApi, github: dict[str, str]) -> None:
    post_github("plain text", env=github, timeout=FAST)
    (sent,) = [s.body["body"] for s in api.seen if s.method == "POST"]
    assert sent == f"{MARKER}\nplain text"


def test_unknown_behaviour_is_a_programming_error(github: dict[str, str]) -> None:
    with pytest.raises(CommentError, match="unknown behaviour 'replace'"):
        post_github(BODY, behaviour="replace", env=github)


# GitLab


def test_gitlab_creates_a_note_with_the_private_token(api: FakeApi, gitlab: dict[str, str]) -> None:
    outcome = post_gitlab(BODY, env=gitlab, timeout=FAST)
    assert outcome == Outcome("created", "https://gitlab.test/group/project/-/merge_requests/5#note_101", "")
    notes = "/api/v4/projects/group%2Fproject/merge_requests/5/notes"
    assert api.calls() == [("GET", notes), ("POST", notes)]
    assert api.seen[0].query["per_page"] == ["100"] and api.seen[0].query["page"] == ["1"]
    assert all(s.headers["private-token"] == LAB and "job-token" not in s.headers for s in api.seen)
    assert_token_only_in_auth_header(api)


def test_gitlab_updates_the_marked_note_on_a_later_page(api: FakeApi, gitlab: dict[str, str]) -> None:
    api.add_note("added 1 commit", username="alice", system=True)
    api.add_note("looks fine", username="alice")
    mine = api.add_note(f"{MARKER}\nold")
    api.add_note(f"{MARKER}\nsystem notes never match", system=True)
    outcome = post_gitlab(BODY, env=gitlab, timeout=FAST)
    assert outcome.action == "updated" and outcome.url.endswith(f"#note_{mine}")
    pages = [s.query["page"][0] for s in api.seen if s.path.endswith("/notes")]
    assert pages == ["1", "2"]
    assert api.calls()[-1] == ("PUT", f"/api/v4/projects/group%2Fproject/merge_requests/5/notes/{mine}")
    assert api.notes[mine]["body"] == BODY


def test_gitlab_unchanged_and_delete_and_new(api: FakeApi, gitlab: dict[str, str]) -> None:
    kept = api.add_note(BODY)
    assert post_gitlab(BODY, env=gitlab, timeout=FAST) == Outcome(
        "unchanged", f"https://gitlab.test/group/project/-/merge_requests/5#note_{kept}", "")
    outcome = post_gitlab(BODY + "\nchanged\n", behaviour="delete-and-new", env=gitlab, timeout=FAST)
    assert outcome.action == "deleted-and-created"
    assert ("DELETE", f"/api/v4/projects/group%2Fproject/merge_requests/5/notes/{kept}") in api.calls()
    assert list(api.notes) == [kept + 1]


def test_gitlab_job_token_refused_skips_with_the_reason(api: FakeApi, gitlab: dict[str, str]) -> None:
    env = {**gitlab, "GITLAB_TOKEN": "", "CI_JOB_TOKEN": JOB}
    api.fail("POST", "/notes$", 403, times=None, message="403 Forbidden")
    outcome = post_gitlab(BODY, env=env, timeout=FAST)
    assert outcome.action == "skipped" and "the CI job token may not use merge request notes" in outcome.reason
    assert all(s.headers["job-token"] == JOB and "private-token" not in s.headers for s in api.seen)
    assert ("GET", "/api/v4/user") not in api.calls()
    assert_no_secret(outcome)


def test_gitlab_follows_x_next_page_and_retries_a_timeout(api: FakeApi, gitlab: dict[str, str]) -> None:
    for n in range(5):
        api.add_note(f"note {n}", username="alice")
    api.fail("GET", "/notes$", delay=0.5)
    assert post_gitlab(BODY, env=gitlab, timeout=0.1).action == "created"
    pages = [s.query["page"][0] for s in api.seen if s.method == "GET"]
    assert pages == ["1", "1", "2", "3"]


@pytest.mark.parametrize("env_change, reason", [
    ({"GITLAB_TOKEN": "", "CI_JOB_TOKEN": ""}, "neither GITLAB_TOKEN nor CI_JOB_TOKEN is set"),
    ({"CI_MERGE_REQUEST_IID": ""}, "not a merge request pipeline"),
    ({"CI_PROJECT_ID": ""}, "CI_PROJECT_ID is not set"),
])
def test_gitlab_skips_without_what_it_needs(api: FakeApi, gitlab: dict[str, str], env_change: dict[str, str],
                                            reason: str) -> None:
    outcome = post_gitlab(BODY, env={**gitlab, **env_change}, timeout=FAST)
    assert outcome.action == "skipped" and reason in outcome.reason
    assert api.seen == []


@pytest.mark.parametrize("env, platform", [
    ({"GITHUB_ACTIONS": "true"}, "github"),
    ({"GITLAB_CI": "true"}, "gitlab"),
    ({"GITHUB_ACTIONS": "false"}, None),
    ({}, None),
])
def test_detect_platform(env: dict[str, str], platform: str | None) -> None:
    assert detect_platform(env) == platform


def test_fit_keeps_short_bodies_and_cuts_long_ones_at_a_line_end() -> None:
    assert fit("short", 10) == "short"
    body = "\n".join(f"line {n}" for n in range(100))
    cut = fit(body, 200)
    assert len(cut) <= 200 and cut.endswith(CUT_NOTE) and cut.removesuffix(CUT_NOTE).endswith("\n")


# The command


def _invoke(args: list[str], env: dict[str, str], stdin: str | None = None) -> Any:
    return CliRunner().invoke(comment, args, env=env, input=stdin)


def test_cli_posts_and_says_what_it_did(api: FakeApi, github: dict[str, str], tmp_path: Any) -> None:
    report = tmp_path / "report.md"
    report.write_text(BODY, encoding="utf-8")
    result = _invoke(["--body-file", str(report)], github)
    assert result.exit_code == 0, result.output
    assert result.output == "guardrails: comment created: https://github.test/o/r/pull/7#issuecomment-101\n"
    result = _invoke(["--body-file", str(report)], github)
    assert result.output.startswith("guardrails: comment unchanged: ")


def test_cli_passes_platform_behaviour_and_number(api: FakeApi, gitlab: dict[str, str]) -> None:
    api.add_note(f"{MARKER}\nold")
    env = {**gitlab, "GITLAB_CI": "", "CI_MERGE_REQUEST_IID": ""}
    result = _invoke(["--body-file", "-", "--platform", "gitlab", "--behaviour", "new", "--pr", "5"], env, BODY)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("guardrails: comment created: https://gitlab.test/")
    assert len(api.notes) == 2


def test_cli_exits_0_when_it_cannot_post(api: FakeApi, github: dict[str, str], tmp_path: Any) -> None:
    report = tmp_path / "report.md"
    report.write_text(BODY, encoding="utf-8")
    api.fail("POST", "/comments$", 403, times=None, message=f"token {PAT} is read-only")
    result = _invoke(["--body-file", str(report)], github)
    assert result.exit_code == 0
    assert result.output.startswith("guardrails: comment skipped: GitHub: the token cannot write comments")
    assert result.output.count("\n") == 1
    assert_no_secret(result.output)


def test_cli_skips_outside_ci(tmp_path: Any) -> None:
    report = tmp_path / "report.md"
    report.write_text(BODY, encoding="utf-8")
    result = _invoke(["--body-file", str(report)], {})
    assert result.exit_code == 0
    assert result.output == ("guardrails: comment skipped: no CI platform detected (GITHUB_ACTIONS and GITLAB_CI "
                             "are not set); pass --platform\n")


@pytest.mark.parametrize("args", [[], ["--body-file", "missing.md"], ["--body-file", "empty.md"]])
def test_cli_usage_errors_exit_2(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.md").write_text("\n", encoding="utf-8")
    result = _invoke(args, {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": PAT})
    assert result.exit_code == 2
