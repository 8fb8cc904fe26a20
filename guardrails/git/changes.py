"""What changed between two sides: git's raw diff records, reconciled with the disk.

`git diff-index` against the working tree reports what the index knows, which is not quite
what git would commit: a file whose stat data is stale looks modified, and untracked files are
missing. The records are corrected here from the bytes on disk, never by refreshing the index
(that would write to the repository).
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from guardrails.git.plumbing import FILE, RevisionError, decode, untracked

if TYPE_CHECKING:
    import git


@dataclass(frozen=True)
class Change:
    path: str
    old_path: str | None  # set for renames only
    status: str  # "A" added, "M" modified, "D" deleted, "R" renamed, "T" type change


@dataclass(frozen=True)
class RawRecord:
    """One record of `git diff-* --raw`."""

    src_mode: int
    dst_mode: int
    src_sha: str
    dst_sha: str
    status: str
    path: str
    old_path: str | None = None


def parse_raw(out: bytes) -> list[RawRecord]:
    """The records of `git diff-* -z --raw --no-abbrev` output."""
    fields = out.split(b"\0")
    records = []
    index = 0
    while index < len(fields) and fields[index].startswith(b":"):
        src_mode, dst_mode, src_sha, dst_sha, status = fields[index][1:].decode().split(" ")
        path = decode(fields[index + 1])
        index += 2
        old_path = None
        if status[0] in "RC":
            old_path, path = path, decode(fields[index])
            index += 1
        records.append(
            RawRecord(int(src_mode, 8), int(dst_mode, 8), src_sha, dst_sha, status[0], path, old_path)
        )
    return records


def _blob_id(data: bytes, like: str) -> str:
    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _disk_blob(root: Path, path: str, like: str) -> str | None:
    """The object id a regular file's bytes would get (no filters applied), else None."""
    full = root / path
    try:
        if not stat.S_ISREG(os.lstat(full).st_mode):
            return None
        return _blob_id(full.read_bytes(), like)
    except OSError:
        return None


def stat_only(root: Path, record: RawRecord) -> bool:
    """A file diff-index calls modified only because its index stat data is stale."""
    return (
        record.status == "M"
        and set(record.dst_sha) == {"0"}
        and record.src_mode == record.dst_mode
        and record.src_mode >> 12 == FILE
        and _disk_blob(root, record.path, record.src_sha) == record.src_sha
    )


def add_untracked(repo: git.Repo, root: Path, records: list[RawRecord]) -> list[RawRecord]:
    """Untracked files are additions, or the other half of a deletion (same path or content)."""
    deleted = {r.path: r for r in records if r.status == "D"}
    by_content: dict[str, list[str]] = {}
    for record in sorted(deleted.values(), key=lambda r: r.path):
        if record.src_mode >> 12 == FILE:
            by_content.setdefault(record.src_sha, []).append(record.path)
    like = next(iter(by_content), "0" * 40)  # any object id: its length says the hash
    zero = "0" * len(like)
    added: list[RawRecord] = []
    for path in untracked(repo):
        before = deleted.get(path)
        if before is not None:
            # Removed from the index but still on disk: compare with the base.
            del deleted[path]
            if _disk_blob(root, path, before.src_sha) != before.src_sha:
                mode = before.src_mode
                added.append(RawRecord(mode, mode, before.src_sha, zero, "M", path))
            continue
        blob = _disk_blob(root, path, like) if by_content else None
        old_paths = [p for p in by_content.get(blob or "", []) if p in deleted]
        if old_paths:
            old = deleted.pop(old_paths[0])
            added.append(RawRecord(old.src_mode, old.src_mode, old.src_sha, zero, "R", path, old.path))
        else:
            added.append(RawRecord(0, 0, zero, zero, "A", path))
    kept = [r for r in records if r.status != "D" or r.path in deleted]
    return kept + added


def to_change(record: RawRecord) -> Change:
    """The change a record reports; a status we do not expect (copy, unmerged) is an error."""
    if record.status not in ("A", "M", "D", "R", "T"):
        raise RevisionError(
            f"git reported an unexpected change '{record.status}' for {record.path}"
        )
    return Change(record.path, record.old_path if record.status == "R" else None, record.status)
