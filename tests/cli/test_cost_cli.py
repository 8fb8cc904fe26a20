"""`guardrails cost` end to end: the bundled catalog, the cost models, usage, the report."""
import gzip
import json

from conftest import run, write_tree

M = 730


def cost_json(args, cwd, **kwargs):
    code, out, err = run(["cost", *args, "--format", "json"], cwd, **kwargs)
    return code, json.loads(out) if out else None, err


def test_examples_priced_with_the_arithmetic_spelled_out(example_repo):
    code, report, _ = cost_json(["examples/"], example_repo)
    assert code == 0
    by_address = {r["address"]: r for r in report["cost"]["resources"]}
    monthly = {a: r["monthly"]["after"] for a, r in by_address.items()}
    assert monthly["aws_instance.worker[0]"] == round(M * 0.34 + 40 * 0.08, 2)  # c6i.2xlarge + 40 GB gp3 root
    assert monthly['aws_ebs_volume.uploads["a"]'] == round(500 * 0.10, 2)  # gp2
    assert monthly["module.checkout.aws_autoscaling_group.this"] == round(3 * (M * 0.192 + 30 * 0.08), 2)
    assert monthly["module.storefront.aws_autoscaling_group.this"] == round(3 * (M * 0.0832 + 30 * 0.08), 2)
    # 3 replicas x (500m + 50m CPU) and (512Mi + 0.1 byte) memory at OpenCost's default rates
    assert monthly["Deployment/shop/api"] == round(3 * M * (0.55 * 0.031611 + (0.5 + 0.1 / 2**30) * 0.004237), 2)
    # db.r6g.large postgres in us-east-1 (mooncitizen/togen's offer extract), Multi-AZ: doubled, 200 GB gp3
    assert monthly["aws_db_instance.orders"] == round(2 * (M * 0.225 + 200 * 0.115), 2)
    unpriced = {a: r["unpriced"] for a, r in by_address.items() if r["unpriced"]}
    assert set(unpriced) == {"StatefulSet/data/cache", "CronJob/shop/nightly-report"}
    assert report["cost"]["monthly"]["after"] == round(sum(v for v in monthly.values() if v is not None), 2)
    assert report["cost"]["monthly"]["before"] is None and report["cost"]["monthly"]["delta"] is None


def test_text_table_shows_components_unpriced_and_dated_sources(example_repo):
    code, out, _ = run(["cost", "examples/terraform"], example_repo)
    assert code == 0
    assert "Instance usage (Linux, on-demand, c6i.2xlarge)" in out
    assert "Database instance (db.r6g.large, postgres, Multi-AZ)" in out
    assert "Prices as of:" in out and "2026-07-20" in out
    assert "Total: $" in out


