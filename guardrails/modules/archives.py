"""Unpacking a downloaded module archive, safely: the archive is the internet's, not ours.

Only regular files and directories are written; a member with an absolute path or `..`, a
symbolic or hard link, a device or a FIFO is left out (and counted), so nothing can point or be
written outside the target. The number of files and the bytes unpacked are bounded, whatever
the archive's headers claim (a zip bomb stops at the bound, not at the end).
"""
from __future__ import annotations

import stat
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

MAX_FILES = 20_000
MAX_BYTES = 512 << 20
_CHUNK = 1 << 16


class ArchiveError(ValueError):
    """An archive that cannot be unpacked within the bounds; the message says why."""


@dataclass
class Unpacked:
    files: int = 0
    bytes: int = 0
    skipped: int = 0  # links, devices, paths leaving the target


def _safe_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or any(part in ("..", "") for part in path.parts) or not path.parts:
        return None
    if path.parts[0].endswith(":"):  # c:/ on an archive made on Windows
        return None
    return path


def unpack(archive: Path, target: Path, kind: str = "", max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES) -> Unpacked:
    """Unpack `archive` (zip or tar, compressed or not; `kind` when the name does not say) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    counts = Unpacked()
    try:
        if kind == "zip" or (not kind and zipfile.is_zipfile(archive)):
            _unzip(archive, target, counts, max_files, max_bytes)
        else:
            _untar(archive, target, counts, max_files, max_bytes)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ArchiveError(f"not a readable archive: {exc}") from None
    return counts


def _write(stream, destination: Path, counts: Unpacked, max_bytes: int) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as out:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            counts.bytes += len(chunk)
            if counts.bytes > max_bytes:
                raise ArchiveError(f"unpacks to more than {max_bytes:,} bytes")
            out.write(chunk)


def _count(counts: Unpacked, max_files: int) -> None:
    counts.files += 1
    if counts.files > max_files:
        raise ArchiveError(f"holds more than {max_files:,} files")


def _member(target: Path, counts: Unpacked, max_files: int, max_bytes: int, raw_name: str, plain: bool,
            is_dir: bool, open_stream: Callable[[], Any]) -> None:
    """Write one member: a directory, or a regular file within the bounds; anything else
    (a link, a device, a path leaving the target) is counted as skipped."""
    name = _safe_name(raw_name)
    if name is None or not plain:
        counts.skipped += 1
        return
    destination = target.joinpath(*name.parts)
    if is_dir:
        destination.mkdir(parents=True, exist_ok=True)
        return
    _count(counts, max_files)
    stream = open_stream()
    if stream is None:
        counts.skipped += 1
        return
    with stream:
        _write(stream, destination, counts, max_bytes)


def _untar(archive: Path, target: Path, counts: Unpacked, max_files: int, max_bytes: int) -> None:
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            _member(target, counts, max_files, max_bytes, member.name, member.isfile() or member.isdir(),
                    member.isdir(), lambda m=member: tar.extractfile(m))


def _unzip(archive: Path, target: Path, counts: Unpacked, max_files: int, max_bytes: int) -> None:
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver did not say: a file
            _member(target, counts, max_files, max_bytes, info.filename, kind in (0, stat.S_IFREG, stat.S_IFDIR),
                    info.is_dir(), lambda i=info: zipped.open(i))
