"""Kubernetes quantities: every form Kubernetes accepts, the ones it refuses, and display."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardrails.providers.quantity import (
    QuantityError,
    cpu_cores,
    format_bytes,
    format_cpu,
    format_quantity,
    memory_bytes,
    parse_quantity,
)


@pytest.mark.parametrize("text, expected", [
    ("500m", "0.5"),
    ("0.5", "0.5"),
    ("1", "1"),
    ("+1", "1"),
    ("-1", "-1"),
    (".5", "0.5"),
    ("5.", "5"),
    ("1.5Gi", "1610612736"),
    ("1Ki", "1024"),
    ("1Mi", "1048576"),
    ("1Gi", "1073741824"),
    ("1Ti", "1099511627776"),
    ("1Pi", "1125899906842624"),
    ("1Ei", "1152921504606846976"),
    ("2n", "0.000000002"),
    ("3u", "0.000003"),
    ("1k", "1000"),
    ("1M", "1000000"),
    ("1G", "1000000000"),
    ("1T", "1e12"),
    ("1P", "1e15"),
    ("1E", "1e18"),
    ("1e3", "1000"),
    ("1E3", "1000"),
    ("1e-3", "0.001"),
    ("1.5e+2", "150"),
    ("128974848", "128974848"),
    (2, "2"),
    (0.5, "0.5"),
    (0.1, "0.1"),
])
def test_every_form_kubernetes_accepts(text, expected):
    assert parse_quantity(text) == Decimal(expected)


@pytest.mark.parametrize("value, message", [
    ("100mi", "unknown unit 'mi' (did you mean Mi?)"),
    ("16GB", "unknown unit 'GB' (did you mean G or Gi?)"),
    ("10K", "did you mean k (1000) or Ki (1024)?"),
    ("1KiB", "did you mean Ki?"),
    ("", "an empty string is not a quantity"),
    ("1.2.3", "'1.2.3' is not a number followed by a unit"),
    ("1e3.5", "malformed exponent"),
    ("abc", "'abc' does not start with a number"),
    ("Mi", "does not start with a number"),
    (" 1", "has spaces around it"),
    ("1 Gi", "has a space before its unit"),
    ("1e999", "out of range"),
    (True, "True is not a quantity"),
    (None, "None is not a quantity"),
    ([1], "is not a quantity"),
    (float("nan"), "is not a quantity"),
])
def test_invalid_quantities_say_why(value, message):
    with pytest.raises(QuantityError) as caught:
        parse_quantity(value)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_cpu_and_memory_helpers_use_base_units():
    assert cpu_cores("250m") == Decimal("0.25")
    assert memory_bytes("2Ki") == 2048
    assert memory_bytes("100m") == Decimal("0.1")  # a tenth of a byte: valid, and a classic slip


@pytest.mark.parametrize("cores, shown", [
    ("2", "2"), ("0.5", "500m"), ("1.5", "1500m"), ("0.0005", "0.0005"), ("0", "0"), ("100", "100"),
])
def test_format_cpu(cores, shown):
    assert format_cpu(Decimal(cores)) == shown


@pytest.mark.parametrize("quantity, shown", [
    ("16Gi", "16Gi"), ("1.5Gi", "1.5Gi"), ("1536Mi", "1.5Gi"), ("500M", "500M"), ("1G", "1G"),
    ("123Mi", "123Mi"), ("1000", "1k"), ("1023", "1023"), ("100m", "100m"), ("0", "0"),
    ("-2Gi", "-2Gi"),
])
def test_format_bytes_is_short_and_exact(quantity, shown):
    assert format_bytes(parse_quantity(quantity)) == shown


def test_format_quantity_picks_units_by_resource():
    assert format_quantity(Decimal("0.25"), "cpu") == "250m"
    assert format_quantity(Decimal(2**30), "memory") == "1Gi"
    assert format_quantity(Decimal(2**31), "ephemeral-storage") == "2Gi"
    assert format_quantity(Decimal(2), "nvidia.com/gpu") == "2"


@given(st.integers(min_value=0, max_value=2**70), st.integers(min_value=0, max_value=3))
def test_formatted_bytes_read_back_as_the_same_quantity(units, scale):
    size = Decimal(units).scaleb(-scale)
    assert parse_quantity(format_bytes(size)) == size


@given(st.integers(min_value=0, max_value=10**9))
def test_formatted_cpu_reads_back_as_the_same_quantity(millis):
    cores = Decimal(millis) / 1000
    assert parse_quantity(format_cpu(cores)) == cores
