import json
import subprocess
import sys
import textwrap

import pytest

from guardrails.providers import specs, specs_aws
from guardrails.providers.data import build_gcp_specs
from guardrails.providers.specs import Spec, instance_spec, provider_of, size_rank, split_instance_type


# --- size_rank ------------------------------------------------------------------------------------


def test_size_rank_orders_every_kind_of_size():
    order = ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "3xlarge",
             "9xlarge", "12xlarge", "48xlarge", "112xlarge", "metal"]
    ranks = [size_rank(size) for size in order]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)


def test_metal_variants_rank_as_metal():
    assert size_rank("metal-24xl") == size_rank("metal-48xl") == size_rank("metal")
    assert size_rank("metal-24xl") > size_rank("224xlarge")


@pytest.mark.parametrize("size", ["", "huge", "0xlarge", "xxlarge", "large.tpc2.mem4x", "Large"])
def test_size_rank_of_a_non_size_is_none(size):
    assert size_rank(size) is None


# --- split_instance_type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, family, size",
    [
        ("m5.large", "m5", "large"),
        ("c6in.metal", "c6in", "metal"),
        ("m7i-flex.2xlarge", "m7i-flex", "2xlarge"),
        ("u-6tb1.112xlarge", "u-6tb1", "112xlarge"),
        ("db.t4g.large", "db.t4g", "large"),
        ("cache.r6g.xlarge", "cache.r6g", "xlarge"),
        ("db.r5.large.tpc2.mem4x", "db.r5", "large.tpc2.mem4x"),
        ("n2-standard-4", "n2", ""),
        ("e2-micro", "e2", ""),
        ("n2-custom-4-16384", "n2", ""),
        ("custom-4-16384", "custom", ""),
        ("Standard_D4s_v5", "Dsv5", ""),
        ("Standard_E8ds_v5", "Edsv5", ""),
        ("Standard_B2ms", "B", ""),
        ("Standard_NC24ads_A100_v4", "NCadsv4", ""),
    ],
)
def test_split_instance_type(name, family, size):
    assert split_instance_type(name) == (family, size)


@pytest.mark.parametrize(
    "name, provider",
    [("m5.large", "aws"), ("db.t3.micro", "aws"), ("n2-standard-4", "google"),
     ("Standard_D4s_v5", "azurerm"), ("weird", "")],
)
def test_provider_of(name, provider):
    assert provider_of(name) == provider


# --- AWS --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, vcpu, memory",
    [
        ("m5.large", 2, 8),
        ("m6i.32xlarge", 128, 512),
        ("m6i.metal", 128, 512),
        ("c5.9xlarge", 36, 72),
        ("c7g.medium", 1, 2),
        ("r7i.metal-48xl", 192, 1536),
        ("r4.16xlarge", 64, 488),
        ("x2idn.metal", 128, 2048),
        ("i3.metal", 72, 512),
        ("c4.8xlarge", 36, 60),
        ("c5n.9xlarge", 36, 96),
        ("t2.micro", 1, 1),
        ("t3.micro", 2, 1),
        ("t4g.nano", 2, 0.5),
        ("t3a.2xlarge", 8, 32),
        ("p3.16xlarge", 64, 488),
        ("p4d.24xlarge", 96, 1152),
        ("g4dn.12xlarge", 48, 192),
        ("inf2.48xlarge", 192, 768),
        ("u-12tb1.112xlarge", 448, 12288),
    ],
)
def test_aws_specs(name, vcpu, memory):
    assert instance_spec("aws", name) == Spec(vcpu, memory)


@pytest.mark.parametrize(
    "name",
    ["m5.nano", "m5a.metal", "t3.metal", "c6in.96xlarge", "m5.large.extra", "zz9.large", "m5", "",
     "p5.4xlarge"],
)
def test_aws_type_not_in_the_table_is_none(name):
    assert instance_spec("aws", name) is None


def test_rds_classes_map_onto_their_ec2_type():
    assert instance_spec("aws", "db.m6i.large") == instance_spec("aws", "m6i.large") == Spec(2, 8)
    assert instance_spec("aws", "db.t4g.micro") == Spec(2, 1)
    assert instance_spec("aws", "db.m6i.metal") is None  # RDS has no metal classes
    assert instance_spec("aws", "db.r5.large.tpc2.mem4x") is None


def test_elasticache_nodes_keep_vcpus_but_not_memory():
    assert instance_spec("aws", "cache.r6g.large") == Spec(2, None)
    assert instance_spec("aws", "cache.zz.large") is None


