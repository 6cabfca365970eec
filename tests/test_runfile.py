"""Reusing a saved `verify --json` run, and a comparison count that stays right under pytest-xdist."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

from checks.base import RunContext
from checks.engine import run_claims, run_metadata
from checks.runfile import ComparisonTally, RunFileError, SavedRun
from checks.stats import ComparisonCounter
from theory.registry import load_file

CLAIM_FILE = '''
import sympy as sp
from theory.model import Claim, Param, Regime, claim
from checks.montecarlo import MonteCarloMean
from checks.symbolic import SymbolicEquality
from checks.dynamics.linear import saddle_sde_second_moments

k, D, t = sp.symbols("k D t", positive=True)
V = sp.Function("V")


def simulate(point, n_paths, rng):
    return saddle_sde_second_moments([point["k"]], [point["D"]], point["t"], n_paths, rng)


@claim("mine.eq1", "Eq. (1)", "Ornstein-Uhlenbeck variance")
def eq1():
    return Claim(statement=sp.Eq(V(t), D / k * (1 - sp.exp(-2 * k * t))),
                 regime=Regime((Param(k, 0.2, 2.0), Param(D, 0.05, 1.0), Param(t, 0.1, 1.5)), (), "OU"),
                 checks=[SymbolicEquality("solves V' = 2D - 2kV", lambda c: sp.diff(c.formula, t),
                                          lambda c: 2 * D - 2 * k * c.formula),
                         MonteCarloMean("Euler-Maruyama", simulate, predict=lambda point, f: [f(**point)])])
'''


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A claim file and the JSON of a verify run of it, written as `theorycheck verify --json` writes it."""
    from theorycheck.reports import dumps

    folder = tmp_path_factory.mktemp("run")
    (folder / "mine.py").write_text(CLAIM_FILE)
    claims = load_file(folder / "mine.py")
    ctx = RunContext(cache_symbolic=False)
    reports = run_claims(claims, ctx)
    path = folder / "run.json"
    path.write_text(dumps({"run": {**run_metadata(ctx), "seconds": 1.0}, "claims": [r.to_dict() for r in reports]}))
    return folder, path, reports, ctx.counter.count


def test_a_saved_run_gives_every_check_result_and_the_count(saved):
    folder, path, reports, count = saved
    run = SavedRun.load(path)
    (claim,) = load_file(folder / "mine.py")
    assert len(run) == 2 and run.comparisons == count > 0
    for check, fresh in zip(claim.checks, reports[0].results):
        old = run.result(claim, check.name)
        assert (old.status, old.method, old.kind, old.evidence) == (fresh.status, fresh.method, fresh.kind,
                                                                    fresh.evidence)
    assert run.mismatch(seed=RunContext().seed, deep=False) is None


def test_a_changed_statement_or_other_settings_are_not_reused(saved):
    folder, path, _, _ = saved
    run = SavedRun.load(path)
    (claim,) = load_file(folder / "mine.py")
    mutant = claim.with_statement(sp.Eq(claim.lhs, 2 * claim.rhs))
    assert run.result(mutant, claim.checks[0].name) is None
    assert run.result(claim, "no such check") is None
    assert "seed 20211123 (this session: 1)" in run.mismatch(seed=1, deep=False)
    with pytest.raises(RunFileError, match="deep False"):
        run.require(seed=RunContext().seed, deep=True)
    with pytest.raises(RunFileError, match="convention"):
        run.require(seed=RunContext().seed, deep=False, convention="torch")


