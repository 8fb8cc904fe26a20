"""Build gcp_machine_types.json (vCPUs and memory per machine type) from a GCP pricing file.

    python -m guardrails.providers.data.build_gcp_specs /path/to/gcp-pricing-YYYY-MM-DD.yml

The input is the `pricing.yml` of the public Cyclenerd/google-cloud-pricing-cost-calculator
project: `compute.instance.<machine-type>.cpu` and `.ram` (GB of 2^30 bytes, as GCP counts).
Custom types (`custom-4-16384`, `n2-custom-...`) are left out: their size is in their name.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import re
import sys
from pathlib import Path
from typing import Any, Mapping

import yaml

OUTPUT = Path(__file__).parent / "gcp_machine_types.json"
SOURCE = "Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml"

# The pricing file gives shared-core types the fraction of a vCPU they are billed for (e2-micro
# 0.25); the guest sees whole vCPUs, which is what a vCPU limit is about. Counts from Google
# Cloud's "Shared-core machine types" documentation.
SHARED_CORE_VCPUS = {"e2-micro": 2, "e2-small": 2, "e2-medium": 2, "f1-micro": 1, "g1-small": 1}

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BuildError(Exception):
    """The pricing file does not have the shape this script reads."""


def machine_types(pricing: Mapping[str, Any]) -> dict[str, tuple[int, float]]:
    """{machine type: (vCPUs, GiB)} from a parsed pricing file."""
    instances = (pricing.get("compute") or {}).get("instance") if isinstance(pricing, dict) else None
    if not isinstance(instances, dict) or not instances:
        raise BuildError("no compute.instance section: is this a Cyclenerd pricing.yml?")
    table: dict[str, tuple[int, float]] = {}
    for name, entry in instances.items():
        if not isinstance(name, str) or "custom" in name or not _NAME.match(name):
            continue
        if not isinstance(entry, dict):
            raise BuildError(f"compute.instance.{name} is not a mapping")
        cpu, ram = entry.get("cpu"), entry.get("ram")
        if not _positive_number(cpu) or not _positive_number(ram):
            raise BuildError(f"compute.instance.{name}: cpu {cpu!r} and ram {ram!r} must be positive numbers")
        if name in SHARED_CORE_VCPUS:
            vcpus = SHARED_CORE_VCPUS[name]
        elif float(cpu).is_integer():
            vcpus = int(cpu)
        else:
            raise BuildError(f"compute.instance.{name}: fractional cpu {cpu} of an unknown shared-core type")
        table[name] = (vcpus, float(ram))
    return table


def _positive_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def generated_date(pricing: Mapping[str, Any]) -> str:
    """The day the pricing file was generated (UTC), from `about.timestamp`."""
    stamp = (pricing.get("about") or {}).get("timestamp")
    if not isinstance(stamp, int):
        raise BuildError("no about.timestamp: cannot record the date of the source")
    return _dt.datetime.fromtimestamp(stamp, tz=_dt.timezone.utc).date().isoformat()


def render(table: Mapping[str, tuple[int, float]], source_file: str, generated: str) -> str:
    """Compact JSON with sorted keys, one machine type a line so that a rebuild diffs readably."""
    document: dict[str, Any] = {
        "generated": generated,
        "machine_types": None,  # rendered below
        "source": SOURCE,
        "source_file": source_file,
        "units": {"memory": "GiB", "vcpu": "vCPUs seen by the guest"},
    }
    rows = ",\n".join(f"{_dump(name)}:[{vcpu},{_number(ram)}]" for name, (vcpu, ram) in sorted(table.items()))
    parts = [
        f"{_dump(key)}:" + ("{\n" + rows + "\n}" if key == "machine_types" else _dump(value))
        for key, value in sorted(document.items())
    ]
    return "{" + ",\n".join(parts) + "}\n"


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def build(source: Path, output: Path = OUTPUT) -> int:
    """Write the table for `source` to `output`; the number of machine types written."""
    try:
        with source.open("rb") as handle:
            pricing = yaml.load(handle, Loader=_Loader)
    except OSError as error:
        raise BuildError(f"cannot read {source}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise BuildError(f"{source} is not valid YAML: {error}") from error
    if not isinstance(pricing, dict):
        raise BuildError(f"{source} is not a pricing file (top level is not a mapping)")
    table = machine_types(pricing)
    output.write_text(render(table, source.name, generated_date(pricing)), encoding="utf-8")
    return len(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pricing", type=Path, help="the pricing.yml to read")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    try:
        count = build(args.pricing, args.output)
    except BuildError as error:
        sys.stderr.write(f"build_gcp_specs: {error}\n")
        return 2
    sys.stderr.write(f"wrote {count} machine types to {args.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
