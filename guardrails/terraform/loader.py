"""Terraform configurations (HCL and `.tf.json`) to resources, evaluated as far as offline allows.

Roots are the scanned directories that no other scanned directory calls as a local module.
Each root is evaluated with its variables (defaults, terraform.tfvars, *.auto.tfvars,
--var-file, --var), locals, providers (aliases, default_tags), count/for_each and dynamic blocks,
and its local modules recursively (addresses `module.name[...]...`). A module whose source is
not local becomes one resource that says it was not inspected.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from guardrails.terraform.budget import current as current_budget, start as start_budget
from guardrails.terraform.hcl.nodes import Node

from guardrails.terraform.hcl.parse import HclSyntaxError, parse_expression
from guardrails.files.parsecache import cached
from guardrails.terraform.evaluate import MAX_DEPTH, Scope, evaluate, template_from_text
from guardrails.terraform.syntax import bare_identifier, node_line, significant, traversal_text
from guardrails.terraform.values import EvalError, Lazy, iterate, to_number
from guardrails.terraform.functions.files import file_functions, path_values
from guardrails.core.errors import UsageError
from guardrails.terraform.types import TypeSpec, conversion_problem, convert, describe, type_spec
from guardrails.terraform.source import Block, Body, JsonExpr, parse_hcl_file, parse_json_file, parse_json_vars
from guardrails.core.model import InputError, Location, Note, Resource, Suppression, Unknown, is_unknown
from guardrails.files.trees import OutsideRoot, Tree as FileTree, join

MAX_MODULE_DEPTH = 16
MAX_INSTANCES = 10_000
META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "providers", "source", "version"}
RESOURCE_META = {"count", "for_each", "provider", "depends_on"}  # `version`, `source` are real attributes there
META_BLOCKS = {"lifecycle", "provisioner", "connection", "precondition", "postcondition"}


@dataclass
class TerraformOptions:
    var_files: Sequence[str] = ()  # repository-relative paths
    vars: Mapping[str, str] = field(default_factory=dict)  # --var name=value


@dataclass
class LoadResult:
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # `moved` blocks: (from, to) addresses


@dataclass
class _Module:
    """One directory's configuration, parsed once and shared by every call of it."""

    path: str
    body: Body = field(default_factory=Body)
    directives: dict[str, list[Suppression]] = field(default_factory=dict)  # file -> directives


def eval_expr(expr: Any, scope: Scope) -> Any:
    if isinstance(expr, JsonExpr):
        return _eval_json(expr.value, scope)
    return evaluate(expr, scope)


def _in_file(file: str, expr: Any, scope: Scope) -> Any:
    """A local's value, charged to the file that defines it, wherever it is read from."""
    with current_budget().at(file):
        return eval_expr(expr, scope)


def _eval_json(value: Any, scope: Scope) -> Any:
    if isinstance(value, str):
        if "${" in value or "%{" in value:
            try:
                return template_from_text(value, scope)
            except (EvalError, HclSyntaxError) as exc:
                return Unknown(str(exc))
        return value
    if isinstance(value, list):
        return [_eval_json(item, scope) for item in value]
    if isinstance(value, dict):
        return {key: _eval_json(item, scope) for key, item in value.items()}
    return value


# A module block's source (HCL or JSON): `source = "../x"`, `"source": "./x"`.
_SOURCE_TEXT = re.compile(r'"?source"?\s*[=:]\s*"(\.{1,2}(?:(?:/|\\/)[^"]*)?)"')


