"""Time guardrails, and Checkov on the same inputs, as whole processes.

    python benchmarks/run.py --setup-checkov     # once: Checkov into benchmarks/.venv-checkov
    python benchmarks/run.py                     # medium corpus, 5 runs of every case
    python benchmarks/run.py --scale large --runs 3 --json results.json

Every case is a fresh process started the way users start it (the `guardrails` console script
of this Python environment, the `checkov` script of its own virtualenv), with its output thrown
away. Each command runs once unmeasured (to settle the OS file cache and byte-code), then
--runs times; the table shows the median and the spread (min-max) of wall-clock time, and the
peak resident memory of the process tree's largest process. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

HERE = Path(__file__).resolve().parent
DEFAULT_VENV = HERE / ".venv-checkov"
REQUIREMENTS = HERE / "requirements-checkov.txt"
# Exit codes that mean "ran to the end": 0 pass, 1 findings that fail.
FINISHED = {0, 1}
# Checkov stays offline with these: no update check at import (it asks PyPI otherwise), no
# platform calls (no API key, --skip-download, and no mapping download).
CHECKOV_ENV = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
# Both tools run as users run them: byte-code is written (the warm-up run writes it) and read.
COMMON_ENV_DROP = ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")
CHECKOV_ENV_DROP = (*COMMON_ENV_DROP, "BC_API_KEY", "PRISMA_API_URL", "BC_API_URL")
GUARDRAILS_ENV_DROP = (*COMMON_ENV_DROP, "GUARDRAILS_NO_CACHE", "GUARDRAILS_PRICES", "GUARDRAILS_CACHE_DIR")


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_kb: int
    rc: int
    timed_out: bool = False


@dataclass
class Measurement:
    tool: str
    command: list[str]
    cwd: str
    cache: str
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples if not s.timed_out]

    @property
    def timed_out(self) -> bool:
        return any(s.timed_out for s in self.samples)

    def summary(self) -> dict[str, float | int | None]:
        walls = self.walls
        if not walls:
            return {"median": None, "min": None, "max": None, "max_rss_mb": None, "cpu_median": None}
        return {
            "median": statistics.median(walls),
            "min": min(walls),
            "max": max(walls),
            "max_rss_mb": max(s.max_rss_kb for s in self.samples) / 1024,
            "cpu_median": statistics.median(s.cpu for s in self.samples if not s.timed_out),
        }


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    guardrails: list[str]
    cwd: Path
    cache: str  # "cold": an empty GUARDRAILS_CACHE_DIR every run; "warm": one kept between runs
    checkov: list[str] | None
    checkov_note: str = ""
    cache_matters: bool = True  # only HCL parsing uses the cache (its compiled grammar)

    @property
    def label(self) -> str:
        return f"{self.title}, {self.cache} cache" if self.cache_matters else self.title


def _rss_kb(ru_maxrss: int) -> int:
    return ru_maxrss // 1024 if sys.platform == "darwin" else ru_maxrss  # bytes on macOS


def run_once(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[Sample, str]:
    """One process, timed from start to reaping; its rusage comes from wait4 on that very child."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: only what it started
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        stderr.seek(0)
        tail = stderr.read()[-2000:].decode("utf-8", "replace")
    sample = Sample(wall, usage.ru_utime + usage.ru_stime, _rss_kb(usage.ru_maxrss), process.returncode,
                    fired.is_set())
    return sample, tail


