"""`guardrails modules fetch` against a module registry on 127.0.0.1 and file:// git repositories."""
import io
import json
import subprocess
import tarfile
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from guardrails.modules import archives
from guardrails.modules.sources import SourceError, parse_source

from conftest import run, write_tree

VPC_TF = b'''
variable "nat" { default = true }
resource "aws_nat_gateway" "this" {
  count     = var.nat ? 1 : 0
  subnet_id = "subnet-1"
}
module "logs" {
  source = "git::%s//logs?ref=v1"
}
output "nat_count" { value = length(aws_nat_gateway.this) }
'''


def _tar(files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Registry:
    """Terraform's module registry protocol, served from memory; records what was asked."""

    def __init__(self, archive: bytes, versions=("0.9.0", "1.2.0", "1.3.0", "2.0.0")):
        self.archive, self.versions, self.requests = archive, versions, []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                registry.requests.append(self.path)
                if self.path == "/.well-known/terraform.json":
                    return self._json({"modules.v1": "/api/modules/"})
                if self.path == "/api/modules/acme/vpc/aws/versions":
                    return self._json({"modules": [{"versions": [{"version": v} for v in registry.versions]}]})
                if self.path.startswith("/api/modules/acme/vpc/aws/") and self.path.endswith("/download"):
                    self.send_response(204)
                    self.send_header("X-Terraform-Get", "/archives/vpc.tar.gz")
                    self.end_headers()
                    return
                if self.path == "/archives/vpc.tar.gz":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(registry.archive)))
                    self.end_headers()
                    self.wfile.write(registry.archive)
                    return
                self.send_response(404)
                self.end_headers()

            def _json(self, value):
                body = json.dumps(value).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def _git_module(path: Path) -> str:
    """A file:// repository whose tag v1 has logs/main.tf (a log group kept forever)."""
    write_tree(path, {"logs/main.tf": 'resource "aws_cloudwatch_log_group" "this" { name = "flow" }\n',
                      "README.md": "logs\n"})
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "v1")
    _git(path, "tag", "v1")
    (path / "logs/main.tf").write_text('resource "aws_s3_bucket" "later" {}\n')
    _git(path, "commit", "-q", "-am", "after v1")
    return path.as_uri()


ROOT_TF = '''
provider "aws" { region = "us-east-1" }
module "vpc" {
  source  = "registry.test/acme/vpc/aws"
  version = "~> 1.2"
}
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  count         = module.vpc.nat_count
}
'''


@pytest.fixture
def registry_repo(tmp_path):
    git_url = _git_module(tmp_path / "logs-module")
    registry = Registry(_tar({"main.tf": VPC_TF % git_url.encode()}))
    repo = write_tree(tmp_path / "repo", {"main.tf": ROOT_TF})
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "infra")
    yield repo, registry
    registry.close()


def test_fetch_installs_registry_and_nested_git_modules_into_the_cache(registry_repo):
    repo, registry = registry_repo
    code, out, err = run(["modules", "fetch", "--registry", f"registry.test={registry.url}", "--allow-local-sources"], repo)
    assert code == 0, err
    assert "2 module calls installed (2 packages downloaded, 0 reused)" in out
    # The newest version that meets ~> 1.2, as terraform init picks it.
    assert "/api/modules/acme/vpc/aws/1.3.0/download" in registry.requests
    assert subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=repo, capture_output=True,
                          text=True).stdout == ""  # nothing written into the repository
    code, out, err = run(["cost", ".", "--format", "json"], repo)
    lines = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}
    assert lines["module.vpc.aws_nat_gateway.this[0]"]["monthly"]["after"] > 0
    assert "module.vpc.module.logs.aws_cloudwatch_log_group.this" in lines  # the tag's file, not main's
    assert "aws_instance.web[0]" in lines  # count from the module's output
    code, out, _ = run(["check", ".", "--format", "json"], repo)
    assert not [f for f in json.loads(out)["findings"] if f["rule"] == "module-not-inspected"]
    # A second fetch downloads nothing new.
    code, out, err = run(["modules", "fetch", "--registry", f"registry.test={registry.url}", "--allow-local-sources"], repo)
    assert code == 0 and "0 module calls installed" in out


def test_file_sources_need_to_be_allowed(registry_repo):
    repo, registry = registry_repo
    code, out, err = run(["modules", "fetch", "--registry", f"registry.test={registry.url}"], repo)
    assert code == 2
    assert "error: .terraform/guardrails-packages/" in err and "module vpc.logs:" in err
    assert "1 module calls installed" in out  # the registry module was; the git one was not


def test_a_version_the_registry_does_not_have_is_an_error_at_the_call(registry_repo):
    repo, registry = registry_repo
    (repo / "main.tf").write_text(ROOT_TF.replace("~> 1.2", ">= 3.0"))
    code, _, err = run(["modules", "fetch", "--registry", f"registry.test={registry.url}"], repo)
    assert code == 2 and "main.tf:3: module vpc: registry.test/acme/vpc/aws: the registry has no version '>= 3.0'" in err