class TerraformLoader:
    def __init__(self, tree: FileTree, options: TerraformOptions | None = None) -> None:
        self.tree = tree
        self.options = options or TerraformOptions()
        self.result = LoadResult()
        self._modules: dict[str, _Module | None] = {}
        self._texts: dict[str, str] = {}  # read ahead by _prewarm, consumed once by _read_text
        self._function_tables: dict[str, dict[str, Any]] = {}
        root = getattr(tree, "root", None)
        self._repo_name = getattr(root, "name", "") or ""
        self._root = "."  # the root module being evaluated
        self._read_errors: list[InputError] = []
        self._read_notes: list[Note] = []

    # reading ----------------------------------------------------------------------------
    def module(self, path: str) -> _Module | None:
        if path in self._modules:
            return self._modules[path]
        module = None
        if self.tree.is_dir(path):
            module = _Module(path)
            marks = len(self.result.errors), len(self.result.notes)
            for name in self.tree.listdir(path):
                if not name.endswith((".tf", ".tf.json")):
                    continue
                file = join(path, name)
                if self.tree.is_file(file):
                    self._parse_into(module, file)
                elif getattr(self.tree, "leaves_root", None) and self.tree.leaves_root(file):  # type: ignore[attr-defined]
                    self.result.notes.append(Note(file, "a symbolic link to outside the repository, not followed"))
                # A directory or a dangling link named *.tf is not a configuration file.
            # Kept apart from evaluation problems: they stand even if the evaluation that read
            # the module is thrown away (see load), and a module read twice reports them once.
            self._read_errors.extend(self.result.errors[marks[0]:])
            self._read_notes.extend(self.result.notes[marks[1]:])
            del self.result.errors[marks[0]:], self.result.notes[marks[1]:]
        self._modules[path] = module
        return module

    def _parse_into(self, module: _Module, file: str) -> None:
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
        """Parse the directories' uncached files on every core first (see loaders/parallel).

        The texts read here are kept for the evaluation, so no file is read twice.
        """
        from guardrails.files.cache import cache_dir
        from guardrails.terraform.parallel import MIN_FILES, prewarm

        if cache_dir() is None:
            return  # workers hand their parses over through the cache
        names = [join(d, n) for d in directories if self.tree.is_dir(d) for n in self.tree.listdir(d)
                 if n.endswith((".tf", ".tfvars")) and not n.endswith(".json")]
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

    # roots ------------------------------------------------------------------------------
    def load(self, directories: Sequence[str]) -> LoadResult:
        self._prewarm(directories)
        ordered = sorted(directories)
        maybe_called = self._possible_module_targets(ordered)
        called: set[str] = set()
        pieces: dict[str, tuple[list, list, list]] = {}
        deferred: list[str] = []
        for directory in ordered:
            module = self.module(directory)
            if module is None:
                continue
            called.update(self._local_calls(directory, module))
            if maybe_called is None or directory in maybe_called:
                deferred.append(directory)  # probably a module: a root only if nothing calls it
                continue
            if directory not in called:
                pieces[directory] = self._evaluate_root(directory, module)
            # Memory stays flat as the repository grows: a root is dropped once evaluated,
            # only the modules it calls stay loaded.
            self._modules.pop(directory, None)
        for directory in deferred:
            if directory not in called:
                pieces[directory] = self._evaluate_root(directory, self.module(directory))
        result = self.result
        problems, notes = list(self._read_errors), list(self._read_notes)
        for directory in ordered:
            # A directory evaluated early whose caller came later was a module after all.
            if directory in pieces and directory not in called:
                resources, errors, more_notes = pieces[directory]
                result.resources.extend(resources)
                problems.extend(errors)
                notes.extend(more_notes)
        result.errors[:] = list(dict.fromkeys(problems + result.errors))
        result.notes[:] = list(dict.fromkeys(notes + result.notes))
        return result

    def _local_calls(self, directory: str, module: _Module) -> set[str]:
        out: set[str] = set()
        for block in module.body.blocks:
            if block.type == "module" and "source" in block.body.attrs:
                source = eval_expr(block.body.attrs["source"].expr, Scope({}))
                if isinstance(source, str) and _is_local(source):
                    try:
                        target = join(directory, source)
                    except OutsideRoot:
                        continue
                    # A directory that calls itself is still a root: evaluating it reports the cycle.
                    if target != directory:
                        out.add(target)
        return out

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

    def _evaluate_root(self, directory: str, module: _Module) -> tuple[list, list, list]:
        """Evaluate a root module; its resources, errors and notes, taken out of the result."""
        result = self.result
        marks = (len(result.resources), len(result.errors), len(result.notes))
        if module.body.blocks:
            # Resources remember their root: a module called by two roots yields one resource
            # per root at the same address and lines, and each keeps its own findings.
            self._root = directory or "."
            budget = start_budget()
            inputs = self._root_inputs(directory, module)
            self._evaluate(module, inputs, prefix="", providers={}, stack=(directory,))
            # What the module computes past a bound is unknown; each error says where it stopped.
            stops = dict.fromkeys(budget.refused + ([budget.exhausted] if budget.exhausted else []))
            for file, line, message in stops:
                result.errors.append(InputError(file or directory or ".", line, message))
            start_budget()  # what is evaluated after this root (a plan, a test) starts afresh
        piece = (result.resources[marks[0]:], result.errors[marks[1]:], result.notes[marks[2]:])
        del result.resources[marks[0]:], result.errors[marks[1]:], result.notes[marks[2]:]
        return piece

    def _root_inputs(self, directory: str, module: _Module) -> dict[str, Any]:
        values: dict[str, Any] = {}
        names = sorted(self.tree.listdir(directory))
        var_files = [n for n in names if n in ("terraform.tfvars", "terraform.tfvars.json")]
        var_files += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        declared = _variable_specs(module.body)
        for path in [join(directory, n) for n in var_files] + list(self.options.var_files):
            for name, (value, line) in self._read_tfvars(path).items():
                problem = conversion_problem(value, declared[name]) if name in declared else None
                if problem:
                    # Terraform stops at such a value; the variable is unknown here, the rest is read.
                    self.result.errors.append(InputError(path, line, _refused(name, declared[name], problem)))
                    value = Unknown(f"variable {name}: {problem}")
                values[name] = value
        for name, raw in self.options.vars.items():
            values[name] = _cli_value(name, raw, declared.get(name, "string"))
        return values

    def _functions(self, root_dir: str) -> dict[str, Any]:
        """Terraform's functions, with the ones that read files bound to this root module."""
        if root_dir not in self._function_tables:
            from guardrails.terraform.functions.table import FUNCTIONS, checked

            reading = {name: checked(name, f) for name, f in file_functions(self.tree, root_dir, FUNCTIONS, self._repo_name).items()}
            self._function_tables[root_dir] = {**FUNCTIONS, **reading}
        return self._function_tables[root_dir]

    def _read_tfvars(self, file: str) -> dict[str, tuple[Any, int]]:
        """Each variable a tfvars file sets: its value and the line it is set at."""
        text = self._read_text(file)
        if text is None:
            return {}
        try:
            if file.endswith(".json"):
                body = parse_json_vars(text)
            else:
                body = cached("terraform", file, text, lambda: parse_hcl_file(text, file))
        except HclSyntaxError as exc:
            self.result.errors.append(InputError(file, exc.line, f"cannot parse variables: {exc.message}"))
            return {}
        with current_budget().at(file):
            return {name: (eval_expr(attr.expr, Scope({})), attr.line) for name, attr in body.attrs.items()}

    # evaluation -------------------------------------------------------------------------
    def _evaluate(self, module: _Module, inputs: Mapping[str, Any], prefix: str,
                  providers: Mapping[str, Mapping[str, Any]], stack: tuple[str, ...]) -> None:
        body = module.body
        variables = self._variables(body, inputs)
        locals_thunks: dict[str, Any] = {}
        scope = Scope({
            "var": variables,
            "path": path_values(module.path, stack[0], self._repo_name),
            "terraform": {"workspace": "default"},
        }, self._functions(stack[0]))
        locals_lazy = Lazy(locals_thunks, "local")
        scope.names["local"] = locals_lazy
        for block in body.blocks:
            if block.type == "locals":
                for name, attr in block.body.attrs.items():
                    locals_thunks[name] = (lambda a=attr, f=block.file: _in_file(f, a.expr, scope))
        own_providers = dict(providers)
        for block in body.blocks:
            if block.type == "provider" and block.labels:
                with current_budget().at(block.file):
                    config = _provider_config(block, scope)
                key = block.labels[0] + (f".{config['alias']}" if isinstance(config.get("alias"), str) else "")
                own_providers[key] = config
        for block in body.blocks:
            if block.type in ("resource", "data") and len(block.labels) == 2:
                with current_budget().at(block.file):
                    self._resources(block, module, scope, prefix, own_providers)
            elif block.type == "moved":
                self._moved(block, prefix)
            elif block.type == "module" and block.labels:
                with current_budget().at(block.file):
                    self._module_call(block, module, scope, prefix, own_providers, stack)

    def _moved(self, block: Block, prefix: str) -> None:
        ends = []
        for key in ("from", "to"):
            attr = block.body.attrs.get(key)
            if attr is None:
                return
            text = str(attr.expr.value) if isinstance(attr.expr, JsonExpr) else _address_text(attr.expr)
            if not text:
                self.result.errors.append(InputError(block.file, attr.line, f"moved.{key} is not a resource address"))
                return
            ends.append(prefix + text)
        self.result.moved.append((ends[0], ends[1]))

    def _variables(self, body: Body, inputs: Mapping[str, Any]) -> dict[str, Any]:
        variables: dict[str, Any] = {}
        for block in body.blocks:
            if block.type != "variable" or not block.labels:
                continue
            name = block.labels[0]
            if name in inputs:
                value = inputs[name]
            elif "default" in block.body.attrs:
                default = block.body.attrs["default"]
                with current_budget().at(block.file):
                    value = eval_expr(default.expr, Scope({}))
                problem = conversion_problem(value, _type_spec_of(block))
                if problem:
                    self.result.errors.append(InputError(block.file, default.line,
                                                         _refused(name, _type_spec_of(block), problem, "default")))
            else:
                value = Unknown(f"variable {name} has no value (set it in a tfvars file or with --var)")
            variables[name] = convert(value, _type_spec_of(block))
        return variables

    def _instances(self, block: Block, scope: Scope) -> list[tuple[str, dict[str, Any]]] | Unknown:
        """(address suffix, names to bind) per instance, or Unknown when the count is unknown."""
        attrs = block.body.attrs
        if "count" in attrs:
            count = eval_expr(attrs["count"].expr, scope)
            if is_unknown(count):
                return Unknown(f"count is unknown: {count.reason}")
            try:
                number = int(to_number(count))
            except EvalError as exc:
                return Unknown(f"count is not a number: {exc}")
            if number < 0 or number > MAX_INSTANCES:
                return Unknown(f"count {number} is out of range")
            return [(f"[{i}]", {"count": {"index": i}}) for i in range(number)]
        if "for_each" in attrs:
            collection = eval_expr(attrs["for_each"].expr, scope)
            if is_unknown(collection):
                return Unknown(f"for_each is unknown: {collection.reason}")
            if isinstance(collection, list):
                if any(not isinstance(v, str) for v in collection):
                    return Unknown("for_each over a list needs a set of strings")
                collection = {v: v for v in collection}
            if not isinstance(collection, dict):
                return Unknown("for_each needs a map or a set of strings")
            return [(f"[{json.dumps(k)}]", {"each": {"key": k, "value": v}}) for k, v in iterate(collection)]
        return [("", {})]

    def _resources(self, block: Block, module: _Module, scope: Scope, prefix: str,
                   providers: Mapping[str, Mapping[str, Any]]) -> None:
        rtype, name = block.labels
        mode = "data" if block.type == "data" else "managed"
        base = f"{prefix}{'data.' if mode == 'data' else ''}{rtype}.{name}"
        instances = self._instances(block, scope)
        unknown_count = ""
        if is_unknown(instances):
            unknown_count = instances.reason
            instances = [("", {"count": {"index": Unknown("count.index of a resource whose count is unknown")},
                               "each": {"key": Unknown("each.key of an unknown for_each"),
                                        "value": Unknown("each.value of an unknown for_each")}})]
        provider_key = _provider_key(block, rtype)
        config = providers.get(provider_key) or providers.get(provider_key.split(".")[0]) or {}
        suppressions = self._suppressions_for(block, module)
        for suffix, bound in instances:
            inner = scope.child(bound)
            attrs, lines = evaluate_body(block.body, inner, "")
            self.result.resources.append(Resource(
                address=base + suffix,
                type=rtype,
                kind="terraform",
                location=Location(block.file, block.line, block.end_line),
                attrs=attrs,
                lines=lines,
                provider=provider_key.split(".")[0],
                provider_config=config,
                module=prefix[:-1] if prefix else "",
                root=self._root,
                mode=mode,
                suppressions=suppressions,
                unknown="",
                meta={"count_unknown": unknown_count} if unknown_count else {},
            ))

    def _suppressions_for(self, block: Block, module: _Module) -> tuple[Suppression, ...]:
        found = [d for d in module.directives.get(block.file, ()) if block.line - 1 <= d.line <= block.end_line]
        return tuple(found)

    def _module_call(self, block: Block, module: _Module, scope: Scope, prefix: str,
                     providers: Mapping[str, Mapping[str, Any]], stack: tuple[str, ...]) -> None:
        name = block.labels[0]
        attrs = block.body.attrs
        source = eval_expr(attrs["source"].expr, scope) if "source" in attrs else None
        address = f"{prefix}module.{name}"
        location = Location(block.file, block.line, block.end_line)
        if not isinstance(source, str) or not _is_local(source):
            shown = source if isinstance(source, str) else "an expression"
            self.result.resources.append(Resource(
                address=address, type="module", kind="terraform", location=location,
                module=prefix[:-1] if prefix else "",
                root=self._root,
                suppressions=self._suppressions_for(block, module),
                unknown=f"module source {shown!r} is not local, so its resources were not inspected",
            ))
            return
        try:
            target = join(module.path, source)
        except OutsideRoot:
            self.result.notes.append(Note(block.file, f"module.{name}: source {source!r} is outside the repository, not inspected"))
            return
        if target in stack or len(stack) >= MAX_MODULE_DEPTH:
            self.result.errors.append(InputError(block.file, block.line, f"module.{name}: module calls nest too deeply or form a cycle"))
            return
        child = self.module(target)
        if child is None:
            self.result.errors.append(InputError(block.file, attrs["source"].line, f"module.{name}: source directory {target or '.'} does not exist"))
            return
        child_providers = _passed_providers(block, providers)
        instances = self._instances(block, scope)
        if is_unknown(instances):
            self.result.resources.append(Resource(
                address=address, type="module", kind="terraform", location=location,
                module=prefix[:-1] if prefix else "",
                root=self._root,
                unknown=f"module.{name}: {instances.reason}, so its resources were not inspected",
            ))
            return
        for suffix, bound in instances:
            inner = scope.child(bound)
            inputs = {key: eval_expr(attr.expr, inner) for key, attr in attrs.items() if key not in META_ARGUMENTS}
            self._evaluate(child, inputs, f"{address}{suffix}.", child_providers, stack + (target,))


