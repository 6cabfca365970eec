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


# --- the instance options: derived constants, min over observables, normalised gap, narrowed box, polish, replay


M = sp.Symbol("M", positive=True)


def test_derived_constants_fill_the_statement_and_reach_the_report():
    """M is the instance's (computed, not searched): with the true maximum the bound holds; a smaller one is
    refuted and the report names the derived value."""
    def derive(m):
        return lambda point: {"M": m}

    ok = _run(sp.Le(x * sp.exp(-x), M, evaluate=False), BoundCheck("derived max", derive=derive(np.exp(-1)),
                                                                    derived=[M]))
    assert ok.status == PASS and 0.97 < ok.details["worst_ratio"] <= 1.0
    assert ok.details["budget"]["searched_parameters"] == ["x"]
    bad = _run(sp.Le(x * sp.exp(-x), M, evaluate=False), BoundCheck("derived too small", derive=derive(0.3),
                                                                     derived=[M]))
    assert bad.status == FAIL and bad.counterexample["derived"] == {"M": 0.3}


def test_indexed_sums_and_products_take_derived_arrays():
    """An IndexedBase derived as an array: Product and Sum over an integer index run on it."""
    from checks.bounds import lambdify_bound

    b, i, n = sp.IndexedBase("b"), sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
    f = lambdify_bound([b.label, n], sp.Product(b[i], (i, 0, n - 1)) + sp.Sum(b[i], (i, 0, n - 1)))
    arr = np.array([0.5, 0.25, 2.0])
    assert abs(f(arr, 3) - (0.25 + 2.75)) < 1e-12 and abs(f(arr, 2) - (0.125 + 0.75)) < 1e-12
    regime = Regime((Param(n, 1, 6),))
    statement = sp.Le(sp.Product(b[i], (i, 0, n - 1)), sp.Rational(1, 2) ** n, evaluate=False)
    derive = {"holds": lambda p: {"b": np.full(6, 0.5)}, "fails": lambda p: {"b": np.array([0.5] * 5 + [0.6])}}
    assert _run(statement, BoundCheck("holds", derive=derive["holds"], derived=[b]), regime).status == PASS
    bad = _run(statement, BoundCheck("fails", derive=derive["fails"], derived=[b]), regime)
    assert bad.status == FAIL and bad.counterexample["params"]["n"] == 6


def _two_observables(point, n, rng):
    """E X_0 = mu + 0.5, E X_1 = mu: the minimum of the two expectations is mu."""
    z = rng.standard_normal((n, 2))
    return Sample(point["mu"] + np.array([0.5, 0.0]) + z, ["X0", "X1"])


def test_min_over_observables_is_an_intersection_union_test():
    """min_k E X_k <= mu + 0.01 holds (X_1 meets it) although X_0 alone breaks it; mu - 0.05 breaks both."""
    regime = Regime((Param(mu, -1.0, 1.0),))
    kw = {"simulate": _two_observables, "n_paths": 500, "refine_paths": 20_000, "hypothesis_examples": 10,
          "maxiter": 5}
    holds = _run(sp.Le(sp.Symbol("m"), mu + sp.Rational(1, 100), evaluate=False),
                 BoundCheck("min holds", reduce="min", **kw), regime)
    assert holds.status != FAIL
    first_only = _run(sp.Le(sp.Symbol("m"), mu + sp.Rational(1, 100), evaluate=False),
                      BoundCheck("first observable", **kw), regime)
    assert first_only.status == FAIL                       # without reduce the first observable is the quantity
    broken = _run(sp.Le(sp.Symbol("m"), mu - sp.Rational(5, 100), evaluate=False),
                  BoundCheck("min broken", reduce="min", **kw), regime)
    assert broken.status == FAIL and broken.counterexample["z"] > 3


def test_normalised_gap_measures_bounds_whose_sides_change_sign():
    """sin(x) - 1 <= 0 (sides of both signs, worst gap 0 at x = pi/2): the gap 1 + (lhs - bound) / 1 reaches 1
    and the self-test (the bound shifted by 10% of it) is rejected; sin(x) - 1 <= -0.1 is refuted."""
    one = BoundCheck("gap", scale=lambda v: 1.0)
    r = _run(sp.Le(sp.sin(x) - 1, 0, evaluate=False), one)
    assert r.status == PASS and r.details["measure"].startswith("normalised gap")
    assert 0.999 < r.details["worst_ratio"] <= 1.0 and r.details["self_test"][0]["rejected"]
    assert _run(sp.Le(sp.sin(x) - 1, -sp.Rational(1, 10), evaluate=False),
                BoundCheck("gap broken", scale=lambda v: 1.0)).status == FAIL


