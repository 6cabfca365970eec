"""BoundCheck: the worst-case search finds violations that random sampling misses, and states tightness."""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks.base import RunContext
from checks.bounds import BoundCheck
from checks.dynamics.sample import Sample
from checks.result import FAIL, PASS
from theory.model import Claim, Param, Regime

x = sp.Symbol("x", positive=True)
mu = sp.Symbol("mu", real=True)
REGIME = Regime((Param(x, 0.01, 10.0, log=True),))


def _run(statement, check, regime=REGIME):
    c = Claim(id="test.bound1", statement=statement, regime=regime, about="algebra", checks=[check])
    return check.run(c, RunContext())


def test_a_tight_true_bound_passes_with_its_worst_ratio_and_the_self_test():
    r = _run(sp.Le(x * sp.exp(-x), sp.exp(-1), evaluate=False), BoundCheck("max of x e^-x"))
    assert r.status == PASS
    assert 0.97 < r.details["worst_ratio"] <= 1.0 and abs(r.details["worst_point"]["x"] - 1) < 0.2
    assert r.details["self_test"][0]["rejected"]


def test_a_false_bound_is_refuted_with_the_instance():
    r = _run(sp.Le(x * sp.exp(-x), sp.Rational(3, 10), evaluate=False), BoundCheck("too tight"))
    assert r.status == FAIL and r.counterexample["quantity"] > 0.3 and 0.5 < r.counterexample["params"]["x"] < 2


def test_a_narrow_violation_that_sampling_misses_is_found():
    """A bump of width 0.05 on [0.01, 10]: 20 random points miss it with probability ~0.9."""
    bump = sp.exp(-((x - sp.Rational(73, 10)) / sp.Rational(5, 100)) ** 2)
    r = _run(sp.Le(bump, sp.Rational(1, 2), evaluate=False), BoundCheck("bump"),
             Regime((Param(x, 0.01, 10.0),)))
    assert r.status == FAIL and abs(r.counterexample["params"]["x"] - 7.3) < 0.05


def test_a_loose_bound_reports_its_slack():
    r = _run(sp.Le(sp.sin(x) ** 2, 2, evaluate=False), BoundCheck("loose"))
    assert r.status == PASS and 0.45 < r.details["worst_ratio"] <= 0.5


def test_a_simulated_quantity_needs_a_significant_violation():
    """E[X] for X ~ N(mu, 1) against the bound mu + 0.001: the truth is below the bound everywhere, so search
    noise (which does exceed it at some points) must never refute; against mu - 0.05 it must."""
    def simulate(point, n, rng):
        return Sample(point["mu"] + rng.standard_normal((n, 1)), ["X"])

    regime = Regime((Param(mu, -1.0, 1.0),))
    holds = _run(sp.Le(sp.Symbol("EX"), mu + sp.Rational(1, 1000), evaluate=False),
                 BoundCheck("E X <= mu + 0.001", simulate=simulate, n_paths=500, refine_paths=20_000,
                            hypothesis_examples=20), regime)
    assert holds.status != FAIL
    broken = _run(sp.Le(sp.Symbol("EX"), mu - sp.Rational(5, 100), evaluate=False),
                  BoundCheck("E X <= mu - 0.05", simulate=simulate, n_paths=500, refine_paths=20_000,
                             hypothesis_examples=20), regime)
    assert broken.status == FAIL and broken.counterexample["z"] > 5


def test_lower_bounds_too():
    r = _run(sp.Ge(x + 1 / x, 2, evaluate=False), BoundCheck("AM-GM"))
    assert r.status == PASS and r.details["worst_ratio"] > 0.98
    r = _run(sp.Ge(x + 1 / x, sp.Rational(21, 10), evaluate=False), BoundCheck("AM-GM, too high"))
    assert r.status == FAIL


def test_fraction_check_is_exact_for_probability_one_claims():
    """A probability-1 claim allows no miss: 5 misses in 2000 runs refute it (the z-test let ~29 through)."""
    from checks.montecarlo import MonteCarloFraction

    a = sp.Symbol("a", positive=True)

    def sim(misses):
        def simulate(point, n, rng):
            v = np.ones((n, 1))
            v[:misses] = 0
            return Sample(v, ["converged"])
        return simulate

    regime = Regime((Param(a, 1, 2),))
    for misses, status in ((0, PASS), (5, FAIL)):
        check = MonteCarloFraction("all converge", sim(misses), lambda p, f: [f(**p)], n_paths=2000, n_points=1,
                                   perturbations=[("x0.99", lambda e: sp.Rational(99, 100) * e)])
        c = Claim(id="test.frac1", statement=sp.Eq(sp.Symbol("P"), sp.S.One + 0 * a), regime=regime, checks=[check])
        assert check.run(c, RunContext()).status == status


def test_an_exact_tight_bound_is_not_refuted_by_rounding():
    """x * (1/x) <= 1 holds with equality; floating point gives 1 + 1 ulp at some x."""
    r = _run(sp.Le(x * (1 / (x * sp.Float(1.0))), 1, evaluate=False), BoundCheck("equality"))
    assert r.status == PASS