def measure(tool: str, command: list[str], cwd: Path, env_for_run: EnvFactory, cache: str,
            runs: int, warmup: int, timeout: float, progress: bool) -> Measurement:
    result = Measurement(tool, command, str(cwd), cache)
    if cache == "warm":
        warmup = max(warmup, 1)  # a warm cache is one a previous run filled
    for index in range(warmup + runs):
        sample, tail = run_once(command, cwd, env_for_run(index), timeout)
        if progress:
            state = "timeout" if sample.timed_out else f"rc={sample.rc}"
            kind = "warm-up" if index < warmup else f"run {index - warmup + 1}/{runs}"
            print(f"    {tool:<10} {kind:<10} {sample.wall:8.2f} s  {state}", file=sys.stderr, flush=True)
        if sample.timed_out:
            result.samples.append(sample)
            result.error = f"timed out after {timeout:.0f} s"
            break  # another run would only hit the same wall
        if sample.rc not in FINISHED:
            result.error = f"exit code {sample.rc}: {tail.strip().splitlines()[-1] if tail.strip() else ''}"
            break
        if index >= warmup:
            result.samples.append(sample)
    return result


class EnvFactory:
    """The environment of one run: a fresh empty cache directory per run, or one kept."""

    def __init__(self, base: dict[str, str], cache: str, scratch: Path, name: str) -> None:
        self.base, self.cache, self.scratch, self.name = base, cache, scratch, name

    def __call__(self, index: int) -> dict[str, str]:
        if self.cache == "none":
            return self.base
        folder = self.scratch / (f"{self.name}-cold-{index}" if self.cache == "cold" else f"{self.name}-warm")
        folder.mkdir(parents=True, exist_ok=True)
        return {**self.base, "GUARDRAILS_CACHE_DIR": str(folder)}


def guardrails_command() -> list[str]:
    """The console script installed next to this interpreter: the start-up users get."""
    script = Path(sys.executable).parent / ("guardrails.exe" if os.name == "nt" else "guardrails")
    return [str(script)] if script.exists() else [sys.executable, "-m", "guardrails"]


def checkov_command(venv: Path, explicit: str | None) -> list[str] | None:
    if explicit:
        return [explicit]
    script = venv / ("Scripts/checkov.exe" if os.name == "nt" else "bin/checkov")
    return [str(script)] if script.exists() else None


def setup_checkov(venv: Path) -> int:
    """A separate virtualenv, so Checkov's ~100 dependencies never meet guardrails'."""
    print(f"creating {venv} and installing Checkov from PyPI ({REQUIREMENTS.name}); this takes a few minutes")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=False)
    if done.returncode:
        print("pip could not install Checkov (see above); the benchmark still runs guardrails alone",
              file=sys.stderr)
        return done.returncode
    command = checkov_command(venv, None) or ["checkov"]
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False,
                             env={**os.environ, **CHECKOV_ENV})
    print(f"Checkov {version.stdout.strip()} is ready in {venv}")
    return 0


def cases(root: Path, changed: list[str]) -> list[Case]:
    """What is measured; `checkov` holds the arguments that give Checkov the same input."""
    offline = ["--skip-download", "--quiet", "--compact"]
    precommit_file = corpus.PRECOMMIT_CHANGED
    both = ["--framework", "terraform", "kubernetes"]
    result = [Case("version", "--version (start-up)", ["--version"], root, "warm", ["--version"],
                   cache_matters=False)]
    for cache in ("cold", "warm"):
        result.append(Case(f"precommit-{cache}", "check 1 file of a 20-file module",
                           ["check", precommit_file], root, cache,
                           ["--framework", "terraform", *offline, "-f", precommit_file],
                           "checkov -f FILE (its checkov_diff pre-commit hook)"))
    for cache in ("cold", "warm"):
        result.append(Case(f"check-terraform-{cache}", "check terraform/",
                           ["check", "terraform"], root, cache,
                           ["-d", "terraform", "--framework", "terraform", *offline]))
    result.append(Case("check-kubernetes", "check kubernetes/", ["check", "kubernetes"], root, "warm",
                       ["-d", "kubernetes", "--framework", "kubernetes", *offline], cache_matters=False))
    for cache in ("cold", "warm"):
        result.append(Case(f"check-all-{cache}", "check whole corpus", ["check", "."], root, cache,
                           ["-d", ".", *both, *offline]))
    for cache in ("cold", "warm"):
        result.append(Case(f"cost-all-{cache}", "cost whole corpus", ["cost", "."], root, cache,
                           None, "Checkov does not price"))
    for cache in ("cold", "warm"):
        result.append(Case(f"diff-{cache}", f"diff --base HEAD ({len(changed)} files changed)",
                           ["diff", "--base", "HEAD"], root, cache,
                           [*both, *offline, "-f", *changed],
                           "checkov -f CHANGED... (it has no base/head mode)"))
    return result


