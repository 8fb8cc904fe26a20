"""The disks a resource creates: where each one is written, its type, size and IOPS, and the
provider's default where the configuration leaves the type out.

The storage-tier rule judges these disks and the cost models price them. Both read them here, so
that they cannot disagree about what a resource creates. Each reader returns `Disk`s with the
values as written. The one exception is a missing type, which is replaced by the type the
provider creates, with a sentence saying so in `default`. Where no type can be known, `type` is
an Unknown saying why: the AMI decides, or the value that decides cannot be evaluated.
Attribute values follow attributes.py: Unknown is handed back, and a zero value ("", 0) is no
setting.

Defaults, from the Terraform provider documentation of each argument:
- `aws_ebs_volume.type`, and an `ebs_block_device`'s `volume_type`, are gp2 (aws_instance docs:
  "Defaults to gp2"). A `root_block_device` without `volume_type` gets "the volume type that the
  AMI uses", as does an instance or launch configuration with no `root_block_device` at all, and
  a launch template's `block_device_mappings` entry (its docs name no default). The
  configuration cannot show which type that is.
- `aws_db_instance.storage_type` is "io1" if `iops` is specified, "gp2" if not (aws_db_instance
  docs). The provider sends `iops` only when it is non-zero: resourceInstanceCreate in
  internal/service/rds/instance.go sets `input.Iops` inside `if v, ok := d.GetOk("iops"); ok`,
  and GetOk is false for 0. So `iops = 0` creates gp2, not io1.
- `aws_rds_cluster` without `storage_type` ("" included) is Aurora standard storage, which is not
  a disk tier: no disk. Multi-AZ DB clusters name theirs.
- `google_compute_disk.type`, and a `google_compute_instance` boot disk's
  `initialize_params.type`, are pd-standard (the Compute Engine API's default). A GKE node
  pool's `node_config.disk_type` is pd-balanced (google_container_node_pool docs).
- An Azure managed disk or OS disk must name `storage_account_type` (the provider requires it),
  so there is no default to apply.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from guardrails.core.model import Unknown, is_unknown
from guardrails.providers.attributes import block_items, is_set, single_block

EBS_DEFAULT_TYPE = "gp2"
GCE_DEFAULT_DISK_TYPE = "pd-standard"
GKE_DEFAULT_DISK_TYPE = "pd-balanced"
# Device names AWS AMIs use for the root volume, so a launch template mapping that names one is
# the root volume (Amazon EC2 User Guide, "Device names on Linux instances").
ROOT_DEVICE_NAMES = ("/dev/xvda", "/dev/sda1")


@dataclass(frozen=True)
class Disk:
    """One disk of a resource, as its configuration describes it.

    `path` is where its settings are, spelled as finding paths are (`root_block_device[0]`,
    `block_device_mappings[1].ebs[0]`, "" for the resource itself). `name` is the same place
    spelled as messages name a block, without the index of a block that can only be one
    (`root_block_device`, `block_device_mappings[1].ebs`). When the block itself cannot be
    evaluated, `type_attr` is "" and `type` is that Unknown: see `unreadable`.
    """

    path: str
    name: str
    type_attr: str = ""
    type: Any = None  # the type as written, the provider's default, an Unknown, or None (required, not set)
    default: str = ""  # when `type` is the provider's default: the sentence saying why
    from_ami: bool = False  # the AMI decides the type; `type` is an Unknown saying so
    size_attr: str = ""
    size: Any = None  # as written; None when not set
    iops: Any = None
    throughput: Any = None
    settings: Mapping[str, Any] | None = None  # the block; None when the disk is implied, not written
    device: Any = None  # an EC2 block device's device_name, as written
    device_what: str = ""  # how messages name that device_name
    root: bool = False  # the EC2 root volume
    index: int = 0  # the block's position in its list: `ebs_block_device[index]`
    existing: Any = None  # an existing disk this one is (a boot disk's `source`): judged and priced there

    @property
    def unreadable(self) -> bool:
        """The block cannot be evaluated (a dynamic block, an unknown list): nothing is known."""
        return not self.type_attr and is_unknown(self.type)

    @property
    def type_path(self) -> str:
        return _join(self.path, self.type_attr)

    @property
    def size_path(self) -> str:
        return _join(self.path, self.size_attr) if self.size_attr else ""

    def what(self, attr: str) -> str:
        """How messages name one of the disk's attributes (`root_block_device.volume_size`)."""
        return _join(self.name, attr)


def _join(base: str, attr: str) -> str:
    return f"{base}.{attr}" if base and attr else base or attr


def _unreadable(path: str, name: str, value: Unknown) -> Disk:
    return Disk(path, name, type=value)


def disks(resource_type: str, attrs: Mapping[str, Any]) -> list[Disk]:
    """Every disk a Terraform resource of this type creates ([] for types that create none)."""
    reader = _READERS.get(resource_type)
    return reader(attrs) if reader is not None else []


