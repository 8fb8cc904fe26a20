"""Run the real CLI on a tree of files and check the invariants every input must keep.

Each run happens in a forked child: a hang (even inside C code such as a regex or libyaml)
is killed after a timeout instead of stalling the suite, and whatever a run leaves behind in
module state or os.environ dies with the child.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import resource
import select
import signal
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import pytest
from hypothesis import reject

TIMEOUT = float(os.environ.get("GUARDRAILS_FUZZ_TIMEOUT", "20"))  # seconds per CLI run
MEMORY_LIMIT = 4 * 2**30  # an input that needs more (an alias bomb) is a bug, not a slow test

# What a repository of every fuzz example holds besides the fuzzed file: one module and one
# manifest whose findings must not change whatever lies next to them.
GOOD_FILES: dict[str, str] = {
    "good/main.tf": """\
resource "aws_instance" "good" {
  ami           = "ami-123"
  instance_type = "m5.4xlarge"
  tags = {
    owner = "team-a"
  }
}

resource "aws_ebs_volume" "good" {
  availability_zone = "us-east-1a"
  size              = 100
  type              = "gp2"
}
""",
    "good/app.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: good
  labels: {owner: team-a}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api
          image: api:1
          resources:
            requests: {cpu: 250m}
            limits: {cpu: "8", memory: 1Gi}
""",
}

POLICY = """\
version: 1
settings:
  unknown: warn
rules:
  - id: tags
    type: required-tags
    match: {resources: ["aws_*"]}
    tags: [owner, cost-center]
    values: {env: [dev, prod], cost-center: "^cc-[0-9]{4}$"}
  - id: labels
    type: required-tags
    severity: warn
    match: {resources: [Deployment, StatefulSet, Pod, CronJob]}
    tags: [owner]
  - id: k8s
    type: k8s-resources
    require: [requests.cpu, requests.memory, limits.memory]
    max: {limits.cpu: "4", limits.memory: 16Gi}
    min: {requests.memory: 1Mi}
    max_ratio: {cpu: 4}
  - id: sizes
    type: instance-size
    families: [t3, m6i, c7g, db.t4g]
    max_size: 2xlarge
    deny: ["*.metal"]
    max_vcpu: 16
  - id: storage
    type: storage-tier
    deny: [gp2, io1, standard]
    suggest: {gp2: gp3}
    max_size_gb: 2000
  - id: imds
    type: attribute
    severity: warn
    match: {resources: [aws_instance]}
    attribute: metadata_options.http_tokens
    op: eq
    value: required
  - id: budget
    type: cost
    resource_monthly: {warn: 500, fail: 5000}
    monthly_total: {warn: 1000}
exemptions:
  - {rule: sizes, resource: aws_instance.trainer, reason: "approved GPU box", expires: 2027-03-01}
"""


# Internal errors already known, each replayed by a strict xfail in test_fuzz_regressions.py:
# the fuzzers pass over them (hypothesis.reject) to look for new ones. Remove an entry when
# its regression passes.
KNOWN_BUGS: dict[str, str] = {}


class Hang(AssertionError):
    pass


def _not_json(name: str) -> None:
    # NaN and Infinity are Python's extensions: other JSON readers reject the whole report.
    raise AssertionError(f"the JSON report holds {name}")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def report(self) -> dict | None:
        try:
            value = json.loads(self.out, parse_constant=_not_json)
        except ValueError:
            return None
        return value if isinstance(value, dict) and value.get("schema") == "guardrails.report/v1" else None


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))


def make_repo(root: Path, files: Mapping[str, str | bytes], good: bool = True, policy: str | None = POLICY) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)  # marks the repository root; diff tests use a real one
    if policy is not None:
        (root / ".guardrails.yaml").write_text(policy, encoding="utf-8")
    write_files(root, {**(GOOD_FILES if good else {}), **files})
    return root


def _child(args: Sequence[str], cwd: Path, stdin: str | None, env: Mapping[str, str]) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from guardrails.cli.main import main

    os.environ.update(env)
    os.chdir(cwd)
    runner = CliRunner()
    with runner.isolation(input=stdin) as streams:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - anything past main() is what we look for
            code = -1
            streams[1].write(("UNCAUGHT " + traceback.format_exc()).encode())
        return code, streams[0].getvalue().decode("utf-8", "replace"), streams[1].getvalue().decode("utf-8", "replace")


_warm: set[str] = set()


