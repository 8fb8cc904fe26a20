"""The GitHub Action: action.yml checked against GitHub's schema, then its steps run for real.

The composite steps' bash scripts run in order, as the runner would run them (`bash --noprofile
--norc -eo pipefail`), in a git repository made in a tmp dir, with the GITHUB_* variables, an event
file, and per-step GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. `uses:` steps (setup-python, the
pip cache) are skipped and GUARDRAILS_SKIP_INSTALL makes the install step use this checkout. The
`${{ }}` references of `env:` and `outputs:` are resolved here from the inputs, the event, and the
outputs of earlier steps. A local server stands in for the GitHub API, so a comment is a request
we can read back and nothing reaches the network.
"""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from guardrails.integrations import action

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "action.yml"
MARKER = "<!-- guardrails-report -->"

POLICY = """\
version: 1
rules:
  - id: owner-tag
    type: required-tags
    tags: [owner]
"""
BASE_TF = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "api" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  tags          = { owner = "team-a" }
}
"""
UNTAGGED_WORKER = """
resource "aws_instance" "worker" {
  ami           = "ami-123"
  instance_type = "m5.large"
}
"""
TAGGED_WORKER = """
resource "aws_instance" "worker" {
  ami           = "ami-123"
  instance_type = "m5.large"
  tags          = { owner = "team-b" }
}
"""


def _load_action() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(ACTION.read_text(encoding="utf-8"), Loader=loader)


# --- the runner's file formats and expressions ------------------------------------------------

def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r")
        index += 1
        if not line:
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            name, _, value = line.partition("=")
            values[name] = value
            continue
        name, _, delimiter = line.partition("<<")
        body = []
        while True:
            if index >= len(lines):
                raise AssertionError(f"output {name}: the delimiter {delimiter!r} never comes")
            if lines[index].rstrip("\r") == delimiter:
                index += 1
                break
            body.append(lines[index])
            index += 1
        values[name] = "\n".join(body)
    return values


_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_REFERENCE = re.compile(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*")


def resolve(text: str, context: Mapping[str, Any]) -> str:
    """Replace each `${{ a.b.c }}`; anything richer than a property reference is a test failure."""

    def value(match: re.Match[str]) -> str:
        reference = match.group(1)
        if not _REFERENCE.fullmatch(reference):
            raise AssertionError(f"the harness resolves property references only, not {reference!r}")
        current: Any = context
        for part in reference.split("."):
            current = current.get(part) if isinstance(current, Mapping) else None
        if current is None:
            return ""
        if isinstance(current, bool):
            return "true" if current else "false"
        return current if isinstance(current, str) else json.dumps(current)

    return _EXPRESSION.sub(value, text)


# --- a stand-in for the GitHub API -------------------------------------------------------------

@dataclass
class FakeGitHub:
    url: str
    requests: list[tuple[str, str, Any]] = field(default_factory=list)


@pytest.fixture
def github_api() -> Iterator[FakeGitHub]:
    fake = FakeGitHub("")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _record(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            fake.requests.append((self.command, self.path, body))
            return body

        def do_GET(self) -> None:
            self._record()
            if re.fullmatch(r"/repos/[\w.-]+/[\w.-]+/issues/\d+/comments(\?.*)?", self.path):
                self._answer(200, [])
            else:
                self._answer(404, {"message": "Not Found"})

        def do_POST(self) -> None:
            body = self._record()
            if re.fullmatch(r"/repos/[\w.-]+/[\w.-]+/issues/\d+/comments", self.path):
                self._answer(201, {"id": 1, "body": body["body"], "user": {"login": "github-actions[bot]"},
                                   "html_url": "https://github.com/octo/infra/pull/7#issuecomment-1"})
            else:
                self._answer(404, {"message": "Not Found"})

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


# --- running the composite action ----------------------------------------------------------------

@dataclass
class ActionRun:
    exit_code: int
    stdout: str
    outputs: dict[str, str]
    step_outputs: dict[str, dict[str, str]]
    summary: str
    steps_run: list[str]


def run_action(workspace: Path, tmp: Path, api: FakeGitHub, *, event_name: str, event: Mapping[str, Any],
               inputs: Mapping[str, str] | None = None, base_ref: str = "", install_from: Path | None = None
               ) -> ActionRun:
    """Run action.yml's bash steps in order, stopping at the first that fails, as the runner does.

    With `install_from`, the action is that directory and its install step runs for real (pip
    reaches the package index); otherwise the steps run this checkout, already importable.
    """
    spec = _load_action()
    given = dict(inputs or {})
    unknown = set(given) - set(spec["inputs"])
    assert not unknown, f"not inputs of the action: {unknown}"

    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "runner-temp").mkdir(exist_ok=True)
    event_file = tmp / "event.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    shims = tmp / "bin"
    shims.mkdir(exist_ok=True)
    for name in ("python3", "python"):
        # A wrapper, not a symlink: a venv's interpreter finds its site-packages from its own path.
        shim = shims / name
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR)

    action_path = install_from or REPO
    github = {"event": dict(event), "event_name": event_name, "base_ref": base_ref,
              "token": "fake-token", "action_path": str(action_path), "workspace": str(workspace)}
    # What the skipped actions/setup-python step would have said: this interpreter.
    setup_python = {"outputs": {"python-path": sys.executable, "python-version": platform.python_version()}}
    context: dict[str, Any] = {"github": github, "steps": {"python": setup_python},
                               "runner": {"temp": str(tmp / "runner-temp")}}
    context["inputs"] = {name: given.get(name, resolve(str(meta.get("default", "")), context))
                         for name, meta in spec["inputs"].items()}
    base_env = {
        "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp),
        "LANG": "C.UTF-8",
        "GUARDRAILS_CACHE_DIR": os.environ.get("GUARDRAILS_CACHE_DIR", str(tmp / "cache")),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(tmp / "gitconfig"),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_file),
        "GITHUB_REPOSITORY": "octo/infra",
        "GITHUB_API_URL": api.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_BASE_REF": base_ref,
        "GITHUB_ACTION_PATH": str(action_path),
        "RUNNER_TEMP": str(tmp / "runner-temp"),
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
    }
    if install_from is None:
        base_env.update(GUARDRAILS_SKIP_INSTALL="true", PYTHONPATH=str(REPO))  # the checkout under test
    else:
        # how this machine reaches the package index: its pip settings, proxies and certificates
        base_env.update({name: value for name, value in os.environ.items()
                         if name.startswith("PIP_") or name.lower().endswith("_proxy")
                         or name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE")})

    stdout: list[str] = []
    summary: list[str] = []
    steps_run: list[str] = []
    exit_code = 0
    for number, step in enumerate(spec["runs"]["steps"]):
        if "uses" in step:
            continue
        assert "if" not in step, "the harness runs every bash step; a condition would need evaluating"
        assert step.get("shell") == "bash"
        step_dir = tmp / f"step-{number}"
        step_dir.mkdir(exist_ok=True)
        output_file, summary_file, script = step_dir / "output", step_dir / "summary", step_dir / "script.sh"
        output_file.write_text("", encoding="utf-8")
        summary_file.write_text("", encoding="utf-8")
        script.write_text(step["run"], encoding="utf-8")
        env = dict(base_env, GITHUB_OUTPUT=str(output_file), GITHUB_STEP_SUMMARY=str(summary_file))
        env.update({name: resolve(str(value), context) for name, value in (step.get("env") or {}).items()})
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
                              check=False)
        steps_run.append(step["name"])
        stdout.append(done.stdout)
        summary.append(summary_file.read_text(encoding="utf-8"))
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": parse_output_file(output_file.read_text(encoding="utf-8"))}
        if done.returncode != 0:
            exit_code = done.returncode
            break
    outputs = {name: resolve(str(meta["value"]), context) for name, meta in spec["outputs"].items()}
    step_outputs = {sid: data["outputs"] for sid, data in context["steps"].items()}
    return ActionRun(exit_code, "".join(stdout), outputs, step_outputs, "".join(summary), steps_run)


# --- repositories --------------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@dataclass
class Change:
    workspace: Path
    base: str
    head: str


def make_change(root: Path, added: str) -> Change:
    """A repository whose branch `feature` adds `added` to infra/main.tf on top of `main`."""
    workspace = root / "work"
    (workspace / "infra").mkdir(parents=True)
    git(workspace, "init", "-q", "-b", "main")
    (workspace / ".guardrails.yaml").write_text(POLICY, encoding="utf-8")
    (workspace / "infra" / "main.tf").write_text(BASE_TF, encoding="utf-8")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD")
    git(workspace, "checkout", "-q", "-b", "feature")
    (workspace / "infra" / "main.tf").write_text(BASE_TF + added, encoding="utf-8")
    git(workspace, "commit", "-q", "-am", "change")
    return Change(workspace, base, git(workspace, "rev-parse", "HEAD"))


def pull_request(change: Change, number: int = 7) -> dict[str, Any]:
    return {"action": "synchronize", "number": number,
            "pull_request": {"number": number, "base": {"sha": change.base, "ref": "main"},
                             "head": {"sha": change.head, "ref": "feature"}}}


# --- the action file ------------------------------------------------------------------------------

def test_action_yml_is_valid_against_githubs_action_schema() -> None:
    from importlib import resources

    schema_file = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "github-actions.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    problems = sorted(validator.iter_errors(_load_action()), key=lambda e: list(e.absolute_path))
    assert not problems, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in problems)


def test_the_parse_cache_is_restored_only_under_its_exact_key() -> None:
    # A prefix restore would take a cache saved by any other workflow or version of the repository.
    steps = {step.get("name"): step for step in yaml.safe_load((REPO / "action.yml").read_text())["runs"]["steps"]}
    cached = steps["Cache guardrails' parses"]["with"]
    assert "restore-keys" not in cached
    assert cached["key"] == "${{ steps.parse-cache.outputs.key }}"


def test_no_expression_inside_a_run_script() -> None:
    spec = _load_action()
    assert spec["runs"]["using"] == "composite"
    run_steps = [step for step in spec["runs"]["steps"] if "run" in step]
    assert run_steps
    for step in run_steps:
        assert "${{" not in step["run"], f"step {step['name']!r}: pass values through env:, not ${{{{ }}}} in run:"
        assert step["shell"] == "bash"
        for name, value in (step.get("env") or {}).items():
            for reference in _EXPRESSION.findall(str(value)):
                assert _REFERENCE.fullmatch(reference), f"{step['name']}: env {name} = {value!r}"


def test_every_input_reaches_a_step_and_every_output_comes_from_one() -> None:
    spec = _load_action()
    text = ACTION.read_text(encoding="utf-8")
    for name in spec["inputs"]:
        assert f"inputs.{name} }}}}" in text, f"input {name} is used by no step"
    step_ids = {step.get("id") for step in spec["runs"]["steps"]}
    for name, meta in spec["outputs"].items():
        match = re.fullmatch(r"\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}", meta["value"])
        assert match and match.group(1) in step_ids, f"output {name}: {meta['value']}"
        assert match.group(2) in action.OUTPUT_NAMES


# --- the action, run ------------------------------------------------------------------------------

def test_a_failing_pull_request(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, UNTAGGED_WORKER)
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), base_ref="main")

    assert result.exit_code == 1, result.stdout
    assert result.steps_run[-1] == "Verdict"
    assert f"judging the change from {change.base} (the pull request's base commit)" in result.stdout
    assert re.search(r"^::error file=infra/main\.tf,line=\d+.*aws_instance\.worker", result.stdout, re.MULTILINE)

    outputs = result.outputs
    assert outputs["verdict"] == "fail"
    assert outputs["exit-code"] == "1"
    assert float(outputs["monthly-delta"]) > 0
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    assert report["verdict"] == "fail"
    assert f"{report['cost']['monthly']['delta']:.2f}" == outputs["monthly-delta"]
    assert outputs["sarif"] == "guardrails.sarif"
    sarif = json.loads((change.workspace / "guardrails.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"]

    assert MARKER in result.summary and "aws_instance.worker" in result.summary

    posts = [(path, body["body"]) for method, path, body in github_api.requests if method == "POST"]
    assert [path for path, _ in posts] == ["/repos/octo/infra/issues/7/comments"]
    assert MARKER in posts[0][1] and "aws_instance.worker" in posts[0][1]


def test_a_pull_request_that_silences_the_policy_is_judged_by_the_base_policy(tmp_path: Path,
                                                                               github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, UNTAGGED_WORKER)
    (change.workspace / ".guardrails.yaml").write_text(POLICY + "    severity: info\n", encoding="utf-8")
    git(change.workspace, "commit", "-q", "-am", "and make the rule harmless")
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"comment": "off"})
    assert result.exit_code == 1, result.stdout
    report = json.loads(Path(result.outputs["report"]).read_text(encoding="utf-8"))
    assert any(n["file"] == ".guardrails.yaml" and "the base revision's policy judges it" in n["message"]
               for n in report["notes"])
    # Asked for explicitly, the head's policy judges (a trusted branch, say).
    result = run_action(change.workspace, tmp_path / "runner2", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"comment": "off", "policy-from": "head"})
    assert result.exit_code == 0, result.stdout


def test_a_passing_push_judges_the_commits_since_the_previous_push(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, TAGGED_WORKER)
    event = {"before": change.base, "after": change.head, "ref": "refs/heads/feature"}
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="push", event=event)

    assert result.exit_code == 0, result.stdout
    assert f"judging the change from {change.base} (the commit before the push)" in result.stdout
    assert result.outputs["verdict"] == "pass"
    assert float(result.outputs["monthly-delta"]) > 0
    assert "no comment on a push event" in result.stdout
    assert github_api.requests == []


def test_a_new_branch_push_falls_back_to_the_previous_commit(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, TAGGED_WORKER)
    event = {"before": "0" * 40, "after": change.head, "ref": "refs/heads/feature"}
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="push", event=event)

    assert result.exit_code == 0, result.stdout
    assert "judging the change from HEAD~1 (the previous commit)" in result.stdout


def test_fail_on_warn_and_no_comment(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, UNTAGGED_WORKER)
    (change.workspace / ".guardrails.yaml").write_text(POLICY + "    severity: warn\n", encoding="utf-8")
    git(change.workspace, "commit", "-q", "-am", "the tag rule only warns")
    runner = tmp_path / "runner"

    # The change edits the policy, so only a trusted head's policy (policy-from: head) applies it.
    warned = run_action(change.workspace, runner / "fail", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"comment": "off", "policy-from": "head"})
    assert (warned.exit_code, warned.outputs["verdict"]) == (0, "warn"), warned.stdout

    strict = run_action(change.workspace, runner / "warn", github_api, event_name="pull_request",
                        event=pull_request(change),
                        inputs={"comment": "off", "fail-on": "warn", "policy-from": "head"})
    assert (strict.exit_code, strict.outputs["verdict"]) == (1, "fail"), strict.stdout
    assert github_api.requests == []


def test_the_text_log_cannot_issue_workflow_commands(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, UNTAGGED_WORKER)
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"format": "text", "comment": "off"})

    assert result.exit_code == 1
    stop = re.search(r"^::stop-commands::(\w+)$", result.stdout, re.MULTILINE)
    assert stop, result.stdout
    resume = result.stdout.index(f"\n::{stop.group(1)}::\n")
    assert stop.start() < result.stdout.index("aws_instance.worker") < resume


def test_python_modules_in_the_pull_request_are_never_imported(tmp_path: Path, github_api: FakeGitHub,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # The checkout is the steps' working directory: without -I, `python -c` and `-m` would import a
    # hashlib.py, secrets.py, pip/ or guardrails/ the pull request adds, with the token around.
    # PYTHONSAFEPATH is taken out of the steps, as Python 3.10 (which the action allows) ignores it.
    spec = _load_action()
    for step in spec["runs"]["steps"]:
        (step.get("env") or {}).pop("PYTHONSAFEPATH", None)
    monkeypatch.setattr(sys.modules[__name__], "_load_action", lambda: spec)
    change = make_change(tmp_path, UNTAGGED_WORKER)
    marker = tmp_path / "imported"
    payload = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    for name in ("hashlib.py", "secrets.py", "platform.py", "pip/__init__.py", "guardrails/__init__.py"):
        (change.workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (change.workspace / name).write_text(payload, encoding="utf-8")
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"format": "text", "comment": "off"})
    assert result.exit_code == 1, result.stdout  # judged as usual
    assert not marker.exists(), marker.read_text()


def test_a_policy_error_still_sets_the_outputs(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, TAGGED_WORKER)
    (change.workspace / ".guardrails.yaml").write_text("version: 1\nrules: [{id: x, type: no-such-type}]\n",
                                                       encoding="utf-8")
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"policy-from": "head"})

    assert result.exit_code == 2, result.stdout
    assert result.outputs == {"verdict": "error", "monthly-delta": "", "report": "", "sarif": "", "exit-code": "2"}
    assert "could not judge this change" in result.summary
    assert "no report to comment with" in result.stdout
    assert github_api.requests == []


def test_a_shallow_clone_says_how_to_fetch_the_base(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, UNTAGGED_WORKER)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{change.workspace}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"

    result = run_action(clone, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), base_ref="main")

    assert result.exit_code == 2
    assert result.steps_run[-1] == "Judge the change"
    error = next(line for line in result.stdout.splitlines() if line.startswith("::error"))
    assert change.base in error and "shallow clone" in error and "fetch-depth: 0" in error
    assert result.outputs["verdict"] == ""
    assert github_api.requests == []


@pytest.mark.slow
def test_the_action_installs_the_guardrails_of_its_own_ref(tmp_path: Path, github_api: FakeGitHub) -> None:
    # The action's checkout as the runner would fetch it (a copy: pip builds in the source tree).
    action_copy = tmp_path / "action"
    action_copy.mkdir()
    for name in ("action.yml", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, action_copy / name)
    for folder in ("guardrails", "policies"):
        shutil.copytree(REPO / folder, action_copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    change = make_change(tmp_path, UNTAGGED_WORKER)

    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), install_from=action_copy)

    assert result.exit_code == 1, result.stdout
    assert result.step_outputs["pip-cache"]["key"].startswith("guardrails-pip-Linux-X64-py")
    import hashlib

    from guardrails import __version__

    digest = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()[:16]
    assert result.step_outputs["parse-cache"]["key"] == f"guardrails-parse-Linux-X64-{__version__}-{digest}"
    venv_python = result.step_outputs["install"]["python"]
    assert venv_python == str(tmp_path / "runner" / "runner-temp" / "guardrails-venv" / "bin" / "python")
    installed = subprocess.run([venv_python, "-c", "import guardrails; print(guardrails.__file__)"],
                               capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert installed.startswith(str(tmp_path / "runner" / "runner-temp" / "guardrails-venv"))
    assert result.outputs["verdict"] == "fail"


def test_a_base_missing_from_a_full_clone(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, UNTAGGED_WORKER)
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"base": "origin/release"})

    assert result.exit_code == 2
    error = next(line for line in result.stdout.splitlines() if line.startswith("::error"))
    assert "origin/release (the base input) is not in this repository" in error
    assert "fetch-depth" not in error


def test_inputs_are_data_never_code(tmp_path: Path, github_api: FakeGitHub) -> None:
    change = make_change(tmp_path, TAGGED_WORKER)
    runner = tmp_path / "runner"
    hostile_paths = '$(touch pwned-1) `touch pwned-2` ";touch pwned-3" *'
    result = run_action(change.workspace, runner / "paths", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"paths": hostile_paths, "comment": "off"})
    assert not list(change.workspace.glob("pwned-*")), result.stdout

    hostile_base = "main\n::warning::injected"
    result = run_action(change.workspace, runner / "base", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={"base": hostile_base})
    assert result.exit_code == 2
    assert "::warning::injected" not in result.stdout.splitlines()
    assert "main%0A::warning::injected" in result.stdout


@pytest.mark.parametrize(("name", "value", "message"), [
    ("fail-on", "error", "the fail-on input must be fail or warn, not 'error'"),
    ("comment", "sometimes", "the comment input must be update, new, delete-and-new or off"),
])
def test_bad_inputs_stop_with_exit_2(tmp_path: Path, github_api: FakeGitHub, name: str, value: str,
                                     message: str) -> None:
    change = make_change(tmp_path, TAGGED_WORKER)
    result = run_action(change.workspace, tmp_path / "runner", github_api, event_name="pull_request",
                        event=pull_request(change), inputs={name: value})
    assert result.exit_code == 2
    assert message in result.stdout


# --- guardrails.integrations.action ----------------------------------------------------------------------------

def test_outputs_read_the_report() -> None:
    report = {"verdict": "warn", "cost": {"monthly": {"before": 10.0, "after": 7.5, "delta": -2.5}}}
    values = action.outputs(report, "/tmp/r.json", "", "", 0)
    assert values == {"verdict": "warn", "monthly-delta": "-2.50", "report": "/tmp/r.json", "sarif": "",
                      "markdown": "", "exit-code": "0"}
    assert action.outputs({"verdict": "pass", "cost": {"monthly": {"delta": None}}}, "r", "", "", 0)["monthly-delta"] == ""
    assert action.outputs(None, "r.json", "", "", 3)["verdict"] == "error"


def test_output_text_round_trips_multiline_values() -> None:
    values = {"verdict": "fail", "note": "line one\nghadelimiter_x\n::error::not a command\nlast"}
    text = action.output_text(values)
    assert text.startswith("verdict=fail\nnote<<ghadelimiter_")
    assert parse_output_file(text) == values


def test_summary_is_cut_at_a_line_end_under_the_limit() -> None:
    markdown = MARKER + "\n### report\n\n```\n" + "".join(f"resource number {n} ü\n" for n in range(5000))
    limit = 20_000
    summary = action.summary_text(markdown, 0, limit=limit)
    assert len(summary.encode("utf-8")) <= limit
    kept = summary[: summary.index(action.CUT_NOTE)]
    assert kept.endswith("ü\n```\n")  # the open code block is closed before the note
    assert markdown.startswith(kept[: -len("```\n")])
    assert action.summary_text("### short\n", 0, limit=limit) == "### short\n"
    assert "exit code 3" in action.summary_text(None, 3)


def test_publish_appends_to_the_runners_files(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps({"verdict": "pass", "cost": {"monthly": {"delta": 0}}}))
    (tmp_path / "r.md").write_text("### all good\n")
    out, summary = tmp_path / "out", tmp_path / "summary"
    out.write_text("earlier=1\n")
    env = {"GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary)}
    action.publish(str(tmp_path / "r.json"), str(tmp_path / "r.md"), str(tmp_path / "none.sarif"), 0, env)
    assert parse_output_file(out.read_text()) == {
        "earlier": "1", "verdict": "pass", "monthly-delta": "0.00", "report": str(tmp_path / "r.json"),
        "sarif": "", "markdown": str(tmp_path / "r.md"), "exit-code": "0"}
    assert summary.read_text() == "### all good\n"
    with pytest.raises(action.ActionError, match="GITHUB_OUTPUT"):
        action.publish("r.json", "r.md", "", 0, {})


def test_publish_outside_a_runner_is_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([sys.executable, "-m", "guardrails.integrations.action", "publish", "--report", "r.json",
                           "--markdown", "r.md", "--exit-code", "0"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stdout.startswith("::error title=guardrails::GITHUB_OUTPUT and GITHUB_STEP_SUMMARY")