def _fmt(summary: dict[str, float | int | None], error: str | None) -> str:
    if summary["median"] is None:
        return "TIMEOUT" if error and "timed out" in error else "error"
    text = f"{summary['median']:.2f} ({summary['min']:.2f}-{summary['max']:.2f})"
    return text + (" !" if error else "")


def table(rows: list[tuple[Case, Measurement, Measurement | None]]) -> str:
    head = ["case", "guardrails s", "RSS MB", "checkov s", "RSS MB", "checkov/guardrails"]
    lines = []
    for case, ours, theirs in rows:
        mine = ours.summary()
        cells = [case.label, _fmt(mine, ours.error), f"{mine['max_rss_mb']:.0f}" if mine["max_rss_mb"] else "-"]
        if theirs is None:
            cells += ["n/a", "-", "-"]
        else:
            other = theirs.summary()
            cells += [_fmt(other, theirs.error), f"{other['max_rss_mb']:.0f}" if other["max_rss_mb"] else "-"]
            if other["median"] and mine["median"]:
                cells.append(f"{other['median'] / mine['median']:.1f}x")
            elif theirs.timed_out and mine["median"]:
                cells.append(f">{theirs.samples[-1].wall / mine['median']:.0f}x")
            else:
                cells.append("-")
        lines.append(cells)
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]

    def row(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([row(head), "  ".join("-" * w for w in widths), *(row(c) for c in lines)])


def machine() -> dict[str, object]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"platform": platform.platform(), "cpu": model, "cpus": os.cpu_count(),
            "python": platform.python_version()}


