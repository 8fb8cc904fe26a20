"""The command line: the only place that reads arguments, prints, and exits.

Exit codes: 0 pass (warnings allowed), 1 the change fails the policy, 2 usage, policy or
input error, 3 internal error (details logged to a file whose path is printed).
"""
from __future__ import annotations

import datetime as _dt
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

import click

from guardrails import __version__
from guardrails.core.errors import InputProblems, UsageError

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


def _no_cache(_ctx: click.Context, _param: Any, value: bool) -> None:
    if value:
        _use_cache(False)


def _use_cache(enabled: bool) -> None:
    """The cache settings of this run: the user's environment, and --no-cache over it."""
    from guardrails.files import cache

    settings = cache.CacheSettings.from_environment(os.environ)
    cache.configure(settings if enabled else replace(settings, enabled=False))


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

    LAZY = {"prices": "guardrails.cli.prices", "comment": "guardrails.cli.comment", "modules": "guardrails.cli.modules"}

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
    _use_cache(not no_cache)


def _options(paths: Sequence[str], policies: Sequence[str], fmt: str, fail_on: str, var_files: Sequence[str],
             variables: Sequence[str], usage_file: str | None = None, group_by: str | None = None) -> Any:
    """The run's options, from the arguments (and stdin when a path is `-`)."""
    from guardrails.app.options import RunOptions
    from guardrails.core.regions import environment_regions

    wanted = _requested(fmt)
    return RunOptions(
        paths=tuple(paths), policies=tuple(policies), fail_on=fail_on, var_files=tuple(var_files),
        variables=tuple(variables), usage_file=usage_file,
        stdin_text=sys.stdin.read() if "-" in paths else None,
        # --report-file text=... quotes the lines as --format text does.
        with_sources="text" in wanted, with_rule_docs="sarif" in wanted,
        environment_regions=tuple(sorted(environment_regions(os.environ).items())),
        group_by=group_by,
    )


def _group_by(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--group-by is tag:NAME or a usage error, before anything is read."""
    if value is None:
        return None
    from guardrails.app.options import group_tag

    try:
        group_tag(value)
    except UsageError as exc:
        raise click.BadParameter(str(exc).removeprefix(f"--group-by {value!r}: ")) from None
    return value


@cli.command()
@click.argument("paths", nargs=-1)
@_common
def check(paths: Sequence[str], policies: Sequence[str], fmt: str, output: str | None, fail_on: str,
          var_files: Sequence[str], variables: Sequence[str], color: bool | None) -> None:
    """Check files and directories (or `-`, a manifest stream on stdin) against the policy."""
    from guardrails.app.check import check as run_check

    report = run_check(_options(paths, policies, fmt, fail_on, var_files, variables))
    _emit(report, fmt, output, color)
    sys.exit(_exit_code(report))


@cli.command()
@click.argument("paths", nargs=-1)
@_common
@click.option("--usage", "usage_file", type=click.Path(dir_okay=False),
              help="Usage file with quantities for usage-based prices (default: settings.usage).")
@click.option("--group-by", "group_by", metavar="tag:NAME", callback=_group_by,
              help="Total the cost per value of a tag or label (showback), e.g. tag:team.")
def cost(paths: Sequence[str], policies: Sequence[str], fmt: str, output: str | None, fail_on: str,
         var_files: Sequence[str], variables: Sequence[str], color: bool | None, usage_file: str | None,
         group_by: str | None) -> None:
    """Monthly cost of the resources in files and directories, priced offline."""
    from guardrails.app.cost import cost as run_cost
    from guardrails.report import COST_FORMATS

    report = run_cost(_options(paths, policies, fmt, fail_on, var_files, variables, usage_file, group_by))
    _emit(report, fmt, output, color, COST_FORMATS)
    sys.exit(_exit_code(report))


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
@click.option("--group-by", "group_by", metavar="tag:NAME", callback=_group_by,
              help="Total the cost per value of a tag or label (showback), e.g. tag:team.")
def diff(base: str | None, head: str | None, staged: bool, policy_from: str, pre_commit: bool, paths: Sequence[str],
         policies: Sequence[str], fmt: str, output: str | None, fail_on: str, var_files: Sequence[str],
         variables: Sequence[str], color: bool | None, usage_file: str | None, group_by: str | None) -> None:
    """Judge a change: findings it adds, and what it does to the monthly cost."""
    from guardrails.app.diff import diff as run_diff
    from guardrails.app.options import DiffOptions
    from guardrails.report import DIFF_FORMATS

    if pre_commit:
        # pre-commit sets both in the pre-push stage; in the pre-commit stage, judge the index.
        base = base or os.environ.get("PRE_COMMIT_FROM_REF") or "HEAD"
        head = head or os.environ.get("PRE_COMMIT_TO_REF") or None
        staged = staged or head is None
    if not base:
        raise UsageError("diff needs --base REF (or --pre-commit)")

    report = run_diff(_options(paths, policies, fmt, fail_on, var_files, variables, usage_file, group_by),
                      DiffOptions(base, head, staged, policy_from))
    _emit(report, fmt, output, color, DIFF_FORMATS)
    sys.exit(_exit_code(report))


def _exit_code(report: Any) -> int:
    if report.verdict == "fail":
        return EXIT_FAIL
    if report.errors:
        return EXIT_INPUT
    return EXIT_PASS


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
    from guardrails.app.scan import find_root
    from guardrails.policy.load import load_policy, validate_file

    if not files:
        # No file named: the policy a check here would use (.guardrails.yaml, else builtin:default).
        loaded = load_policy([], find_root(Path.cwd()))
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

    from guardrails.app.scan import find_root
    from guardrails.policy.load import load_policy

    loaded = load_policy(policies, find_root(Path.cwd()))
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
    """Entry point, and the one error boundary: maps every way a run can end to its exit code."""
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
    except InputProblems as exc:
        # A policy or usage file that cannot be used: each problem at its file and line.
        _print_problems(exc.problems)
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