def test_unreadable_or_foreign_files_are_a_clear_error(tmp_path):
    with pytest.raises(RunFileError, match="cannot read"):
        SavedRun.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{ not json")
    with pytest.raises(RunFileError, match="not the JSON"):
        SavedRun.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text(json.dumps({"claims": []}))
    with pytest.raises(RunFileError, match="no 'run' and 'claims'"):
        SavedRun.load(tmp_path / "other.json")
    (tmp_path / "cut.json").write_text(json.dumps({"run": {"interrupted": True}, "claims": []}))
    with pytest.raises(RunFileError, match="interrupted"):
        SavedRun.load(tmp_path / "cut.json")


def test_workers_running_the_same_check_count_it_once():
    counter = ComparisonCounter(process=False)

    def check(n):
        return lambda: counter.add(n)

    a, b = ComparisonTally(process=counter), ComparisonTally(process=counter)
    controller = ComparisonTally(saved=100, process=ComparisonCounter(process=False))    # runs nothing itself
    a.measure(("c.eq1", "mc"), counter, check(5))
    a.measure(("c.eq2", "mc"), counter, check(7))
    b.measure(("c.eq1", "mc"), counter, check(5))                 # a verdict test on another worker
    b.measure(("c.eq3", "mc"), counter, check(1))
    out_a, out_b = a.worker_output(), b.worker_output()
    out_a["other"], out_b["other"] = 2, 3                          # the engine's own tests on each worker
    json.dumps(out_a)                                              # workeroutput must be plain data
    controller.merge(out_a)
    controller.merge(out_b)
    controller.merge(None)                                         # a worker that crashed sends nothing
    assert controller.total == 100 + 5 + 7 + 1 + 2 + 3


def test_a_claim_whose_code_changed_or_a_changed_tool_is_not_reused(tmp_path):
    """The run records digests of the code: an edited claim file (same statement) runs fresh, and a run made by
    other code of checks/ and theory/ is not reused at all."""
    from checks.runfile import code_meta
    from theorycheck.reports import dumps

    (tmp_path / "mine.py").write_text(CLAIM_FILE)
    claims = load_file(tmp_path / "mine.py")
    ctx = RunContext(cache_symbolic=False, at={"k": 0.7, "D": 0.3, "t": 0.9})
    reports = run_claims(claims, ctx)
    meta = {**run_metadata(ctx), **code_meta(claims)}
    path = tmp_path / "run.json"
    path.write_text(dumps({"run": meta, "claims": [r.to_dict() for r in reports]}))
    run = SavedRun.load(path)
    (claim,) = claims
    assert run.why_not(claim, claim.checks[1].name) is None and run.mismatch(RunContext().seed, False) is None
    (tmp_path / "mine.py").write_text(CLAIM_FILE.replace("n_paths, rng):", "n_paths, rng):  # n_paths: more"))
    assert run.why_not(claim, claim.checks[1].name) == "claim code changed since the run"
    assert run.result(claim, claim.checks[1].name) is None
    path.write_text(dumps({"run": {**meta, "tool_digest": "0" * 64}, "claims": [r.to_dict() for r in reports]}))
    assert "other code of checks/ and theory/" in SavedRun.load(path).mismatch(RunContext().seed, False)


def test_the_saved_run_of_the_command_line_loads(tmp_path, capsys):
    """The format of `theorycheck verify --json` itself."""
    from theorycheck.cli import main

    (tmp_path / "mine.py").write_text(CLAIM_FILE)
    try:
        main(["verify", str(tmp_path / "mine.py"), "--json", "-q"])
    except SystemExit:
        pass
    text = capsys.readouterr().out
    if not text.strip().startswith("{"):
        pytest.skip("the command line did not produce a run here: " + text[:200])
    path = tmp_path / "run.json"
    path.write_text(text)
    run = SavedRun.load(path)
    (claim,) = load_file(Path(tmp_path / "mine.py"))
    assert run.result(claim, claim.checks[1].name).status == "pass" and run.comparisons > 0


def test_a_claims_statement_cannot_be_reassigned():
    """A test that assigned a mutant to a registry claim's statement would leak it into every later check of that
    claim (and make a saved run look stale); variants are copies."""
    from theory.errors import TheoryCheckError
    from theory.registry import Registry

    claim = Registry.builtin().get("ziyin.fig8")
    with pytest.raises(TheoryCheckError, match="with_statement"):
        claim.statement = sp.Eq(claim.lhs, 0)
    variant = claim.with_statement(sp.Eq(claim.lhs, 0))
    assert variant.id == claim.id and variant.statement != claim.statement
    assert Registry.builtin().get("ziyin.fig8").statement == claim.statement
