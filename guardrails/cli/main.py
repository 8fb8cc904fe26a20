"""The command line: the only place that reads arguments, prints, and exits.

Exit codes: 0 pass (warnings allowed), 1 the change fails the policy, 2 usage, policy or
input error, 3 internal error (details logged to a file whose path is printed).
"""
from __future__ import annotations

import datetime as _dt
import os
import sys
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

import click

from guardrails import __version__
from guardrails.core.errors import UsageError

FORMATS = ["text", "json", "markdown", "sarif", "junit", "gitlab", "github"]
EXIT_PASS, EXIT_FAIL, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _remember_report_files(ctx: click.Context, _param: Any, values: Sequence[str]) -> None:
    files = []
    for value in values:
        fmt, sep, path = value.partition("=")
        if not sep or not path or fmt not in FORMATS:
            raise click.BadParameter(f"{value!r}: expected FORMAT=PATH with FORMAT one of {', '.join(FORMATS)}")
        files.append((fmt, path))
    ctx.meta["report_files"] = files


def _requested(fmt: str) -> set[str]:
    """Every format this run writes: --format and each --report-file."""
    return {fmt, *(f for f, _ in click.get_current_context().meta.get("report_files", []))}


def _rules_info(policy: Any, fmt: str) -> dict[str, dict[str, str]]:
    """The policy's rules for reports that describe them; rule docs only when SARIF needs them."""
    from guardrails.rules.registry import find

    with_help = "sarif" in _requested(fmt)
    info = {}
    for rule in policy.rules:
        kind = find(rule.type) if with_help else None
        doc = kind.doc if kind is not None else ""
        info[rule.id] = {"type": rule.type, "severity": rule.severity, "description": rule.description, "help": doc}
    return info


def _no_cache(_ctx: click.Context, _param: Any, value: bool) -> None:
    if value:
        os.environ["GUARDRAILS_NO_CACHE"] = "1"