def evaluate_body(body: Body, scope: Scope, prefix: str) -> tuple[dict[str, Any], dict[str, int]]:
    """A block body's attributes and nested blocks as plain values, with the line of each path."""
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for name, attr in body.attrs.items():
        if not prefix and name in RESOURCE_META:
            continue
        path = f"{prefix}{name}"
        value = eval_expr(attr.expr, scope)
        values[name] = value
        lines[path] = attr.line
        _object_lines(attr.expr, path, lines)
    for block in body.blocks:
        if block.type in META_BLOCKS:
            continue
        if block.type == "dynamic" and block.labels:
            _dynamic(block, scope, prefix, values, lines)
            continue
        items = values.setdefault(block.type, [])
        if not isinstance(items, list):
            continue
        path = f"{prefix}{block.type}[{len(items)}]"
        inner_values, inner_lines = evaluate_body(block.body, scope, path + ".")
        items.append(inner_values)
        lines[path] = block.line
        lines.update(inner_lines)
    return values, lines


def _dynamic(block: Block, scope: Scope, prefix: str, values: dict[str, Any], lines: dict[str, int]) -> None:
    kind = block.labels[0]
    items = values.setdefault(kind, [])
    if not isinstance(items, list):
        return
    attrs = block.body.attrs
    iterator = kind
    if "iterator" in attrs:
        iterator = bare_identifier(attrs["iterator"].expr) or kind
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    collection = eval_expr(attrs["for_each"].expr, scope) if "for_each" in attrs else Unknown("dynamic block without for_each")
    if content is None:
        return
    if is_unknown(collection):
        lines[f"{prefix}{kind}[{len(items)}]"] = block.line
        items.append(Unknown(f"dynamic {kind} blocks: {collection.reason}"))
        return
    try:
        pairs = list(iterate(collection))
    except EvalError as exc:
        items.append(Unknown(f"dynamic {kind} blocks: {exc}"))
        return
    for key, value in pairs:
        inner = scope.child({iterator: {"key": key, "value": value}})
        path = f"{prefix}{kind}[{len(items)}]"
        inner_values, inner_lines = evaluate_body(content.body, inner, path + ".")
        items.append(inner_values)
        lines[path] = block.line
        lines.update(inner_lines)


