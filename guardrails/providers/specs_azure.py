"""Azure VM sizes: vCPUs and memory read from the size name.

One of the three per-cloud tables specs.py joins. There is no table to load: the name says the
vCPUs, and the series pages say the memory per vCPU.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from guardrails.providers.specs_common import Missing, Spec, either_side

# Names follow Microsoft's "Azure virtual machine sizes naming conventions":
# Standard_<series><vCPUs>[-<constrained vCPUs>]<additive features>[_<accelerator>][_<version>].
# Older series number their sizes rather than counting vCPUs (Standard_D3_v2 has 4, D11_v2 has 2),
# so those are not read. Memory per vCPU is from Microsoft Learn's size series pages
# ("Dv3/Dsv3", "Dv4/Dsv4/Ddv4/Ddsv4", "Dasv5", "Dv5/Dsv5/Ddv5/Ddsv5", "Ev3/Esv3", "Ev4/Esv4",
# "Ev5/Esv5/Edv5/Edsv5", "Easv5", "Fsv2", "F", "B-series"); E-series sizes above 48 vCPUs
# (E64_v3 has 432 GiB, E96_v5 672 GiB) and other series are left without memory.
NAME = re.compile(
    r"^(?:Standard|Basic)_([A-Z]+)([0-9]+)(?:-([0-9]+))?([a-z]*)((?:_[A-Za-z0-9]+)*)$"
)


class AzureName(NamedTuple):
    series: str
    vcpus: int  # the size number (the parent size of a constrained-vCPU size)
    active_vcpus: int
    features: str
    version: str  # "v5", or "" for the first version

    @property
    def family(self) -> str:
        if self.series == "B" and not self.version:
            return "B"  # Azure documents B1s, B2ms, ... as one "B-series"
        return f"{self.series}{self.features}{self.version}"


def parse(name: str) -> AzureName | None:
    """The parts of a size name, or None when it is not one."""
    match = NAME.match(name)
    if not match:
        return None
    series, number, constrained, features, tail = match.groups()
    parts = [part for part in tail.split("_") if part]
    version = parts[-1] if parts and re.fullmatch(r"v[0-9]+", parts[-1]) else ""
    vcpus = int(number)
    return AzureName(series, vcpus, int(constrained) if constrained else vcpus, features, version)


# Series whose number is not a vCPU count, by version ("" = first).
_NUMBERED = {("A", ""), ("D", ""), ("D", "v2"), ("DS", ""), ("DS", "v2"), ("G", ""), ("GS", "")}
_B_SERIES_GIB = {
    "B1ls": 0.5, "B1s": 1, "B1ms": 2, "B2s": 4, "B2ms": 8, "B4ms": 16, "B8ms": 32,
    "B12ms": 48, "B16ms": 64, "B20ms": 80,
}


def _memory(size: AzureName) -> float | None:
    if size.series == "B" and not size.version:
        return _B_SERIES_GIB.get(f"B{size.vcpus}{size.features}")
    if size.series == "D" and size.version in ("v3", "v4", "v5") and "p" not in size.features:
        return size.vcpus * (2.0 if "l" in size.features else 4.0)
    if (
        size.series == "E"
        and size.version in ("v3", "v4", "v5")
        and size.vcpus <= 48
        and set(size.features) <= set("ads")
    ):
        return size.vcpus * 8.0
    if size.series == "F" and (
        (size.version == "" and size.features in ("", "s")) or (size.version == "v2" and size.features == "s")
    ):
        return size.vcpus * 2.0
    return None


def spec(name: str) -> Spec | None:
    """vCPUs (and memory, where the series pages give it) of a size, or None."""
    size = parse(name)
    if size is None or (size.series, size.version) in _NUMBERED:
        return None
    return Spec(size.active_vcpus, _memory(size))


# --- types that do not exist -------------------------------------------------------------------
# Microsoft Learn, "Dv3 and Dsv3-series", "Dv4 and Dsv4-series", "Dav4 and Dasv4-series",
# "Dv5 and Dsv5-series", "Ddv5 and Ddsv5-series", "Dasv5 and Dadsv5-series", "Dlsv5 and
# Dldsv5-series", "Fsv2-series" (the size numbers of each); the union per group, so a size one
# member of the group lacks is accepted, never refused.
_SIZE_NUMBERS = {
    ("D", "v3"): (2, 4, 8, 16, 32, 48, 64, 96),
    ("D", "v4"): (2, 4, 8, 16, 32, 48, 64, 96),
    ("D", "v5"): (2, 4, 8, 16, 32, 48, 64, 96),
    ("F", "v2"): (2, 4, 8, 16, 32, 48, 64, 72),
}


def missing(name: str) -> Missing | None:
    """Why a size of a series we know whole is not a real one, or None (see specs.missing_type)."""
    size = parse(name)
    if size is None:
        return None
    if size.series == "B" and not size.version:
        real = [(int(re.match(r"B([0-9]+)", b).group(1)), f"Standard_{b}") for b in _B_SERIES_GIB]
        if name in (n for _, n in real):
            return None
        alike = [(n, b) for n, b in real if b.endswith(size.features)]  # B3ms: B2ms and B4ms
        real = alike if len(alike) > 1 else real
        return Missing("an Azure VM size", "B", tuple(either_side(size.vcpus, real)))
    numbers = _SIZE_NUMBERS.get((size.series, size.version))
    if numbers is None or not set(size.features) <= set("adls") or size.vcpus != size.active_vcpus:
        return None
    if size.series == "F" and size.features != "s":
        return None  # Fsv2 is the only F series of that version
    if size.vcpus in numbers:
        return None
    match = NAME.match(name)
    assert match is not None  # parse matched it
    start, end = match.span(2)
    real = [(n, f"{name[:start]}{n}{name[end:]}") for n in numbers]
    return Missing("an Azure VM size", size.family, tuple(either_side(size.vcpus, real)))
