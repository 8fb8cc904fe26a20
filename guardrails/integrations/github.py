"""GitHub's dialect of the one comment: the issue comments of a pull request.

A pull request's conversation is its issue's comments, paged by `Link` headers. GITHUB_TOKEN
cannot ask GET /user who it is, and a fork's token may not write at all: both are expected and
answered here, so that the shared logic in `commentsync` never asks which platform it talks to.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import Any

from guardrails.integrations.apiclient import CommentError, Http
from guardrails.integrations.commentsync import MAX_PAGES, Comment, as_text

GITHUB_LIMIT = 65_536  # characters in one issue comment
_NEXT_LINK = re.compile(r'<([^>]*)>\s*;[^,]*\brel="?next"?')


class GitHubThread:
    """The issue comments of one pull request, as a `commentsync.Thread`."""

    name = "GitHub"
    limit = GITHUB_LIMIT
    too_long = frozenset({422})

    def __init__(self, http: Http, repo: str, number: int, guess: str | None) -> None:
        self.http, self.repo, self.number, self.guess = http, repo, number, guess

    def comments(self) -> list[Comment]:
        url: str | None = self.http.url(f"/repos/{self.repo}/issues/{self.number}/comments?per_page=100")
        found: list[Comment] = []
        for _ in range(MAX_PAGES):
            if url is None:
                return found
            data, headers = self.http.request("GET", url)
            if not isinstance(data, list):
                raise CommentError("the comments list is not a JSON array")
            found += [self._comment(item) for item in data]
            match = _NEXT_LINK.search(headers.get("Link") or "")
            url = urllib.parse.urljoin(url, match.group(1)) if match else None
        raise CommentError(f"more than {MAX_PAGES} pages of comments")

    def login(self) -> tuple[str | None, bool]:
        try:
            data, _ = self.http.request("GET", self.http.url("/user"))
        except CommentError:
            return self.guess, False
        login = data.get("login") if isinstance(data, dict) else None
        return (login, True) if isinstance(login, str) else (self.guess, False)

    def create(self, body: str) -> Comment:
        url = self.http.url(f"/repos/{self.repo}/issues/{self.number}/comments")
        return self._comment(self._write("POST", url, {"body": body}))

    def update(self, comment: Comment, body: str) -> Comment:
        url = self.http.url(f"/repos/{self.repo}/issues/comments/{comment.id}")
        return self._comment(self._write("PATCH", url, {"body": body}))

    def delete(self, comment: Comment) -> None:
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
    def _comment(item: Any) -> Comment:
        if not isinstance(item, dict) or type(item.get("id")) is not int:
            raise CommentError("a comment in the answer has no numeric id")
        user = item.get("user")
        author = user.get("login") if isinstance(user, dict) else None
        bot = isinstance(user, dict) and user.get("type") == "Bot"
        return Comment(item["id"], as_text(item.get("body")), as_text(author), as_text(item.get("html_url")), bot)

