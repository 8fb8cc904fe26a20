"""Which directories a change reaches: the same answer from git's search and from a plain walk."""
from guardrails.app.changes import affected
from guardrails.git.changes import Change
from guardrails.files.trees import DiskTree

from conftest import write_tree


def test_callers_of_a_changed_module_are_in_scope_transitively(tmp_path):
    write_tree(tmp_path, {
        "live/prod/main.tf": 'module "app" {\n  source = "../../modules/app"\n}\n',
        "live/dev/main.tf": 'module "other" {\n  source = "../../modules/other"\n}\n',
        "modules/app/main.tf": 'module "db" {\n  source = "../db"\n}\n',
        "modules/db/main.tf": 'resource "aws_db_instance" "d" {}\n',
        "modules/other/main.tf": "",
        ".terraform/modules/x/main.tf": 'module "db" {\n  source = "../../../modules/db"\n}\n',
        "k8s/app.yaml": "kind: Deployment\n",
    })
    scope = affected([Change("modules/db/main.tf", None, "M"), Change("k8s/app.yaml", None, "M"),
                      Change("README.md", None, "M")], [DiskTree(tmp_path)])
    assert scope.terraform_dirs == {"modules/db", "modules/app", "live/prod"}
    assert scope.manifests == {"k8s/app.yaml"}
    assert scope.changed == 3


def test_paths_narrow_the_scope(tmp_path):
    write_tree(tmp_path, {"a/main.tf": "", "b/main.tf": ""})
    changes = [Change("a/main.tf", None, "M"), Change("b/main.tf", None, "M")]
    assert affected(changes, [DiskTree(tmp_path)], ["b"]).terraform_dirs == {"b"}


def test_a_rename_puts_both_directories_in_scope(tmp_path):
    write_tree(tmp_path, {"new/main.tf": ""})
    scope = affected([Change("new/main.tf", "old/main.tf", "R")], [DiskTree(tmp_path)])
    assert scope.terraform_dirs == {"new", "old"}
