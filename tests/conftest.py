"""The engine's own tests. Claims themselves are collected by the theorycheck pytest plugin from the
section modules under theory/papers (one test per check and per verdict, one shared run per session)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=4, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=4, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])


def pytest_configure(config):
    if config.getoption("--deep"):
        settings.load_profile("deep")
    else:
        settings.load_profile("ci" if os.environ.get("CI") else "dev")


def registry():
    from theory.registry import Registry

    return Registry.builtin()
