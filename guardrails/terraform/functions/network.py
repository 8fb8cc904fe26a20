"""Terraform's IP network functions: cidrsubnet, cidrsubnets, cidrhost, cidrnetmask."""
from __future__ import annotations

import ipaddress
import re
from typing import Any

from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.functions.numbers import whole_number
from guardrails.terraform.values import EvalError, to_string


_DOTTED_QUAD = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\Z")


def _network(prefix: Any, function: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    text = to_string(prefix)
    address, slash, length = text.partition("/")
    # Go reads "/16" only (not a netmask), no zone, and octets with leading zeros as decimal.
    if not slash or not length.isdigit() or not length.isascii() or "%" in address:
        raise EvalError(f"{function}(): invalid CIDR expression {text[:60]!r}")
    quad = _DOTTED_QUAD.match(address)
    if quad:
        address = ".".join(str(int(octet)) for octet in quad.groups())
    try:
        network = ipaddress.ip_network(f"{address}/{int(length)}", strict=False)
    except ValueError:
        raise EvalError(f"{function}(): invalid CIDR expression {text[:60]!r}") from None
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped is not None:
        # Go treats these as IPv4 networks with its own prefix arithmetic; we do not guess it.
        raise EvalError(f"{function}(): IPv4-mapped IPv6 prefixes are not evaluated offline")
    return network


def _address_text(network: ipaddress.IPv4Network | ipaddress.IPv6Network, value: int) -> str:
    address = ipaddress.ip_address(value) if network.version == 4 else ipaddress.IPv6Address(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise EvalError("an IPv4-mapped IPv6 result is not evaluated offline")
    return str(address)


def _family(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    return "IPv4" if network.version == 4 else "IPv6"


@_strict
def cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> Any:
    network = _network(prefix, "cidrsubnet")
    bits, number = whole_number(newbits, "cidrsubnet", "newbits"), whole_number(netnum, "cidrsubnet", "netnum")
    if bits < 0:
        raise EvalError("cidrsubnet(): newbits cannot be negative")
    length = network.prefixlen + bits
    if length > network.max_prefixlen:
        raise EvalError(f"cidrsubnet(): insufficient address space to extend prefix of {network.prefixlen} by {bits}")
    if number < 0 or number >= 1 << bits:
        # Terraform turns a negative netnum into an odd address; we refuse it.
        raise EvalError(f"cidrsubnet(): prefix extension of {bits} does not accommodate a subnet numbered {number}")
    start = int(network.network_address) + (number << (network.max_prefixlen - length))
    return f"{_address_text(network, start)}/{length}"


@_strict
def cidrsubnets(prefix: Any, *newbits: Any) -> Any:
    network = _network(prefix, "cidrsubnets")
    size = 1 << network.max_prefixlen
    first, last = int(network.network_address), int(network.broadcast_address)
    previous_end = (first - 1) % size  # the subnets follow one another from the network's start
    result = []
    for raw in newbits:
        bits = whole_number(raw, "cidrsubnets", "newbits")
        if bits < 1:
            raise EvalError("cidrsubnets(): newbits must extend the prefix by at least one bit")
        length = network.prefixlen + bits
        if length > network.max_prefixlen:
            raise EvalError(f"cidrsubnets(): would extend prefix to {length} bits, which is too long "
                            f"for an {_family(network)} address")
        host_bits = network.max_prefixlen - length
        start = ((previous_end >> host_bits) + 1) << host_bits
        if start >= size or not first <= start <= last:
            raise EvalError(f"cidrsubnets(): not enough remaining address space for a subnet with a "
                            f"prefix of {length} bits")
        previous_end = start + (1 << host_bits) - 1
        result.append(f"{_address_text(network, start)}/{length}")
    return result


@_strict
def cidrhost(prefix: Any, hostnum: Any) -> Any:
    network = _network(prefix, "cidrhost")
    number = whole_number(hostnum, "cidrhost", "hostnum")
    count = network.num_addresses
    position = number + count if number < 0 else number
    if not 0 <= position < count:
        raise EvalError(f"cidrhost(): prefix of {network.prefixlen} does not accommodate a host numbered {number}")
    return _address_text(network, int(network.network_address) + position)


@_strict
def cidrnetmask(prefix: Any) -> Any:
    network = _network(prefix, "cidrnetmask")
    if network.version != 4:
        raise EvalError("cidrnetmask(): IPv6 addresses cannot have a netmask")
    return str(network.netmask)
