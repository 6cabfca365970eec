"""The pytest plugin as a user meets it: `pytest my_claims.py`, `pytest --claims DIR`, the markers, --deep, the
user's ledger deciding what a refuted claim means to CI, and failures that name claim, check and cause.

Each test runs pytest in a fresh process in an empty folder (pytester), so the plugin is loaded the way an
installed package loads it: through its `pytest11` entry point.
"""
from __future__ import annotations

import json
import re
import textwrap

import pytest

pytest_plugins = ["pytester"]

CLAIM_FILE = textwrap.dedent('''
    """A claim that holds, one that does not, and one whose simulator breaks."""
    import numpy as np
    import sympy as sp
    from theorycheck import claim, Claim, MonteCarloMean, Param, Regime, Sample, SymbolicEquality

    a = sp.Symbol("a", positive=True)
    R = Regime((Param(a, 0.5, 1.5),))

    def mean_a(point, n, rng):
        return Sample(rng.normal(point["a"], 1.0, (n, 1)), ["x"])

    def broken(point, n, rng):
        return np.ones((n, 1))                           # not a Sample

    def checks():
        return [SymbolicEquality("twice a half", 2 * (a / 2), lambda c: c.formula),
                MonteCarloMean("sample mean", mean_a, lambda p, f: [f(**p)], n_paths=4000)]

    @claim("mine.good", "Eq. (1)", "the mean")
    def good():
        return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R, checks=checks())

    @claim("mine.wrong", "Eq. (2)", "the mean, printed twice too large")
    def wrong():
        return Claim(statement=sp.Eq(sp.Symbol("m"), 2 * a), regime=R, checks=checks())

    @claim("mine.broken", "Eq. (3)", "a simulator that returns an array")
    def broken_claim():
        return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R,
                     checks=[MonteCarloMean("array", broken, lambda p, f: [f(**p)], n_paths=100)])
''')


@pytest.fixture
def claims(pytester):
    pytester.makepyfile(my_claims=CLAIM_FILE)
    return pytester


def _outcomes(result) -> dict[str, str]:
    """test id -> outcome, from `-rA` lines such as 'PASSED my_claims.py::mine.good::verdict'."""
    out = {}
    for line in result.outlines:
        m = re.match(r"^(PASSED|FAILED|SKIPPED|ERROR) (.*?)(?: - .*)?$", line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


def test_pytest_my_claims_py_one_test_per_check_and_verdict(claims):
    result = claims.runpytest_subprocess("my_claims.py", "-rA", "-p", "no:cacheprovider")
    got = _outcomes(result)
    assert got == {
        "my_claims.py::mine.good::twice a half": "PASSED", "my_claims.py::mine.good::sample mean": "PASSED",
        "my_claims.py::mine.good::verdict": "PASSED",
        "my_claims.py::mine.wrong::twice a half": "FAILED", "my_claims.py::mine.wrong::sample mean": "FAILED",
        "my_claims.py::mine.wrong::verdict": "FAILED",
        "my_claims.py::mine.broken::array": "FAILED", "my_claims.py::mine.broken::verdict": "FAILED"}, got
    text = result.stdout.str()
    assert "mine.wrong: check 'sample mean' fails. Evidence:" in text and "counterexample" in text
    assert "mine.broken: check 'array' broke: mine.broken: check 'array': SimulationError" in text
    assert "Traceback" not in text and result.ret == 1


def test_markers_select_checks_and_deep_is_accepted(claims):
    result = claims.runpytest_subprocess("my_claims.py", "-m", "symbolic", "--deep", "-rA", "-p", "no:cacheprovider")
    got = _outcomes(result)
    assert set(got) == {"my_claims.py::mine.good::twice a half", "my_claims.py::mine.wrong::twice a half"}
    assert got["my_claims.py::mine.good::twice a half"] == "PASSED"
    result = claims.runpytest_subprocess("my_claims.py", "-m", "verdict", "--collect-only", "-q", "-p",
                                         "no:cacheprovider")
    assert sum("::verdict" in line for line in result.outlines) == 3


def test_claims_option_collects_a_folder_and_the_users_ledger_decides(pytester):
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "mine.py").write_text(CLAIM_FILE.split('@claim("mine.broken"')[0])
    (pytester.path / "pyproject.toml").write_text('[tool.theorycheck]\nledger = "verdicts.lock"\n')
    result = pytester.runpytest_subprocess("--claims", "claims", "-rA", "-p", "no:cacheprovider")
    assert result.ret == 1 and "FAILED claims/mine.py::mine.wrong::verdict" in result.stdout.str()
    # recorded as refuted in the project's ledger: the suite now passes, and would fail if the verdict changed
    (pytester.path / "verdicts.lock").write_text(json.dumps({"claims": {"mine.wrong": {
        "status": "refuted", "checks": {"twice a half": "fail", "sample mean": "fail"}}}}))
    result = pytester.runpytest_subprocess("--claims", "claims", "-rA", "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    assert "PASSED claims/mine.py::mine.wrong::verdict" in result.stdout.str()


def test_a_claim_file_that_does_not_load_is_one_failing_test(pytester):
    pytester.makepyfile(bad_claims="import sympy as sp\nfrom theorycheck import claim\nCLAIMS = [1 / 0]\n")
    result = pytester.runpytest_subprocess("bad_claims.py", "-p", "no:cacheprovider")
    assert result.ret == 1
    assert "could not load claims from" in result.stdout.str() and "ZeroDivisionError" in result.stdout.str()
