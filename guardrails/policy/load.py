"""Read policy files, validate them against schema.json, and merge them into one `Policy`.

Which files: the `--policy` files in the order given (a `builtin:<name>` works there too); with
none, `<root>/.guardrails.yaml` if it exists; else the bundled `builtin:default`.

How they merge, in this order:
- a file's `extends` entries first, in their order, then the file itself; the `--policy` files
  one after the other the same way. Each file is merged once, where it first appears, so a pack
  reached twice (a diamond) does not undo what was merged after its first appearance;
- a rule whose id an earlier file already defined replaces that rule whole, in its place;
  two rules with the same id in one file are an error;
- settings merge key by key, later files winning; the `kubernetes` and `limits` maps merge key
  by key too;
  `prices` and `usage` paths are relative to the file that names them;
- exemptions concatenate.

`extends` names bundled packs as `builtin:<name>` and other files by paths relative to the
extending file's folder. A missing file, an unknown pack and a cycle are errors at the line of
the `extends` entry. Every problem found is reported at once, each with its file, its line and
the JSON path of the value, e.g. `rules[2].severity: 'fatal' is not one of [...]`.
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from guardrails.core.errors import InputProblems
from guardrails.core.limits import Limits
from guardrails.files.yamldoc import YamlDocument, YamlError
from guardrails.core.model import InputError
from guardrails.core.policy import Exemption, Match, Policy, RuleConfig, Settings
from guardrails.policy.validate import line_of, plain, validate
from guardrails.rules.registry import rule_type

BUILTIN_PREFIX = "builtin:"
DEFAULT_FILE = ".guardrails.yaml"
_RULE_KEYS = ("id", "type", "severity", "description", "match")
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class PolicyError(InputProblems):
    """One or more policy files cannot be used; `problems` says where and why, in file order."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        super().__init__(sorted(problems, key=InputError.sort_key))


def builtin_packs() -> dict[str, Path]:
    """The bundled packs by name: guardrails/packs when installed, <repo>/policies in a checkout."""
    for folder in (_PACKAGE_DIR / "packs", _PACKAGE_DIR.parent / "policies"):
        packs = {path.stem: path for path in sorted(folder.glob("*.yaml"))}
        if packs:
            return packs
    return {}


def load_policy(paths: Sequence[str | Path], root: Path | None = None, tree: Any = None) -> Policy:
    """The merged policy of `paths` (see the module docstring); raises PolicyError.

    `root` (default: the working directory) is where `.guardrails.yaml` is looked up and what
    file names in messages are relative to. With `tree` (a files.trees.Tree, e.g. a git commit),
    files inside `root` are read from it instead of the disk: `guardrails diff` applies the
    head's policy.
    """
    root = Path.cwd() if root is None else Path(root)
    merger = _Merger(root, tree)
    if not paths:
        default = root / DEFAULT_FILE
        paths = [default] if merger.is_file(default) else [BUILTIN_PREFIX + "default"]
    for path in paths:
        merger.include(str(path), base=Path.cwd(), origin=None)
    if merger.problems:
        raise PolicyError(merger.problems)
    return _with_options(merger.policy())


def _with_options(policy: Policy) -> Policy:
    """Each rule with its type's typed options; a bad option is a problem at the rule's line.

    After the merge, so that a rule replaced by a later file is judged only as it ends up.
    """
    rules, problems = [], []
    for rule in policy.rules:
        try:
            rules.append(replace(rule, parsed=rule_type(rule.type).options(rule)))
        except ValueError as exc:
            problems.append(InputError(rule.file, rule.line, str(exc)))
    if problems:
        raise PolicyError(problems)
    return replace(policy, rules=tuple(rules))


def validate_file(path: str | Path, root: Path | None = None) -> list[InputError]:
    """Every problem of one policy file and of what it extends; empty when it is valid."""
    try:
        load_policy([path], root=root)
    except PolicyError as error:
        return list(error.problems)
    return []