def _warm_up(cwd: Path, env: Mapping[str, str]) -> None:
    """One run in this process first, so that every forked child inherits the imported modules
    and the compiled HCL grammar instead of building them again (seconds per example)."""
    key = env.get("GUARDRAILS_CACHE_DIR", "")
    if key in _warm:
        return
    _warm.add(key)
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    try:
        root = make_repo(cwd.parent / ".warm-up", {})
        for command in ("check", "cost"):  # cost loads the price catalog once for every child
            _child([command, "--format", "json"], root, None, env)
        # The good files parse with tree-sitter; a fuzzed file often needs python-hcl2, whose
        # grammar (seconds to compile, then to load) must be ready before the fork too.
        from guardrails.terraform.hcl.parse import _parser

        os.environ.update(env)
        _parser()
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_cli(args: Sequence[str], cwd: Path, stdin: str | None = None, timeout: float = TIMEOUT,
            env: Mapping[str, str] | None = None) -> Result:
    """The CLI's exit code, stdout and stderr; raises Hang when it runs past `timeout`."""
    # One parse cache for the whole session (GUARDRAILS_CACHE_DIR as tests/conftest.py sets it):
    # fuzzed files land in it as they would in a user's cache.
    cache = os.environ.get("GUARDRAILS_CACHE_DIR") or str(cwd.parent / ".cache")
    env = {"GUARDRAILS_CACHE_DIR": cache, "NO_COLOR": "1", **(env or {})}
    _warm_up(cwd, env)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the result, leave without running the parent's cleanups
        try:
            os.close(read_fd)
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            payload = pickle.dumps(_child(args, cwd, stdin, env))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            while True:
                ready, _, _ = select.select([pipe], [], [], timeout)
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    raise Hang(f"guardrails {' '.join(args)} ran past {timeout} s")
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.waitpid(pid, 0)
    if not chunks:
        raise AssertionError(f"guardrails {' '.join(args)}: the run died without a result")
    return Result(*pickle.loads(b"".join(chunks)))


def good_part(report: Mapping, prefix: str = "good/") -> tuple:
    """What a report says about the good files: findings and cost lines, comparable across runs."""
    # monthly_total sums every file and pins its finding on the costliest resource: not local.
    findings = sorted(json.dumps(f, sort_keys=True) for f in report.get("findings", [])
                      if str(f.get("file", "")).startswith(prefix) and f.get("path") != "monthly_total")
    cost = report.get("cost") or {}
    lines = sorted(json.dumps(r, sort_keys=True) for r in cost.get("resources", []) if str(r.get("file", "")).startswith(prefix))
    errors = [e for e in report.get("errors", []) if str(e.get("file", "")).startswith(prefix)]
    return findings, lines, errors


def assert_sane(result: Result, fuzzed: Sequence[str], baseline: tuple | None = None, pass_known: bool = True) -> None:
    """The contract for any input: a report or one-line errors naming the file; exit 0, 1 or 2."""
    context = f"exit {result.code}\n--- stdout\n{result.out[:3000]}\n--- stderr\n{result.err[:3000]}"
    if pass_known and result.code == 3 and any(re.search(pattern, result.err) for pattern in KNOWN_BUGS.values()):
        reject()
    assert "Traceback" not in result.err and "Traceback" not in result.out, context
    assert result.code in (0, 1, 2), context
    report = result.report
    if report is None:
        # No report: only an input error may end the run that way, one line per problem.
        assert result.code == 2, context
        lines = result.err.rstrip("\n").split("\n")  # what a log splits on (not NEL or U+2028)
        assert lines, context
        for line in lines:
            assert line.startswith("guardrails: error: "), context
            assert any(name in line for name in fuzzed), f"the error names none of {list(fuzzed)}\n{context}"
        return
    for error in report.get("errors", []):
        assert error.get("file"), context
        assert "\n" not in str(error.get("message", "")), context
        assert isinstance(error.get("line"), int) and error["line"] >= 0, context
    if result.code == 2:
        assert report.get("errors") and report.get("verdict") != "fail", context
    expected = {"fail": 1}.get(report.get("verdict"), 2 if report.get("errors") else 0)
    assert result.code == expected, context
    if baseline is not None:
        seen = good_part(report)
        if seen != baseline:
            gone = [sorted(set(b) - set(s)) for b, s in zip(baseline, seen)]
            added = [sorted(set(s) - set(b)) for b, s in zip(baseline, seen)]
            raise AssertionError(f"the good files' report changed\n--- gone\n{gone}\n--- added\n{added}\n{context}")


def skip_if_no_fork() -> None:
    if not hasattr(os, "fork"):
        pytest.skip("the fuzz harness forks")
