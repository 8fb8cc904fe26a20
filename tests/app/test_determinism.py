"""Issue 7: the same input gives byte-identical reports, whatever the run around it.

Every report format of `check`, `cost` and `diff` is produced by separate processes that differ
in what could leak into the output: the hash seed, the order the file system lists directories
in, whether Terraform files were parsed by forked workers, read back from the cache or parsed
one by one. Each run writes several formats at once (`--report-file`), so a handful of
processes cover them all.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guardrails.terraform import parallel

POLICY = """\
version: 1
extends: [builtin:default]
rules:
  - id: tags
    type: required-tags
    severity: fail
    match: {resources: [aws_instance, aws_db_instance, Deployment]}
    tags: [owner]
  - id: sizes
    type: instance-size
    severity: warn
    max_size: xlarge
  - id: storage
    type: storage-tier
    severity: info
    deny: [gp2]
    suggest: {gp2: gp3}
  - id: budget
    type: cost
    resource_monthly: {warn: 60, fail: 100000}
"""

INFRA_MAIN = """\
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "infra" }
  }
}

variable "size" {
  default = "t3.micro"
}

variable "zones" {
  default = ["a", "b", "c"]
}

locals {
  common = { owner = "platform", env = "prod" }
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-123"
  instance_type = var.size
  tags          = merge(local.common, { Name = "web-${count.index}" })
}

# guardrails:ignore sizes the load test box, removed after the sale
resource "aws_instance" "loadgen" {
  ami           = "ami-123"
  instance_type = "c6i.4xlarge"
}

resource "aws_ebs_volume" "data" {
  for_each          = toset(var.zones)
  availability_zone = "us-east-1${each.key}"
  size              = 100
}

# guardrails:ignore storage
resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 20
  type              = "io1"
  iops              = 100
}

resource "aws_instance" "expired" {
  # guardrails:ignore tags until=2020-01-01 it was temporary
  ami           = "ami-123"
  instance_type = "m5.large"
}

resource "aws_sagemaker_notebook_instance" "lab" {
  name          = "lab"
  instance_type = "ml.t3.medium"
  role_arn      = "arn:aws:iam::123456789012:role/lab"
}

resource "aws_instance" "unknown_size" {
  ami           = "ami-123"
  instance_type = data.aws_ssm_parameter.size.value
  tags          = { owner = "x" }
}

module "app" {
  source = "./modules/app"
  name   = "shop"
}

module "remote" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
"""

APP_MODULE = """\
variable "name" {}

resource "aws_db_instance" "db" {
  identifier        = "${var.name}-db"
  engine            = "postgres"
  instance_class    = "db.m5.large"
  allocated_storage = 50
  multi_az          = true
}

resource "aws_instance" "worker" {
  for_each      = { blue = "m5.large", green = "m5.2xlarge" }
  ami           = "ami-123"
  instance_type = each.value
  tags          = { owner = "app", Name = "${var.name}-${each.key}" }
}
"""

MANIFESTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels: {owner: shop}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: api:1
          resources:
            requests: {cpu: 500m, memory: 100m}
            limits: {memory: 1Gi}
        - name: proxy
          image: proxy:1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
  annotations:
    guardrails.dev/ignore: "k8s-resources vendor chart, limits set by the operator"
spec:
  template:
    spec:
      containers:
        - name: batch
          image: batch:1
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
    - type: Container
      default: {cpu: "1"}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  storageClassName: gp2
  resources: {requests: {storage: 10Gi}}
"""

BROKEN_MANIFEST = "apiVersion: v1\nkind: Pod\nmetadata: {name: p\nspec: [\n"
BROKEN_TF = 'resource "aws_instance" "half" {\n  ami = "ami-1"\n'

PLAN = {
    "format_version": "1.2",
    "terraform_version": "1.9.0",
    "resource_changes": [
        {"address": "aws_instance.planned", "mode": "managed", "type": "aws_instance", "name": "planned",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "before": None,
                    "after": {"instance_type": "m5.8xlarge", "tags": {"team": "x"}},
                    "after_unknown": {"id": True, "ami": True}}},
        {"address": "aws_ebs_volume.kept", "mode": "managed", "type": "aws_ebs_volume", "name": "kept",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["no-op"], "before": {"type": "gp2", "size": 10},
                    "after": {"type": "gp2", "size": 10, "availability_zone": "us-east-1a"}, "after_unknown": {}}},
    ],
}

# More files than parallel.MIN_FILES in one directory, so an empty cache sends them to workers.
GENERATED_FILES = 30


