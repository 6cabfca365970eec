"""The pytest plugin as a user meets it: `pytest my_claims.py`, `pytest --claims DIR`, the markers, --deep, the
user's ledger deciding what a refuted claim means to CI, and failures that name claim, check and cause.

Each test runs pytest in a fresh process in an empty folder (pytester), so the plugin is loaded the way an
installed package loads it: through its `pytest11` entry point.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

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


@pytest.fixture(autouse=True)
def _no_saved_run(monkeypatch):
    """The sessions these tests start are their own: CI's THEORYCHECK_RUN (for the outer session) stays out."""
    monkeypatch.delenv("THEORYCHECK_RUN", raising=False)


@pytest.fixture
def claims(pytester):
    (pytester.path / "my_claims.py").write_text(CLAIM_FILE)      # byte for byte the file the saved run checked
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


# --- a saved run reused (--theorycheck-run FILE, THEORYCHECK_RUN), and pytest-xdist -----------------------------
@pytest.fixture(scope="module")
def saved_json(tmp_path_factory) -> str:
    """`theorycheck verify my_claims.py --json`, made once (the run names claims by id, not by folder)."""
    folder = tmp_path_factory.mktemp("verify")
    (folder / "my_claims.py").write_text(CLAIM_FILE)
    env = {k: v for k, v in os.environ.items() if k != "THEORYCHECK_RUN"}
    out = subprocess.run([sys.executable, "-m", "theorycheck", "verify", "my_claims.py", "--json", "-q"],
                         cwd=folder, capture_output=True, text=True, timeout=300, env=env)
    assert out.stdout.startswith("{"), out.stderr
    return out.stdout


def _saved_run(pytester, text: str) -> Path:
    path = pytester.path / ".ci-run.json"
    path.write_text(text)
    return path


def _edit(path: Path, claim_id: str, edit) -> None:
    data = json.loads(path.read_text())
    edit(next(c for c in data["claims"] if c["id"] == claim_id))
    path.write_text(json.dumps(data))


def _planted_failure(report) -> None:
    """A saved result that running the check would never give: reported only if the saved run is reused."""
    check = next(x for x in report["checks"] if x["name"] == "sample mean")
    check.update(status="fail", counterexample={"planted": 1}, reason="planted in the saved run")


MINE = ["my_claims.py::mine.good::twice a half", "my_claims.py::mine.good::sample mean",
        "my_claims.py::mine.good::verdict"]


XDIST = importlib.util.find_spec("xdist") is not None
COUNT = re.compile(r"Monte Carlo comparisons: (\d+) at level")


def test_a_saved_run_is_reused_with_the_same_pass_fail_rules(claims, saved_json):
    """A fresh session (two pytest-xdist workers when installed) and one reusing the saved run: the same outcomes
    and the same family-wise count, that of one run."""
    path = _saved_run(claims, saved_json)
    comparisons = json.loads(path.read_text())["run"]["comparisons"]
    fresh = claims.runpytest_subprocess("my_claims.py", "-rA", "-p", "no:cacheprovider",
                                        *(["-p", "xdist", "-n", "2"] if XDIST else []))
    assert "theorycheck: reused" not in fresh.stdout.str()          # without the option: nothing changes
    assert int(COUNT.search(fresh.stdout.str()).group(1)) == comparisons > 0, fresh.stdout.str()
    reused = claims.runpytest_subprocess("my_claims.py", "-rA", "-p", "no:cacheprovider",
                                         f"--theorycheck-run={path}")
    assert _outcomes(reused) == _outcomes(fresh) and reused.ret == fresh.ret == 1, \
        fresh.stdout.str() + reused.stdout.str()
    text = reused.stdout.str()
    assert f"theorycheck: reused 5 check result(s) from the saved run {path}; ran 0 fresh" in text, text
    assert f"Monte Carlo comparisons: {comparisons} at level" in text
    _edit(path, "mine.good", _planted_failure)
    result = claims.runpytest_subprocess("my_claims.py", "-rA", "-p", "no:cacheprovider",
                                         f"--theorycheck-run={path}")
    assert [_outcomes(result)[t] for t in MINE] == ["PASSED", "FAILED", "FAILED"], result.stdout.str()
    assert 'counterexample: {"planted": 1}' in result.stdout.str()


