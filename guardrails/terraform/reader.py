"""Reading a Terraform module directory: its files parsed (from the cache when they can be), once.

The evaluation (loader.py) asks for modules by directory; what reading finds wrong (a file that
cannot be read or parsed, a link out of the repository) is kept apart from evaluation problems.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from guardrails.core.model import InputError, Note, Resource, Suppression
from guardrails.files.parsecache import cached
from guardrails.files.trees import TERRAFORM_SUFFIXES, OutsideRoot, Tree as FileTree, join
from guardrails.terraform.hcl.parse import HclSyntaxError
from guardrails.terraform.source import Body, parse_hcl_file, parse_json_file


@dataclass
class Module:
    """One directory's configuration, parsed once and shared by every call of it."""

    path: str
    body: Body = field(default_factory=Body)
    directives: dict[str, list[Suppression]] = field(default_factory=dict)  # file -> directives


# A module block's source (HCL or JSON): `source = "../x"`, `"source": "./x"`.
_SOURCE_TEXT = re.compile(r'"?source"?\s*[=:]\s*"(\.{1,2}(?:(?:/|\\/)[^"]*)?)"')


def _overridden(name: str, names: Sequence[str]) -> bool:
    """Whether OpenTofu reads `<x>.tofu` (or `.tofu.json`) instead of `name`, `<x>.tf` (`.tf.json`)."""
    for tf, tofu in ((".tf", ".tofu"), (".tf.json", ".tofu.json")):
        if name.endswith(tf) and name[: -len(tf)] + tofu in names:
            return True
    return False


class ModuleReader:
    """Reads and parses module directories, once each: the half of the loader that touches files.

    The loader (TerraformLoader) sets `tree`, `result`, `_modules`, `_texts`, `_read_errors` and
    `_read_notes`; evaluation lives there.
    """

    tree: FileTree
    result: LoadResult
    _modules: dict[str, Module | None]
    _texts: dict[str, str]
    _read_errors: list[InputError]
    _read_notes: list[Note]

    def module(self, path: str) -> Module | None:
        if path in self._modules:
            return self._modules[path]
        module = None
        if self.tree.is_dir(path):
            module = Module(path)
            marks = len(self.result.errors), len(self.result.notes)
            names = self.tree.listdir(path)
            for name in names:
                if not name.endswith(TERRAFORM_SUFFIXES) or _overridden(name, names):
                    continue
                file = join(path, name)
                if self.tree.is_file(file):
                    self._parse_into(module, file)
                elif self.tree.leaves_root(file):
                    self.result.notes.append(Note(file, "a symbolic link to outside the repository, not followed"))
                # A directory or a dangling link named *.tf is not a configuration file.
            # Kept apart from evaluation problems: they stand even if the evaluation that read
            # the module is thrown away (see load), and a module read twice reports them once.
            self._read_errors.extend(self.result.errors[marks[0]:])
            self._read_notes.extend(self.result.notes[marks[1]:])
            del self.result.errors[marks[0]:], self.result.notes[marks[1]:]
        self._modules[path] = module
        return module

    def _parse_into(self, module: Module, file: str) -> None:
        text = self._read_text(file)
        if text is None:
            return
        parse = parse_json_file if file.endswith(".json") else parse_hcl_file
        try:
            body = cached("terraform", file, text, lambda: parse(text, file))
        except HclSyntaxError as exc:
            self.result.errors.append(InputError(file, exc.line, f"cannot parse Terraform: {exc.message}"))
            return
        module.body.attrs.update(body.attrs)
        module.body.blocks.extend(body.blocks)
        if "guardrails:ignore" in text:
            from guardrails.core.ignores import find_directives

            module.directives[file] = find_directives(text)

    def _prewarm(self, directories: Sequence[str]) -> None:
        """Parse the directories' uncached files on every core first (see terraform/parallel).

        The texts read here are kept for the evaluation, so no file is read twice.
        """
        from guardrails.files.cache import cache_dir
        from guardrails.terraform.parallel import MIN_FILES, prewarm

        if cache_dir() is None:
            return  # workers hand their parses over through the cache
        names = [join(d, n) for d in directories if self.tree.is_dir(d) for n in self.tree.listdir(d)
                 if n.endswith((".tf", ".tofu", ".tfvars")) and not n.endswith(".json")]
        if len(names) < MIN_FILES:
            return
        for name in names:
            try:
                data = self.tree.read(name)
                if b"\0" not in data[:8192]:
                    self._texts[name] = data.decode("utf-8")
            except (OSError, OutsideRoot, UnicodeDecodeError):
                continue  # read again, and reported, when the evaluation reaches the file
        prewarm(list(self._texts.items()))

    def _read_text(self, file: str) -> str | None:
        if file in self._texts:
            return self._texts.pop(file)
        try:
            data = self.tree.read(file)
        except OutsideRoot:
            self.result.notes.append(Note(file, "a symbolic link to outside the repository, not followed"))
            return None
        except OSError as exc:
            # The reason without the absolute path: reports must not differ between checkouts.
            self.result.errors.append(InputError(file, 0, f"cannot read: {exc.strerror or exc}"))
            return None
        if b"\0" in data[:8192]:
            self.result.notes.append(Note(file, "binary file, skipped"))
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.result.errors.append(InputError(file, data.count(b"\n", 0, exc.start) + 1, "not valid UTF-8"))
            return None

    def _possible_module_targets(self, directories: Sequence[str]) -> set[str] | None:
        """Every directory some text could call as a module: a cheap superset of the real calls.

        Terraform requires a module's source to be a literal string, so a textual search finds
        them all (and maybe more). Only worth it when the texts were read ahead (large runs);
        otherwise None: every directory counts, which keeps all parses until the end.
        """
        if not self._texts:
            return None
        targets: set[str] = set()
        for file, text in self._texts.items():
            if "source" not in text:
                continue
            base = file.rsplit("/", 1)[0] if "/" in file else ""
            for match in _SOURCE_TEXT.finditer(text):
                try:
                    targets.add(join(base, match.group(1).replace("\\/", "/")))
                except OutsideRoot:
                    continue
        return targets


@dataclass
class LoadResult:
    """What loading Terraform found: resources, problems at their lines, notes, and `moved` blocks."""

    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # `moved` blocks: (from, to) addresses