def test_a_subdirectory_that_leaves_the_package_is_refused(tmp_path):
    repo = write_tree(tmp_path, {"main.tf": 'module "x" {\n  source = "git::https://example.com/m.git//../../etc?ref=v1"\n}\n'})
    code, _, err = run(["modules", "fetch"], repo)
    assert code == 2 and "leaves the package" in err


def test_fetch_refuses_hosts_it_was_not_pointed_at(tmp_path):
    repo = write_tree(tmp_path, {"main.tf": 'module "x" {\n  source = "http://127.0.0.1:9/x.tar.gz"\n}\n'})
    code, _, err = run(["modules", "fetch"], repo)
    assert code == 2 and "not on a host modules fetch reads from" in err


@pytest.mark.parametrize("source, why", [
    ("git::ext::sh -c touch% /tmp/pwned", "is not fetched"),
    ("hg::https://example.com/repo", "hg sources are not fetched"),
    ("git::https://example.com/x.git?sshkey=AAAA", "sshkey"),
    ("./local", "local path"),
    ("https://example.com/page", "not an archive"),
])
def test_sources_that_are_never_fetched(source, why):
    with pytest.raises(SourceError, match=why):
        parse_source(source)


@pytest.mark.parametrize("source, kind, address, subdir, ref", [
    ("terraform-aws-modules/vpc/aws", "registry", "registry.terraform.io/terraform-aws-modules/vpc/aws", "", ""),
    ("terraform-aws-modules/iam/aws//modules/role", "registry", "registry.terraform.io/terraform-aws-modules/iam/aws",
     "modules/role", ""),
    ("app.terraform.io/acme/net/aws", "registry", "app.terraform.io/acme/net/aws", "", ""),
    ("github.com/acme/mod//sub?ref=v2.0.0", "git", "https://github.com/acme/mod.git", "sub", "v2.0.0"),
    ("git::https://example.com/mod.git//a/b?ref=abc1234", "git", "https://example.com/mod.git", "a/b", "abc1234"),
    ("git@github.com:acme/mod.git", "git", "ssh://git@github.com/acme/mod.git", "", ""),
    ("https://example.com/mod.zip//sub", "archive", "https://example.com/mod.zip", "sub", ""),
    ("https://example.com/get?id=1&archive=tar.gz", "archive", "https://example.com/get?id=1", "", "tar.gz"),
])
def test_source_addresses_read_as_terraform_reads_them(source, kind, address, subdir, ref):
    parsed = parse_source(source)
    assert (parsed.kind, parsed.address, parsed.subdir, parsed.ref) == (kind, address, subdir, ref)


def test_hostile_archives_write_nothing_outside_and_stop_at_their_bounds(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in ("../escape.tf", "/abs.tf", "ok/main.tf"):
            info = tarfile.TarInfo(name)
            info.size = 3
            tar.addfile(info, io.BytesIO(b"x=1"))
        link = tarfile.TarInfo("ok/link.tf")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    archive = tmp_path / "a.tar"
    archive.write_bytes(buffer.getvalue())
    done = archives.unpack(archive, tmp_path / "out")
    assert (done.files, done.skipped) == (1, 3)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.tf")) == ["out/ok/main.tf"]
    linked = tmp_path / "link.zip"
    with zipfile.ZipFile(linked, "w") as zipped:
        info = zipfile.ZipInfo("mod/passwd.tf")
        info.external_attr = (0o120777 << 16)  # a symbolic link, as zip -y stores one
        zipped.writestr(info, "/etc/passwd")
        zipped.writestr("mod/main.tf", "x = 1")
    done = archives.unpack(linked, tmp_path / "linked")
    assert (done.files, done.skipped) == (1, 1) and not (tmp_path / "linked/mod/passwd.tf").exists()
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("big.tf", b"\0" * (2 << 20))
        for i in range(5):
            zipped.writestr(f"f{i}.tf", b"")
    with pytest.raises(archives.ArchiveError, match="more than 1,048,576 bytes"):
        archives.unpack(bomb, tmp_path / "bomb", max_bytes=1 << 20)
    with pytest.raises(archives.ArchiveError, match="more than 3 files"):
        archives.unpack(bomb, tmp_path / "many", max_files=3)


def test_the_registry_is_asked_once_for_calls_of_one_module(registry_repo):
    repo, registry = registry_repo
    (repo / "main.tf").write_text(ROOT_TF + '\nmodule "vpc2" {\n  source  = "registry.test/acme/vpc/aws"\n'
                                  '  version = "~> 1.2"\n}\n')
    code, out, err = run(["modules", "fetch", "--registry", f"registry.test={registry.url}", "--allow-local-sources"], repo)
    assert code == 0, err
    assert registry.requests.count("/api/modules/acme/vpc/aws/versions") == 1
    assert "4 module calls installed (2 packages downloaded, 2 reused)" in out
