"""Keeping one guardrails comment per pull or merge request: find it, then create, edit or replace it.

The logic is the same on every platform, so it is written once against `Thread`, which the
GitHub and GitLab flavours implement. The comment is found again by the hidden marker the
markdown reporter writes on its first line, and only a comment this token wrote (or, when that
cannot be known, a bot's) is ever edited or deleted.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from guardrails.integrations.apiclient import CommentError
from guardrails.report.cut import cut_to
from guardrails.report.markdown import MARKER

CUT_NOTE = "\n\n---\n*This report was cut to fit the comment size limit; the CI job's log has all of it.*\n"
MAX_PAGES = 100  # 10,000 comments: far beyond any real thread, and no Link loop runs forever


@dataclass
class Outcome:
    """What posting did; `reason` says why it skipped, or what else the reader should know."""

    action: str  # created | updated | deleted-and-created | skipped | unchanged
    url: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    author: str
    url: str
    bot: bool = False  # written by a bot account (GitHub user.type "Bot", GitLab author.bot)


class Thread(Protocol):
    """The comments of one pull or merge request; writes raise CommentError with a reason to show."""

    name: str
    limit: int
    too_long: frozenset[int]  # statuses a body over the limit may get

    def comments(self) -> list[Comment]: ...
    def login(self) -> tuple[str | None, bool]: ...  # who the token writes as, and whether that is certain
    def create(self, body: str) -> Comment: ...
    def update(self, comment: Comment, body: str) -> Comment: ...
    def delete(self, comment: Comment) -> None: ...


def post(thread: Thread, body: str, behaviour: str, secret: str) -> Outcome:
    """Bring the thread's guardrails comment up to date; a failure is a skipped Outcome, `secret` scrubbed."""
    try:
        outcome = _sync(thread, body, behaviour)
    except CommentError as exc:
        outcome = Outcome("skipped", reason=f"{thread.name}: {exc}")
    outcome.reason = _scrub(outcome.reason, secret)
    return outcome


def _sync(thread: Thread, body: str, behaviour: str) -> Outcome:
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


def _ours(thread: Thread) -> list[Comment]:
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


def _write(thread: Thread, body: str, send: Callable[[str], Comment]) -> tuple[Comment, str]:
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


def as_text(value: Any) -> str:
    """A string field of an API answer, or "" when the answer holds anything else there."""
    return value if isinstance(value, str) else ""


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text
