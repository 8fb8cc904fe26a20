"""How much input one run reads: the bounds that keep a hostile or runaway file from stalling it.

Each limit is a policy setting under `settings.limits`. A file that hits one is an input error
(exit 2) that names the setting raising it; the other files are still checked.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Mapping

MIB = 2**20
HCL_SUFFIXES = (".tf", ".tofu", ".tfvars")  # python-hcl2 parses these; `.tf.json` is plain JSON
YAML_SUFFIXES = (".yaml", ".yml")  # always manifests; a `.json` file may be a plan
SETTING = "settings.limits"


@dataclass(frozen=True)
class Limits:
    # No file larger is read at all: bounds memory before any parser sees a byte.
    max_file_mib: float = 64
    # YAML costs about a second and 25 MB of memory per MiB (libyaml's events are built in
    # Python); a larger manifest is refused rather than stalling the run.
    max_manifest_mib: float = 16
    # A MiB of HCL costs about 5 s and 200 MB through the tree-sitter parser, but 30 s (ordinary
    # resource blocks) to 60 s (a dense list) and 300 to 700 MB when it falls back to
    # python-hcl2; a larger .tf or .tfvars file is refused, not parsed. `.tf.json` files and
    # plans are JSON, read in C: only max_file_mib applies to them.
    max_hcl_mib: float = 1
    # Real manifests nest a few dozen levels. Values are handed to recursive code (json.dumps
    # in `diff` fails near 950 levels), so the schema allows at most 800.
    max_yaml_depth: int = 500
    # Nodes of one YAML stream, aliases counted as what they expand to: stops an alias bomb
    # before it expands, and a dense list at about 8 s of CPU and 400 MB. Ordinary manifests
    # hold about 75,000 nodes per MiB, so max_manifest_mib is the limit they meet first.
    max_yaml_nodes: int = 2_000_000

    @classmethod
    def from_settings(cls, raw: Mapping[str, Any]) -> Limits:
        """The limits a validated `settings.limits` mapping gives, defaults for the rest."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in raw.items() if key in known})

    def file_bytes(self) -> int:
        return int(self.max_file_mib * MIB)

    def manifest_bytes(self) -> int:
        return int(self.max_manifest_mib * MIB)

    def hcl_bytes(self) -> int:
        return int(self.max_hcl_mib * MIB)

    def size_problem(self, path: str, size: int) -> str | None:
        """Why a file of `size` bytes at `path` is not read (any kind of file), or None."""
        if size > self.file_bytes():
            return over_size(size, "file", self.max_file_mib, "max_file_mib")
        if path.endswith(HCL_SUFFIXES) and size > self.hcl_bytes():
            return over_size(size, "HCL file", self.max_hcl_mib, "max_hcl_mib")
        if path.endswith(YAML_SUFFIXES) and size > self.manifest_bytes():
            return over_size(size, "manifest", self.max_manifest_mib, "max_manifest_mib")
        return None


DEFAULT_LIMITS = Limits()


def over_size(size: int, what: str, limit_mib: float, setting: str) -> str:
    """`a 50 MiB manifest is over the 16 MiB limit (settings.limits.max_manifest_mib)`."""
    shown = round(size / MIB, 2)
    if shown <= limit_mib:  # never read as equal to the limit it is over
        shown = math.ceil(size / MIB * 100) / 100
    return f"a {_number(shown)} MiB {what} is over the {_number(limit_mib)} MiB limit ({SETTING}.{setting})"


def _number(value: float) -> str:
    """64, 0.5, 50.66; a limit set below 0.01 keeps its digits."""
    if 0 < value < 0.01:
        return f"{value:.2g}"
    return f"{value:.2f}".rstrip("0").rstrip(".")
