"""A Dask cluster gives the same evidence as one process, for the same seed (skipped without dask.distributed)."""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys

import pytest
from conftest import registry

from checks.base import RunContext
from checks.engine import run_claims
from theory.registry import Registry

# CI installs the extra and sets THEORYCHECK_REQUIRE_DASK=1: there these tests must run, never skip
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None
                                and not os.environ.get("THEORYCHECK_REQUIRE_DASK"),
                                reason="dask.distributed is an optional extra (theorycheck[cluster])")

CLAIMS = """
import sympy as sp
from theory.model import Claim, Param, Regime, claim
from checks.montecarlo import MonteCarloMean
from checks.symbolic import SymbolicEquality
from checks.dynamics.linear import saddle_sde_second_moments

k, D, t = sp.symbols("k D t", positive=True)
V = sp.Function("V")
REGIME = Regime((Param(k, 0.2, 2.0), Param(D, 0.05, 1.0), Param(t, 0.1, 1.5)), (), "OU from x(0) = 0")


def simulate(point, n_paths, rng):
    return saddle_sde_second_moments([point["k"]], [point["D"]], point["t"], n_paths, rng)


def checks():
    return [SymbolicEquality("solves V' = 2D - 2kV", lambda c: sp.diff(c.formula, t),
                             lambda c: 2 * D - 2 * k * c.formula),
            MonteCarloMean("Euler-Maruyama", simulate, predict=lambda point, f: [f(**point)])]


@claim("mine.eq1", "Eq. (1)", "the Ornstein-Uhlenbeck variance")
def eq1():
    return Claim(statement=sp.Eq(V(t), D / k * (1 - sp.exp(-2 * k * t))), regime=REGIME, checks=checks())


@claim("mine.eq2", "Eq. (2)", "the same, misprinted")
def eq2():
    return Claim(statement=sp.Eq(V(t), D / k * (1 - sp.exp(-k * t))), regime=REGIME, checks=checks())
"""


@pytest.fixture(scope="module")
def claim_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "mine.py"
    path.write_text(CLAIMS)
    return path


def _registry(claim_file):
    reg = registry()
    reg.add_file(claim_file)                  # workers load the same file, at the same path
    return reg


def _fingerprint(reports):
    return [(r.claim.id, r.verdict.status, r.verdict.reason,
             json.dumps([(x.status, x.method, x.details, x.counterexample) for x in r.results], sort_keys=True,
                        default=str))
            for r in reports]


@pytest.fixture(scope="module")
def cluster():
    import distributed

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=logging.ERROR) as c:
        yield c


@needs_dask
def test_a_local_cluster_reproduces_one_process_exactly(cluster, claim_file):
    import distributed

    from checks.distributed import run_claims_dask

    reg = _registry(claim_file)
    claims = [reg.get(i) for i in ("mine.eq1", "mine.eq2")]
    # the symbolic cache off: the workers must compute every result themselves
    here, there = RunContext(seed=7, cache_symbolic=False), RunContext(seed=7, cache_symbolic=False)
    local = run_claims(claims, here, reg)
    remote = run_claims_dask(claims, there, reg, cluster.scheduler_address)
    assert [r.verdict.status for r in local] == ["verified", "refuted"]
    assert _fingerprint(local) == _fingerprint(remote)
    assert here.counter.count == there.counter.count > 0
    with distributed.Client(cluster) as client:                  # the engine takes a client too
        again = run_claims(claims[:1], RunContext(seed=7), reg, scheduler=client)
    assert _fingerprint(again) == _fingerprint(local[:1])


@needs_dask
def test_a_cluster_that_cannot_reproduce_the_run_is_refused(cluster, claim_file):
    from checks.distributed import run_dask
    from theory.errors import TheoryCheckError

    reg = _registry(claim_file)
    reg.files.append("/nonexistent/claims.py")        # a claim file the workers cannot read
    with pytest.raises(TheoryCheckError, match="cannot read the claim file"):
        run_dask([reg.get("mine.eq1")], RunContext(), reg, cluster.scheduler_address)


@needs_dask
def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    import checks.distributed as cd
    from checks.distributed import run_dask
    from theory.errors import TheoryCheckError

    monkeypatch.setattr(cd, "CONNECT_TIMEOUT", "2s")
    reg = Registry()
    with pytest.raises(TheoryCheckError, match="cannot reach the Dask scheduler"):
        run_dask([], RunContext(), reg, "tcp://127.0.0.1:9")


def _verify_json(capsys, *argv) -> tuple[int, dict]:
    from theorycheck.cli import main

    code = main(["verify", *argv, "--json", "-q", "--seed", "7", "--at", "k=0.7,D=0.3,t=0.9"])   # one point: quick
    return code, json.loads(capsys.readouterr().out)


def _verdicts(run: dict) -> list:
    return [(c["id"], c["status"], c["reason"],
             json.dumps([(x["status"], x["method"], x["details"], x["counterexample"]) for x in c["checks"]],
                        sort_keys=True, default=str))
            for c in run["claims"]]


@needs_dask
def test_verify_scheduler_gives_the_json_verdicts_of_one_process(cluster, claim_file, capsys):
    """`theorycheck verify --scheduler ADDRESS` against `-j 1`: the same verdicts, evidence and count."""
    code_here, here = _verify_json(capsys, str(claim_file), "-j", "1", "--no-cache")
    code_there, there = _verify_json(capsys, str(claim_file), "--scheduler", cluster.scheduler_address, "--no-cache")
    assert [c["status"] for c in here["claims"]] == ["verified", "refuted"]
    assert _verdicts(here) == _verdicts(there) and code_here == code_there
    assert here["run"]["comparisons"] == there["run"]["comparisons"] > 0


def test_verify_scheduler_without_dask_names_the_extra(monkeypatch, claim_file, capsys):
    from theorycheck.cli import main

    monkeypatch.setitem(sys.modules, "distributed", None)
    assert main(["verify", str(claim_file), "--scheduler", "tcp://127.0.0.1:8786", "-q"]) == 2
    err = capsys.readouterr().err
    assert "needs dask.distributed" in err and "theorycheck[cluster]" in err
    assert main(["verify", str(claim_file), "--scheduler", "tcp://127.0.0.1:8786", "-j", "2", "-q"]) == 2
    assert "give one of them" in capsys.readouterr().err


def test_claim_files_of_the_command_line_reach_the_workers_by_path(claim_file):
    """Worker processes and Dask workers load the registry's files: a claim file named in a command is one."""
    from theorycheck.cli import load_targets

    reg, ids, from_files = load_targets([str(claim_file)])
    assert ids == from_files == ["mine.eq1", "mine.eq2"] and reg.files == [str(claim_file.resolve())]


def test_without_dask_the_error_says_how_to_install_it(monkeypatch):
    from checks.distributed import run_dask
    from theory.errors import TheoryCheckError

    monkeypatch.setitem(sys.modules, "distributed", None)         # import distributed now raises ImportError
    reg = Registry()
    with pytest.raises(TheoryCheckError, match=r"theorycheck\[cluster\]"):
        run_dask([], RunContext(), reg, "tcp://127.0.0.1:8786")
