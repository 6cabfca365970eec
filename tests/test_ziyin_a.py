"""The exact law and the check kinds of `ziyin`'s Secs. 4-6 (theory/papers/ziyin): each helper against a
brute-force reference, and each check kind rejecting a wrong statement."""
from __future__ import annotations

import itertools
import math

import numpy as np
import sympy as sp
from scipy import stats

from checks.base import RunContext
from checks.dynamics.multiplicative import exact_log_growth_distribution
from checks.result import FAIL, PASS
from theory import Claim, Param, Regime
from theory.papers.ziyin import models as zm
from theory.papers.ziyin.experiment_checks import (
    BinomialTest,
    ExactLimit,
    RelationHolds,
    StationaryNotDelta,
    binomial_region,
)


def brute_force_cdf(lam, a, T, y):
    """P(ln|w_T/w_0| <= y) by enumerating every sequence of T coins."""
    l1, l2 = math.log(abs(1 - lam)), math.log(abs(1 - lam * (a - 1)))
    hits = sum(1 for coins in itertools.product((0, 1), repeat=T) if sum(l1 if c else l2 for c in coins) <= y)
    return hits / 2 ** T


def test_cdf_matches_enumeration_and_the_kernel_law():
    rng = np.random.default_rng(1)
    for _ in range(20):
        lam, a, T = rng.uniform(0.05, 2.0), rng.uniform(-4, -0.1), int(rng.integers(1, 11))
        m = zm.TwoPoint(lam, a)
        y = rng.normal(T * m.mu, 2 * m.s * math.sqrt(T) + 0.1)
        low, high = m.cdf(T, y)
        assert math.isclose(low, brute_force_cdf(lam, a, T, y), abs_tol=1e-12) and math.isclose(low + high, 1.0)
        values, probs = exact_log_growth_distribution(lam, a, T)
        assert math.isclose(low, probs[values <= y].sum(), abs_tol=1e-12)


def test_an_exact_end_of_eq8_has_mu_zero_and_a_half_escape_fraction():
    for a_v in (sp.Rational(-1, 4), sp.Rational(-7, 2)):
        for end in (zm.LOWER8, zm.UPPER8):
            m = zm.TwoPoint(end.subs(zm.a, a_v), a_v)
            assert m.mu == 0.0
            assert math.isclose(m.cdf(101, 0.0)[1], 0.5, abs_tol=1e-12)      # odd T: a centred walk never ties 0
    assert zm.TwoPoint(0.8, -1.0).mu < 0


def test_the_exact_cdf_stays_inside_the_berry_esseen_envelope():
    m = zm.TwoPoint(0.8, -1.0)
    for T in (100, 1600, 25600):
        for z in (-1.5, 0.1, 0.9):
            err = abs(m.cdf(T, T * m.mu + z * math.sqrt(T))[0] - stats.norm.cdf(z / m.s))
            assert err <= 0.4748 / math.sqrt(T)


def test_hoeffding_horizon_bounds_the_exact_miss_probability():
    m = zm.TwoPoint(0.8, -1.0)
    T = m.horizon(math.log(1e-3), 1e-9)
    assert m.hoeffding(T, math.log(1e-3)) <= 1e-9
    assert m.p_inside(T, 1e-3, 1.0)[1] <= 1e-9


def test_sup_rate_is_the_maximum_of_the_exact_rate():
    for a_v in (-0.3, -1.0, -3.0):
        best, arg = zm.sup_rate(a_v, 1.0, 30)
        grid = np.linspace(1e-4, 1 - 1e-4, 20001)
        assert float(best) >= zm.rates(grid[0], np.array([a_v]))[0]
        assert abs(float(best) - max(zm.exact_rate(g, a_v) for g in grid[::50])) < 1e-4
        assert 0 < float(arg) < 0.5


def test_binomial_region_allows_no_miss_for_a_tiny_tolerance():
    assert binomial_region(2000, 1 - 2.5e-12, 1.0) == (2000, 2000)
    lo, hi = binomial_region(1000, 0.5, 0.5)
    assert lo < 500 < hi and stats.binom.cdf(lo - 1, 1000, 0.5) < 2.5e-8


def test_quartic_runs_beyond_the_radius_diverge():
    rng = np.random.default_rng(2)
    w, escaped, radius = zm.quartic_runs(0.8, -1.0, 200, 2000, rng)
    assert 0.2 < escaped.mean() < 0.5 and np.all(np.abs(w[~escaped]) < 1e-3)
    w2, escaped2, _ = zm.quartic_runs(0.8, -1.0, 5, 50, rng, w_start=radius * 1.01)
    assert escaped2.all()


# --- the check kinds reject what they should ----------------------------------------------------------------------
A_ONLY = Regime((Param(zm.a, -2.0, -0.5),))


def limit_claim(value):
    def cases(c, e, rng):
        return [{"point": {"a": -1.0}, "ladder": [10, 20, 40, 80], "exact": lambda T: 1 - 2.0 ** -T,
                 "claimed": lambda T: float(e)}]
    c = Claim(statement=sp.Eq(sp.Symbol("L"), value), regime=A_ONLY,
              checks=[ExactLimit("limit", cases)])
    c.id = "test.limit"
    return c


def test_exact_limit_passes_the_true_limit_and_fails_a_wrong_one():
    good, bad = limit_claim(sp.S.One), limit_claim(sp.Rational(21, 20))
    assert good.checks[0].run(good, RunContext()).status == PASS
    res = bad.checks[0].run(bad, RunContext())
    assert res.status == FAIL and res.counterexample["reason"] == "does not shrink"


def test_binomial_test_counts_and_rejects():
    def simulate(point, n, rng):
        return zm.indicator(rng.random(n) < 0.3, "event")
    for value, expected in ((sp.Rational(3, 10), PASS), (sp.Rational(1, 2), FAIL), (sp.Rational(3, 2), FAIL)):
        c = Claim(statement=sp.Eq(sp.Symbol("p"), value), regime=A_ONLY,
                  checks=[BinomialTest("fraction", simulate, lambda c, e, p: [float(e)], n_paths=5000)])
        c.id = "test.binomial"
        ctx = RunContext()
        assert c.checks[0].run(c, ctx).status == expected
        assert ctx.counter.count >= 1


def test_relation_and_stationary_checks_fail_on_reversed_statements():
    def values(c, st, p):
        return p["a"], float(st.rhs)
    for rel, expected in ((sp.StrictLessThan, PASS), (sp.GreaterThan, FAIL)):
        c = Claim(statement=rel(sp.Symbol("q"), 0, evaluate=False), regime=A_ONLY,
                  checks=[RelationHolds("sign", values, lambda c, rng: c.regime.sample(rng, 4))])
        c.id = "test.relation"
        assert c.checks[0].run(c, RunContext()).status == expected

    def runs(steps, n, rng):
        return zm.additive_runs(0.8, -1.0, 0.1, steps, n, rng)
    for rel, expected in ((sp.StrictLessThan, PASS), (sp.GreaterThan, FAIL)):
        c = Claim(statement=rel(sp.Symbol("P"), 1, evaluate=False), regime=Regime(()),
                  checks=[StationaryNotDelta("stationary", runs, T=300, n_paths=2000)])
        c.id = "test.stationary"
        assert c.checks[0].run(c, RunContext()).status == expected
