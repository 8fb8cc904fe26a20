"""The downloads of `guardrails prices update`: guardrails/net/http.py, failing as catalog errors."""
from __future__ import annotations

from guardrails.net import http
from guardrails.net.http import Progress
from guardrails.pricing.catalog import CatalogError

__all__ = ["Fetcher", "Progress", "UpdateError"]


class UpdateError(CatalogError):
    """A download that failed or did not verify; the message names the URL."""


class Fetcher(http.Fetcher):
    error = UpdateError
    who = "this update"
