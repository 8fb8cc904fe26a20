"""How much of what real repositories deploy guardrails prices: the coverage misses that are ours.

    python benchmarks/coverage.py /path/to/repo [/path/to/another ...] [--json FILE]

Runs `guardrails cost <repo> --format json` on each repository (offline, as a CI job would, with
AWS_REGION=us-east-1 and GOOGLE_REGION=us-central1 set so that reusable modules without a provider
block still have a region) and sorts every resource it reports:

- priced: every part priced;
- in part: priced, but a part has no price (a coverage miss of ours, counted apart);
- coverage miss: unpriced because the type is not modelled or an item or region is missing from
  the catalog: ours to fix;
- not rendered: contents guardrails cannot see (a Helm release), counted apart from coverage;
- not ours: unpriced for a reason in the configuration (a value that cannot be evaluated, a count
  that depends on something unknown, a module that was not inspected).

Free resources (IAM, networks, ...) are not in the report's resources at all. The figure the issue
asks for is coverage misses / (priced + in part + coverage misses): the share of what we could
price that we do not.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

OURS = (
    re.compile(r"resource type \S+ is not modelled"),
    re.compile(r"is not in the price catalog"),
    re.compile(r"has no \S+ \S+ prices in the price catalog"),
    re.compile(r"is not among the \S+ regions of the price catalog"),
    re.compile(r"not modelled"),
)
NOT_RENDERED = re.compile(r"contents not rendered")


def classify(resource: dict) -> str:
    reason = resource.get("unpriced")
    if reason is None:
        return "in part" if resource.get("incomplete") else "priced"
    if NOT_RENDERED.search(reason):
        return "not rendered"
    if any(p.search(reason) for p in OURS):
        return "coverage miss"
    return "not ours"


def guardrails_command() -> list[str]:
    script = Path(sys.executable).parent / "guardrails"
    return [str(script)] if script.exists() else [sys.executable, "-m", "guardrails"]


def measure(repo: Path) -> dict:
    env = dict(os.environ, AWS_REGION="us-east-1", GOOGLE_REGION="us-central1")
    done = subprocess.run([*guardrails_command(), "cost", ".", "--format", "json"], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout:
        return {"repo": repo.name, "error": (done.stderr or "no output").strip().splitlines()[-1:]}
    cost = json.loads(done.stdout).get("cost") or {}
    kinds: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    for resource in cost.get("resources", []):
        kind = classify(resource)
        kinds[kind] += 1
        if kind == "coverage miss":
            reason = re.sub(r"\s*\(.*?\)", "", resource["unpriced"]).replace(f"resource type {resource['type']} ", "")
            misses[f"{resource['type']}: {reason[:80]}"] += 1
        for part in resource.get("missing") or []:
            misses["(part) " + resource["type"] + ": " + part["name"][:60]] += 1
    could = kinds["priced"] + kinds["in part"] + kinds["coverage miss"]
    return {"repo": repo.name, **{k: kinds[k] for k in ("priced", "in part", "coverage miss", "not rendered", "not ours")},
            "miss_percent": round(100 * kinds["coverage miss"] / could, 1) if could else None,
            "monthly": (cost.get("monthly") or {}).get("after"), "top_misses": misses.most_common(8)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    rows = [measure(repo) for repo in args.repos]
    print("| repository | priced | in part | coverage miss | not rendered | not ours | miss % | monthly |")
    print("|---|---|---|---|---|---|---|---|")
    total: Counter[str] = Counter()
    for row in rows:
        if "error" in row:
            print(f"| {row['repo']} | error: {row['error']} |")
            continue
        for key in ("priced", "in part", "coverage miss", "not rendered", "not ours"):
            total[key] += row[key]
        print(f"| {row['repo']} | {row['priced']} | {row['in part']} | {row['coverage miss']} | {row['not rendered']} "
              f"| {row['not ours']} | {row['miss_percent']} | {row['monthly']} |")
    could = total["priced"] + total["in part"] + total["coverage miss"]
    share = round(100 * total["coverage miss"] / could, 1) if could else None
    print(f"| all | {total['priced']} | {total['in part']} | {total['coverage miss']} | {total['not rendered']} "
          f"| {total['not ours']} | {share} | |")
    for row in rows:
        if row.get("top_misses"):
            print(f"\n{row['repo']}:")
            for what, n in row["top_misses"]:
                print(f"  {n:4d}  {what}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "total": dict(total), "miss_percent": share}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