def test_narrow_searches_a_smaller_box():
    """On x in [3, 10] the worst of x e^-x / e^-1 is at x = 3: 3 e^-2."""
    r = _run(sp.Le(x * sp.exp(-x), sp.exp(-1), evaluate=False), BoundCheck("narrow", narrow={"x": (3.0, 10.0)}))
    assert r.details["worst_point"]["x"] < 3.2 and abs(r.details["worst_ratio"] - 3 * np.exp(-2)) < 0.02


def test_polish_climbs_from_the_best_points():
    """A tiny differential evolution (popsize 2, one generation) stops short of the peak; the local climb
    reaches it."""
    kw = {"maxiter": 1, "popsize": 2, "hypothesis_examples": 0}
    statement = sp.Le(x * sp.exp(-x), sp.exp(-1), evaluate=False)
    rough = _run(statement, BoundCheck("rough", **kw))
    fine = _run(statement, BoundCheck("polished", polish=40, **kw))
    assert fine.details["budget"]["polish_evaluations"] > 0 and rough.details["budget"]["polish_evaluations"] == 0
    assert fine.details["worst_ratio"] > 0.9999 > rough.details["worst_ratio"]


def test_replayed_self_test_and_deep_budget():
    statement = sp.Le(x * sp.exp(-x), sp.exp(-1), evaluate=False)
    r = _run(statement, BoundCheck("replay", self_test="replay"))
    assert r.details["self_test"][0]["search"] == "replay" and r.details["self_test"][0]["rejected"]
    c = Claim(id="test.bound2", statement=statement, regime=REGIME, about="algebra", checks=[])
    deep = BoundCheck("deep", maxiter=3, hypothesis_examples=5, deep_factor=4.0).run(c, RunContext(deep=True))
    assert deep.details["budget"]["de_maxiter"] == 12 and deep.details["budget"]["hypothesis_examples"] <= 20
    import pytest

    with pytest.raises(ValueError, match="self_test"):
        BoundCheck("bad", self_test="again")
    with pytest.raises(ValueError, match="reduce"):
        BoundCheck("bad", reduce="max")


def test_an_absolute_rounding_allowance_stated_by_the_instance():
    """An exact quantity 1e-9 x above a zero bound: a violation, unless the instance states _atol = 1e-6."""
    statement = sp.Le(sp.Symbol("Q"), 0 * x, evaluate=False)
    exact = lambda p: 1e-9 * p["x"]                       # noqa: E731
    assert _run(statement, BoundCheck("no allowance", exact=exact)).status == FAIL
    r = _run(statement, BoundCheck("allowance", exact=exact, derive=lambda p: {"_atol": 1e-6}))
    assert r.status != FAIL


def test_points_whose_instance_cannot_be_built_are_skipped():
    """derive raises Undecidable beyond x = 0.5: the search keeps to the rest (worst at the edge, 0.5 e^-0.5)."""
    from checks.base import Undecidable

    def derive(point):
        if point["x"] > 0.5:
            raise Undecidable("no instance here", "instance")
        return {"M": float(np.exp(-1))}

    r = _run(sp.Le(x * sp.exp(-x), M, evaluate=False), BoundCheck("partial family", derive=derive, derived=[M]))
    assert r.details["worst_point"]["x"] <= 0.5 and abs(r.details["worst_ratio"] - 0.5 * np.exp(0.5)) < 0.02


def test_an_exact_quantity_may_read_the_statement():
    """exact(point, claim) differentiates the statement's left side (a Derivative lambdify cannot evaluate): the same
    check passes d/dx (x^3/3 - x^2 + x) = (x - 1)^2 >= 0 (tight at x = 1) and refutes d/dx (x^3/3 - x^2 + x/2) >= 0
    (negative on (1 - 1/sqrt 2, 1 + 1/sqrt 2))."""
    derivatives: dict = {}

    def exact(point, claim):
        d = claim.lhs
        if d not in derivatives:
            derivatives[d] = sp.lambdify(x, sp.diff(d.expr, *d.variables))
        return float(derivatives[d](point["x"]))

    assert BoundCheck("reads", exact=exact).exact_reads_claim
    assert not BoundCheck("point only", exact=lambda p: 0.0).exact_reads_claim
    kw = {"scale": lambda v: 1.0, "maxiter": 5, "hypothesis_examples": 10}
    cubic = x**3 / 3 - x**2
    holds = _run(sp.Ge(sp.Derivative(cubic + x, x), 0, evaluate=False), BoundCheck("holds", exact=exact, **kw))
    assert holds.status == PASS and holds.details["worst_ratio"] > 0.99
    fails = _run(sp.Ge(sp.Derivative(cubic + x / 2, x), 0, evaluate=False), BoundCheck("fails", exact=exact, **kw))
    assert fails.status == FAIL and 0.29 < fails.counterexample["params"]["x"] < 1.71