# --- AWS -----------------------------------------------------------------------------------------


def ebs_volume(attrs: Mapping[str, Any]) -> Disk:
    """An `aws_ebs_volume`."""
    tier, default = attrs.get("type"), ""
    if not is_set(tier):
        tier, default = EBS_DEFAULT_TYPE, f"type is not set, so AWS creates {EBS_DEFAULT_TYPE}"
    return Disk("", "", "type", tier, default, size_attr="size", size=attrs.get("size"),
                iops=attrs.get("iops"), throughput=attrs.get("throughput"), settings=attrs)


def db_instance(attrs: Mapping[str, Any]) -> Disk:
    """The storage of an `aws_db_instance`: io1 by default when iops is set (non-zero), else gp2."""
    tier, default = attrs.get("storage_type"), ""
    iops = attrs.get("iops")
    if not is_set(tier):
        if is_unknown(iops):
            tier = Unknown("storage_type is not set, and iops, which decides between io1 and gp2, "
                           f"cannot be evaluated: {iops.reason}")
        elif is_set(iops):
            tier, default = "io1", "storage_type is not set and iops is, so AWS creates io1"
        else:
            tier, default = "gp2", "storage_type is not set, so AWS creates gp2"
    return Disk("", "", "storage_type", tier, default, size_attr="allocated_storage",
                size=attrs.get("allocated_storage"), iops=iops, throughput=attrs.get("storage_throughput"),
                settings=attrs)


def rds_cluster(attrs: Mapping[str, Any]) -> list[Disk]:
    """A Multi-AZ DB cluster's storage (io1, io2, gp3) or Aurora I/O-Optimized (aurora-iopt1).

    Left out, the cluster gets Aurora standard storage, which is not a disk tier: no disk.
    """
    tier = attrs.get("storage_type")
    if not is_set(tier):
        return []
    return [Disk("", "", "storage_type", tier, size_attr="allocated_storage", size=attrs.get("allocated_storage"),
                 iops=attrs.get("iops"), settings=attrs)]


def instance_volumes(attrs: Mapping[str, Any]) -> list[Disk]:
    """`aws_instance` and `aws_launch_configuration`: the root volume first, then each EBS block device.

    Without `root_block_device` the instance still has a root volume, of the AMI's type and size:
    it is listed, with `settings` None.
    """
    root = single_block(attrs.get("root_block_device"))
    if root is None:
        found = [Disk("root_block_device[0]", "root_block_device", "volume_type",
                      Unknown("root_block_device is not set, so the AMI decides the root volume type"),
                      from_ami=True, size_attr="volume_size", root=True)]
    elif is_unknown(root):
        at = "root_block_device" if is_unknown(attrs.get("root_block_device")) else "root_block_device[0]"
        found = [_unreadable(at, "root_block_device", root)]
    else:
        found = [_ebs_block(root, "root_block_device[0]", "root_block_device", root=True,
                            ami_decides="the root volume type")]
    devices = block_items(attrs.get("ebs_block_device"))
    if is_unknown(devices):
        return [*found, _unreadable("ebs_block_device", "ebs_block_device", devices)]
    for index, device in devices:
        path = f"ebs_block_device[{index}]"
        if is_unknown(device):
            found.append(_unreadable(path, "ebs_block_device", device))
        else:
            found.append(_ebs_block(device, path, path, device=device.get("device_name"),
                                    device_what=f"{path}.device_name", index=index))
    return found


def template_volumes(attrs: Mapping[str, Any]) -> list[Disk]:
    """The EBS volumes of an `aws_launch_template`'s `block_device_mappings`.

    A mapping without an `ebs` block (an instance store, a suppressed device) creates no volume.
    A mapping without `volume_type` gets the AMI's type for that device. A mapping whose device
    is a root device name is the root volume.
    """
    mappings = block_items(attrs.get("block_device_mappings"))
    if is_unknown(mappings):
        return [_unreadable("block_device_mappings", "block_device_mappings", mappings)]
    found = []
    for index, mapping in mappings:
        base = f"block_device_mappings[{index}]"
        if is_unknown(mapping):
            found.append(_unreadable(base, "block_device_mappings", mapping))
            continue
        ebs = single_block(mapping.get("ebs"))
        if ebs is None:
            continue
        if is_unknown(ebs):
            found.append(_unreadable(f"{base}.ebs", f"{base}.ebs", ebs))
            continue
        device = mapping.get("device_name")
        found.append(_ebs_block(ebs, f"{base}.ebs[0]", f"{base}.ebs", device=device,
                                device_what=f"{base}.device_name", root=device in ROOT_DEVICE_NAMES,
                                ami_decides="the volume type", index=index))
    return found