def generated() -> dict[str, str]:
    files = {}
    for i in range(GENERATED_FILES):
        files[f"gen/v{i:02d}.tf"] = (
            f'resource "aws_ebs_volume" "v{i}" {{\n'
            f'  count             = {i % 3}\n'
            f'  availability_zone = "us-east-1a"\n'
            f'  type              = "gp3"\n'
            f'  size              = {10 + i}\n'
            f'  tags              = {{ owner = "gen", index = "{i}" }}\n'
            f'}}\n'
        )
    files["gen/zz_broken.tf"] = "locals {\n  x = [1, 2\n}\n"
    return files


def repo_files() -> dict[str, str]:
    return {
        ".guardrails.yaml": POLICY,
        "infra/main.tf": INFRA_MAIN,
        "infra/terraform.tfvars": 'size = "m5.xlarge"\n',
        "infra/modules/app/main.tf": APP_MODULE,
        "k8s/shop.yaml": MANIFESTS,
        "k8s/broken.yaml": BROKEN_MANIFEST,
        "broken/half.tf": BROKEN_TF,
        "plan/plan.json": json.dumps(PLAN, indent=2) + "\n",
        **generated(),
    }


def write_files(root: Path, files: dict[str, str], order: list[str]) -> None:
    for name in order:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[name], encoding="utf-8")


# The second commit: a bigger instance, more replicas, a new resource, a changed generated file.
CHANGE = {
    "infra/terraform.tfvars": 'size = "m5.2xlarge"\n',
    "k8s/shop.yaml": MANIFESTS.replace("replicas: 3", "replicas: 5"),
    "infra/extra.tf": 'resource "aws_instance" "extra" {\n  ami           = "ami-9"\n  instance_type = "r6i.large"\n}\n',
    "gen/v05.tf": generated()["gen/v05.tf"].replace('"gp3"', '"gp2"'),
}

SEEDS = ("0", "1", "2", "random")
CHECK_FORMATS = ("text", "json", "sarif", "markdown")


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, env=env, check=True, capture_output=True)


