"""Opening a price file, and the error every importer raises for one it cannot import."""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import TextIO

from guardrails.pricing.catalog import CatalogError


class PriceImportError(CatalogError):
    """A price file that cannot be imported: unreadable, truncated, or not the expected format."""


def open_text(path: Path) -> TextIO:
    """The file as text, gunzipped when it is gzip (offer files are often fetched compressed)."""
    try:
        with open(path, "rb") as probe:
            compressed = probe.read(2) == b"\x1f\x8b"
        # utf-8-sig: files saved on Windows may start with a byte order mark.
        if compressed:
            return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise PriceImportError(f"{path}: cannot read the price file: {exc.strerror or exc}") from None
