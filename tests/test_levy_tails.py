"""The heavy-tail check kinds of checks/tails.py: each passes on data that follow the statement, fails on data that
do not, rejects its deliberately wrong formulas, counts its comparisons and keeps its details when it cannot decide."""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks.base import RunContext
from checks.result import FAIL, INCONCLUSIVE, PASS
from checks.tails import ByReading, ExitLadder, ExitLaw, ExitRatio, QuantileCheck, RelationCheck, sides
from theory import Claim, Param, Regime

theta, small, r = sp.Symbol("theta", positive=True), sp.Symbol("epsilon", positive=True), sp.Symbol("r", positive=True)
MEAN = sp.Symbol("EG")


def exponential_exits(scale_of):
    """Exact exponential exit times with mean scale_of(point), censored at 5 means (the law Levy exits approach)."""
    def simulate(point, n, rng):
        mean = scale_of(point)
        t = rng.exponential(mean, n)
        cut = 5 * mean
        return np.minimum(t, cut), t > cut
    return simulate


def _claim(rhs, params, checks):
    return Claim(statement=sp.Eq(MEAN, rhs), regime=Regime(params), checks=checks)


def test_exit_law_passes_true_mean_rejects_wrong_ones_and_counts():
    check = ExitLaw("exp", exponential_exits(lambda p: p["theta"]), lambda p, f: f(**p), at=[{"theta": 3.0}],
                    n_paths=4000, law=True)
    ctx = RunContext(seed=7)
    res = check.run(_claim(theta, (Param(theta, 1, 5),), [check]), ctx)
    assert res.status == PASS, res.reason
    assert ctx.counter.count == 2                       # the mean test and the exponential-law test
    assert all(s["rejected"] for s in res.details["self_test"])
    wrong = check.run(_claim(1.3 * theta, (Param(theta, 1, 5),), [check]), RunContext(seed=7))
    assert wrong.status == FAIL and wrong.evidence == "model"


def test_exit_law_rejects_a_non_exponential_law():
    def gamma_exits(point, n, rng):
        return rng.gamma(4.0, point["theta"] / 4, n), np.zeros(n, bool)
    check = ExitLaw("gamma", gamma_exits, lambda p, f: f(**p), at=[{"theta": 2.0}], n_paths=4000, law=True)
    res = check.run(_claim(theta, (Param(theta, 1, 5),), [check]), RunContext(seed=3))
    assert res.status == FAIL and res.counterexample["exponential_law"]["reject"]


def test_exit_law_underpowered_is_inconclusive_with_details():
    check = ExitLaw("tiny", exponential_exits(lambda p: p["theta"]), lambda p, f: f(**p), at=[{"theta": 2.0}],
                    n_paths=20)
    res = check.run(_claim(theta, (Param(theta, 1, 5),), [check]), RunContext(seed=1))
    assert res.status == INCONCLUSIVE and "self-test" in res.reason and res.details["rows"]


def test_diverged_paths_make_the_point_undecided():
    class Diverged:
        diverged_fraction, dt = 0.1, 1.0

        def survival_data(self):
            return np.ones(10), np.zeros(10, bool)
    check = ExitLaw("div", lambda p, n, rng: Diverged(), lambda p, f: f(**p), at=[{"theta": 1.0}])
    res = check.run(_claim(theta, (Param(theta, 1, 5),), [check]), RunContext())
    assert res.status == INCONCLUSIVE and "diverged" in res.reason


def test_exit_ratio_with_and_without_a_factor():
    def pair(point, n, rng):
        return exponential_exits(lambda p: 2.0 * p["theta"])(point, n, rng), \
            exponential_exits(lambda p: p["theta"])(point, n, rng)
    ok = ExitRatio("ratio", pair, lambda p, f: f(**p), at=[{"theta": 1.0}], n_paths=3000)
    assert ok.run(_claim(2 * theta, (Param(theta, 1, 1),), [ok]), RunContext(seed=2)).status == PASS
    assert ok.run(_claim(theta, (Param(theta, 1, 1),), [ok]), RunContext(seed=2)).status == FAIL
    band = ExitRatio("band", pair, lambda p, f: f(**p), at=[{"theta": 1.0}], n_paths=3000, factor=2.0,
                     perturbations=(("x6", lambda e: 6 * e), ("x1/6", lambda e: e / 6)))
    assert band.run(_claim(1.5 * theta, (Param(theta, 1, 1),), [band]), RunContext(seed=2)).status == PASS
    assert band.run(_claim(8 * theta, (Param(theta, 1, 1),), [band]), RunContext(seed=2)).status == FAIL


def test_exit_ratio_driven_by_the_statement_resimulates_its_self_test():
    def pair(point, n, rng, f):
        return exponential_exits(lambda p: f(**p))(point, n, rng), exponential_exits(lambda p: 1.0)(point, n, rng)
    check = ExitRatio("drives", pair, lambda p, f: 1.0, drives=True, at=[{"theta": 1.0}], n_paths=3000)
    res = check.run(_claim(theta, (Param(theta, 1, 1),), [check]), RunContext(seed=4))
    assert res.status == PASS and all(s["rejected"] for s in res.details["self_test"])


