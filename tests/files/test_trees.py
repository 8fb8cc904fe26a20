"""The tree protocol: a tree implements the four reading methods and inherits a default for
every capability, so any tree (disk, commit, index, or one written here) loads the same way."""
from guardrails.files.limited import LimitedTree
from guardrails.core.limits import DEFAULT_LIMITS
from guardrails.files.trees import Tree, select
from guardrails.terraform.loader import load_terraform


class DictTree(Tree):
    """Files in a mapping: no links, no search, no git."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {path: text.encode() for path, text in files.items()}

    def read(self, path: str) -> bytes:
        return self.files[path]

    def listdir(self, path: str) -> list[str]:
        prefix = f"{path}/" if path else ""
        return sorted({p[len(prefix):].split("/")[0] for p in self.files if p.startswith(prefix)})

    def is_dir(self, path: str) -> bool:
        return path == "" or any(p.startswith(f"{path}/") for p in self.files)

    def is_file(self, path: str) -> bool:
        return path in self.files


FILES = {
    "main.tf": 'module "web" {\n  source = "./modules/web"\n}\n',
    "modules/web/main.tf": 'resource "aws_instance" "web" {\n  instance_type = "t3.micro"\n}\n',
}


def test_a_tree_with_only_the_four_reading_methods_has_every_capability():
    tree = DictTree(FILES)
    assert tree.root is None and tree.listed("main.tf") and not tree.leaves_root("main.tf")
    assert tree.identity("") is None and tree.submodules() == []
    assert tree.files_containing("source", ["*.tf"]) is None  # not known: callers walk and read
    assert tree.lines_matching("source", ["*.tf"]) is None


def test_such_a_tree_is_walked_and_loaded_like_the_disk():
    tree = DictTree(FILES)
    selection = select(tree, [""])
    assert sorted(selection.terraform_dirs) == ["", "modules/web"]
    result = load_terraform(tree, sorted(selection.terraform_dirs))
    assert [(r.address, r.attrs["instance_type"]) for r in result.resources] == [("module.web.aws_instance.web", "t3.micro")]
    assert result.errors == []


def test_a_limited_tree_passes_on_the_capabilities_of_the_tree_below():
    class Searching(DictTree):
        def files_containing(self, needle, globs):
            return sorted(p for p, data in self.files.items() if needle.encode() in data)

    limited = LimitedTree(Searching(FILES), DEFAULT_LIMITS)
    assert limited.files_containing("module", ["*.tf"]) == ["main.tf"]
    assert limited.lines_matching("x", ["*.tf"]) is None and limited.root is None