class _Merger:
    """Reads files depth-first through `extends` and accumulates the merged policy."""

    def __init__(self, root: Path, tree: Any = None) -> None:
        self.root = root
        self.tree = tree
        self.problems: list[InputError] = []
        self.rules: dict[str, RuleConfig] = {}
        self.settings: dict[str, Any] = {}
        self.kubernetes: dict[str, Any] = {}
        self.limits: dict[str, Any] = {}
        self.exemptions: list[Exemption] = []
        self.sources: list[str] = []
        self._done: set[str] = set()
        self._stack: list[tuple[str, str]] = []  # (key, display name) of files being read

    def include(self, ref: str, base: Path, origin: tuple[str, int] | None, confined: bool = False) -> None:
        """Merge the policy `ref` (a path relative to `base`, or builtin:NAME).

        `confined`: `ref` is named by a policy inside the repository, which may only extend
        files inside it (a pull request's policy must not read, and quote, the CI machine's files).
        """
        where = origin or (ref, 0)
        located = self._locate(ref, base)
        if isinstance(located, str):
            self.problems.append(InputError(where[0], where[1], located))
            return
        path, display = located
        if not display.startswith(BUILTIN_PREFIX) and self._named_inside(path) and not self._inside(path):
            # A .guardrails.yaml (or a file it extends) that is a link out of the repository would
            # be read, and quoted in errors, as if the CI had given it: it is not read at all.
            shown = self._display(path, resolve=False)
            self.problems.append(InputError(where[0] if origin else shown, where[1],
                                            f"{'extends ' + ref + ': ' if origin else ''}a symbolic link out of the "
                                            "repository, not read"))
            return
        if confined and not display.startswith(BUILTIN_PREFIX) and not self._inside(path):
            self.problems.append(InputError(where[0], where[1], f"extends {ref}: outside the repository, not read "
                                            "(a policy in the repository may extend only files in it and builtin packs)"))
            return
        key = str(path.resolve())
        if any(key == seen for seen, _ in self._stack):
            chain = " -> ".join([name for _, name in self._stack] + [display])
            self.problems.append(InputError(where[0], where[1], f"extends cycle: {chain}"))
            return
        if key in self._done:
            return
        document = self._read(path, display, where)
        if document is None:
            return
        value = plain(document.value)
        # The bundled packs are validated by the test suite; skipping them here keeps a run
        # without a policy of its own from importing jsonschema at all.
        problems = [] if display.startswith(BUILTIN_PREFIX) else validate(value, document, display)
        if problems:
            self.problems.extend(problems)
            return
        self._stack.append((key, display))
        for index, entry in enumerate(value.get("extends", [])):
            line = line_of(document, ["extends", index])
            self.include(entry, base=path.parent, origin=(display, line),
                         confined=confined or (not display.startswith(BUILTIN_PREFIX) and self._inside(path)))
        self._stack.pop()
        self._done.add(key)
        self._merge(value, document, display, path.parent)
        self.sources.append(display)

    def _locate(self, ref: str, base: Path) -> tuple[Path, str] | str:
        """(file, name for messages), or why it cannot be found."""
        if ref.startswith(BUILTIN_PREFIX):
            name = ref[len(BUILTIN_PREFIX):]
            packs = builtin_packs()
            if name not in packs:
                return f"unknown policy pack {ref!r}; bundled packs: " + ", ".join(
                    BUILTIN_PREFIX + known for known in sorted(packs)
                )
            return packs[name], ref
        path = Path(ref)
        if not path.is_absolute():
            path = base / path
        if not self.is_file(path):
            return f"policy file not found: {ref}"
        return path, self._display(path)

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root.resolve())
        except (ValueError, OSError):
            return False
        return True

    def _in_tree(self, path: Path) -> str | None:
        """The repository-relative path when `path` is to be read from the tree."""
        if self.tree is None:
            return None
        try:
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return None

    def is_file(self, path: Path) -> bool:
        rel = self._in_tree(path)
        return path.is_file() if rel is None else self.tree.is_file(rel)

    def read_text(self, path: Path) -> str:
        rel = self._in_tree(path)
        return path.read_text(encoding="utf-8") if rel is None else self.tree.read(rel).decode("utf-8")

    def _named_inside(self, path: Path) -> bool:
        """Whether the path as written (links not followed) lies in the repository."""
        try:
            Path(os.path.normpath(path.absolute())).relative_to(os.path.normpath(self.root.absolute()))
        except ValueError:
            return False
        return True

    def _display(self, path: Path, resolve: bool = True) -> str:
        try:
            if not resolve:
                return path.absolute().relative_to(self.root.absolute()).as_posix()
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def _read(self, path: Path, display: str, where: tuple[str, int]) -> YamlDocument | None:
        try:
            text = self.read_text(path)
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(InputError(where[0], where[1], f"cannot read {display}: {error}"))
            return None
        try:
            documents = _documents(text, display)
        except YamlError as error:
            self.problems.append(InputError(error.file, error.line, error.message))
            return None
        documents = [doc for doc in documents if doc.value is not None]
        if not documents:
            self.problems.append(InputError(display, 1, "the policy file is empty"))
            return None
        if len(documents) > 1:
            message = f"expected one policy document, found {len(documents)}"
            self.problems.append(InputError(display, documents[1].start_line, message))
            return None
        return documents[0]

    def _merge(
        self, value: Mapping[str, Any], document: YamlDocument, display: str, folder: Path
    ) -> None:
        settings = dict(value.get("settings", {}))
        self.kubernetes.update(settings.pop("kubernetes", {}))
        self.limits.update(settings.pop("limits", {}))
        for key in ("prices", "usage"):
            if key in settings:
                target = folder / settings[key]
                # A policy in the repository (the pull request's) names files in it only, as its
                # extends do: settings.usage: /etc/passwd would be read and quoted in the job log.
                if self._inside(folder / "x") and not self._inside(target):
                    self.problems.append(InputError(display, line_of(document, ["settings", key]),
                                                    f"settings.{key}: outside the repository, not read (a policy in "
                                                    "the repository may name only files in it; "
                                                    + ("give --usage on the command line for one elsewhere)" if key == "usage"
                                                       else "use guardrails prices import for a catalog elsewhere)")))
                    settings.pop(key)
                    continue
                settings[key] = str(target)
        self.settings.update(settings)
        for index, raw in enumerate(value.get("rules", [])):
            rule = _rule(raw, display, line_of(document, ["rules", index]))
            self.rules[rule.id] = rule  # a dict keeps the first position on replacement
        for index, raw in enumerate(value.get("exemptions", [])):
            self.exemptions.append(
                Exemption(
                    rule=raw["rule"],
                    resource=raw["resource"],
                    reason=raw["reason"],
                    expires=raw.get("expires"),
                    file=display,
                    line=line_of(document, ["exemptions", index]),
                )
            )

    def policy(self) -> Policy:
        settings = dict(self.settings)
        return Policy(
            rules=tuple(self.rules.values()),
            settings=Settings(
                region=settings.pop("region", None),
                unknown=settings.pop("unknown", "warn"),
                inline_suppressions=settings.pop("inline_suppressions", "allow"),
                kubernetes=dict(self.kubernetes),
                limits=Limits.from_settings(self.limits),
                other=settings,
            ),
            exemptions=tuple(self.exemptions),
            sources=tuple(self.sources),
        )


def _rule(raw: Mapping[str, Any], file: str, line: int) -> RuleConfig:
    match = raw.get("match", {})
    return RuleConfig(
        id=raw["id"],
        type=raw["type"],
        severity=raw.get("severity", "fail"),
        match=Match(
            resources=tuple(match.get("resources", ())),
            paths=tuple(match.get("paths", ())),
            namespaces=tuple(match.get("namespaces", ())),
            exclude_resources=tuple(match.get("exclude", ())),
        ),
        options={key: value for key, value in raw.items() if key not in _RULE_KEYS},
        description=raw.get("description", ""),
        file=file,
        line=line,
    )





def _documents(text: str, display: str) -> list[YamlDocument]:
    """The policy's documents, from the parse cache when this text was read before.

    Every run reads at least the bundled policy; cached, a run that reads no other YAML never
    imports PyYAML (a policy that does not parse raises, and nothing is cached for it).
    """
    from guardrails.files.parsecache import cached

    def read() -> list[YamlDocument]:
        from guardrails.files.yamllines import load_documents

        return load_documents(text, display)

    return cached("policy", display, text, read)