def _object_lines(expr: Any, path: str, lines: dict[str, int], depth: int = 0) -> None:
    """Lines of the keys of an object literal (e.g. each tag), where the source has one."""
    if depth > MAX_DEPTH:
        return  # the value itself is Unknown that deep (see tfexpr.MAX_DEPTH)
    node = expr
    while isinstance(node, Node) and node.data == "expr_term":
        inner = significant(node.children)
        if len(inner) != 1:
            return
        node = inner[0]
    if isinstance(node, Node) and node.data == "function_call":
        # merge(local.tags, { owner = "x" }): the keys written inline still have their lines.
        args = next((c for c in node.children if isinstance(c, Node) and c.data == "arguments"), None)
        for arg in significant(args.children) if args is not None else []:
            _object_lines(arg, path, lines, depth + 1)
        return
    if not isinstance(node, Node) or node.data != "object":
        return
    for elem in significant(node.children):
        key_node = significant(elem.children)[0]
        inner = significant(key_node.children)[0]
        key = bare_identifier(inner)
        if key is None:
            value = evaluate(inner, Scope({}))
            key = value if isinstance(value, str) else None
        if key is not None:
            lines[f"{path}.{key}"] = node_line(elem)
            _object_lines(significant(elem.children)[-1], f"{path}.{key}", lines, depth + 1)


