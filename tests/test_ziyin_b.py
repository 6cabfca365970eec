"""The check kinds of `ziyin`'s Secs. 5.3-5.5 and Apps. B-D: each decides the right way on a case with a known
answer and rejects a deliberately wrong one (the claims themselves run through the theorycheck plugin)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import Sample
from checks.base import RunContext
from checks.result import FAIL, PASS
from theory import Claim, Param, Regime
from theory.papers.ziyin.amsgrad_checks import UNDECIDED, FractionCheck, Threshold, TotalMass
from theory.papers.ziyin.figure4_checks import certify
from theory.papers.ziyin.fokker_planck import S, flux_over_density, lam

x = sp.Symbol("x", real=True)
v = sp.Symbol("v", positive=True)
GAUSS = sp.exp(-x ** 2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)


def _claim(statement, regime, checks):
    c = Claim(statement=statement, regime=regime, checks=checks)
    c.id = "ziyin.test"
    return c


def test_total_mass_sees_a_constant_factor():
    regime = Regime((Param(v, 0.2, 2.0),))
    good = _claim(sp.Eq(sp.Symbol("p"), GAUSS), regime, [])
    bad = _claim(sp.Eq(sp.Symbol("p"), 1.05 * GAUSS), regime, [])
    check = TotalMass("mass", lambda c: c.formula, x)
    assert check.run(good, RunContext()).status == PASS
    assert check.run(bad, RunContext()).status == FAIL


def test_zero_flux_of_the_ornstein_uhlenbeck_density():
    # dw = -lambda w dt + (lambda/sqrt S) sqrt(C) dW with C = 1: stationary variance lambda/(2S)
    density = GAUSS.subs(v, lam / (2 * S))
    assert sp.simplify(flux_over_density(density, x ** 2 / 2, sp.S.One, x)) == 0
    assert sp.simplify(flux_over_density(density.subs(lam, 2 * lam), x ** 2 / 2, sp.S.One, x)) != 0


def test_threshold_reads_the_critical_value():
    q = sp.Symbol("q", positive=True)
    regime = Regime((Param(q, 0.1, 1.0),))
    check = Threshold("below 1/2", lambda p, qv: qv < 0.5, n_points=2)
    assert check.run(_claim(sp.Eq(sp.Symbol("q_c"), sp.Rational(1, 2)), regime, []), RunContext()).status == PASS
    assert check.run(_claim(sp.Eq(sp.Symbol("q_c"), sp.S.One), regime, []), RunContext()).status == FAIL


def test_fraction_check_leaves_undecided_runs_out_and_rejects_a_miss():
    regime = Regime((Param(v, 0.5, 1.0),))

    def all_hits(point, n, rng):
        out = np.ones(n)
        out[: n // 10] = UNDECIDED
        return Sample(out[:, None], ["hit"])

    def one_miss(point, n, rng):
        out = np.ones(n)
        out[0] = 0.0
        return Sample(out[:, None], ["hit"])

    statement = sp.Eq(sp.Symbol("P"), sp.S.One)
    ok = FractionCheck("hits", all_hits, lambda p, f: [f(**p)], n_points=1, n_paths=500)
    miss = FractionCheck("hits", one_miss, lambda p, f: [f(**p)], n_points=1, n_paths=500)
    assert ok.run(_claim(statement, regime, []), RunContext()).status == PASS
    assert miss.run(_claim(statement, regime, []), RunContext()).status == FAIL


def test_certificate_of_amsgrad_without_momentum():
    # lambda' = lambda/sqrt(v-hat) inside (109) converges, below a/(a - 1) escapes, above the upper end is open
    lam_v, a_v = 0.2, -0.1
    v_hat = np.array([(lam_v / 1.0) ** 2, (lam_v / 0.05) ** 2, (lam_v / 1.45) ** 2])
    out, info = certify(lam_v, a_v, 0.0, v_hat, np.random.default_rng(0))
    assert out.tolist() == [1.0, UNDECIDED, UNDECIDED]      # lambda/(1 - a) = 0.18 > 0.05: not certified to escape
    out, _ = certify(0.02, a_v, 0.0, np.array([(0.02 / 0.05) ** 2]), np.random.default_rng(0))
    assert out.tolist() == [0.0]                              # lambda' can only fall further below (109)


def test_gaussian_case_reads_the_relation():
    from theory.papers.ziyin.prop8 import BOUND34_CORRECTED, E_LN2, GaussianCase, corrected_premise

    case = {"a": 1.0, "b": 3.0, "m": -3.0, "s_p": 0.1, "delta": 0.2}     # E ln^2|x| ~ ln^2 3 = 1.2, bound ~ 36
    assert corrected_premise(case)
    check = GaussianCase("cases", corrected_premise)
    assert check._judge(sp.LessThan(E_LN2, BOUND34_CORRECTED), [case])[1] is None
    assert check._judge(sp.LessThan(E_LN2, BOUND34_CORRECTED / 100), [case])[1] is not None