def test_a_saved_run_with_another_seed_is_not_reused(claims, saved_json, monkeypatch):
    path = _saved_run(claims, saved_json)
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "run": {**data["run"], "seed": 5}}))
    _edit(path, "mine.good", _planted_failure)
    monkeypatch.setenv("THEORYCHECK_RUN", str(path))
    result = claims.runpytest_subprocess("my_claims.py", "-rA", "-p", "no:cacheprovider")
    assert [_outcomes(result)[t] for t in MINE] == ["PASSED"] * 3
    text = result.stdout.str()
    assert ("theorycheck: the saved run was not reused: the saved run " + str(path) + " was made with seed 5 "
            "(this session: 20211123); ran 5 check(s) fresh") in text.replace("\n", ""), text


def test_a_claim_whose_statement_changed_runs_fresh(claims, saved_json):
    path = _saved_run(claims, saved_json)
    _edit(path, "mine.good", _planted_failure)
    _edit(path, "mine.good", lambda c: c.update(statement="Eq(m, 3*a)"))         # the run checked another formula
    _edit(path, "mine.wrong", _planted_failure)
    result = claims.runpytest_subprocess("my_claims.py", "-rA", "-p", "no:cacheprovider", "--theorycheck-run", path,
                                         *(["-p", "xdist", "-n", "2"] if XDIST else []))   # counts merged
    got = _outcomes(result)
    assert [got[t] for t in MINE] == ["PASSED"] * 3                             # run fresh: the planted result unseen
    assert '{"planted": 1}' in result.stdout.str()                     # mine.wrong's: reused
    text = result.stdout.str()
    assert "reused 3 check result(s)" in text and "ran 2 fresh" in text
    assert "  2 fresh: statement changed since the run (mine.good)" in text


def test_an_unreadable_saved_run_stops_the_session(claims, monkeypatch):
    monkeypatch.setenv("THEORYCHECK_RUN", str(claims.path / "missing.json"))
    result = claims.runpytest_subprocess("my_claims.py", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "THEORYCHECK_RUN: cannot read the saved run" in result.stderr.str()


def test_the_controller_merges_the_workers_counts():
    """pytest-xdist: each worker sends its tally and reuse counts; the controller counts each check once."""
    from checks.runfile import WORKER_KEY, ComparisonTally
    from checks.stats import ComparisonCounter
    from theorycheck import plugin
    from theorycheck.reuse import WORKER_KEY as REUSE_KEY
    from theorycheck.reuse import Reuse

    class Config:
        _theorycheck = type("S", (), {})()

    config = Config()
    config._theorycheck.tally = ComparisonTally(process=ComparisonCounter(process=False))
    config._theorycheck.reuse = Reuse("run.json", run=object())
    workers = [{WORKER_KEY: {"by_check": [["c.eq1", "mc", 5], ["c.eq2", "mc", 7]], "other": 2},
                REUSE_KEY: {"reused": [["c.eq3", "mc"]], "fresh": [["c.eq1", "mc", "not in the saved run"]]}},
               {WORKER_KEY: {"by_check": [["c.eq1", "mc", 5]], "other": 1},
                REUSE_KEY: {"reused": [["c.eq3", "mc"], ["c.eq4", "mc"]], "fresh": []}},
               {}]                                                                # a worker that crashed
    for output in workers:
        plugin.pytest_testnodedown(type("Node", (), {"config": config, "workeroutput": output})(), None)
    assert config._theorycheck.tally.total == 5 + 7 + 2 + 1
    assert config._theorycheck.reuse.summary()[:2] == [
        "theorycheck: reused 2 check result(s) from the saved run run.json; ran 1 fresh",
        "  1 fresh: not in the saved run (c.eq1)"]
