"""`guardrails prices update` end to end against a price server on 127.0.0.1, never the internet.

The server serves small files in the real formats (an AWS offer index, region index and CSV offer
file; Azure Retail Prices API pages; a GCP pricing.yml) and can misbehave on purpose: a body cut
short of its Content-Length, an HTTP error, a server slower than the timeout, a page whose next
link points at another host.
"""
from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "prices"
EC2_OFFER = "/offers/v1.0/aws/AmazonEC2/20261102182451/us-east-1/index"


class PriceServer:
    """routes: path (with query) -> (status, body bytes, {"delay": s, "truncate": n})."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, dict]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                server.requests.append(self.path)
                status, body, how = server.routes.get(self.path) or server.routes.get(
                    urlsplit(self.path).path, (404, b"not found", {}))
                time.sleep(how.get("delay", 0))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: how["truncate"]] if "truncate" in how else body)
                self.wfile.flush()
                if "truncate" in how:
                    self.close_connection = True

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll interval: shutdown() waits for one, at each test's end.
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # loopback is reached directly
    price_server = PriceServer()
    yield price_server
    price_server.close()


def serve_aws(server: PriceServer, offer: bytes | None = None, **how) -> None:
    server.routes["/offers/v1.0/aws/index.json"] = (200, json.dumps({"offers": {
        "AmazonEC2": {"offerCode": "AmazonEC2", "currentRegionIndexUrl": "/offers/v1.0/aws/AmazonEC2/current/region_index.json"},
    }}).encode(), {})
    server.routes["/offers/v1.0/aws/AmazonEC2/current/region_index.json"] = (200, json.dumps({"regions": {
        "us-east-1": {"regionCode": "us-east-1", "currentVersionUrl": EC2_OFFER + ".json"},
    }}).encode(), {})
    body = offer if offer is not None else (FIXTURES / "aws-ec2-offer.csv").read_bytes()
    server.routes[EC2_OFFER + ".csv"] = (how.pop("status", 200), body, how)


def update(tmp_path: Path, server: PriceServer, *args: str):
    return run(["prices", "update", "--aws-endpoint", server.url, "--azure-endpoint", server.url,
                "--gcp-url", server.url + "/pricing.yml", "--output", "prices.json.gz", *args], tmp_path)


def written(tmp_path: Path) -> dict:
    with gzip.open(tmp_path / "prices.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def rows(document: dict) -> dict:
    return {tuple(row[:4]): row[4] for row in document["prices"]}


def test_aws_offer_files_become_a_user_catalog_the_cost_command_uses(tmp_path, server):
    serve_aws(server)
    code, out, err = update(tmp_path, server, "--provider", "aws", "--service", "ec2", "--region", "us-east-1")
    assert code == 0, err
    prices = rows(written(tmp_path))
    assert prices[("aws", "ec2", "us-east-1", "m5.large")] == 0.096
    assert prices[("aws", "ebs", "us-east-1", "gp3")] > 0
    assert "wrote" in out and "GUARDRAILS_PRICES=prices.json.gz" in out
    assert "read " in err and "AmazonEC2" in err  # what was read, one line per file off a terminal
    assert server.requests == ["/offers/v1.0/aws/index.json", "/offers/v1.0/aws/AmazonEC2/current/region_index.json",
                               EC2_OFFER + ".csv"]
    [source] = written(tmp_path)["sources"]
    assert source["published"] == "2026-11-02"
    assert not list(tmp_path.glob(".guardrails-update-*"))  # the scratch directory is gone

    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n'
                                      'resource "aws_instance" "a" {\n  instance_type = "c5.xlarge"\n}\n')
    (tmp_path / "p.yaml").write_text("version: 1\nsettings: {prices: prices.json.gz}\nrules: []\n")
    code, out, _ = run(["cost", "main.tf", "--policy", "p.yaml", "--format", "json"], tmp_path)
    [line] = json.loads(out)["cost"]["resources"]
    assert line["components"][0]["unit_price"] == 0.17  # the updated offer's price


def test_azure_pages_are_followed_on_the_same_host(tmp_path, server):
    first = json.loads((FIXTURES / "azure-retail-page1.json").read_text())
    first["NextPageLink"] = server.url + "/api/retail/prices?page=2"
    server.routes["/api/retail/prices"] = (200, json.dumps(first).encode(), {})
    server.routes["/api/retail/prices?page=2"] = (200, (FIXTURES / "azure-retail-page2.json").read_bytes(), {})
    code, _, err = update(tmp_path, server, "--provider", "azure", "--service", "vm", "--region", "eastus")
    assert code == 0, err
    prices = rows(written(tmp_path))
    assert any(key[:3] == ("azure", "vm", "eastus") for key in prices)
    assert server.requests[0].startswith("/api/retail/prices?api-version=")
    assert "armRegionName+eq+%27eastus%27" in server.requests[0]
    assert server.requests[1] == "/api/retail/prices?page=2"


def test_a_next_page_on_another_host_is_refused(tmp_path, server):
    first = json.loads((FIXTURES / "azure-retail-page1.json").read_text())
    first["NextPageLink"] = "http://198.51.100.7/api/retail/prices?page=2"
    server.routes["/api/retail/prices"] = (200, json.dumps(first).encode(), {})
    code, _, err = update(tmp_path, server, "--provider", "azure", "--service", "vm")
    assert code == 2
    assert "http://198.51.100.7/api/retail/prices?page=2: not on a host this update reads from" in err
    assert not (tmp_path / "prices.json.gz").exists()


def test_gcp_pricing_file_limited_to_the_regions_asked(tmp_path, server):
    server.routes["/pricing.yml"] = (200, (FIXTURES / "gcp-pricing-excerpt-2026-07-30.yml").read_bytes(), {})
    code, _, err = update(tmp_path, server, "--provider", "gcp", "--region", "europe-west1")
    assert code == 0, err
    regions = {key[2] for key in rows(written(tmp_path))}
    assert regions == {"europe-west1"}


@pytest.mark.parametrize("how, message", [
    ({"truncate": 600}, "truncated"),
    ({"status": 503}, "HTTP 503"),
])
def test_a_failed_download_leaves_the_previous_catalog_untouched(tmp_path, server, how, message):
    serve_aws(server)
    assert update(tmp_path, server, "--provider", "aws", "--region", "us-east-1", "--service", "ec2")[0] == 0
    before = (tmp_path / "prices.json.gz").read_bytes()
    serve_aws(server, **how)
    code, _, err = update(tmp_path, server, "--provider", "aws", "--region", "us-east-1", "--service", "ec2")
    assert code == 2
    assert message in err and f"{EC2_OFFER}.csv" in err and "the catalog at prices.json.gz is unchanged" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert (tmp_path / "prices.json.gz").read_bytes() == before
    assert not list(tmp_path.glob(".guardrails-update-*")) and not list(tmp_path.glob(".partial-*"))


def test_a_slow_server_times_out(tmp_path, server):
    serve_aws(server, delay=1.5)
    code, _, err = update(tmp_path, server, "--provider", "aws", "--region", "us-east-1", "--service", "ec2",
                          "--timeout", "0.2")
    assert code == 2 and "timed out" in err
    assert not (tmp_path / "prices.json.gz").exists()


def test_an_offer_file_cut_at_a_line_is_an_error_at_that_line(tmp_path, server):
    # A file that is whole as HTTP goes (its Content-Length matches) but ends mid-row.
    text = (FIXTURES / "aws-ec2-offer.csv").read_text()
    serve_aws(server, offer=text[: text.index('"A2C5XLARGELINUX1"') + 60].encode())
    code, _, err = update(tmp_path, server, "--provider", "aws", "--region", "us-east-1", "--service", "ec2")
    assert code == 2 and "offer.csv:" in err
    assert not (tmp_path / "prices.json.gz").exists()


def test_a_region_without_an_offer_file_is_named(tmp_path, server):
    serve_aws(server)
    code, _, err = update(tmp_path, server, "--provider", "aws", "--region", "us-east-7", "--service", "ec2")
    assert code == 2 and "AmazonEC2 has no offer file for region us-east-7 (it has us-east-1)" in err


def test_merge_keeps_what_the_update_does_not_replace(tmp_path, server):
    server.routes["/pricing.yml"] = (200, (FIXTURES / "gcp-pricing-excerpt-2026-07-30.yml").read_bytes(), {})
    assert update(tmp_path, server, "--provider", "gcp")[0] == 0
    serve_aws(server)
    code, _, err = update(tmp_path, server, "--provider", "aws", "--region", "us-east-1", "--service", "ec2", "--merge")
    assert code == 0, err
    providers = {key[0] for key in rows(written(tmp_path))}
    assert providers == {"aws", "gcp"}


@pytest.mark.parametrize("args, message", [
    (["--service", "dynamodb"], "no service 'dynamodb' to update"),
    (["--region", "Mars_1"], "'Mars_1' is not a region name of aws, azure, gcp"),
    (["--provider", "azure", "--region", "eu-west-1"], "'eu-west-1' is not a region name of azure"),
    (["--provider", "gcp", "--service", "vm"], "no service 'vm' to update (gcp: compute, disk, gke)"),
])
def test_bad_options_are_usage_errors_before_any_download(tmp_path, server, args, message):
    code, _, err = update(tmp_path, server, *args)
    assert code == 2 and message in err
    assert server.requests == []
