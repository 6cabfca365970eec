"""pytest is the proof-checking suite: one test per check of every claim, plus the engine's own tests."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from checks.base import RunContext
from checks.engine import load_ledger
from checks.stats import ALPHA, FAMILY_ALPHA, MAX_COMPARISONS, PROCESS_TOTAL
from theory.registry import builtin_registry

settings.register_profile("dev", max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=4, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])


def pytest_addoption(parser):
    parser.addoption("--deep", action="store_true", help="longer, tighter Monte Carlo runs and more hypothesis examples")
    parser.addoption("--seed", type=int, default=None, help="root seed for the claim checks")


def pytest_configure(config):
    if config.getoption("--deep"):
        settings.load_profile("deep")
    else:
        settings.load_profile("ci" if os.environ.get("CI") else "dev")


REGISTRY = builtin_registry()
LEDGER = load_ledger()
# Every Monte Carlo comparison made anywhere in the suite adds to PROCESS_TOTAL, so the family-wise
# bound (count x per-comparison level <= FAMILY_ALPHA) is checked for the suite as a whole.


class ClaimRuns:
    """Runs each claim's checks once per session and shares the results between tests."""

    def __init__(self, ctx: RunContext):
        self.ctx = ctx
        self._results: dict[tuple[str, int], object] = {}

    def result(self, claim, index: int):
        key = (claim.id, index)
        if key not in self._results:
            self._results[key] = claim.checks[index].run(claim, self.ctx, index)
        return self._results[key]

    def all_results(self, claim):
        return [self.result(claim, i) for i in range(len(claim.checks))]


@pytest.fixture(scope="session")
def claim_runs(request) -> ClaimRuns:
    seed = request.config.getoption("--seed")
    ctx = RunContext(deep=request.config.getoption("--deep"),
                     **({"seed": seed} if seed is not None else {}))
    return ClaimRuns(ctx)


def pytest_sessionfinish(session, exitstatus):
    n = PROCESS_TOTAL.count
    if n > MAX_COMPARISONS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(f"Monte Carlo comparisons: {n} at level {ALPHA:.1e} each; family-wise false-alarm "
                            f"bound {n * ALPHA:.1e} (target {FAMILY_ALPHA:g}, cap {MAX_COMPARISONS})")


def pytest_generate_tests(metafunc):
    if "claim_check" in metafunc.fixturenames:
        params = []
        for claim in REGISTRY:
            for i, check in enumerate(claim.checks):
                mark = getattr(pytest.mark, check.kind)
                params.append(pytest.param((claim, i), id=f"{claim.id}[{i}:{check.kind}]", marks=mark))
        metafunc.parametrize("claim_check", params)
    if "claim" in metafunc.fixturenames:
        metafunc.parametrize("claim", list(REGISTRY), ids=lambda c: c.id)
