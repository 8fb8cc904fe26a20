"""AWS instance specs: EC2 instance types, and the RDS (`db.`) and ElastiCache (`cache.`) classes
that run on them.

One of the three per-cloud tables specs.py joins. The table is built on first use, so importing
this module costs nothing.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from guardrails.providers.specs_common import Missing, Spec, either_side, size_rank

# RDS classes and ElastiCache node types are the EC2 type's name behind a prefix.
SERVICE_PREFIXES = ("db.", "cache.")

# Written from AWS's published specifications, the "Amazon EC2 instance types" pages
# (docs.aws.amazon.com/ec2/latest/instancetypes: general purpose, compute optimized, memory
# optimized, storage optimized, accelerated computing and previous generation). Within these
# families every size has the same GiB of memory per vCPU, and a size has 1 (medium), 2 (large),
# 4 (xlarge) or 4*N (Nxlarge, metal-Nxl) vCPUs; `metal` has the vCPUs given per family.
# Sizes and families outside those patterns are listed one by one in EXACT.


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

FAMILIES: dict[str, _Family] = {
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
EXACT: dict[str, tuple[int, float]] = {
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
def table() -> dict[str, Spec]:
    """Every EC2 type the tables know, by name."""
    specs: dict[str, Spec] = {}
    for family, info in FAMILIES.items():
        for size in info.sizes.split():
            vcpus = _size_vcpus(size, info.metal_vcpus)
            if vcpus is not None:
                specs[f"{family}.{size}"] = Spec(vcpus, vcpus * info.gib_per_vcpu)
    for name, (vcpus, gib) in EXACT.items():
        specs[name] = Spec(vcpus, float(gib))
    return specs


def spec(name: str) -> Spec | None:
    """vCPUs and memory of an EC2 type, RDS class or ElastiCache node type, or None."""
    if name.startswith("db."):
        # RDS classes run on the EC2 type of the same name; RDS offers no metal.
        ec2 = name[len("db."):]
        return None if ec2.endswith(".metal") or ".metal-" in ec2 else table().get(ec2)
    if name.startswith("cache."):
        # ElastiCache publishes the memory left to the engine, less than the instance's;
        # only the vCPU count carries over from EC2.
        ec2 = table().get(name[len("cache."):])
        return Spec(ec2.vcpu, None) if ec2 else None
    return table().get(name)


# --- types that do not exist -------------------------------------------------------------------
# Only families we know whole are judged: each listed family above has every size AWS offers;
# families known only by a few sizes (p5, the u-* high-memory types) are left out, as are RDS
# classes spelled with their Oracle processor options (db.r5.4xlarge.tpc2.mem4x: only the size
# before the options is checked).
_WHOLE_EXACT = frozenset({"t2", "t3", "t3a", "t4g", "c4", "c5n", "d2", "p2"})
_KINDS = {"": "an EC2 instance type", "db.": "an RDS instance class", "cache.": "an ElastiCache node type"}


def missing(name: str) -> Missing | None:
    """Why an AWS-style name is not a real type, or None (see specs.missing_type)."""
    prefix = next((p for p in SERVICE_PREFIXES if name.startswith(p)), "")
    family, dot, size = name[len(prefix):].partition(".")
    if not dot:
        return None
    if prefix == "db.":
        size = size.split(".", 1)[0]  # db.r5.4xlarge.tpc2.mem4x runs on db.r5.4xlarge
    members = _family_sizes(family)
    if members is None:
        return None
    if prefix:
        # RDS and ElastiCache offer no metal.
        members = {s: v for s, v in members.items() if not s.startswith("metal")}
    if size in members:
        return None
    vcpus = _size_vcpus(size, 0)
    nearest = either_side(vcpus, [(v, s) for s, v in members.items()]) if vcpus else list(members)
    return Missing(_KINDS[prefix], prefix + family, tuple(f"{prefix}{family}.{s}" for s in nearest))


def _family_sizes(family: str) -> dict[str, int] | None:
    """Each size of a family we know whole, with its vCPUs, smallest first."""
    if family not in FAMILIES and family not in _WHOLE_EXACT:
        return None
    return _families()[family]


@functools.lru_cache(maxsize=None)
def _families() -> dict[str, dict[str, int]]:
    families: dict[str, dict[str, int]] = {}
    for name, found in table().items():
        family, _, size = name.partition(".")
        families.setdefault(family, {})[size] = found.vcpu
    return {family: dict(sorted(sizes.items(), key=lambda item: (size_rank(item[0]) or 0, item[1])))
            for family, sizes in families.items()}
