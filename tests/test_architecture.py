"""What the layer contracts cannot say: no import cycle, no module over 500 lines, no stray
environment reads. The contracts themselves are checked by `lint-imports` (here and in .ci/run)."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "guardrails"
MAX_LINES = 500

# The documented user settings, each read in one place; the CLI and the CI integrations read
# their own platform's variables (GITHUB_*, CI_*, PRE_COMMIT_*) at the boundary.
ENVIRONMENT_READERS = {
    "files/cache.py": "GUARDRAILS_CACHE_DIR, GUARDRAILS_NO_CACHE, XDG_CACHE_HOME",
    "terraform/hcl/parse.py": "GUARDRAILS_HCL_BACKEND",
    "pricing/catalog.py": "GUARDRAILS_PRICES",
    "files/trees.py": "passes the environment on to git, with its own locks off",
    "modules/gitclone.py": "passes the environment on to git (credentials, ssh agent), without its GIT_* variables",
}


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_is_over_500_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_there_is_no_import_cycle():
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("guardrails")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    # Tarjan's strongly connected components: a component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_library_reads_no_environment_variable_but_the_documented_settings():
    readers = set()
    for path in _modules():
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(("cli/", "integrations/")):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bos\.environ\b|\bos\.getenv\b|\bgetenv\(", text):
            readers.add(relative)
    assert readers == set(ENVIRONMENT_READERS)


def test_the_layer_contracts_are_kept():
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(command).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run([command], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
