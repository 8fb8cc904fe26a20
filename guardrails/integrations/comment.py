"""One guardrails comment per pull or merge request, posted once and edited on every push.

This is the entry point the `guardrails comment` command calls: it reads the CI environment
(which platform, which token, which request) and hands a thread to `commentsync`, which finds
the earlier comment and creates, edits or replaces it. The platforms' APIs are spoken in
`github` and `gitlab`, over the small HTTP client in `apiclient`.

A comment is a courtesy, never the verdict: no token, a fork's read-only token, a timeout or a
server error all end as an `Outcome` with action "skipped" and a reason, never as an exception.
The token travels only in a request header to the API's own host and never appears in a reason.
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from guardrails import __version__
from guardrails.integrations.apiclient import CommentError, Http
from guardrails.integrations.commentsync import Outcome, post
from guardrails.integrations.github import GitHubThread
from guardrails.integrations.gitlab import GitLabThread

BEHAVIOURS = ("update", "new", "delete-and-new")
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]+")  # what an HTTP header can carry


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
    http = Http(base, headers, timeout)
    # GITHUB_TOKEN comments as this bot but cannot ask GET /user who it is.
    guess = "github-actions[bot]" if _is_set(env.get("GITHUB_ACTIONS")) else None
    return post(GitHubThread(http, repo, number, guess), body, behaviour, token)


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
    thread = GitLabThread(Http(base, headers, timeout), project, iid, web, job_token=not private, guess=guess)
    return post(thread, body, behaviour, token)


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
