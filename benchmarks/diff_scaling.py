"""How `guardrails diff` grows with the size of the repository when one file changes.

Builds git repositories of N Terraform root modules (3 files each, a local module call), changes
one file, and times whole `guardrails diff --base HEAD` processes (median of several runs).

    python benchmarks/diff_scaling.py 100 1000
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAIN = '''module "app" {{
  source = "../../modules/app"
  name   = "svc-{i}"
}}

resource "aws_instance" "r{i}" {{
  count         = 2
  instance_type = "m5.large"
  tags          = merge(local.tags, {{ Name = "r{i}-${{count.index}}" }})
  root_block_device {{
    volume_type = "gp3"
    volume_size = 20
  }}
}}
'''
VARS = 'variable "owner" {\n  default = "team"\n}\n'
LOCALS = 'locals {\n  tags = { owner = var.owner }\n}\n'
MODULE = 'variable "name" {}\nresource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n'


def build(root: Path, roots: int) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "bench@example.com")
    git("config", "user.name", "bench")
    (root / "modules/app").mkdir(parents=True)
    (root / "modules/app/main.tf").write_text(MODULE)
    for i in range(roots):
        folder = root / "live" / f"svc{i:04d}"
        folder.mkdir(parents=True)
        (folder / "main.tf").write_text(MAIN.format(i=i))
        (folder / "variables.tf").write_text(VARS)
        (folder / "locals.tf").write_text(LOCALS)
    git("add", "-A")
    git("commit", "-q", "-m", "corpus")
    changed = root / "live" / "svc0000" / "main.tf"
    changed.write_text(changed.read_text().replace("m5.large", "m5.xlarge"))


def median_time(cmd: list[str], cwd: Path, runs: int = 5) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [100, 1000]
    print(f"{'roots':>6} {'.tf files':>9} {'median s':>9} {'min':>6} {'max':>6}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            build(root, size)
            median, low, high = median_time([sys.executable, "-m", "guardrails", "diff", "--base", "HEAD"], root)
            print(f"{size:>6} {3 * size + 1:>9} {median:>9.2f} {low:>6.2f} {high:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