def test_every_aws_family_size_has_a_vcpu_rule():
    sizes = sum(len(family.sizes.split()) for family in specs_aws.FAMILIES.values())
    from_families = {name for name in specs_aws.table() if name not in specs_aws.EXACT}
    assert len(from_families) == sizes


def test_the_brief_s_families_are_covered():
    families = ("t2 t3 t3a t4g m4 m5 m5a m5n m6i m6a m6g m7i m7a m7g c4 c5 c5a c5n c6i c6a c6g "
                "c7i c7g r4 r5 r5a r6i r6g r7i r7g i3 i4i x2idn p3 p4d g4dn g5 inf2").split()
    known = {name.split(".")[0] for name in specs_aws.table()}
    assert set(families) <= known


# --- GCP --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, vcpu, memory",
    [
        ("n2-standard-4", 4, 16),
        ("e2-standard-2", 2, 8),
        ("n1-standard-1", 1, 3.75),
        ("c3-highmem-22", 22, 176),
        ("e2-micro", 2, 1),  # shared core: 2 vCPUs seen by the guest
        ("custom-4-16384", 4, 16),
        ("n2-custom-4-16384", 4, 16),
        ("n2d-custom-2-5120", 2, 5),
        ("custom-2-10240-ext", 2, 10),
    ],
)
def test_gcp_specs(name, vcpu, memory):
    assert instance_spec("google", name) == Spec(vcpu, memory)


@pytest.mark.parametrize("name", ["n2-standard-3", "e2-custom-medium-4096", "m5.large", "custom-0-1024"])
def test_gcp_type_not_in_the_table_is_none(name):
    assert instance_spec("google", name) is None


def test_bundled_gcp_table_records_its_source_and_date():
    data = json.loads(specs.GCP_TABLE.read_text())
    assert data["source"].startswith("Cyclenerd/google-cloud-pricing-cost-calculator")
    assert data["generated"] == "2026-07-30"
    assert list(data["machine_types"]) == sorted(data["machine_types"])
    assert not any("custom" in name for name in data["machine_types"])


# --- Azure ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, vcpu, memory",
    [
        ("Standard_D4s_v5", 4, 16),
        ("Standard_D2ls_v5", 2, 4),
        ("Standard_D8as_v4", 8, 32),
        ("Standard_E8ds_v5", 8, 64),
        ("Standard_E4-2ds_v5", 2, 32),  # constrained vCPUs keep the parent's memory
        ("Standard_E64s_v3", 64, None),  # 432 GiB, off the E-series ratio
        ("Standard_E2ps_v5", 2, None),
        ("Standard_B2ms", 2, 8),
        ("Standard_B1ls", 1, 0.5),
        ("Standard_F16s_v2", 16, 32),
        ("Standard_F4", 4, 8),
        ("Standard_NC24ads_A100_v4", 24, None),
        ("Standard_A2_v2", 2, None),
    ],
)
def test_azure_specs(name, vcpu, memory):
    assert instance_spec("azurerm", name) == Spec(vcpu, memory)


@pytest.mark.parametrize(
    "name", ["Standard_D3_v2", "Standard_DS11_v2", "Standard_D1", "Standard_A4", "Standard_GS5",
             "Basic_A1", "D4s_v5", "Standard_d4s_v5"],
)
def test_azure_sizes_whose_number_is_not_a_vcpu_count_are_none(name):
    assert instance_spec("azurerm", name) is None


def test_provider_is_inferred_for_kubernetes_node_labels():
    assert instance_spec("kubernetes", "m5.large") == Spec(2, 8)
    assert instance_spec("", "n2-standard-4") == Spec(4, 16)
    assert instance_spec("kubernetes", "Standard_D4s_v5") == Spec(4, 16)
    assert instance_spec("oracle", "m5.large") is None