def test_region_missing_from_the_catalog_is_unpriced_with_the_reason(tmp_path):
    # ap-southeast-3 has EC2 prices but no source for its EBS prices: unpriced, never us-east-1's
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": '''
        provider "aws" {
          region = "ap-southeast-3"
        }
        resource "aws_ebs_volume" "v" {
          availability_zone = "ap-southeast-3a"
          size              = 100
          type              = "gp3"
        }
    '''})
    code, report, _ = cost_json(["."], tmp_path)
    (line,) = report["cost"]["resources"]
    assert code == 0
    assert line["monthly"]["after"] is None
    assert "region ap-southeast-3 has no aws ebs prices in the price catalog" in line["unpriced"]
    assert report["cost"]["monthly"]["after"] == 0


def test_usage_file_prices_usage_based_parts_and_warns_on_typos(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")  # the provider's region, as the AWS provider reads it
    write_tree(tmp_path, {
        ".git/HEAD": "",
        "main.tf": 'resource "aws_nat_gateway" "main" {\n  subnet_id = "subnet-1"\n}\n',
        "usage.yaml": "version: 1\nresources:\n  aws_nat_gateway.main: {monthly_data_processed_gb: 1000}\n"
                      "  aws_nat_gateway.mian: {monthly_data_processed_gb: 5}\n",
    })
    code, report, _ = cost_json([".", "--usage", "usage.yaml"], tmp_path)
    (line,) = report["cost"]["resources"]
    assert code == 0
    assert line["monthly"]["after"] == round(M * 0.045 + 1000 * 0.045, 2)
    assert [c["usage_based"] for c in line["components"]] == [False, True]
    assert any("aws_nat_gateway.mian matches no resource" in n["message"] for n in report["notes"])
    code, report, _ = cost_json(["."], tmp_path)
    assert report["cost"]["resources"][0]["monthly"]["after"] == round(M * 0.045, 2)  # listed at 0 without usage


def test_invalid_usage_file_is_exit_2_with_line(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": "", "usage.yaml": "version: 1\nresources:\n  x: {a: -1}\n"})
    code, _, err = run(["cost", ".", "--usage", "usage.yaml"], tmp_path)
    assert code == 2 and "usage.yaml:3:" in err


def test_a_usage_key_the_type_does_not_have_is_exit_2_naming_the_keys_it_has(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "",
                          "main.tf": 'resource "aws_nat_gateway" "main" {\n  subnet_id = "subnet-1"\n}\n',
                          "usage.yaml": "version: 1\nresources:\n  aws_nat_gateway.main: {monthly_data_procesed_gb: 9}\n"})
    code, out, err = run(["cost", ".", "--usage", "usage.yaml"], tmp_path)
    assert code == 2
    assert ("usage.yaml:3: " in err and "aws_nat_gateway has no usage key 'monthly_data_procesed_gb'; "
            "its keys: monthly_data_processed_gb" in err)


def test_corrupt_user_catalog_is_a_clear_error(tmp_path, monkeypatch):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n'})
    bad = tmp_path / "prices.json.gz"
    bad.write_bytes(gzip.compress(b'{"format": "guardrails.catalog/v1", "prices": [')[:-8])
    monkeypatch.setenv("GUARDRAILS_PRICES", str(bad))
    code, out, err = run(["cost", "."], tmp_path)
    assert code == 2
    assert "corrupt or truncated" in err and "Traceback" not in err


def test_user_catalog_from_policy_settings_overrides_the_bundled_price(tmp_path):
    catalog = {"format": "guardrails.catalog/v1",
               "sources": [{"id": "mine", "name": "negotiated", "published": "2026-11-01"}],
               "prices": [["aws", "ebs", "us-east-1", "gp3", 0.05, "GB-month", "mine"]]}
    write_tree(tmp_path, {
        ".git/HEAD": "",
        "main.tf": 'resource "aws_ebs_volume" "v" {\n  size = 100\n  type = "gp3"\n}\n',
        "policy/p.yaml": "version: 1\nsettings: {prices: ../prices.json, region: us-east-1}\nrules: []\n",
        "prices.json": json.dumps(catalog),
    })
    code, report, _ = cost_json([".", "--policy", "policy/p.yaml"], tmp_path)
    assert report["cost"]["resources"][0]["monthly"]["after"] == round(100 * 0.05, 2)
    assert [s["name"] for s in report["cost"]["catalog"]] == ["negotiated"]


def test_count_that_cannot_be_evaluated_is_unpriced(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": '''
        resource "aws_instance" "x" {
          count         = length(data.aws_subnets.all.ids)
          instance_type = "t3.micro"
        }
    '''})
    code, report, _ = cost_json(["."], tmp_path)
    (line,) = report["cost"]["resources"]
    assert "count is unknown" in line["unpriced"]


def test_remote_module_and_unmodelled_type_are_unpriced_free_types_are_not_listed(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": '''
        module "vpc" {
          source = "terraform-aws-modules/vpc/aws"
        }
        resource "aws_cognito_user_pool" "q" {}
        resource "aws_security_group" "sg" {}
    '''})
    code, report, _ = cost_json(["."], tmp_path)
    reasons = {r["address"]: r["unpriced"] for r in report["cost"]["resources"]}
    assert set(reasons) == {"module.vpc", "aws_cognito_user_pool.q"}
    assert "not local" in reasons["module.vpc"]
    assert reasons["aws_cognito_user_pool.q"] == "resource type aws_cognito_user_pool is not modelled"


def test_cost_rules_judge_the_total_and_each_resource(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        "p.yaml": "version: 1\nrules:\n  - {id: budget, type: cost, resource_monthly: {warn: 50}, monthly_total: {fail: 90}}\n",
        "main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n'
                   'resource "aws_ebs_volume" "a" {\n  size = 700\n  type = "gp3"\n}\n'
                   'resource "aws_ebs_volume" "b" {\n  size = 500\n  type = "gp3"\n}\n',
    })
    code, report, _ = cost_json([".", "--policy", "p.yaml"], tmp_path)
    # a: 700 x 0.08 = $56 (> 50 warns), b: 500 x 0.08 = $40; total $96 (> 90 fails)
    assert code == 1
    got = sorted((f["path"], f["resource"], f["severity"]) for f in report["findings"])
    assert got == [("monthly", "aws_ebs_volume.a", "warn"), ("monthly_total", "aws_ebs_volume.a", "fail")]
    assert report["verdict"] == "fail"


def test_text_report_shows_the_cost_findings_that_decide_the_exit_code(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        "p.yaml": "version: 1\nrules:\n  - {id: budget, type: cost, resource_monthly: {fail: 50}}\n",
        "main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n'
                   'resource "aws_ebs_volume" "a" {\n  size = 700\n  type = "gp3"\n}\n',
    })
    code, out, _ = run(["cost", ".", "--policy", "p.yaml"], tmp_path)
    assert code == 1
    assert "Findings:" in out
    assert "FAIL  budget  aws_ebs_volume.a" in out
    assert "$56.00/mo is above the fail threshold of $50/mo per resource" in out
    assert out.rstrip().splitlines()[-1] == "1 failed, 0 warnings in 1 resource: FAIL"
