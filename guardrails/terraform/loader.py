"""Terraform configurations (HCL and `.tf.json`) to resources, evaluated as far as offline allows.

Roots are the scanned directories that no other scanned directory calls as a local module.
Each root is evaluated with its variables (defaults, terraform.tfvars, *.auto.tfvars,
--var-file, --var), locals, providers (aliases, default_tags), count/for_each and dynamic blocks,
and its local modules recursively (addresses `module.name[...]...`). A module whose source is
not local becomes one resource that says it was not inspected.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from guardrails.core.model import InputError, Location, Note, Resource, Suppression, Unknown, is_unknown
from guardrails.files.installed import WithInstalledModules
from guardrails.files.parsecache import cached
from guardrails.files.trees import OutsideRoot, Tree as FileTree, join
from guardrails.terraform.bodies import eval_expr, evaluate_body, in_file
from guardrails.terraform.budget import current as current_budget, start as start_budget
from guardrails.terraform.functions.files import file_functions, path_values
from guardrails.terraform.hcl.parse import HclSyntaxError
from guardrails.terraform.installed import InstalledModule, call_key, mismatch, read_manifest
from guardrails.terraform.outputs import outputs
from guardrails.terraform.providers import address_text, passed_providers, provider_configs, provider_key_of
from guardrails.terraform.resource_view import evaluate_block, plain, resource_names
from guardrails.terraform.reader import LoadResult, Module, ModuleReader
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import Block, Body, JsonExpr, parse_hcl_file, parse_json_vars
from guardrails.terraform.types import conversion_problem, convert
from guardrails.terraform.values import EvalError, Lazy, iterate, to_number
from guardrails.terraform.variables import cli_value, failed_validations, refusal, type_spec_of, variable_specs

MAX_MODULE_DEPTH = 16
MAX_INSTANCES = 10_000
META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "providers", "source", "version"}


@dataclass
class TerraformOptions:
    var_files: Sequence[str] = ()  # repository-relative paths
    vars: Mapping[str, str] = field(default_factory=dict)  # --var name=value
    # Where `.terraform/modules` is read (the working directory, for a tree of a commit); None:
    # the tree itself.
    installed: FileTree | None = None


class TerraformLoader(ModuleReader):
    def __init__(self, tree: FileTree, options: TerraformOptions | None = None) -> None:
        self.options = options or TerraformOptions()
        self.tree = WithInstalledModules(tree, self.options.installed or tree)
        self._manifests: dict[str, dict[str, InstalledModule]] = {}
        self.result = LoadResult()
        self._modules: dict[str, Module | None] = {}
        self._texts: dict[str, str] = {}  # read ahead by _prewarm, consumed once by _read_text
        self._function_tables: dict[str, dict[str, Any]] = {}
        self._repo_name = tree.root.name if tree.root is not None else ""
        self._root = "."  # the root module being evaluated
        self._read_errors: list[InputError] = []
        self._read_notes: list[Note] = []

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

    def _local_calls(self, directory: str, module: Module) -> set[str]:
        out: set[str] = set()
        early: Scope | None = None
        for block in module.body.blocks:
            if block.type == "module" and "source" in block.body.attrs:
                source = eval_expr(block.body.attrs["source"].expr, Scope({}))
                if is_unknown(source):
                    early = early or _early_scope(module)
                    source = eval_expr(block.body.attrs["source"].expr, early)
                if isinstance(source, str) and _is_local(source):
                    try:
                        target = join(directory, source)
                    except OutsideRoot:
                        continue
                    # A directory that calls itself is still a root: evaluating it reports the cycle.
                    if target != directory:
                        out.add(target)
        return out

    def _evaluate_root(self, directory: str, module: Module) -> tuple[list, list, list]:
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

    def _root_inputs(self, directory: str, module: Module) -> dict[str, Any]:
        values: dict[str, Any] = {}
        names = sorted(self.tree.listdir(directory))
        var_files = [n for n in names if n in ("terraform.tfvars", "terraform.tfvars.json")]
        var_files += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        declared = variable_specs(module.body)
        for path in [join(directory, n) for n in var_files] + list(self.options.var_files):
            for name, (value, line) in self._read_tfvars(path).items():
                problem = conversion_problem(value, declared[name]) if name in declared else None
                if problem:
                    # Terraform stops at such a value; the variable is unknown here, the rest is read.
                    self.result.errors.append(InputError(path, line, refusal(name, declared[name], problem)))
                    value = Unknown(f"variable {name}: {problem}")
                values[name] = value
        for name, raw in self.options.vars.items():
            values[name] = cli_value(name, raw, declared.get(name, "string"))
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
    def _evaluate(self, module: Module, inputs: Mapping[str, Any], prefix: str,
                  providers: Mapping[str, Mapping[str, Any]], stack: tuple[str, ...]) -> dict[str, Any]:
        """Evaluate one module instance into the result; its outputs."""
        body = module.body
        variables = self._variables(body, inputs)
        self.result.errors.extend(failed_validations(body, variables, self._functions(stack[0]), prefix[:-1]))
        locals_thunks: dict[str, Any] = {}
        scope = Scope({
            "var": variables,
            "path": path_values(module.path, stack[0], self._repo_name),
            "terraform": {"workspace": "default"},
        }, self._functions(stack[0]), module=prefix[:-1])
        locals_lazy = Lazy(locals_thunks, "local")
        scope.names["local"] = locals_lazy
        for block in body.blocks:
            if block.type == "locals":
                for name, attr in block.body.attrs.items():
                    locals_thunks[name] = (lambda a=attr, f=block.file: in_file(f, a.expr, scope))
        own_providers = dict(providers)  # filled below, before any module call can run
        # A module call runs when first read (`module.child.size` in a resource above the call)
        # or at its place in the body, whichever comes first, and once: its outputs are kept.
        calls = Lazy({block.labels[0]: (lambda b=block: self._module_call(b, module, scope, prefix, own_providers, stack))
                      for block in body.blocks if block.type == "module" and block.labels}, f"{prefix}module")
        scope.names["module"] = calls
        for block in body.blocks:
            if block.type == "provider" and block.labels:
                with current_budget().at(block.file):
                    own_providers.update(provider_configs(block, scope, self._instances))
        # Resources too are evaluated when first read (`engine = aws_rds_global_cluster.this.engine`).
        resources = resource_names(body.blocks, lambda b: self._resources(b, module, scope, prefix, own_providers),
                                   prefix[:-1])
        scope.names.update(resources)
        for block in body.blocks:
            if block.type in ("resource", "data") and len(block.labels) == 2:
                evaluate_block(resources, block)
            elif block.type == "moved":
                self._moved(block, prefix)
            elif block.type == "module" and block.labels:
                calls.get(block.labels[0])
        return outputs(body, scope)

    def _moved(self, block: Block, prefix: str) -> None:
        ends = []
        for key in ("from", "to"):
            attr = block.body.attrs.get(key)
            if attr is None:
                return
            text = str(attr.expr.value) if isinstance(attr.expr, JsonExpr) else address_text(attr.expr, Scope({}))
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
            # A null given to a variable declared `nullable = false` takes its default, as in Terraform.
            if name in inputs and not (inputs[name] is None and _not_nullable(block) and "default" in block.body.attrs):
                value = inputs[name]
            elif "default" in block.body.attrs:
                default = block.body.attrs["default"]
                with current_budget().at(block.file):
                    value = eval_expr(default.expr, Scope({}))
                problem = conversion_problem(value, type_spec_of(block))
                if problem:
                    self.result.errors.append(InputError(block.file, default.line,
                                                         refusal(name, type_spec_of(block), problem, "default")))
            else:
                value = Unknown(f"variable {name} has no value (set it in a tfvars file or with --var)")
            variables[name] = convert(value, type_spec_of(block))
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

    def _resources(self, block: Block, module: Module, scope: Scope, prefix: str,
                   providers: Mapping[str, Mapping[str, Any]]) -> list[Resource]:
        """Evaluate a resource or data block into the result; the instances it made."""
        with current_budget().at(block.file):
            return self._instances_of(block, module, scope, prefix, providers)

    def _instances_of(self, block: Block, module: Module, scope: Scope, prefix: str,
                      providers: Mapping[str, Mapping[str, Any]]) -> list[Resource]:
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
        suppressions = self._suppressions_for(block, module)
        made = []
        for suffix, bound in instances:
            inner = scope.child(bound)
            # Per instance: `provider = aws.by_region[each.key]` (OpenTofu's provider for_each).
            provider_key = provider_key_of(block, rtype, inner)
            config = providers.get(provider_key) or providers.get(provider_key.split(".")[0]) or {}
            attrs, lines = evaluate_body(block.body, inner, "")
            made.append(Resource(
                address=base + suffix,
                type=rtype,
                kind="terraform",
                location=Location(block.file, block.line, block.end_line),
                attrs=plain(attrs),
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
        self.result.resources.extend(made)
        return made

    def _suppressions_for(self, block: Block, module: Module) -> tuple[Suppression, ...]:
        found = [d for d in module.directives.get(block.file, ()) if block.line - 1 <= d.line <= block.end_line]
        return tuple(found)

    def _module_call(self, block: Block, module: Module, scope: Scope, prefix: str,
                     providers: Mapping[str, Mapping[str, Any]], stack: tuple[str, ...]) -> Any:
        """Evaluate a module call's instances into the result; what `module.<name>` reads."""
        with current_budget().at(block.file):
            return self._call(block, module, scope, prefix, providers, stack)

    def _call(self, block: Block, module: Module, scope: Scope, prefix: str,
              providers: Mapping[str, Mapping[str, Any]], stack: tuple[str, ...]) -> Any:
        name = block.labels[0]
        attrs = block.body.attrs
        source = eval_expr(attrs["source"].expr, scope) if "source" in attrs else None
        address = f"{prefix}module.{name}"
        location = Location(block.file, block.line, block.end_line)
        if not isinstance(source, str) or not _is_local(source):
            target, why = self._installed_dir(prefix, name, source, attrs, scope)
            if target is None:
                version = eval_expr(attrs["version"].expr, scope) if "version" in attrs else None
                # What `modules fetch` needs to install it: the call's manifest key, source, version.
                call = {"key": call_key(prefix, name), "source": source if isinstance(source, str) else None,
                        "version": version if isinstance(version, str) else None}
                self.result.resources.append(Resource(
                    address=address, type="module", kind="terraform", location=location,
                    module=prefix[:-1] if prefix else "",
                    root=self._root,
                    suppressions=self._suppressions_for(block, module),
                    unknown=why,
                    meta={"module_call": call},
                ))
                return Unknown(f"an output of {address}, which was not inspected")
        else:
            try:
                target = join(module.path, source)
            except OutsideRoot:
                self.result.notes.append(Note(block.file, f"module.{name}: source {source!r} is outside the repository, not inspected"))
                return Unknown(f"an output of {address}, whose source is outside the repository")
        if target in stack or len(stack) >= MAX_MODULE_DEPTH:
            self.result.errors.append(InputError(block.file, block.line, f"module.{name}: module calls nest too deeply or form a cycle"))
            return Unknown(f"an output of {address}, whose calls nest too deeply or form a cycle")
        child = self.module(target)
        if child is None:
            self.result.errors.append(InputError(block.file, attrs["source"].line, f"module.{name}: source directory {target or '.'} does not exist"))
            return Unknown(f"an output of {address}, whose source directory does not exist")
        instances = self._instances(block, scope)
        if is_unknown(instances):
            self.result.resources.append(Resource(
                address=address, type="module", kind="terraform", location=location,
                module=prefix[:-1] if prefix else "",
                root=self._root,
                unknown=f"module.{name}: {instances.reason}, so its resources were not inspected",
            ))
            return Unknown(f"an output of {address}: {instances.reason}")
        each: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for suffix, bound in instances:
            inner = scope.child(bound)
            inputs = {key: plain(eval_expr(attr.expr, inner)) for key, attr in attrs.items() if key not in META_ARGUMENTS}
            child_providers = passed_providers(block, providers, inner)
            each.append((bound, self._evaluate(child, inputs, f"{address}{suffix}.", child_providers, stack + (target,))))
        # What `module.name` is: one object, a list of them (count), or a map of them (for_each).
        if "count" in attrs:
            return [values for _, values in each]
        if "for_each" in attrs:
            return {bound["each"]["key"]: values for bound, values in each}
        return each[0][1]

    def _installed_dir(self, prefix: str, name: str, source: Any, attrs: Mapping[str, Any],
                       scope: Scope) -> tuple[str | None, str]:
        """Where `terraform init` (or `modules fetch`) installed the module a call names, or None
        and why it is not read."""
        shown = source if isinstance(source, str) else "an expression"
        not_local = f"module source {shown!r} is not local, so its resources were not inspected"
        if not isinstance(source, str):
            return None, not_local
        if self._root not in self._manifests:
            found, notes = read_manifest(self.tree, self._root)
            self._manifests[self._root] = found
            self._read_notes.extend(notes)
        entry = self._manifests[self._root].get(call_key(prefix, name))
        if entry is None:
            return None, not_local
        version = eval_expr(attrs["version"].expr, scope) if "version" in attrs else None
        problem = mismatch(entry, source, version)
        if problem:
            return None, f"module source {shown!r}: {problem}, so its resources were not inspected"
        if not self.tree.is_dir(entry.directory):
            return None, (f"module source {shown!r}: its installed directory {entry.directory} is missing "
                          "(run terraform init), so its resources were not inspected")
        return entry.directory, ""


def _early_scope(module: Module) -> Scope:
    """What a module `source` may read before anything else is evaluated (OpenTofu 1.8): variable
    defaults and locals; anything else stays unknown, and the call is then found when evaluated."""
    variables = {b.labels[0]: eval_expr(b.body.attrs["default"].expr, Scope({})) for b in module.body.blocks
                 if b.type == "variable" and b.labels and "default" in b.body.attrs}
    thunks: dict[str, Any] = {}
    scope = Scope({"var": variables})
    scope.names["local"] = Lazy(thunks, "local")
    for block in module.body.blocks:
        if block.type == "locals":
            for name, attr in block.body.attrs.items():
                thunks[name] = (lambda a=attr: eval_expr(a.expr, scope))
    return scope


def _not_nullable(block: Block) -> bool:
    attr = block.body.attrs.get("nullable")
    return attr is not None and eval_expr(attr.expr, Scope({})) is False


def _is_local(source: str) -> bool:
    return source.startswith("./") or source.startswith("../") or source in (".", "..")


def load_terraform(tree: FileTree, directories: Sequence[str], options: TerraformOptions | None = None) -> LoadResult:
    return TerraformLoader(tree, options).load(directories)
