"""Compare two installs of guardrails on the same corpus: before and after a change.

    python benchmarks/corpus.py /tmp/corpus --scale medium --git
    python -m venv /tmp/before && /tmp/before/bin/pip install <old checkout>
    python -m venv /tmp/after && /tmp/after/bin/pip install .
    python benchmarks/ab.py --before /tmp/before --after /tmp/after --corpus /tmp/corpus --runs 15

Both are installed the same way (not editable), and their runs alternate, the order swapping each
round, so that a noisy neighbour or a warm page cache favours neither. Prints, per case, the
median wall time and the median CPU time (user + system, of the process and its children), which
is the steadier of the two on a shared machine. Cold runs get a fresh GUARDRAILS_CACHE_DIR each.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the corpus's fixed paths)

CASES = [
    ("start-up (--version)", ["--version"], "warm"),
    ("check 1 file of the 20-file module (pre-commit), warm", ["check", corpus.PRECOMMIT_CHANGED], "warm"),
    ("the same, cold", ["check", corpus.PRECOMMIT_CHANGED], "cold"),
    ("cost 1 root module, warm", ["cost", corpus.PRECOMMIT_DIR], "warm"),
    ("cost whole corpus, warm", ["cost", "."], "warm"),
]


def _run(venv: Path, args: list[str], cache: Path | None, where: Path) -> tuple[float, float]:
    env = dict(os.environ, GUARDRAILS_CACHE_DIR=str(cache or tempfile.mkdtemp(prefix="gr-ab-")))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(venv / "bin" / "guardrails"), *args], cwd=where, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the virtualenv of the old install")
    parser.add_argument("--after", type=Path, required=True, help="the virtualenv of the new install")
    parser.add_argument("--corpus", type=Path, required=True, help="a corpus written by benchmarks/corpus.py")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="", help="only the cases whose label contains this")
    args = parser.parse_args()
    venvs = [args.before, args.after]
    caches = {venv: Path(tempfile.mkdtemp(prefix="gr-ab-warm-")) for venv in venvs}
    print("| case | wall, before -> after | CPU, before -> after |\n|---|---|---|")
    for label, command, cache in CASES:
        if args.only not in label:
            continue
        samples: dict[Path, list[tuple[float, float]]] = {venv: [] for venv in venvs}
        for venv in venvs:  # warm-up: fills the warm cache, loads the files
            _run(venv, command, caches[venv], args.corpus)
        for round_ in range(args.runs):
            for venv in venvs if round_ % 2 == 0 else venvs[::-1]:
                samples[venv].append(_run(venv, command, caches[venv] if cache == "warm" else None, args.corpus))
        wall = [statistics.median(s[0] for s in samples[v]) for v in venvs]
        cpu = [statistics.median(s[1] for s in samples[v]) for v in venvs]
        print(f"| {label} | {wall[0]:.3f} -> {wall[1]:.3f} s | {cpu[0]:.3f} -> {cpu[1]:.3f} s |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