class Runner:
    """Runs the CLI in fresh processes, each writing its reports into a folder of its own."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.count = 0

    def start(self, args: list[str], cwd: Path, seed: str, cache: Path | None,
              report_formats: tuple[str, ...] = ()) -> "Run":
        self.count += 1
        out = self.base / f"reports{self.count}"
        out.mkdir()
        files = {fmt: out / f"report.{fmt}" for fmt in report_formats}
        env = dict(os.environ, PYTHONHASHSEED=seed, NO_COLOR="1")
        env.pop("GUARDRAILS_NO_CACHE", None)
        if cache is None:
            args = ["--no-cache", *args]
            env["GUARDRAILS_CACHE_DIR"] = str(self.base / "never-created")
        else:
            env["GUARDRAILS_CACHE_DIR"] = str(cache)
        for fmt, path in files.items():
            args = [*args, "--report-file", f"{fmt}={path}"]
        process = subprocess.Popen([sys.executable, "-m", "guardrails", *args], cwd=cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return Run(process, files)


class Run:
    def __init__(self, process: subprocess.Popen, files: dict[str, Path]) -> None:
        self.process = process
        self.files = files
        self._done: tuple[int, bytes, bytes] | None = None

    def result(self) -> tuple[int, bytes, bytes, dict[str, bytes]]:
        """(exit code, stdout, stderr, {format: report file bytes})."""
        if self._done is None:
            out, err = self.process.communicate(timeout=120)
            self._done = (self.process.returncode, out, err)
        code, out, err = self._done
        return code, out, err, {fmt: path.read_bytes() for fmt, path in self.files.items()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every process of this module, started and finished once: the tests compare their bytes."""
    base = tmp_path_factory.mktemp("determinism")
    runner = Runner(base)
    files = repo_files()
    forward = base / "forward"
    forward.mkdir()
    write_files(forward, files, sorted(files))
    git(forward, "init", "-q", "-b", "main")
    git(forward, "add", "-A")
    git(forward, "commit", "-q", "-m", "base")
    write_files(forward, CHANGE, sorted(CHANGE))
    git(forward, "add", "-A")
    git(forward, "commit", "-q", "-m", "change")
    # The same working tree written in the opposite order, with the directories made last-first.
    head_files = {**files, **CHANGE}
    backward = base / "backward"
    backward.mkdir()
    (backward / ".git").mkdir()
    write_files(backward, head_files, sorted(head_files, reverse=True))

    every = tuple(CHECK_FORMATS)
    # One cache for the module: the compiled grammar is kept under a name that holds the cache's
    # path, so a copy elsewhere would be built again (seconds) rather than read.
    cold = base / "cache"
    result: dict = {"cold_cache": cold}
    # The slow one (without a cache the grammar is compiled) runs alongside everything else.
    serial = runner.start(["check", "--format", "sarif"], forward, "2", None, every)
    result["check"] = {"0": runner.start(["check", "--format", "text"], forward, "0", cold, every).result()}
    result["parsed_cold"] = sorted((cold / "parse").rglob("*.json"))
    # From here on the cache is warm; two more processes at a time keep both cores busy.
    jobs = {
        ("check", "1"): (["check", "--format", "json"], forward, every),
        ("check", "random"): (["check", "--format", "markdown"], forward, every),
        ("backward", "random"): (["check", "--format", "json"], backward, every),
        **{("cost", seed): (["cost", "--format", fmt], forward, (other,))
           for seed, fmt, other in (("0", "text", "json"), ("1", "json", "text"), ("2", "text", "json"),
                                    ("random", "json", "text"))},
        **{("diff", seed): (["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "text"], forward,
                            ("json", "markdown", "sarif"))
           for seed in SEEDS},
    }
    pending = list(jobs.items())
    running: list = []
    while pending or running:
        while pending and len(running) < 2:
            (command, seed), (args, cwd, formats) = pending.pop(0)
            running.append((command, seed, runner.start(args, cwd, seed, cold, formats)))
        command, seed, run = running.pop(0)
        result.setdefault(command, {})[seed] = run.result()
    result["backward"] = result["backward"]["random"]
    result["check"]["2"] = serial.result()
    return result


def by_format(run: tuple, stdout_format: str) -> dict[str, bytes]:
    """Every report a run wrote, stdout included, by format."""
    code, out, err, files = run
    return {**files, stdout_format: out}


def test_the_fixture_exercises_what_it_claims(runs):
    code, out, err, files = runs["check"]["0"]
    assert code == 1, err  # failing findings and input errors: the failure wins
    report = json.loads(files["json"])
    severities = {f["severity"] for f in report["findings"]}
    statuses = {f["status"] for f in report["findings"]}
    assert severities == {"fail", "warn", "info"}
    assert {"new", "existing", "suppressed"} <= statuses
    assert {"suppression"} <= {f["rule"] for f in report["findings"]}  # the expired one
    assert {e["file"] for e in report["errors"]} == {"broken/half.tf", "gen/zz_broken.tf", "k8s/broken.yaml"}
    files_seen = {f["file"] for f in report["findings"]}
    assert {"infra/main.tf", "infra/modules/app/main.tf", "plan/plan.json", "k8s/shop.yaml"} <= files_seen
    # More uncached files than the parallel threshold: the first run handed them to workers.
    assert GENERATED_FILES >= parallel.MIN_FILES
    assert len(runs["parsed_cold"]) >= GENERATED_FILES
    cost = json.loads(runs["cost"]["1"][1])
    unpriced = [r for r in cost["cost"]["resources"] if r["unpriced"]]
    assert len(unpriced) >= 3


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_check_reports_are_byte_identical_across_seeds_caches_and_parallelism(runs, fmt):
    stdout_format = {"0": "text", "1": "json", "2": "sarif", "random": "markdown"}
    outputs = {seed: by_format(run, stdout_format[seed])[fmt] for seed, run in runs["check"].items()}
    assert set(outputs) == set(SEEDS)
    assert outputs["0"], "empty report"
    for seed in SEEDS:
        assert outputs[seed] == outputs["0"], f"--format {fmt}: hash seed {seed} differs from seed 0"
    assert {run[0] for run in runs["check"].values()} == {1}
    assert {run[2] for run in runs["check"].values()} == {b""}  # nothing on stderr, with a cache or without


def test_a_report_file_holds_what_stdout_would(runs):
    # Seed 0 printed text and wrote json, seed 1 printed json and wrote text, and so on.
    printed = {"0": "text", "1": "json", "2": "sarif", "random": "markdown"}
    for seed, fmt in printed.items():
        for other_seed, run in runs["check"].items():
            if other_seed != seed:
                assert run[3][fmt] == runs["check"][seed][1], f"--report-file {fmt}= differs from --format {fmt}"


def test_file_system_order_does_not_matter(runs):
    code, out, err, files = runs["backward"]
    forward = by_format(runs["check"]["1"], "json")
    assert code == 1
    assert by_format(runs["backward"], "json") == forward


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cost_reports_are_byte_identical(runs, fmt):
    printed = {"0": "text", "1": "json", "2": "text", "random": "json"}
    outputs = {seed: by_format(run, printed[seed])[fmt] for seed, run in runs["cost"].items()}
    assert len(set(outputs.values())) == 1
    assert b"aws_instance.web[0]" in outputs["0"]
    assert {run[0] for run in runs["cost"].values()} == {2}  # input errors, and no failing cost rule


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_diff_reports_are_byte_identical(runs, fmt):
    outputs = {seed: by_format(run, "text")[fmt] for seed, run in runs["diff"].items()}
    assert len(set(outputs.values())) == 1
    if fmt == "json":
        report = json.loads(outputs["0"])
        assert report["cost"]["monthly"]["delta"] > 0
        assert {"new", "existing"} <= {f["status"] for f in report["findings"]}
