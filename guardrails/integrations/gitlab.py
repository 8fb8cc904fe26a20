"""GitLab's dialect of the one comment: the notes of a merge request.

Notes are paged by `X-Next-Page`, and GitLab's own system notes are left out. A CI job token
cannot ask GET /user who it is and may be refused the notes API; a refusal is turned here into
a reason that names the way out (a token with the api scope), so that the shared logic in
`commentsync` never asks which platform it talks to.
"""
from __future__ import annotations

import urllib.parse
from email.message import Message
from typing import Any

from guardrails.integrations.apiclient import CommentError, Http
from guardrails.integrations.commentsync import MAX_PAGES, Comment, as_text

GITLAB_LIMIT = 1_000_000  # characters in one note


class GitLabThread:
    """The notes of one merge request, as a `commentsync.Thread`."""

    name = "GitLab"
    limit = GITLAB_LIMIT
    too_long = frozenset({400, 413, 422})

    def __init__(self, http: Http, project: str, iid: int, web: str, *, job_token: bool,
                 guess: str | None) -> None:
        self.http, self.iid, self.web, self.job_token, self.guess = http, iid, web, job_token, guess
        self.notes = f"/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{iid}/notes"

    def comments(self) -> list[Comment]:
        found: list[Comment] = []
        page = "1"
        for _ in range(MAX_PAGES):
            url = self.http.url(f"{self.notes}?per_page=100&page={page}&sort=asc&order_by=created_at")
            data, headers = self._call("GET", url)
            if not isinstance(data, list):
                raise CommentError("the notes list is not a JSON array")
            # System notes ("added 1 commit") are GitLab's own, never ours.
            found += [self._comment(item) for item in data if not (isinstance(item, dict) and item.get("system"))]
            page = (headers.get("X-Next-Page") or "").strip()
            if not page.isdigit():
                return found
        raise CommentError(f"more than {MAX_PAGES} pages of notes")

    def login(self) -> tuple[str | None, bool]:
        if self.job_token:  # GET /user does not take job tokens
            return self.guess, False
        try:
            data, _ = self.http.request("GET", self.http.url("/user"))
        except CommentError:
            return self.guess, False
        name = data.get("username") if isinstance(data, dict) else None
        return (name, True) if isinstance(name, str) else (self.guess, False)

    def create(self, body: str) -> Comment:
        return self._comment(self._call("POST", self.http.url(self.notes), {"body": body}, writing=True)[0])

    def update(self, comment: Comment, body: str) -> Comment:
        url = self.http.url(f"{self.notes}/{comment.id}")
        return self._comment(self._call("PUT", url, {"body": body}, writing=True)[0])

    def delete(self, comment: Comment) -> None:
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

    def _comment(self, item: Any) -> Comment:
        if not isinstance(item, dict) or type(item.get("id")) is not int:
            raise CommentError("a note in the answer has no numeric id")
        author = item.get("author")
        name = author.get("username") if isinstance(author, dict) else None
        url = f"{self.web}/-/merge_requests/{self.iid}#note_{item['id']}" if self.web else ""
        bot = isinstance(author, dict) and author.get("bot") is True
        return Comment(item["id"], as_text(item.get("body")), as_text(name), url, bot)