def test_importing_specs_reads_no_data_file():
    code = textwrap.dedent(
        """
        import builtins, sys
        opened = []
        real_open = builtins.open
        builtins.open = lambda *a, **k: (opened.append(str(a[0])), real_open(*a, **k))[1]
        import pathlib
        real_read = pathlib.Path.read_text
        pathlib.Path.read_text = lambda self, *a, **k: (opened.append(str(self)), real_read(self, *a, **k))[1]
        import guardrails.providers.specs as specs
        assert not [p for p in opened if p.endswith(".json")], opened
        specs.instance_spec("google", "n2-standard-4")
        assert [p for p in opened if p.endswith("gcp_machine_types.json")], opened
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the GCP table builder ------------------------------------------------------------------------

PRICING = """\
about:
  generated: Thu Jul 30 06:13:17 2026
  timestamp: 1785391997
  url: https://example.invalid/pricing
compute:
  instance:
    n2-standard-4:
      cpu: 4
      ram: 16
      cost: {us-central1: {hour: 0.19}}
    n1-highcpu-2:
      cpu: 2
      ram: 1.8
    e2-micro:
      cpu: 0.25
      ram: 1
    custom-2-10240-ext:
      cpu: 2
      ram: 10
      type: n1-custom
"""


def test_builder_writes_sorted_compact_json_with_source(tmp_path):
    source = tmp_path / "gcp-pricing-2026-07-30.yml"
    source.write_text(PRICING)
    output = tmp_path / "out.json"
    assert build_gcp_specs.build(source, output) == 3
    data = json.loads(output.read_text())
    assert data["machine_types"] == {"e2-micro": [2, 1], "n1-highcpu-2": [2, 1.8], "n2-standard-4": [4, 16]}
    assert data["generated"] == "2026-07-30"
    assert data["source_file"] == "gcp-pricing-2026-07-30.yml"
    assert list(data) == sorted(data)
    assert ": " not in output.read_text() and ", " not in output.read_text()


@pytest.mark.parametrize(
    "text, message",
    [
        ("about: {timestamp: 1}\n", "no compute.instance"),
        ("compute: {instance: {n2-standard-4: {cpu: four, ram: 16}}}\nabout: {timestamp: 1}\n",
         "must be positive numbers"),
        ("compute: {instance: {n9-tiny-1: {cpu: 0.5, ram: 1}}}\nabout: {timestamp: 1}\n",
         "fractional cpu"),
        ("compute: {instance: {n2-standard-4: {cpu: 4, ram: 16}}}\n", "no about.timestamp"),
        ("- just\n- a list\n", "not a pricing file"),
        ("compute: [\n", "not valid YAML"),
    ],
)
def test_builder_rejects_bad_input_with_a_message(tmp_path, text, message):
    source = tmp_path / "pricing.yml"
    source.write_text(text)
    with pytest.raises(build_gcp_specs.BuildError, match=message):
        build_gcp_specs.build(source, tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_builder_command_line_reports_errors_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "guardrails.providers.data.build_gcp_specs", str(tmp_path / "missing.yml"),
         "--output", str(tmp_path / "out.json")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("build_gcp_specs: cannot read")
    assert "Traceback" not in result.stderr


# --- types that do not exist ------------------------------------------------------------------


@pytest.mark.parametrize("name, kind, nearest", [
    ("m5.3xlarge", "an EC2 instance type", ("m5.2xlarge", "m5.4xlarge")),
    ("m5.96xlarge", "an EC2 instance type", ("m5.24xlarge",)),
    ("t3.huge", "an EC2 instance type", tuple(f"t3.{s}" for s in
                                             ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"))),
    ("db.m5.metal", "an RDS instance class", tuple(f"db.m5.{s}" for s in
                                                  ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge",
                                                   "16xlarge", "24xlarge"))),
    ("cache.r5.3xlarge", "an ElastiCache node type", ("cache.r5.2xlarge", "cache.r5.4xlarge")),
    ("n2-standard-7", "a Compute Engine machine type", ("n2-standard-4", "n2-standard-8")),
    ("n2-highcpu-128", "a Compute Engine machine type", ("n2-highcpu-96",)),
    ("Standard_D3s_v5", "an Azure VM size", ("Standard_D2s_v5", "Standard_D4s_v5")),
    ("Standard_F3s_v2", "an Azure VM size", ("Standard_F2s_v2", "Standard_F4s_v2")),
    ("Standard_B3ms", "an Azure VM size", ("Standard_B2ms", "Standard_B4ms")),
])
def test_a_type_its_provider_does_not_offer_names_the_nearest_real_ones(name, kind, nearest):
    missing = specs.missing_type("", name)
    assert missing is not None and (missing.kind, missing.nearest) == (kind, nearest)


@pytest.mark.parametrize("name", [
    "m5.large", "c5.9xlarge", "m7i.metal-24xl", "t3.nano", "db.t4g.micro", "db.r5.4xlarge.tpc2.mem4x",
    "cache.t4g.micro", "n2-standard-8", "e2-medium", "n2-custom-4-8192", "c3-standard-4-lssd",
    "Standard_D4s_v5", "Standard_D96ads_v5", "Standard_B1ls", "Standard_F72s_v2",
    # families not known whole are never refused
    "m8g.large", "p5.4xlarge", "db.serverless", "x9.huge", "zz-standard-3", "Standard_D3pls_v5",
    "Standard_E3s_v5", "Standard_D3_v2",
])
def test_real_types_and_unknown_families_are_not_missing(name):
    assert specs.missing_type("", name) is None