def _provider_config(block: Block, scope: Scope) -> dict[str, Any]:
    values, _ = evaluate_body(block.body, scope, "")
    config: dict[str, Any] = {key: values[key] for key in ("region", "alias", "project", "zone", "location") if key in values}
    default_tags = values.get("default_tags")
    if isinstance(default_tags, list) and default_tags:
        tags = default_tags[0].get("tags", {}) if isinstance(default_tags[0], dict) else default_tags[0]
        config["default_tags"] = tags
    elif "default_labels" in values:
        config["default_tags"] = values["default_labels"]
    return config


def _provider_key(block: Block, rtype: str) -> str:
    attr = block.body.attrs.get("provider")
    if attr is not None:
        if isinstance(attr.expr, JsonExpr):
            return str(attr.expr.value)
        text = traversal_text(attr.expr)
        if text and text != "an expression":
            return text
    return rtype.split("_", 1)[0]


def _passed_providers(block: Block, providers: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    inherited = {key: value for key, value in providers.items() if "." not in key}
    attr = block.body.attrs.get("providers")
    if attr is None:
        return inherited
    node = attr.expr
    while isinstance(node, Node) and node.data == "expr_term":
        node = significant(node.children)[0]
    if isinstance(node, Node) and node.data == "object":
        for elem in significant(node.children):
            key_node, value_node = significant(elem.children)
            key = traversal_text(significant(key_node.children)[0])
            source = traversal_text(value_node)
            if source in providers:
                inherited[key] = providers[source]
    return inherited


def _address_text(node: Any) -> str:
    """A reference written as an address (`aws_instance.a`, `module.x`, `aws_instance.b["k"]`)."""
    while isinstance(node, Node) and node.data == "expr_term" and len(significant(node.children)) == 1:
        node = significant(node.children)[0]
    if isinstance(node, Node) and node.data == "identifier":
        return node.children[0].value
    if isinstance(node, Node) and node.data == "get_attr_expr_term":
        base, get_attr = node.children
        inner = _address_text(base)
        return f"{inner}.{significant(get_attr.children)[0].children[0].value}" if inner else ""
    if isinstance(node, Node) and node.data == "index_expr_term":
        base, index = node.children
        inner = _address_text(base)
        key = evaluate(significant(index.children)[0], Scope({})) if index.data == "braces_index" else int(significant(index.children)[0].value)
        if not inner or is_unknown(key):
            return ""
        return f"{inner}[{json.dumps(key)}]"
    return ""


def _is_local(source: str) -> bool:
    return source.startswith("./") or source.startswith("../") or source in (".", "..")


def _variable_specs(body: Body) -> dict[str, TypeSpec]:
    return {b.labels[0]: _type_spec_of(b) for b in body.blocks if b.type == "variable" and b.labels}


def _refused(name: str, spec: TypeSpec, problem: str, what: str = "value") -> str:
    return f"variable {name!r} is {describe(spec)}: its {what} does not convert ({problem})"


def _type_spec_of(block: Block) -> TypeSpec:
    attr = block.body.attrs.get("type")
    if attr is None:
        return "any"
    expr = attr.expr
    if isinstance(expr, JsonExpr):
        if not isinstance(expr.value, str):
            return "any"
        try:
            expr = parse_expression(expr.value)
        except HclSyntaxError:
            return "any"
    return type_spec(expr)


def _cli_value(name: str, raw: str, spec: TypeSpec) -> Any:
    """A --var value as Terraform reads it: a string for primitive types, an HCL value otherwise."""
    if isinstance(spec, str):
        value: Any = raw
    else:
        try:
            value = evaluate(parse_expression(raw), Scope({}))
        except HclSyntaxError:
            raise UsageError(f"--var {name}={raw[:60]!r}: variable {name!r} is {describe(spec)}, "
                             "and the value is not an HCL expression") from None
    problem = conversion_problem(value, spec)
    if problem:
        raise UsageError(f"--var {name}={raw[:60]!r}: variable {name!r} is {describe(spec)}, "
                         f"and the value does not convert ({problem})")
    return value


def load_terraform(tree: FileTree, directories: Sequence[str], options: TerraformOptions | None = None) -> LoadResult:
    return TerraformLoader(tree, options).load(directories)
