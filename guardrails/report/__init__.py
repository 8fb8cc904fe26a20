"""Reporters: each turns a finished Report into text, never computing anything itself."""
from __future__ import annotations

import importlib
from typing import Callable

from guardrails.model import Report

FORMATS: dict[str, str] = {
    "text": "guardrails.report.text",
    "json": "guardrails.report.json_report",
}


def render(report: Report, fmt: str, color: bool = False) -> str:
    module = importlib.import_module(FORMATS[fmt])
    renderer: Callable[..., str] = module.render
    return renderer(report, color=color)
