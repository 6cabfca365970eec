"""The `diagrams` paper's shared machinery: closed forms against the exact series, the diagram enumerator, the
notation helpers and the paper's own check kinds (each must be able to fail)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from checks.base import RunContext
from checks.result import FAIL, INCONCLUSIVE, PASS
from theory import Claim, Regime
from theory.papers.diagrams import appendix_c as ac
from theory.papers.diagrams import cor2, cor5, rebuttal
from theory.papers.diagrams import enumerator as en
from theory.papers.diagrams import models as m
from theory.papers.diagrams.kinds import RelationHolds, RelationHoldsMC, RemainderOrder
from theory.papers.diagrams.notation import (
    CH,
    Hf,
    LittleO,
    contract,
    eta,
    in_eigenbasis,
    mu,
    n_dim,
    remainder_spec,
    taylor,
)
from theory.series import expected_after, expected_after_epochs, expected_after_flow

T = sp.Symbol("T", integer=True, nonnegative=True)


# --------------------------------------------------------------------------------- closed forms
@pytest.mark.parametrize("n_, t_", [(2, 3), (3, 2)])
def test_mean_estimation_gd_closed_forms_match_the_exact_series(n_, t_):
    a = 1 - eta * m.Hm
    over = m.Sm ** 2 * (1 - a ** t_) ** 2 / (2 * n_ * m.Hm)
    gap = m.Sm ** 2 * (1 - a ** t_) / (n_ * m.Hm)
    for observable, closed in (("test_loss", over), ("gen_gap", gap)):
        series = expected_after_epochs(m.MEAN, m.N01, n_, 4, params=[m.th], theta0=[0], epochs=t_, B=n_,
                                       observable=observable)
        assert sp.expand(taylor(closed, 4) - series) == 0
    assert cor2.exact_over([0.1], H=1.0, C=1.0, n_=n_, t_=t_)[0] == pytest.approx(
        float(over.subs({m.Hm: 1, m.Sm: 1, eta: 0.1})))


def test_linear_regression_sgd_ode_sde_closed_forms():
    loss, data = (m.th - m.x) ** 2 / 2, m.N01
    for flow in ("ode", "sde"):
        series = sp.expand(expected_after(loss, data, cor5.T_LR, 6, params=[m.th], theta0=[1])
                           - expected_after_flow(loss, data, cor5.T_LR, 6, params=[m.th], theta0=[1], noise=flow))
        assert sp.expand(taylor(cor5.lr_series(flow, 1, 4), 6) - series) == 0
        exact = cor5.lr_exact("sgd", 1.0, [0.002]) - cor5.lr_exact(flow, 1.0, [0.002])
        assert exact[0] == pytest.approx(float(series.subs(eta, 0.002)), rel=1e-6)


# ------------------------------------------------------------------------------------ enumerator
POLY = m.th / 2 + m.th ** 2 / 2 + m.th ** 3 / 3 + m.x * (m.th + m.th ** 2 / 4)
LAW = {m.x: m.Discrete({-1: sp.Rational(2, 3), 2: sp.Rational(1, 3)})}


def test_path_integral_and_resummed_sum_against_the_exact_series():
    land = en.Landscape1D(POLY, m.th, LAW, 0)
    exact = expected_after(POLY, LAW, 3, 3, params=[m.th], theta0=[0])
    assert sp.expand(taylor(en.path_integral(land, 3, 3), 3) - exact) == 0
    assert sp.expand(taylor(en.resummed(land, 3, 3, "corrected", "cumulant", False), 3) - exact) == 0
    # injective embeddings miss the same-time collision of two G leaves: -(T/2) G H G at eta^2 (G = 1/2, H = 1)
    inj = sp.expand(taylor(en.resummed(land, 3, 3, "corrected", "cumulant", True), 3) - exact)
    assert inj.coeff(eta, 2) == -sp.Rational(3, 8)


def test_named_diagrams_automorphisms_and_irreducibility():
    assert en.automorphisms_preserving_parts("c(01-2-3)(03-12-23)") == 1
    assert en.automorphisms_preserving_parts("c(01-2-3)(02-12-23)") == 2
    assert en.is_irreducible_named("c(0-1-2)(01-12)", "printed") is True
    assert en.is_irreducible_named("c(0-1-2)(01-12)", "corrected") is False
    assert en.is_irreducible_named("c(0-1-2)(02-12)", "corrected") is True


def test_prop1_orderings_up_to_automorphism_match_the_series():
    land = en.Landscape1D(POLY, m.th, LAW, 0)
    exact = sp.expand(expected_after(POLY, LAW, 3, 3, params=[m.th], theta0=[0]))
    for d in (1, 2, 3):
        value = (-1) ** d / sp.factorial(d) * en.prop1_sum(land, d, 3, True)
        assert sp.simplify(value - exact.coeff(eta, d)) == 0
    assert sp.simplify((-1) ** 2 / 2 * en.prop1_sum(land, 2, 3, False) - exact.coeff(eta, 2)) != 0


# ---------------------------------------------------------------------------------- notation
def test_taylor_of_exponentials_and_the_eigenbasis_sums():
    H = sp.Symbol("H", positive=True)
    e = -eta ** 3 / 6 * (1 - sp.exp(-3 * T * eta * H)) / (3 * eta * H)
    assert sp.expand(taylor(e, 4) - sp.series(e, eta, 0, 5).removeO()) == 0
    s = sp.Sum(Hf(mu, mu) ** 2, (mu, 1, n_dim))
    assert in_eigenbasis(s, {Hf: sp.diag(2, 3)}, 2) == 13
    assert contract(CH / 2, {CH: 4}) == 2 * eta ** 2
    assert remainder_spec(sp.Eq(sp.Symbol("y"), eta + LittleO(eta ** 2))) == (2, True)
    with pytest.raises(IndexError):
        in_eigenbasis(Hf(3, 3), {Hf: sp.diag(1, 2)}, 2)


# ----------------------------------------------------------------------------- the check kinds
def _claim(rhs):
    return Claim(statement=sp.Eq(sp.Symbol("y"), rhs, evaluate=False), id="diagrams.test1", regime=Regime(()))


def test_remainder_order_accepts_the_right_order_and_rejects_a_wrong_one():
    exact = lambda etas: np.array([e / (1 - e) for e in etas])      # eta + eta^2 + ...
    check = RemainderOrder("geometric series", exact, lambda c: c.formula)
    good = check.run(_claim(eta + LittleO(eta)), RunContext())
    assert good.status == PASS and all(s["rejected"] for s in good.details["self_test"])
    assert check.run(_claim(eta + LittleO(eta ** 2)), RunContext()).status == FAIL      # remainder is eta^2
    assert check.run(_claim(2 * eta + LittleO(eta)), RunContext()).status == FAIL


def test_relation_holds_and_its_self_test():
    a = sp.Symbol("a")
    ok = RelationHolds("a = 2", lambda c: {a: 2}).run(
        Claim(statement=sp.Eq(a, 2, evaluate=False), id="diagrams.test2", regime=Regime(())), RunContext())
    assert ok.status == PASS and all(s["rejected"] for s in ok.details["self_test"])
    bad = RelationHolds("a = 2", lambda c: {a: 3}).run(
        Claim(statement=sp.Eq(a, 2, evaluate=False), id="diagrams.test3", regime=Regime(())), RunContext())
    assert bad.status == FAIL


def test_relation_holds_mc_passes_fails_and_stays_inconclusive_when_unresolved():
    a = sp.Symbol("a")
    stmt = Claim(statement=sp.StrictLessThan(a, 0), id="diagrams.test4", regime=Regime(()))

    def run(mean):
        sim = lambda n, rng: {a: mean + rng.standard_normal(n)}       # noqa: E731  (se = 1/sqrt(n))
        return RelationHoldsMC("a < 0", sim, n_paths=10_000).run(stmt, RunContext())

    assert run(-0.2).status == PASS            # 20 se below 0
    assert run(0.2).status == FAIL             # 20 se above 0: a false "< 0" is refuted
    assert run(0.01).status == INCONCLUSIVE    # 1 se: neither
    nan = RelationHoldsMC("a < 0", lambda n, rng: {a: np.r_[np.full(n - 5, -1.0), [np.nan] * 5]}, 100)
    res = nan.run(stmt, RunContext())
    assert res.details["diverged_fraction"] == 0.05 and res.details["values"]["a"]["paths"] == 95


def test_c_flat_counterexample_is_along_plus_c_grad_h_and_sigma_corrects_it():
    lead, cj, sj = rebuttal.c_flat_terms(rebuttal.C_FLAT_MC)
    eps = rebuttal.EPS
    assert lead == [-eps / 4, 0] and cj == [-2 * eps, 0]          # displacement and C grad H point the same way
    assert sum(x * y for x, y in zip(lead, cj)) > 0 > sum(x * y for x, y in zip(lead, sj))


# ------------------------------------------------------------------------------ App. C.6 numbers
def test_estimators_of_correlators_exact_values():
    target = ac.correlator((0, 0, 0), "symmetric", 3)
    assert target == sp.Rational(5, 6)
    printed = [ac.expectation_of(ac.SYM3, S, "symmetric", 3) for S in (1, 2, 3)]
    assert printed == [sp.Rational(5, 6), sp.Rational(79, 144), sp.Rational(2, 27)]
    assert all(ac.expectation_of(ac.SYM3_FIX, S, "symmetric", 3) == target for S in (1, 2, 3))
    bessel = ac.S_s * ac.AV[0, 0] * ac.AV[1, 0] + (1 - ac.S_s) * ac.AV[0, 0] * ac.AV[1, 1]
    assert all(ac.expectation_of(bessel, S, "correlated", 2) == ac.correlator((0, 0), "correlated", 2)
               for S in (1, 2, 3))


def test_free_indices_of_printed_tensors():
    from theory.papers.diagrams.cor34 import free_indices
    from theory.papers.diagrams.notation import DC, TRC
    assert free_indices(DC) == 1 and free_indices(TRC) == 0
    assert free_indices(sp.Symbol(r"H^{\mu}_{\nu}")) == 2 and free_indices(sp.Symbol(r"J_{\mu\mu\lambda}")) == 1
