"""`guardrails comment`: post the markdown report as the one guardrails comment of a pull request.

It exits 0 whether the comment was posted or skipped: the job's verdict comes from the policy, and
a fork's read-only token or a slow API must not fail a change that passes. Exit 2 is for a body
file that cannot be used.
"""
from __future__ import annotations

import os

import click

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails.integrations.commentsync import Outcome

# The HTTP client is imported when a comment is posted, not on every start of the CLI.
BEHAVIOURS = ("update", "new", "delete-and-new")


@click.command()
@click.option("--body-file", required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True),
              help="The comment: a report written with --format markdown ('-' reads stdin).")
@click.option("--platform", type=click.Choice(["auto", "github", "gitlab"]), default="auto", show_default=True,
              help="Where to post; auto reads GITHUB_ACTIONS and GITLAB_CI.")
@click.option("--behaviour", type=click.Choice(list(BEHAVIOURS)), default="update", show_default=True,
              help="update: edit the earlier comment; new: add one per run; delete-and-new: replace it at the bottom.")
@click.option("--pr", type=click.IntRange(min=1), default=None,
              help="The pull or merge request number (default: from the CI environment).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds to wait for each API request.")
def comment(body_file: str, platform: str, behaviour: str, pr: int | None, timeout: float) -> None:
    """Post the report as the pull request's guardrails comment, or update the earlier one."""
    body = _read_body(body_file)
    from guardrails.integrations.comment import detect_platform, post_github, post_gitlab
    from guardrails.integrations.commentsync import Outcome

    chosen = detect_platform(os.environ) if platform == "auto" else platform
    if chosen == "github":
        outcome = post_github(body, behaviour=behaviour, env=os.environ, timeout=timeout, pr=pr)
    elif chosen == "gitlab":
        outcome = post_gitlab(body, behaviour=behaviour, env=os.environ, timeout=timeout, pr=pr)
    else:
        outcome = Outcome("skipped", reason="no CI platform detected (GITHUB_ACTIONS and GITLAB_CI are not set); "
                                            "pass --platform")
    click.echo(describe(outcome))


def describe(outcome: "Outcome") -> str:
    """The one line the command prints."""
    if outcome.action == "skipped":
        return f"guardrails: comment skipped: {outcome.reason}"
    line = f"guardrails: comment {outcome.action}"
    if outcome.url:
        line += f": {outcome.url}"
    return line + (f" ({outcome.reason})" if outcome.reason else "")


def _read_body(path: str) -> str:
    try:
        with click.open_file(path, encoding="utf-8") as stream:
            body = stream.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
                                 param_hint="--body-file") from None
    if not body.strip():
        raise click.BadParameter(f"{path} is empty", param_hint="--body-file")
    return body
