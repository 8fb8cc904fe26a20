"""Cut a markdown report to a size limit (a PR comment, a job summary) so that it still renders."""
from __future__ import annotations


def cut_to(body: str, limit: int, note: str, unit: str = "chars", closers_end_lines: bool = False) -> str:
    """`body` cut at a line end to at most `limit` characters or UTF-8 bytes (`unit`), with any
    code block or folded section the cut left open closed, and `note` after it.

    A closer (```` ``` ````, `</details>`) goes on a line of its own, after a blank line, or, with
    `closers_end_lines`, right after the kept text and followed by a line end.
    """
    if size(body, unit) <= limit:
        return body
    room = limit - size(note, unit)
    while room > 0:
        kept = prefix(body, room, unit)
        if "\n" in kept:
            kept = kept[: kept.rindex("\n") + 1]
        cut = kept + _closing(kept, closers_end_lines) + note
        over = size(cut, unit) - limit
        if over <= 0:
            return cut
        room -= over
    return prefix(note.strip(), limit, unit)


def _closing(kept: str, end_lines: bool) -> str:
    """Closes what the cut left open, so the note does not land inside a code block or folded section."""
    closers = []
    if sum(1 for line in kept.splitlines() if line.lstrip().startswith("```")) % 2:
        closers.append("```")
    lower = kept.lower()
    closers += ["</details>"] * max(0, lower.count("<details") - lower.count("</details>"))
    return "".join(c + "\n" for c in closers) if end_lines else "".join("\n" + c for c in closers)


def size(text: str, unit: str) -> int:
    return len(text) if unit == "chars" else len(text.encode("utf-8"))


def prefix(text: str, room: int, unit: str) -> str:
    if unit == "chars":
        return text[:room]
    return text.encode("utf-8")[:room].decode("utf-8", "ignore")
