"""How big an instance type is: vCPUs and memory, and how its name splits into family and size.

`instance_spec(provider, name)` answers for AWS (EC2, and RDS `db.` / ElastiCache `cache.`
classes through their EC2 equivalents), GCP machine types (bundled table plus custom types
parsed from the name) and Azure VM sizes (parsed from the name). A type it does not know is
None, never a guess. Tables are built on first use: importing this module costs nothing.

Naming (shared with the instance-size rule):
- AWS-style names (`m5.large`, `db.t4g.micro`): the family is the text before the first dot,
  after a `db.` or `cache.` prefix (`db.t4g.large` is family `db.t4g`); the size is the rest,
  ranked by `size_rank`.
- GCP machine types (`n2-standard-4`, `custom-4-16384`): the family is the series before the
  first dash (`n2`, `e2`, `custom`); they have no ranked size.
- Azure sizes (`Standard_D4s_v5`): the family is the series as Azure's documentation writes
  it: letters, additive features and version (`Dsv5`, `Edsv5`, `Fsv2`; the first B-series is
  `B`); no ranked size. Globs over the full name (`Standard_D*s_v5`) are often handier.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

GCP_TABLE = Path(__file__).parent / "data" / "gcp_machine_types.json"


@dataclass(frozen=True)
class Spec:
    vcpu: int
    memory_gib: float | None  # None where the size is known but its memory is not


# --- names and sizes -------------------------------------------------------------------------

_SIZE_WORDS = {"nano": 0, "micro": 1, "small": 2, "medium": 3, "large": 4, "xlarge": 5}
_MULTI_XLARGE = re.compile(r"^([1-9][0-9]*)xlarge$")
# Any metal size outranks every virtual size; metal variants (metal-24xl) rank alike.
_METAL_RANK = 1_000_000


def size_rank(size: str) -> int | None:
    """nano < micro < small < medium < large < xlarge < 2xlarge < ... < 48xlarge < metal."""
    if size in _SIZE_WORDS:
        return _SIZE_WORDS[size]
    match = _MULTI_XLARGE.match(size)
    if match:
        return _SIZE_WORDS["xlarge"] + int(match.group(1)) - 1
    if size == "metal" or size.startswith("metal-"):
        return _METAL_RANK
    return None


_AWS_SERVICE_PREFIXES = ("db.", "cache.")
_AZURE_NAME = re.compile(
    r"^(?:Standard|Basic)_([A-Z]+)([0-9]+)(?:-([0-9]+))?([a-z]*)((?:_[A-Za-z0-9]+)*)$"
)


def split_instance_type(name: str) -> tuple[str, str]:
    """(family, size) of an instance type name; size is "" where names carry no ranked size."""
    if name.startswith(("Standard_", "Basic_")):
        parsed = _parse_azure(name)
        return (parsed.family if parsed else name), ""
    if "." in name:
        prefix = next((p for p in _AWS_SERVICE_PREFIXES if name.startswith(p)), "")
        family, _, size = name[len(prefix):].partition(".")
        return prefix + family, size
    family, _, _ = name.partition("-")
    return family, ""


def provider_of(name: str) -> str:
    """The cloud an instance type name belongs to, from its shape: aws, google, azurerm or ""."""
    if name.startswith(("Standard_", "Basic_")):
        return "azurerm"
    if "." in name:
        return "aws"
    if "-" in name:
        return "google"
    return ""


def instance_spec(provider: str, name: str) -> Spec | None:
    """vCPUs and memory of an instance type, or None when it is not in the tables.

    `provider` is the Terraform provider (aws, google, azurerm); "" or "kubernetes" infers it
    from the name, as for a node selector's instance-type label.
    """
    if provider in ("", "kubernetes"):
        provider = provider_of(name)
    if provider == "aws":
        return _aws_spec(name)
    if provider == "google":
        return _gcp_spec(name)
    if provider in ("azurerm", "azure"):
        return _azure_spec(name)
    return None


# --- AWS -------------------------------------------------------------------------------------
# Written from AWS's published specifications, the "Amazon EC2 instance types" pages
# (docs.aws.amazon.com/ec2/latest/instancetypes: general purpose, compute optimized, memory
# optimized, storage optimized, accelerated computing and previous generation). Within these
# families every size has the same GiB of memory per vCPU, and a size has 1 (medium), 2 (large),
# 4 (xlarge) or 4*N (Nxlarge, metal-Nxl) vCPUs; `metal` has the vCPUs given per family.
# Sizes and families outside those patterns are listed one by one in _AWS_EXACT.


class _Family(NamedTuple):
    gib_per_vcpu: float
    sizes: str
    metal_vcpus: int = 0


_GRAVITON = "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"
_NITRO5 = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge"
_NITRO6 = _NITRO5 + " 32xlarge"
_AMD6 = _NITRO6 + " 48xlarge"
_AMD7 = "medium " + _AMD6 + " metal-48xl"
_INTEL7 = _NITRO5 + " 48xlarge metal-24xl metal-48xl"
_C5 = "large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge"
_FLEX = "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"
_GPU = "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge"

_AWS_FAMILIES: dict[str, _Family] = {
    # general purpose
    "a1": _Family(2, "medium large xlarge 2xlarge 4xlarge metal", 16),
    "m3": _Family(3.75, "medium large xlarge 2xlarge"),
    "m4": _Family(4, "large xlarge 2xlarge 4xlarge 10xlarge 16xlarge"),
    "m5": _Family(4, _NITRO5 + " metal", 96),
    "m5a": _Family(4, _NITRO5),
    "m5ad": _Family(4, _NITRO5),
    "m5d": _Family(4, _NITRO5 + " metal", 96),
    "m5dn": _Family(4, _NITRO5 + " metal", 96),
    "m5n": _Family(4, _NITRO5 + " metal", 96),
    "m5zn": _Family(4, "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal", 48),
    "m6a": _Family(4, _AMD6 + " metal", 192),
    "m6g": _Family(4, _GRAVITON + " metal", 64),
    "m6gd": _Family(4, _GRAVITON + " metal", 64),
    "m6i": _Family(4, _NITRO6 + " metal", 128),
    "m6id": _Family(4, _NITRO6 + " metal", 128),
    "m6idn": _Family(4, _NITRO6 + " metal", 128),
    "m6in": _Family(4, _NITRO6 + " metal", 128),
    "m7a": _Family(4, _AMD7),
    "m7g": _Family(4, _GRAVITON + " metal", 64),
    "m7gd": _Family(4, _GRAVITON + " metal", 64),
    "m7i": _Family(4, _INTEL7),
    "m7i-flex": _Family(4, _FLEX),
    # compute optimized
    "c3": _Family(1.875, "large xlarge 2xlarge 4xlarge 8xlarge"),
    "c5": _Family(2, _C5 + " metal", 96),
    "c5a": _Family(2, _NITRO5),
    "c5ad": _Family(2, _NITRO5),
    "c5d": _Family(2, _C5 + " metal", 96),
    "c6a": _Family(2, _AMD6 + " metal", 192),
    "c6g": _Family(2, _GRAVITON + " metal", 64),
    "c6gd": _Family(2, _GRAVITON + " metal", 64),
    "c6gn": _Family(2, _GRAVITON),
    "c6i": _Family(2, _NITRO6 + " metal", 128),
    "c6id": _Family(2, _NITRO6 + " metal", 128),
    "c6in": _Family(2, _NITRO6 + " metal", 128),
    "c7a": _Family(2, _AMD7),
    "c7g": _Family(2, _GRAVITON + " metal", 64),
    "c7gd": _Family(2, _GRAVITON + " metal", 64),
    "c7gn": _Family(2, _GRAVITON + " metal", 64),
    "c7i": _Family(2, _INTEL7),
    "c7i-flex": _Family(2, _FLEX),
    # memory optimized
    "r3": _Family(7.625, "large xlarge 2xlarge 4xlarge 8xlarge"),
    "r4": _Family(7.625, "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge"),
    "r5": _Family(8, _NITRO5 + " metal", 96),
    "r5a": _Family(8, _NITRO5),
    "r5ad": _Family(8, _NITRO5),
    "r5b": _Family(8, _NITRO5 + " metal", 96),
    "r5d": _Family(8, _NITRO5 + " metal", 96),
    "r5dn": _Family(8, _NITRO5 + " metal", 96),
    "r5n": _Family(8, _NITRO5 + " metal", 96),
    "r6a": _Family(8, _AMD6 + " metal", 192),
    "r6g": _Family(8, _GRAVITON + " metal", 64),
    "r6gd": _Family(8, _GRAVITON + " metal", 64),
    "r6i": _Family(8, _NITRO6 + " metal", 128),
    "r6id": _Family(8, _NITRO6 + " metal", 128),
    "r6idn": _Family(8, _NITRO6 + " metal", 128),
    "r6in": _Family(8, _NITRO6 + " metal", 128),
    "r7a": _Family(8, _AMD7),
    "r7g": _Family(8, _GRAVITON + " metal", 64),
    "r7gd": _Family(8, _GRAVITON + " metal", 64),
    "r7i": _Family(8, _INTEL7),
    "r7iz": _Family(8, _FLEX + " 32xlarge metal-16xl metal-32xl"),
    "x1": _Family(15.25, "16xlarge 32xlarge"),
    "x1e": _Family(30.5, "xlarge 2xlarge 4xlarge 8xlarge 16xlarge 32xlarge"),
    "x2gd": _Family(16, _GRAVITON + " metal", 64),
    "x2idn": _Family(16, "16xlarge 24xlarge 32xlarge metal", 128),
    "x2iedn": _Family(32, "xlarge 2xlarge 4xlarge 8xlarge 16xlarge 24xlarge 32xlarge metal", 128),
    "x2iezn": _Family(32, "2xlarge 4xlarge 6xlarge 8xlarge 12xlarge metal", 48),
    "z1d": _Family(8, "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge metal", 48),
    # storage optimized
    "d3": _Family(8, "xlarge 2xlarge 4xlarge 8xlarge"),
    "d3en": _Family(4, "xlarge 2xlarge 4xlarge 6xlarge 8xlarge 12xlarge"),
    "h1": _Family(4, "2xlarge 4xlarge 8xlarge 16xlarge"),
    "i3": _Family(7.625, "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge"),
    "i3en": _Family(8, "large xlarge 2xlarge 3xlarge 6xlarge 12xlarge 24xlarge metal", 96),
    "i4g": _Family(8, "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge"),
    "i4i": _Family(8, _NITRO6 + " metal", 128),
    "im4gn": _Family(4, "large xlarge 2xlarge 4xlarge 8xlarge 16xlarge"),
    "is4gen": _Family(6, "medium large xlarge 2xlarge 4xlarge 8xlarge"),
    # accelerated computing
    "g3": _Family(7.625, "4xlarge 8xlarge 16xlarge"),
    "g4ad": _Family(4, "xlarge 2xlarge 4xlarge 8xlarge 16xlarge"),
    "g4dn": _Family(4, "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal", 96),
    "g5": _Family(4, _GPU),
    "g5g": _Family(2, "xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal", 64),
    "g6": _Family(4, _GPU),
    "g6e": _Family(8, _GPU),
    "inf1": _Family(2, "xlarge 2xlarge 6xlarge 24xlarge"),
    "inf2": _Family(4, "xlarge 8xlarge 24xlarge 48xlarge"),
    "p3": _Family(7.625, "2xlarge 8xlarge 16xlarge"),
    "trn1": _Family(4, "2xlarge 32xlarge"),
    "vt1": _Family(2, "3xlarge 6xlarge 24xlarge"),
}

# (vCPUs, GiB) where a family does not follow the per-vCPU pattern above.
_AWS_EXACT: dict[str, tuple[int, float]] = {
    # burstable: vCPUs and memory do not scale together
    "t2.nano": (1, 0.5), "t2.micro": (1, 1), "t2.small": (1, 2), "t2.medium": (2, 4),
    "t2.large": (2, 8), "t2.xlarge": (4, 16), "t2.2xlarge": (8, 32),
    **{
        f"{family}.{size}": spec
        for family in ("t3", "t3a", "t4g")
        for size, spec in {
            "nano": (2, 0.5), "micro": (2, 1), "small": (2, 2), "medium": (2, 4),
            "large": (2, 8), "xlarge": (4, 16), "2xlarge": (8, 32),
        }.items()
    },
    "c4.large": (2, 3.75), "c4.xlarge": (4, 7.5), "c4.2xlarge": (8, 15), "c4.4xlarge": (16, 30),
    "c4.8xlarge": (36, 60),
    "c5n.large": (2, 5.25), "c5n.xlarge": (4, 10.5), "c5n.2xlarge": (8, 21),
    "c5n.4xlarge": (16, 42), "c5n.9xlarge": (36, 96), "c5n.18xlarge": (72, 192),
    "c5n.metal": (72, 192),
    "d2.xlarge": (4, 30.5), "d2.2xlarge": (8, 61), "d2.4xlarge": (16, 122), "d2.8xlarge": (36, 244),
    "i3.metal": (72, 512),
    "g3s.xlarge": (4, 30.5),
    "p2.xlarge": (4, 61), "p2.8xlarge": (32, 488), "p2.16xlarge": (64, 732),
    "p3dn.24xlarge": (96, 768),
    "p4d.24xlarge": (96, 1152),
    "p4de.24xlarge": (96, 1152),
    "p5.48xlarge": (192, 2048),
    "dl1.24xlarge": (96, 768),
    "trn1n.32xlarge": (128, 512),
    "u-3tb1.56xlarge": (224, 3072),
    "u-6tb1.56xlarge": (224, 6144),
    "u-6tb1.112xlarge": (448, 6144),
    "u-9tb1.112xlarge": (448, 9216),
    "u-12tb1.112xlarge": (448, 12288),
    "u-18tb1.112xlarge": (448, 18432),
    "u-24tb1.112xlarge": (448, 24576),
}


def _size_vcpus(size: str, metal_vcpus: int) -> int | None:
    if size == "medium":
        return 1
    if size == "large":
        return 2
    if size == "xlarge":
        return 4
    match = re.fullmatch(r"([1-9][0-9]*)xlarge|metal-([1-9][0-9]*)xl", size)
    if match:
        return 4 * int(match.group(1) or match.group(2))
    if size == "metal" and metal_vcpus:
        return metal_vcpus
    return None


@functools.lru_cache(maxsize=None)
def _aws_table() -> dict[str, Spec]:
    table: dict[str, Spec] = {}
    for family, info in _AWS_FAMILIES.items():
        for size in info.sizes.split():
            vcpus = _size_vcpus(size, info.metal_vcpus)
            if vcpus is not None:
                table[f"{family}.{size}"] = Spec(vcpus, vcpus * info.gib_per_vcpu)
    for name, (vcpus, gib) in _AWS_EXACT.items():
        table[name] = Spec(vcpus, float(gib))
    return table


def _aws_spec(name: str) -> Spec | None:
    if name.startswith("db."):
        # RDS classes run on the EC2 type of the same name; RDS offers no metal.
        ec2 = name[len("db."):]
        return None if ec2.endswith(".metal") or ".metal-" in ec2 else _aws_table().get(ec2)
    if name.startswith("cache."):
        # ElastiCache publishes the memory left to the engine, less than the instance's;
        # only the vCPU count carries over from EC2.
        spec = _aws_table().get(name[len("cache."):])
        return Spec(spec.vcpu, None) if spec else None
    return _aws_table().get(name)


# --- GCP -------------------------------------------------------------------------------------
# The table is generated by guardrails/providers/data/build_gcp_specs.py from a pricing file. GCP states
# machine memory in "GB" meaning 2^30 bytes, and custom machine memory in MB of 2^20 bytes.

_GCP_CUSTOM = re.compile(r"^(?:([a-z][a-z0-9]*)-)?custom-([1-9][0-9]*)-([1-9][0-9]*)(-ext)?$")


@functools.lru_cache(maxsize=None)
def _gcp_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GCP_TABLE.read_text(encoding="utf-8"))
    return data


@functools.lru_cache(maxsize=None)
def _gcp_table() -> dict[str, Spec]:
    machine_types = _gcp_data()["machine_types"]
    return {name: Spec(int(cpu), float(ram)) for name, (cpu, ram) in machine_types.items()}


def _gcp_spec(name: str) -> Spec | None:
    custom = _GCP_CUSTOM.match(name)
    if custom:
        return Spec(int(custom.group(2)), int(custom.group(3)) / 1024)
    return _gcp_table().get(name)


# --- Azure -----------------------------------------------------------------------------------
# Names follow Microsoft's "Azure virtual machine sizes naming conventions":
# Standard_<series><vCPUs>[-<constrained vCPUs>]<additive features>[_<accelerator>][_<version>].
# Older series number their sizes rather than counting vCPUs (Standard_D3_v2 has 4, D11_v2 has 2),
# so those are not read. Memory per vCPU is from Microsoft Learn's size series pages
# ("Dv3/Dsv3", "Dv4/Dsv4/Ddv4/Ddsv4", "Dasv5", "Dv5/Dsv5/Ddv5/Ddsv5", "Ev3/Esv3", "Ev4/Esv4",
# "Ev5/Esv5/Edv5/Edsv5", "Easv5", "Fsv2", "F", "B-series"); E-series sizes above 48 vCPUs
# (E64_v3 has 432 GiB, E96_v5 672 GiB) and other series are left without memory.


class _AzureName(NamedTuple):
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


def _parse_azure(name: str) -> _AzureName | None:
    match = _AZURE_NAME.match(name)
    if not match:
        return None
    series, number, constrained, features, tail = match.groups()
    parts = [part for part in tail.split("_") if part]
    version = parts[-1] if parts and re.fullmatch(r"v[0-9]+", parts[-1]) else ""
    vcpus = int(number)
    return _AzureName(series, vcpus, int(constrained) if constrained else vcpus, features, version)


# Series whose number is not a vCPU count, by version ("" = first).
_AZURE_NUMBERED = {("A", ""), ("D", ""), ("D", "v2"), ("DS", ""), ("DS", "v2"), ("G", ""), ("GS", "")}
_AZURE_B_SERIES_GIB = {
    "B1ls": 0.5, "B1s": 1, "B1ms": 2, "B2s": 4, "B2ms": 8, "B4ms": 16, "B8ms": 32,
    "B12ms": 48, "B16ms": 64, "B20ms": 80,
}


def _azure_memory(size: _AzureName) -> float | None:
    if size.series == "B" and not size.version:
        return _AZURE_B_SERIES_GIB.get(f"B{size.vcpus}{size.features}")
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


def _azure_spec(name: str) -> Spec | None:
    size = _parse_azure(name)
    if size is None or (size.series, size.version) in _AZURE_NUMBERED:
        return None
    return Spec(size.active_vcpus, _azure_memory(size))


# --- types that do not exist -------------------------------------------------------------------
# Only families we know whole are judged: each listed family above has every size AWS offers;
# families known only by a few sizes (p5, the u-* high-memory types) are left out, as are RDS
# classes spelled with their Oracle processor options (db.r5.4xlarge.tpc2.mem4x: only the size
# before the options is checked).
_AWS_WHOLE_EXACT = frozenset({"t2", "t3", "t3a", "t4g", "c4", "c5n", "d2", "p2"})
_AWS_KINDS = {"": "an EC2 instance type", "db.": "an RDS instance class", "cache.": "an ElastiCache node type"}
# Microsoft Learn, "Dv3 and Dsv3-series", "Dv4 and Dsv4-series", "Dav4 and Dasv4-series",
# "Dv5 and Dsv5-series", "Ddv5 and Ddsv5-series", "Dasv5 and Dadsv5-series", "Dlsv5 and
# Dldsv5-series", "Fsv2-series" (the size numbers of each); the union per group, so a size one
# member of the group lacks is accepted, never refused.
_AZURE_SIZE_NUMBERS = {
    ("D", "v3"): (2, 4, 8, 16, 32, 48, 64, 96),
    ("D", "v4"): (2, 4, 8, 16, 32, 48, 64, 96),
    ("D", "v5"): (2, 4, 8, 16, 32, 48, 64, 96),
    ("F", "v2"): (2, 4, 8, 16, 32, 48, 64, 72),
}
_GCP_NUMBERED = re.compile(r"^([a-z][a-z0-9]*-[a-z]+)-([1-9][0-9]*)$")


class Missing(NamedTuple):
    """An instance type name its provider does not offer, though its family is one we know whole."""

    kind: str  # "an EC2 instance type"
    family: str  # as the rule's families option names it
    nearest: tuple[str, ...]  # the real sizes either side of the one asked for, or the whole family


def missing_type(provider: str, name: str) -> Missing | None:
    """Why `name` is not a real instance type, or None: it exists, or its family is not known whole."""
    if provider in ("", "kubernetes"):
        provider = provider_of(name)
    if provider == "aws":
        return _aws_missing(name)
    if provider == "google":
        return _gcp_missing(name)
    if provider in ("azurerm", "azure"):
        return _azure_missing(name)
    return None


def _aws_missing(name: str) -> Missing | None:
    prefix = next((p for p in _AWS_SERVICE_PREFIXES if name.startswith(p)), "")
    family, dot, size = name[len(prefix):].partition(".")
    if not dot:
        return None
    if prefix == "db.":
        size = size.split(".", 1)[0]  # db.r5.4xlarge.tpc2.mem4x runs on db.r5.4xlarge
    members = _aws_family_sizes(family)
    if members is None:
        return None
    if prefix:
        # RDS and ElastiCache offer no metal.
        members = {s: v for s, v in members.items() if not s.startswith("metal")}
    if size in members:
        return None
    vcpus = _size_vcpus(size, 0)
    nearest = _either_side(vcpus, [(v, s) for s, v in members.items()]) if vcpus else list(members)
    return Missing(_AWS_KINDS[prefix], prefix + family, tuple(f"{prefix}{family}.{s}" for s in nearest))


def _aws_family_sizes(family: str) -> dict[str, int] | None:
    """Each size of a family we know whole, with its vCPUs, smallest first."""
    if family not in _AWS_FAMILIES and family not in _AWS_WHOLE_EXACT:
        return None
    return _aws_families()[family]


@functools.lru_cache(maxsize=None)
def _aws_families() -> dict[str, dict[str, int]]:
    families: dict[str, dict[str, int]] = {}
    for name, spec in _aws_table().items():
        family, _, size = name.partition(".")
        families.setdefault(family, {})[size] = spec.vcpu
    return {family: dict(sorted(sizes.items(), key=lambda item: (size_rank(item[0]) or 0, item[1])))
            for family, sizes in families.items()}


def _either_side(key: int, members: list[tuple[int, str]]) -> list[str]:
    """The largest member below `key` and the smallest above it (one of them at the ends)."""
    below = [m for m in members if m[0] < key]
    above = [m for m in members if m[0] > key]
    out = []
    if below:
        out.append(max(below, key=lambda m: m[0])[1])
    if above:
        out.append(min(above, key=lambda m: m[0])[1])
    return out or [name for _, name in members]


def _gcp_missing(name: str) -> Missing | None:
    match = _GCP_NUMBERED.match(name)
    if not match or _GCP_CUSTOM.match(name) or name in _gcp_table():
        return None
    group, number = match.group(1), int(match.group(2))
    members = []
    for other in _gcp_table():
        found = _GCP_NUMBERED.match(other)
        if found and found.group(1) == group:
            members.append((int(found.group(2)), other))
    if not members:
        return None  # a series we have no table for
    members.sort()
    return Missing("a Compute Engine machine type", group, tuple(_either_side(number, members)))


def _azure_missing(name: str) -> Missing | None:
    size = _parse_azure(name)
    if size is None:
        return None
    if size.series == "B" and not size.version:
        real = [(int(re.match(r"B([0-9]+)", b).group(1)), f"Standard_{b}") for b in _AZURE_B_SERIES_GIB]
        if name in (n for _, n in real):
            return None
        alike = [(n, b) for n, b in real if b.endswith(size.features)]  # B3ms: B2ms and B4ms
        real = alike if len(alike) > 1 else real
        return Missing("an Azure VM size", "B", tuple(_either_side(size.vcpus, real)))
    numbers = _AZURE_SIZE_NUMBERS.get((size.series, size.version))
    if numbers is None or not set(size.features) <= set("adls") or size.vcpus != size.active_vcpus:
        return None
    if size.series == "F" and size.features != "s":
        return None  # Fsv2 is the only F series of that version
    if size.vcpus in numbers:
        return None
    match = _AZURE_NAME.match(name)
    assert match is not None  # _parse_azure matched it
    start, end = match.span(2)
    real = [(n, f"{name[:start]}{n}{name[end:]}") for n in numbers]
    return Missing("an Azure VM size", size.family, tuple(_either_side(size.vcpus, real)))


def spec_table_sources() -> dict[str, Any]:
    """Where the tables come from, for `guardrails prices show` and the docs."""
    data = _gcp_data()
    return {
        "aws": "Amazon EC2 instance types specifications (docs.aws.amazon.com), written by hand",
        "google": f"{data['source']} ({data['source_file']}, generated {data['generated']})",
        "azurerm": "parsed from the size name; memory per Microsoft Learn size series pages",
    }
