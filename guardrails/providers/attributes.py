"""How an attribute value is read, one way for the rules and the cost models alike.

Terraform hands a resource's attributes over as JSON-like values (str, int, float, bool, list,
dict), or an Unknown where a value cannot be evaluated before apply. When a rule and a cost model
read the same attribute by different conventions, they end up disagreeing about the same
resource. So every reader of resource facts uses these conventions:

- An Unknown is never guessed. The typed readers (`text`, `flag`, `count`, `number`, `blocks`)
  raise Unreadable, saying what cannot be evaluated and why. The neutral readers
  (`block_items`, `single_block`, `is_set`) hand the Unknown back, so that a rule can turn it
  into a finding under `settings.unknown`.
- A zero value is no setting. The providers read their configuration through the plugin SDK's
  `ResourceData.GetOk`, which reports a key as set only when it holds a non-zero value. An
  `iops = 0` or a `type = ""` is therefore never sent, and the cloud applies its default. `text`
  reads "" as not set, and `is_set` says whether a value is set in that sense.
- A nested block is a list of dicts, as HCL blocks and plan JSON give them. A single dict reads
  as one block. An item that is not a dict (Terraform rejects such a configuration) is skipped.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import Unknown, is_unknown


class Unreadable(Exception):
    """An attribute value that cannot be used as what it has to be; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- neutral readers: an Unknown is handed back -------------------------------------------------


def is_set(value: Any) -> bool:
    """Whether the provider sends this value to the cloud: not absent, and not a zero value.

    Numbers count as zero when they equal 0, and so do numeric strings ("0"), because Terraform
    converts a string to the attribute's number type before the provider sees it. An Unknown
    counts as set; whoever asks must judge it first.
    """
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return True  # not a number: Terraform rejects it where a number belongs
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        try:
            return float(value.strip()) != 0
        except ValueError:
            return True
    return True


def block_items(value: Any) -> list[tuple[int, Mapping[str, Any] | Unknown]] | Unknown:
    """The blocks of a nested-block attribute, each with its index; or the Unknown itself.

    Items that are Unknown are kept (a dynamic block over an unknown collection), items that are
    neither a dict nor Unknown are skipped. The index is the item's position in the list, as in
    a path like `ebs_block_device[1]`.
    """
    if is_unknown(value):
        return value
    if isinstance(value, Mapping):
        return [(0, value)]
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, Mapping) or is_unknown(item)]


def single_block(value: Any) -> Mapping[str, Any] | Unknown | None:
    """The block of an attribute that holds at most one (`root_block_device`, `boot_disk`).

    Returns a dict, an Unknown (the attribute or its block cannot be evaluated), or None when
    there is no block.
    """
    items = block_items(value)
    if is_unknown(items):
        return items
    return items[0][1] if items else None


# --- typed readers: an Unknown or a wrong kind of value raises Unreadable ------------------------


def known(value: Any, what: str) -> Any:
    """The value, or Unreadable when it is Unknown."""
    if is_unknown(value):
        raise Unreadable(f"{what} cannot be evaluated: {value.reason}")
    return value


def not_a_string(value: Any, what: str) -> Unreadable:
    """Why a value that should be a name (an instance type, a SKU) cannot be read as one."""
    if isinstance(value, bool):
        return Unreadable(f"{what} is {str(value).lower()}, not a string")
    if isinstance(value, (int, float)):
        return Unreadable(f"{what} is {value!r}, not a string")
    if isinstance(value, (list, dict)):
        return Unreadable(f"{what} is a {'list' if isinstance(value, list) else 'map'}, not a string")
    return Unreadable(f"{what} is not a string")


def text(value: Any, what: str) -> str | None:
    """A string attribute, or None when it is not set ("" included, see above)."""
    value = known(value, what)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise not_a_string(value, what)
    return value


def required_text(value: Any, what: str, default: str | None = None) -> str:
    """A string attribute; when it is not set, the default, and without one, Unreadable."""
    found = text(value, what)
    if found is not None:
        return found
    if default is None:
        raise Unreadable(f"{what} is not set")
    return default


def flag(value: Any, what: str, default: bool = False) -> bool:
    """A boolean attribute; "true" and "false" are read too, as launch templates write them."""
    value = known(value, what)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise Unreadable(f"{what} is not a boolean: {value!r}")


def number(value: Any, what: str, default: float | None = None) -> float:
    """A non-negative number (numeric strings too); the default when not set, else Unreadable."""
    if value is None:
        if default is None:
            raise Unreadable(f"{what} is not set")
        return default
    value = known(value, what)
    if isinstance(value, bool):
        raise Unreadable(f"{what} is not a number: {value!r}")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise Unreadable(f"{what} is not a number: {value!r}") from None
    if result < 0 or result != result:
        raise Unreadable(f"{what} is negative: {value!r}")
    return result


def count(value: Any, what: str, default: int | None = None) -> int:
    """A whole, non-negative number."""
    result = number(value, what, None if default is None else float(default))
    if result != int(result):
        raise Unreadable(f"{what} is not a whole number: {value!r}")
    return int(result)


def blocks(value: Any, what: str) -> list[Mapping[str, Any]]:
    """The blocks of a nested-block attribute; Unreadable when it or one of them is Unknown."""
    items = block_items(known(value, what))
    assert not is_unknown(items)  # known() refused an Unknown value
    return [known(item, what) for _, item in items]


def block(value: Any, what: str) -> Mapping[str, Any] | None:
    """The first block of a nested-block attribute, or None; Unreadable as `blocks`."""
    found = blocks(value, what)
    return found[0] if found else None