def version_of(command: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run([*command, "--version"], capture_output=True, text=True, env=env,
                              timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[-1] if done.stdout or done.stderr else "unknown"


def source_revision() -> str | None:
    """The commit of the guardrails checkout being measured (+dirty with local changes), if any."""
    repo = HERE.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "guardrails"], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup-checkov", action="store_true", help="create the Checkov virtualenv and exit")
    parser.add_argument("--checkov-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--checkov", metavar="PATH", help="a checkov executable to use instead of the virtualenv's")
    parser.add_argument("--no-checkov", action="store_true", help="measure guardrails only")
    parser.add_argument("--scale", choices=sorted(corpus.SCALES), default="medium")
    parser.add_argument("--roots", type=int, help="Terraform root modules (overrides --scale)")
    parser.add_argument("--apps", type=int, help="Kubernetes applications (overrides --scale)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="measured runs of every command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a run is killed (default 900)")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="only cases whose key contains TEXT (repeatable), e.g. --only precommit")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every sample here")
    parser.add_argument("--work", type=Path, help="where to build the corpus (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus")
    parser.add_argument("--quiet", "-q", action="store_true", help="no per-run progress on stderr")
    args = parser.parse_args(argv)

    if args.setup_checkov:
        return setup_checkov(args.checkov_venv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    ours_cmd = guardrails_command()
    theirs_cmd = None if args.no_checkov else checkov_command(args.checkov_venv, args.checkov)
    if theirs_cmd is None and not args.no_checkov:
        print(f"Checkov not found in {args.checkov_venv}: measuring guardrails alone "
              f"(run `python benchmarks/run.py --setup-checkov` first to compare)", file=sys.stderr)

    ours_env = {k: v for k, v in os.environ.items() if k not in GUARDRAILS_ENV_DROP}
    theirs_env = {k: v for k, v in os.environ.items() if k not in CHECKOV_ENV_DROP} | CHECKOV_ENV

    scratch = Path(tempfile.mkdtemp(prefix="guardrails-bench-"))
    work = args.work or scratch / "corpus"
    try:
        roots, apps = corpus.SCALES[args.scale]
        roots = args.roots if args.roots is not None else roots
        apps = args.apps if args.apps is not None else apps
        summary = corpus.build(work, roots, apps, args.seed)
        changed = corpus.make_repository(work)
        info = {
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(),
            "guardrails": version_of(ours_cmd, ours_env),
            "guardrails_revision": source_revision(),
            "checkov": version_of(theirs_cmd, theirs_env) if theirs_cmd else None,
            "corpus": {"scale": args.scale, "roots": roots, "apps": apps, "seed": args.seed,
                       **asdict(summary), "changed": changed},
            "runs": args.runs, "warmup": args.warmup, "timeout": args.timeout,
        }
        print(f"corpus: {summary.tf_files} .tf files in {summary.root_modules} root modules, "
              f"{summary.documents} Kubernetes documents in {summary.manifest_files} files ({work})",
              file=sys.stderr)

        selected = [c for c in cases(work, changed) if not args.only or any(t in c.key for t in args.only)]
        rows: list[tuple[Case, Measurement, Measurement | None]] = []
        checkov_done: dict[tuple[str, ...], Measurement] = {}
        for case in selected:
            if not args.quiet:
                print(f"  {case.label}", file=sys.stderr, flush=True)
            factory = EnvFactory(ours_env, case.cache, scratch / "caches", case.key)
            ours = measure("guardrails", [*ours_cmd, *case.guardrails], case.cwd, factory, case.cache,
                           args.runs, args.warmup, args.timeout, not args.quiet)
            theirs = None
            if theirs_cmd and case.checkov is not None:
                # Checkov keeps no cache of its own between runs: one measurement serves the
                # cold and the warm row of a case.
                key = tuple(case.checkov)
                if key not in checkov_done:
                    checkov_done[key] = measure("checkov", [*theirs_cmd, *case.checkov], case.cwd,
                                                EnvFactory(theirs_env, "none", scratch, ""), "none",
                                                args.runs, args.warmup, args.timeout, not args.quiet)
                theirs = checkov_done[key]
            rows.append((case, ours, theirs))

        print()
        print(f"{info['date'][:10]}  {info['machine']['cpu']}, {info['machine']['cpus']} CPUs, "
              f"{info['machine']['platform']}, Python {info['machine']['python']}")
        revision = f" ({info['guardrails_revision']})" if info["guardrails_revision"] else ""
        print(f"{info['guardrails']}{revision}; checkov {info['checkov'] or 'not measured'}")
        print(f"corpus --roots {roots} --apps {apps} --seed {args.seed}: {summary.tf_files} .tf files "
              f"({summary.root_modules} root modules), {summary.documents} Kubernetes documents "
              f"({summary.manifest_files} files); median (min-max) of {args.runs} runs after "
              f"{args.warmup} warm-up")
        print()
        print(table(rows))
        notes = sorted({f"{c.title}: {c.checkov_note}" for c, _, _ in rows if c.checkov_note and theirs_cmd})
        problems = [f"{m.tool} {c.label}: {m.error}" for c, ours, theirs in rows for m in (ours, theirs)
                    if m is not None and m.error]
        for line in [*notes, *sorted(set(problems))]:
            print(f"  {line}")

        if args.json:
            payload = {**info, "cases": [
                {"key": c.key, "label": c.label, "checkov_note": c.checkov_note,
                 "guardrails": {**asdict(o), **o.summary()},
                 "checkov": ({**asdict(t), **t.summary()} if t else None)} for c, o, t in rows]}
            args.json.write_text(json.dumps(payload, indent=2) + "\n")
        return 1 if problems else 0
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
