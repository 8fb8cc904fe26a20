"""Hypothesis profiles for the fuzz suite.

`ci` (the default) is seeded and small enough for the whole suite to stay near a minute on two
cores; GUARDRAILS_FUZZ=long runs many more random examples to hunt for new bugs locally:

    GUARDRAILS_FUZZ=long python -m pytest tests/fuzz -q -p no:cacheprovider
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

sys.path.insert(0, str(Path(__file__).parent))  # harness and strategies sit beside the tests

# Failing examples are written out as patches under the hypothesis home: keep them out of the tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "guardrails-fuzz-hypothesis")

_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                HealthCheck.function_scoped_fixture, HealthCheck.large_base_example]

# The deadline is generous: a cold parse of a deeply nested file takes seconds on two busy cores.
# The harness also kills any run past its own timeout, which catches hangs inside C code.
# CI does not shrink: one CLI run costs up to a second and shrinking a mutated file can take
# minutes; the long mode shrinks, and what it finds goes into regressions/ by hand.
settings.register_profile("guardrails-fuzz-ci", max_examples=12, derandomize=True, deadline=dt.timedelta(seconds=10), print_blob=True,
                          suppress_health_check=_SLOW_INPUTS, database=None,
                          phases=[Phase.explicit, Phase.generate])
settings.register_profile("guardrails-fuzz-long", max_examples=400, derandomize=False, deadline=dt.timedelta(seconds=10), print_blob=True,
                          suppress_health_check=_SLOW_INPUTS,
                          database=DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "guardrails-fuzz-hypothesis" / "examples"))
PROFILE = "guardrails-fuzz-long" if os.environ.get("GUARDRAILS_FUZZ") == "long" else "guardrails-fuzz-ci"
_outside = [getattr(settings, "_current_profile", None) or "default"]


# Hypothesis fixes a test's settings when its module is imported, so the profile is loaded just
# for the import of the fuzz modules; the property tests elsewhere keep the profile they had.
def pytest_collectstart(collector: pytest.Collector) -> None:
    if isinstance(collector, pytest.Module):
        _outside[0] = getattr(settings, "_current_profile", None) or "default"
        settings.load_profile(PROFILE)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    settings.load_profile(_outside[0])