def _ebs_block(block: Mapping[str, Any], path: str, name: str, *, device: Any = None, device_what: str = "",
               root: bool = False, ami_decides: str = "", index: int = 0) -> Disk:
    """An EBS volume block. Without a type: the AMI's (`ami_decides` says which), else gp2."""
    tier, default, from_ami = block.get("volume_type"), "", False
    if not is_set(tier):
        if ami_decides:
            tier, from_ami = Unknown(f"volume_type is not set, so the AMI decides {ami_decides}"), True
        else:
            tier, default = EBS_DEFAULT_TYPE, f"volume_type is not set, so AWS creates {EBS_DEFAULT_TYPE}"
    return Disk(path, name, "volume_type", tier, default, from_ami, size_attr="volume_size",
                size=block.get("volume_size"), iops=block.get("iops"), throughput=block.get("throughput"),
                settings=block, device=device, device_what=device_what, root=root, index=index)


# --- Google Cloud --------------------------------------------------------------------------------


def compute_disk(attrs: Mapping[str, Any]) -> Disk:
    """A `google_compute_disk`."""
    return _gcp_disk(attrs, "", "", "type", GCE_DEFAULT_DISK_TYPE, "GCP", "size")


def boot_disk(attrs: Mapping[str, Any]) -> Disk:
    """The boot disk a `google_compute_instance` creates from `boot_disk.initialize_params`.

    Without `boot_disk` (which the provider requires) the defaults are what there is to read. A
    boot disk attaching an existing disk (`source`) is that disk, with `existing` set.
    """
    boot = single_block(attrs.get("boot_disk"))
    if is_unknown(boot):
        return _unreadable("boot_disk", "boot_disk", boot)
    boot = boot or {}
    if boot.get("source") is not None:
        return Disk("boot_disk[0]", "boot_disk", settings=boot, existing=boot.get("source"))
    params = single_block(boot.get("initialize_params"))
    if is_unknown(params):
        return _unreadable("boot_disk[0].initialize_params", "boot_disk.initialize_params", params)
    return _gcp_disk(params or {}, "boot_disk[0].initialize_params[0]", "boot_disk.initialize_params", "type",
                     GCE_DEFAULT_DISK_TYPE, "GCP", "size")


def node_disk(config: Mapping[str, Any] | None, path: str = "node_config[0]", name: str = "node_config") -> Disk:
    """The boot disk of each node a GKE `node_config` block describes (an absent block is all defaults)."""
    return _gcp_disk(config or {}, path, name, "disk_type", GKE_DEFAULT_DISK_TYPE, "GKE", "disk_size_gb")


def _node_pool(attrs: Mapping[str, Any]) -> list[Disk]:
    config = single_block(attrs.get("node_config"))
    if is_unknown(config):
        return [_unreadable("node_config", "node_config", config)]
    return [node_disk(config)]


def _gcp_disk(settings: Mapping[str, Any], path: str, name: str, type_attr: str, default_type: str, who: str,
              size_attr: str) -> Disk:
    tier, default = settings.get(type_attr), ""
    if not is_set(tier):
        tier, default = default_type, f"{type_attr} is not set, so {who} creates {default_type}"
    return Disk(path, name, type_attr, tier, default, size_attr=size_attr, size=settings.get(size_attr),
                settings=settings)


# --- Azure ---------------------------------------------------------------------------------------


def managed_disk(attrs: Mapping[str, Any]) -> Disk:
    """An `azurerm_managed_disk`."""
    return _azure_disk(attrs, "", "")


def os_disk(attrs: Mapping[str, Any]) -> Disk:
    """The OS disk of an Azure virtual machine (a required block: absent, nothing is known of it)."""
    block = single_block(attrs.get("os_disk"))
    if is_unknown(block):
        return _unreadable("os_disk", "os_disk", block)
    if block is None:
        return Disk("os_disk[0]", "os_disk", "storage_account_type", size_attr="disk_size_gb")
    return _azure_disk(block, "os_disk[0]", "os_disk")


def _azure_disk(settings: Mapping[str, Any], path: str, name: str) -> Disk:
    tier = settings.get("storage_account_type")
    return Disk(path, name, "storage_account_type", tier if is_set(tier) else None, size_attr="disk_size_gb",
                size=settings.get("disk_size_gb"), settings=settings)


_READERS: dict[str, Callable[[Mapping[str, Any]], list[Disk]]] = {
    "aws_ebs_volume": lambda attrs: [ebs_volume(attrs)],
    "aws_db_instance": lambda attrs: [db_instance(attrs)],
    "aws_rds_cluster": rds_cluster,
    "aws_instance": instance_volumes,
    "aws_launch_configuration": instance_volumes,
    "aws_launch_template": template_volumes,
    "google_compute_disk": lambda attrs: [compute_disk(attrs)],
    "google_compute_instance": lambda attrs: [boot_disk(attrs)],
    "google_container_node_pool": _node_pool,
    "azurerm_managed_disk": lambda attrs: [managed_disk(attrs)],
    "azurerm_linux_virtual_machine": lambda attrs: [os_disk(attrs)],
    "azurerm_windows_virtual_machine": lambda attrs: [os_disk(attrs)],
}
