"""A module registry on 127.0.0.1 that serves local git mirrors, to measure `modules fetch` offline.

    python benchmarks/registry.py MIRRORS [--port 8765]

MIRRORS holds one git repository per module, named `<namespace>+terraform-<provider>-<name>`
(as the `fetch` tool of this project's library names them, e.g.
terraform-aws-modules+terraform-aws-vpc/repo or .../repo.git). The server speaks the module
registry protocol: service discovery, `versions` (the repository's `v*` tags), and `download`,
whose X-Terraform-Get points to a tar.gz of the tag that `git archive` makes. Point guardrails at
it with `guardrails modules fetch --registry registry.terraform.io=http://127.0.0.1:8765`.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_MODULE = re.compile(r"^/v1/modules/(?P<ns>[^/]+)/(?P<name>[^/]+)/(?P<provider>[^/]+)/(?P<rest>.*)$")


def git_dir(mirrors: Path, ns: str, name: str, provider: str) -> Path | None:
    base = mirrors / f"{ns}+terraform-{provider}-{name}"
    for candidate in (base / "repo", base / "repo.git", base):
        if (candidate / "HEAD").is_file() or (candidate / ".git").exists():
            return candidate
    return None


def tags(repo: Path) -> list[str]:
    out = subprocess.run(["git", f"--git-dir={repo}", "tag", "--list", "v*"], capture_output=True, text=True).stdout
    return [t[1:] for t in out.split() if re.fullmatch(r"v\d+\.\d+\.\d+", t)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirrors", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    mirrors = args.mirrors

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/.well-known/terraform.json":
                return self._send(200, json.dumps({"modules.v1": "/v1/modules/"}).encode())
            match = _MODULE.match(self.path)
            repo = git_dir(mirrors, match["ns"], match["name"], match["provider"]) if match else None
            if match is None or repo is None:
                return self._send(404)
            rest = match["rest"]
            if rest == "versions":
                listing = {"modules": [{"versions": [{"version": v} for v in tags(repo)]}]}
                return self._send(200, json.dumps(listing).encode())
            if rest.endswith("/download"):
                version = rest[: -len("/download")]
                return self._send(204, headers={"X-Terraform-Get": f"{self.path[:-len('/download')]}/archive.tar.gz"})
            if rest.endswith("/archive.tar.gz"):
                version = rest[: -len("/archive.tar.gz")]
                archive = subprocess.run(["git", f"--git-dir={repo}", "archive", "--format=tar.gz", f"v{version}"],
                                         capture_output=True).stdout
                return self._send(200 if archive else 404, archive)
            return self._send(404)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