def _common(function: Any) -> Any:
    options = [
        # Also accepted after the subcommand, where users write it (`guardrails check --no-cache`).
        click.option("--no-cache", is_flag=True, expose_value=False, callback=_no_cache,
                     help="Do not read or write the parse cache (GUARDRAILS_CACHE_DIR)."),
        click.option("--policy", "policies", multiple=True, type=click.Path(dir_okay=False),
                     help="Policy file (repeatable). Default: .guardrails.yaml at the repository root, else the bundled default."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
        click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write the report here instead of stdout."),
        click.option("--fail-on", type=click.Choice(["fail", "warn"]), default="fail", show_default=True,
                     help="Lowest severity of a new finding that fails the run."),
        click.option("--var-file", "var_files", multiple=True, type=click.Path(dir_okay=False),
                     help="Terraform variables file (repeatable)."),
        click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Terraform variable (repeatable)."),
        click.option("--color/--no-color", default=None, help="Colour the text report (default: when writing to a terminal)."),
        click.option("--report-file", "report_files", multiple=True, metavar="FORMAT=PATH", expose_value=False,
                     callback=_remember_report_files,
                     help="Also write the report in FORMAT to PATH (repeatable), e.g. sarif=guardrails.sarif."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


class _Commands(click.Group):
    """Subcommands of their own modules (prices, comment) are imported only when run or listed."""

    LAZY = {"prices": "guardrails.cli.prices", "comment": "guardrails.cli.comment"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY and name not in self.commands:
            import importlib

            self.add_command(getattr(importlib.import_module(self.LAZY[name]), name))
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guardrails")
@click.option("--no-cache", is_flag=True, help="Do not read or write the parse cache (GUARDRAILS_CACHE_DIR).")
def cli(no_cache: bool) -> None:
    """Cost and policy guardrails for Terraform and Kubernetes changes."""
    if no_cache:
        os.environ["GUARDRAILS_NO_CACHE"] = "1"


@dataclass
class _Run:
    """What every command that reads infrastructure starts from."""

    root: Path
    tree: Any
    policy: Any
    loaded: Any
    stdin_text: str | None


def _load(paths: Sequence[str], policies: Sequence[str], var_files: Sequence[str], variables: Sequence[str]) -> _Run:
    from guardrails.core.model import InputError
    from guardrails.app.scan import Loaded, find_root, load_paths, load_text, relative_paths
    from guardrails.files.trees import DiskTree

    paths = list(paths) or ["."]
    root = find_root(Path.cwd())
    stdin_text = None
    if "-" in paths:
        paths.remove("-")
        stdin_text = sys.stdin.read()
    inside, outside = relative_paths(root, paths)
    if outside and not inside and stdin_text is None:
        first = Path(outside[0]).absolute()
        root = find_root(first if first.is_dir() else first.parent)
        inside, outside = relative_paths(root, paths)
    tree = DiskTree(root)
    policy = _policy(policies, root)
    var_map = _parse_vars(variables)
    rel_var_files, outside_vars = relative_paths(root, var_files)
    if outside_vars:
        raise UsageError(f"--var-file {outside_vars[0]} is outside the repository {root}")
    limits = policy.settings.limits
    loaded = load_paths(tree, inside, rel_var_files, var_map, limits) if inside or stdin_text is None else Loaded()
    for path in outside:
        loaded.errors.append(InputError(path, 0, f"is outside the repository {root}, not read"))
    if stdin_text is not None:
        if stdin_text.strip():
            load_text(stdin_text, "-", loaded, limits)
        else:
            # `helm template chart | guardrails check -` where helm failed: nothing was checked.
            loaded.errors.append(InputError("-", 0, "no input on stdin (did the command before the pipe fail?)"))
    _note_cache_refusal(loaded.notes)
    return _Run(root, tree, policy, loaded, stdin_text)


def _note_cache_refusal(notes: list) -> None:
    from guardrails.files.cache import refusal
    from guardrails.core.model import Note

    problem = refusal()
    if problem:
        notes.append(Note("GUARDRAILS_CACHE_DIR", problem))


@cli.command()
@click.argument("paths", nargs=-1)
@_common
def check(paths: Sequence[str], policies: Sequence[str], fmt: str, output: str | None, fail_on: str,
          var_files: Sequence[str], variables: Sequence[str], color: bool | None) -> None:
    """Check files and directories (or `-`, a manifest stream on stdin) against the policy."""
    from guardrails.engine import run as engine, suppress
    from guardrails.core.model import Report
    from guardrails.app.scan import source_lines

    run = _load(paths, policies, var_files, variables)
    try:
        findings = engine.check(run.policy, run.loaded.resources)
    except engine.RuleConfigError as exc:
        raise UsageError(f"policy: {exc}") from None
    findings, errors, notes = _only_given_files(run, paths, findings)
    notes.extend(suppress.denied_notes(run.loaded.resources, run.policy.settings))
    wanted: dict[str, set[int]] = {}
    for finding in findings:
        wanted.setdefault(finding.file, set()).add(finding.line)
    report = Report(
        verdict=engine.verdict(findings, fail_on, errors),
        findings=tuple(findings),
        errors=_sorted_errors(errors),
        notes=_sorted_notes(notes),
        # --report-file text=... quotes the lines as --format text does.
        sources=source_lines(run.tree, wanted, run.stdin_text) if "text" in _requested(fmt) else {},
        policy_sources=run.policy.sources,
        resources_checked=sum(1 for r in run.loaded.resources if r.mode == "managed"),
        fail_on=fail_on,
        rules=_rules_info(run.policy, fmt),
    )
    _emit(report, fmt, output, color)
    sys.exit(_exit_code(report))


@cli.command()
@click.argument("paths", nargs=-1)
@_common
@click.option("--usage", "usage_file", type=click.Path(dir_okay=False),
              help="Usage file with quantities for usage-based prices (default: settings.usage).")
def cost(paths: Sequence[str], policies: Sequence[str], fmt: str, output: str | None, fail_on: str,
         var_files: Sequence[str], variables: Sequence[str], color: bool | None, usage_file: str | None) -> None:
    """Monthly cost of the resources in files and directories, priced offline."""
    from guardrails.engine import run as engine, suppress
    from guardrails.core.model import Report
    from guardrails.pricing.estimate import cost_block, estimate
    from guardrails.policy.usage import unused_entries
    from guardrails.report import COST_FORMATS

    run = _load(paths, policies, var_files, variables)
    settings = run.policy.settings
    catalog, usage = _pricing(settings, usage_file)
    result = estimate(run.loaded.resources, catalog, settings, usage)
    notes = list(run.loaded.notes)
    notes.extend(suppress.denied_notes(run.loaded.resources, settings))
    if usage is not None:
        notes.extend(unused_entries(usage, run.loaded.resources, usage.read))
    today = _dt.date.today()
    findings = _cost_findings(run.policy, run.loaded.resources, result.lines, today)
    report = Report(
        verdict=engine.verdict(findings, fail_on, run.loaded.errors),
        findings=tuple(findings),
        errors=_sorted_errors(run.loaded.errors),
        notes=_sorted_notes(notes),
        cost=cost_block(result, catalog, today),
        policy_sources=run.policy.sources,
        resources_checked=len(result.lines),
        fail_on=fail_on,
        rules=_rules_info(run.policy, fmt),
    )
    _emit(report, fmt, output, color, COST_FORMATS)
    sys.exit(_exit_code(report))


def _cost_findings(policy: Any, resources: Sequence[Any], lines: Sequence[Any], today: _dt.date) -> list[Any]:
    """The policy's cost rules on one side (monthly_total, resource_monthly), exemptions applied."""
    from guardrails.engine import run as engine
    from guardrails.core.costdiff import CostDiff, ResourceDelta
    from guardrails.rules.base import Context
    from guardrails.rules.cost import check_cost
    from guardrails.rules.registry import cost_rules

    rules = cost_rules(policy.rules)
    if not rules:
        return []
    priced = CostDiff(tuple(ResourceDelta(line.address, line.type, "unchanged", line.file, line.line, None, line)
                            for line in lines))
    ctx = Context(settings=policy.settings, today=today, all_resources=resources)
    extra = [f for rule in rules for f in check_cost(rule, priced, ctx, is_diff=False)]
    only_cost = replace(policy, rules=tuple(rules))
    return engine.check(only_cost, resources, today, extra=extra)


@cli.command()
@click.option("--base", default=None, help="The revision the change starts from (its merge base with the head is used).")
@click.option("--head", default=None, help="The revision of the change (default: the working tree).")
@click.option("--staged", is_flag=True, help="Judge what is staged (the index) instead of the working tree.")
@click.option("--policy-from", "policy_from", type=click.Choice(["head", "base"]), default="head", show_default=True,
              help="Whose policy judges the change: the head's, or the base revision's (a pull request must not judge "
                   "itself: the Action uses base on pull requests).")
@click.option("--pre-commit", "pre_commit", is_flag=True,
              help="As a pre-commit hook: base $PRE_COMMIT_FROM_REF or HEAD, head $PRE_COMMIT_TO_REF or the staged index.")
@click.argument("paths", nargs=-1)
@_common
@click.option("--usage", "usage_file", type=click.Path(dir_okay=False),
              help="Usage file with quantities for usage-based prices (default: settings.usage).")
def diff(base: str | None, head: str | None, staged: bool, policy_from: str, pre_commit: bool, paths: Sequence[str],
         policies: Sequence[str], fmt: str, output: str | None, fail_on: str, var_files: Sequence[str],
         variables: Sequence[str], color: bool | None, usage_file: str | None) -> None:
    """Judge a change: findings it adds, and what it does to the monthly cost."""
    from guardrails.git import revisions as gitrev

    if pre_commit:
        # pre-commit sets both in the pre-push stage; in the pre-commit stage, judge the index.
        base = base or os.environ.get("PRE_COMMIT_FROM_REF") or "HEAD"
        head = head or os.environ.get("PRE_COMMIT_TO_REF") or None
        staged = staged or head is None
    if not base:
        raise UsageError("diff needs --base REF (or --pre-commit)")

    repo = gitrev.open_repo(Path.cwd())
    try:
        _diff(repo, base, head, staged, paths, policies, fmt, output, fail_on, var_files, variables, color, usage_file,
              policy_from)
    finally:
        repo.close()  # GitPython keeps `git cat-file` processes for reading blobs


def _diff(repo: Any, base: str, head: str | None, staged: bool, paths: Sequence[str], policies: Sequence[str],
          fmt: str, output: str | None, fail_on: str, var_files: Sequence[str], variables: Sequence[str],
          color: bool | None, usage_file: str | None, policy_from: str = "head") -> None:
    from guardrails.app import changes
    from guardrails.engine import run as engine, suppress
    from guardrails.git import revisions as gitrev
    from guardrails.core.costdiff import CostDiff
    from guardrails.core.model import Note, Report
    from guardrails.pricing.estimate import estimate
    from guardrails.report import DIFF_FORMATS
    from guardrails.rules.base import Context
    from guardrails.rules.cost import check_cost
    from guardrails.rules.registry import cost_rules
    from guardrails.app.scan import relative_paths

    base_side, head_side = gitrev.resolve_sides(repo, base, head, staged)
    root = Path(repo.working_tree_dir)
    base_tree, head_tree = gitrev.tree_of(repo, base_side), gitrev.tree_of(repo, head_side)
    changed = gitrev.changed_files(repo, base_side, head_side)
    inside, outside = relative_paths(root, paths)
    if outside:
        raise UsageError(f"{outside[0]} is outside the repository {root}")
    rel_var_files, outside_vars = relative_paths(root, var_files)
    if outside_vars:
        raise UsageError(f"--var-file {outside_vars[0]} is outside the repository {root}")
    head_policy_tree = None if head_side.kind == "worktree" else head_tree
    if policy_from == "base":
        # The base revision's policy files (and what they extend) judge the change: a pull request
        # that lowers a severity or exempts everything is judged by the rules it wants to change.
        policy = _policy(policies, root, base_tree)
    else:
        policy = _policy(policies, root, head_policy_tree)
    policy_note = _policy_change(changed, policy, policy_from)
    # The other side's exemptions, to list those the change adds: only read when it edits a policy file.
    other_tree = head_policy_tree if policy_from == "base" else base_tree
    other = _exemptions_of(policies, root, other_tree) if policy_note else policy.exemptions
    base_exemptions, head_exemptions = (policy.exemptions, other) if policy_from == "base" else (other, policy.exemptions)
    scope = changes.affected(changed, [head_tree, base_tree], inside)
    var_map = _parse_vars(variables)
    head_loaded = changes.load_side(head_tree, scope, rel_var_files, var_map, policy.settings.limits)
    base_loaded = changes.load_side(base_tree, scope, rel_var_files, var_map, policy.settings.limits)
    catalog, usage = _pricing(policy.settings, usage_file)
    head_cost = estimate(head_loaded.resources, catalog, policy.settings, usage)
    base_cost = estimate(base_loaded.resources, catalog, policy.settings, usage)
    deltas = changes.pair(base_loaded.resources, head_loaded.resources, base_cost.lines, head_cost.lines, head_loaded.moved)
    sources = catalog.sources_used(head_cost.used | base_cost.used)
    cost_diff = CostDiff(tuple(deltas), catalog=tuple(sources))
    today = _dt.date.today()
    ctx = Context(settings=policy.settings, today=today, all_resources=head_loaded.resources)
    cost_findings = [f for rule in cost_rules(policy.rules) for f in check_cost(rule, cost_diff, ctx, is_diff=True)]
    try:
        head_findings = engine.check(policy, head_loaded.resources, today, extra=cost_findings)
        base_findings = engine.check(policy, base_loaded.resources, today)
    except engine.RuleConfigError as exc:
        raise UsageError(f"policy: {exc}") from None
    findings = changes.existing_findings(head_findings, base_findings)
    notes = list(head_loaded.notes)
    notes.extend(policy_note)
    notes.extend(suppress.denied_notes(head_loaded.resources, policy.settings))
    _note_cache_refusal(notes)
    notes.extend(Note(e.file, f"in {base_side.label}: {'line ' + str(e.line) + ': ' if e.line else ''}{e.message}")
                 for e in base_loaded.errors)
    for submodule in getattr(head_tree, "submodules", lambda: [])():
        if any(c.path == submodule or c.path.startswith(submodule + "/") for c in changed):
            notes.append(Note(submodule, "a submodule: not inspected"))
    if usage is not None:
        from guardrails.policy.usage import unused_entries

        notes.extend(unused_entries(usage, [*head_loaded.resources, *base_loaded.resources], usage.read))
    if not scope.terraform_dirs and not scope.manifests:
        notes.append(Note(".", f"the change touches no Terraform or Kubernetes file ({scope.changed} changed file{'s' if scope.changed != 1 else ''})"))
    stale = {s.id for s in catalog.stale_sources(today, [s.id for s in sources])}
    report = Report(
        verdict=engine.verdict(findings, fail_on, head_loaded.errors),
        findings=tuple(findings),
        errors=_sorted_errors(head_loaded.errors),
        notes=_sorted_notes(notes),
        cost=changes.cost_block(cost_diff, today, stale),
        policy_sources=policy.sources,
        resources_checked=sum(1 for r in head_loaded.resources if r.mode == "managed"),
        fail_on=fail_on,
        change={"base": base_side.label, "head": head_side.label},
        rules=_rules_info(policy, fmt),
        suppressions_added=suppress.added(base_loaded.resources, head_loaded.resources, base_exemptions,
                                          head_exemptions, policy),
    )
    _emit(report, fmt, output, color, DIFF_FORMATS)
    sys.exit(_exit_code(report))


def _policy_change(changed: Sequence[Any], policy: Any, policy_from: str) -> list[Any]:
    """A note for every report when the change edits a policy file (the one in force, what it
    extends, or .guardrails.yaml): the reviewer must see that the rules themselves moved."""
    from guardrails.core.model import Note
    from guardrails.policy.load import DEFAULT_FILE

    watched = {DEFAULT_FILE, *(s for s in policy.sources if not s.startswith("builtin:"))}
    touched = sorted({c.path for c in changed if c.path in watched or c.path.endswith("/" + DEFAULT_FILE)})
    judged = ("the base revision's policy judges it (--policy-from base)" if policy_from == "base"
              else "the changed policy judges it (--policy-from head; use --policy-from base on pull requests)")
    return [Note(path, f"the change modifies this policy file: {judged}") for path in touched]


def _exemptions_of(policies: Sequence[str], root: Path, tree: Any) -> tuple:
    """The exemptions of the policy on the other side of a change; none when it does not load."""
    from guardrails.policy.load import PolicyError, load_policy

    try:
        return load_policy(policies, root, tree=tree).exemptions
    except PolicyError:
        return ()


def _policy(policies: Sequence[str], root: Path, tree: Any = None) -> Any:
    from guardrails.policy.load import PolicyError, load_policy

    try:
        return load_policy(policies, root, tree=tree)
    except PolicyError as exc:
        _print_problems(exc.problems)
        sys.exit(EXIT_INPUT)


def _pricing(settings: Any, usage_file: str | None) -> tuple[Any, Any]:
    """The price catalog and the usage file the settings and options name."""
    from guardrails.pricing import catalog as catalog_module
    from guardrails.policy.usage import UsageFileError, load_usage

    extra = [settings.other["prices"]] if settings.other.get("prices") else []
    try:
        catalog = catalog_module.load(extra)
    except catalog_module.CatalogError as exc:
        raise UsageError(str(exc)) from None
    usage_path = usage_file or settings.other.get("usage")
    if not usage_path:
        return catalog, None
    try:
        return catalog, load_usage(usage_path)
    except UsageFileError as exc:
        _print_problems(exc.problems)
        sys.exit(EXIT_INPUT)


def _sorted_errors(errors: Any) -> tuple:
    return tuple(sorted(set(errors), key=lambda e: e.sort_key()))


def _sorted_notes(notes: Any) -> tuple:
    return tuple(sorted(set(notes), key=lambda n: (n.file, n.message)))


def _only_given_files(run: _Run, paths: Sequence[str], findings: list) -> tuple[list, list, list]:
    """When files are named (pre-commit passes staged files), report only what lies in them.

    Their whole Terraform directory is still loaded, so variables, locals and modules give the
    same findings as a full check; problems of the other files become notes.
    """
    from guardrails.core.model import Note
    from guardrails.app.scan import relative_paths

    named, _ = relative_paths(run.root, [p for p in paths if p != "-"])
    files = {p for p in named if run.tree.is_file(p)}
    dirs = [p for p in named if p not in files]
    if not files or "" in dirs:
        return findings, list(run.loaded.errors), list(run.loaded.notes)

    def wanted(file: str) -> bool:
        return file in files or file == "-" or any(file.startswith(d.rstrip("/") + "/") for d in dirs)

    errors = [e for e in run.loaded.errors if wanted(e.file) or e.line == 0 and e.file in named]
    notes = list(run.loaded.notes) + [Note(e.file, f"line {e.line}: {e.message} (in the same directory as a checked file)")
                                      for e in run.loaded.errors if e not in errors]
    return [f for f in findings if wanted(f.file)], errors, notes


def _exit_code(report: Any) -> int:
    if report.verdict == "fail":
        return EXIT_FAIL
    if report.errors:
        return EXIT_INPUT
    return EXIT_PASS


def _parse_vars(variables: Sequence[str]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for item in variables:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--var {item!r}: expected NAME=VALUE")
        parsed[name.strip()] = value
    return parsed


def _emit(report: Any, fmt: str, output: str | None, color: bool | None, formats: Any = None) -> None:
    """Write the report: to --output or stdout in --format, and to every --report-file."""
    from guardrails.report import FORMATS as REPORTERS, render

    formats = formats or REPORTERS
    for extra_fmt, path in click.get_current_context().meta.get("report_files", []):
        _write(path, render(report, extra_fmt, color=False, formats=formats))
    if output:
        _write(output, render(report, fmt, color=False, formats=formats))
        return
    use_color = sys.stdout.isatty() and not os.environ.get("NO_COLOR") if color is None else color
    click.echo(render(report, fmt, color=bool(use_color), formats=formats), nl=False)


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _error(message: str) -> None:
    from guardrails.report.printable import printable

    # Messages quote paths and values the change wrote: one line each, whatever they hold.
    click.echo(f"guardrails: error: {printable(message)}", err=True)


@cli.group()
def policy() -> None:
    """Validate, start or explain policy files."""


@policy.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def policy_validate(files: Sequence[str]) -> None:
    """Validate policy files (default: the policy in force) against the schema and each rule's options.

    Prints each problem with file, line and JSON path, and exits 2 when there is one.
    """
    from guardrails.policy.load import PolicyError, load_policy, validate_file
    from guardrails.app.scan import find_root

    if not files:
        # No file named: the policy a check here would use (.guardrails.yaml, else builtin:default).
        try:
            loaded = load_policy([], find_root(Path.cwd()))
        except PolicyError as exc:
            _print_problems(exc.problems)
            sys.exit(EXIT_INPUT)
        click.echo(f"the policy in force is valid: {', '.join(loaded.sources)}")
        return
    problems = []
    for file in files:
        problems.extend(validate_file(file))
    _print_problems(problems)
    if problems:
        sys.exit(EXIT_INPUT)
    click.echo(f"{len(files)} polic{'y' if len(files) == 1 else 'ies'} valid")


def _print_problems(problems: Sequence[Any]) -> None:
    for problem in problems:
        _error(f"{problem.file}:{problem.line}: {problem.message}" if problem.line else f"{problem.file}: {problem.message}")


@policy.command("init")
def policy_init() -> None:
    """Print a commented starter policy (guardrails policy init > .guardrails.yaml)."""
    from importlib import resources

    click.echo(resources.files("guardrails.policy").joinpath("starter.yaml").read_text(encoding="utf-8"), nl=False)


@policy.command("explain", short_help="Show a rule of the policy in force and what its type checks.")
@click.argument("rule_id")
@click.option("--policy", "policies", multiple=True, type=click.Path(dir_okay=False),
              help="Policy file (repeatable). Default: .guardrails.yaml at the repository root, else the bundled default.")
def policy_explain(rule_id: str, policies: Sequence[str]) -> None:
    """Show a rule of the policy in force (by its id): its settings and what its type checks."""
    import yaml

    from guardrails.policy.load import PolicyError, load_policy
    from guardrails.app.scan import find_root

    try:
        loaded = load_policy(policies, find_root(Path.cwd()))
    except PolicyError as exc:
        _print_problems(exc.problems)
        sys.exit(EXIT_INPUT)
    rule = next((r for r in loaded.rules if r.id == rule_id), None)
    if rule is None:
        raise UsageError(f"no rule {rule_id!r} in the policy (rules: {', '.join(r.id for r in loaded.rules)})")
    settings = {"id": rule.id, "type": rule.type, "severity": rule.severity, **dict(rule.options)}
    click.echo(f"# {rule.id} ({rule.file}:{rule.line})\n")
    click.echo(yaml.safe_dump(settings, sort_keys=False).rstrip() + "\n")
    click.echo(_rule_doc(rule.type))


@cli.command()
@click.argument("rule_type", required=False)
def explain(rule_type: str | None) -> None:
    """What a rule type checks, why it matters, and how to fix what it finds (no type: list them)."""
    if rule_type is None:
        from guardrails.rules.registry import names, rule_type

        for name in names():
            doc = rule_type(name).doc.splitlines()
            summary = doc[0].removeprefix(f"{name}: ") if doc else ""
            click.echo(f"{name:<16} {summary[:1].upper() + summary[1:]}")
        click.echo("\nguardrails explain TYPE shows one in full.")
        return
    click.echo(_rule_doc(rule_type))


def _rule_doc(rule_type: str) -> str:
    from guardrails.rules import registry

    try:
        kind = registry.rule_type(rule_type)
    except registry.UnknownRuleType as exc:
        raise UsageError(str(exc)) from None
    return kind.doc + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: maps every way a run can end to its exit code."""
    try:
        cli.main(args=argv, prog_name="guardrails", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("guardrails: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_INPUT)
    except UsageError as exc:
        _error(str(exc))
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        click.echo("guardrails: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(EXIT_PASS)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the boundary: every bug ends here, logged
        log = _log_internal_error()
        click.echo(f"guardrails: internal error: {type(exc).__name__}: {exc} (details in {log})", err=True)
        sys.exit(EXIT_INTERNAL)


def _log_internal_error() -> str:
    from guardrails.files.cache import cache_dir

    import tempfile

    directory = cache_dir()
    try:
        if directory is not None:
            # Our own private directory: the log may hold paths and values of the run.
            path = directory / "guardrails-error.log"
            handle = open(path, "a", encoding="utf-8")
        else:
            # Never a fixed name in the shared temp directory: another user could read it, or
            # plant a link there for us to append to. mkstemp makes a new file only we can read.
            fd, name = tempfile.mkstemp(prefix="guardrails-error-", suffix=".log")
            path, handle = Path(name), os.fdopen(fd, "w", encoding="utf-8")
        with handle:
            handle.write(f"--- {_dt.datetime.now().isoformat()} guardrails {__version__} {sys.argv}\n")
            handle.write(traceback.format_exc())
    except OSError:
        return "(the log could not be written)"
    return str(path)