def ladder_exits(exponent):
    return exponential_exits(lambda p: 5.0 * p["epsilon"] ** exponent)


def _ladder(exponent, level=True):
    return ExitLadder("ladder", ladder_exits(exponent), lambda p, f: f(**p), small,
                      lambda p: [{"epsilon": e} for e in (0.2, 0.1, 0.05)], level=level, at=[{"epsilon": 0.2}],
                      n_paths=3000)


def test_ladder_decides_the_exponent_and_the_level():
    check = _ladder(-1.5)
    claim = _claim(5 * small ** -1.5, (Param(small, 0.01, 0.2),), [check])
    res = check.run(claim, RunContext(seed=5))
    assert res.status == PASS, res.reason
    assert abs(res.details["rows"][0]["fitted_exponent"] + 1.5) < 0.2
    assert check.run(_claim(5 * small ** 1.5, (Param(small, 0.01, 0.2),), [check]), RunContext(seed=5)).status == FAIL
    # a constant factor leaves the exponent alone but fails the level at the last rung
    assert check.run(_claim(7 * small ** -1.5, (Param(small, 0.01, 0.2),), [check]), RunContext(seed=5)).status == FAIL


def test_quantile_check_on_a_heavy_tailed_law():
    from scipy.stats import cauchy
    check = QuantileCheck("cauchy", lambda p, n, rng: rng.standard_cauchy(n) * p["theta"],
                          lambda p, f: [(q, float(cauchy.ppf(q, scale=f(**p)))) for q in (0.6, 0.75, 0.9)],
                          at=[{"theta": 2.0}], n_paths=20_000)
    assert check.run(_claim(theta, (Param(theta, 1, 3),), [check]), RunContext(seed=6)).status == PASS
    assert check.run(_claim(1.2 * theta, (Param(theta, 1, 3),), [check]), RunContext(seed=6)).status == FAIL


def test_relation_check_reads_the_statement_and_reverses_it():
    lhs = sp.Symbol("q")
    check = RelationCheck("rel", lambda c, st, p: sides(st, {lhs: p["q"], r: p["r"]}),
                          lambda c, rng: [{"q": 1.0, "r": 2.0}, {"q": 0.5, "r": 0.7}])
    good = Claim(statement=sp.Lt(lhs, r), regime=Regime((Param(r, 0.1, 3),)), checks=[check], about="algebra")
    res = check.run(good, RunContext())
    assert res.status == PASS and res.details["self_test"][0]["rejected"]
    bad = Claim(statement=sp.Gt(lhs, r), regime=Regime((Param(r, 0.1, 3),)), checks=[check], about="algebra")
    assert check.run(bad, RunContext()).status == FAIL
    inf = RelationCheck("inf", lambda c, st, p: sides(st, {lhs: float("inf")}), lambda c, rng: [{}])
    assert inf.run(Claim(statement=sp.Eq(lhs, 0), regime=Regime(()), checks=[inf], about="algebra"),
                   RunContext()).status == FAIL


def test_by_reading_disagreement_is_inconclusive_with_both_evidences():
    lhs = sp.Symbol("q")
    yes = RelationCheck("yes", lambda c, st, p: sides(st, {lhs: 0.0}), lambda c, rng: [{}])
    no = RelationCheck("no", lambda c, st, p: sides(st, {lhs: 2.0}), lambda c, rng: [{}])
    check = ByReading("readings", {"one": yes, "other": no})
    res = check.run(Claim(statement=sp.Lt(lhs, 1), regime=Regime(()), checks=[check], about="algebra"), RunContext())
    assert res.status == INCONCLUSIVE and set(res.details) == {"one", "other"}


def test_shared_simulations_are_simulated_once_per_seed():
    calls = []

    def simulate(point, n, rng):
        calls.append(1)
        return exponential_exits(lambda p: 1.0)(point, n, rng)
    a = ExitLaw("a", simulate, lambda p, f: f(**p), at=[{"theta": 1.0}], n_paths=500, share="test share")
    b = ExitLaw("b", simulate, lambda p, f: f(**p), at=[{"theta": 1.0}], n_paths=500, share="test share")
    ra = a.run(_claim(theta, (Param(theta, 1, 1),), [a]), RunContext(seed=11))
    rb = b.run(Claim(statement=sp.Eq(MEAN, theta), regime=Regime((Param(theta, 1, 1),)), checks=[b]),
               RunContext(seed=11))
    assert len(calls) == 1 and ra.details["rows"][0]["estimate"] == rb.details["rows"][0]["estimate"]
    assert ra.details["shared_simulation"]["key"] == "test share"
    b.run(_claim(theta, (Param(theta, 1, 1),), [b]), RunContext(seed=12))
    assert len(calls) == 2
