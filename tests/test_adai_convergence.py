"""Theorem 4 of `adai` and its lemmas: the exact expectations the searches use agree with each other and with Monte
Carlo; the analytic counterexample to Lemma 2; BoundCheck's extensions (derived constants, min of expectations,
normalised gap, narrowed box, local polish, replayed self-test)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks.base import RunContext
from checks.bounds import BoundCheck
from checks.dynamics.sample import Sample
from checks.result import FAIL, PASS
from theory.model import Claim, Param, Regime
from theory.papers.adai import convergence_models as cm


def test_the_three_exact_modes_agree_with_each_other_and_with_monte_carlo():
    h, x0, eta, delta, steps = 3.0, 0.7, 0.05, 0.4, 6
    betas = cm.beta_schedule(4, 0.8, 0.37, steps + 1)
    lin, reach = cm.quadratic_exact(h, x0, eta, betas, steps, delta)
    huber = cm.Loss((cm.Loss1D(2, h, reach, 0.5),))
    enum = cm.two_point_exact(huber, [x0], eta, betas, steps, delta)
    q = cm.q_weights(betas, steps)
    a, b = cm.expectations(lin, steps - 1, q), cm.expectations(enum, steps - 1, q)
    for key in (cm.DL.name, cm.S.name):
        assert np.isclose(a[key], b[key], rtol=1e-10)
    assert np.allclose(a[cm.EN.label.name], b[cm.EN.label.name], rtol=1e-10)
    thetas, _ = cm.run_eq74(huber, [x0], eta, betas, steps, noise=1, delta=delta, n_paths=200_000,
                            rng=np.random.default_rng(5))
    gsq = (huber.grad(thetas)[..., 0] ** 2).mean(axis=1)
    se = (huber.grad(thetas)[..., 0] ** 2).std(axis=1) / np.sqrt(200_000)
    # Gaussian noise has the same second moments as two-point noise
    assert np.all(np.abs(gsq - lin.mean_sq(lin.grad)) < 6 * se + 1e-12)


def test_the_weights_telescope():
    betas = np.array([0.3, 0.9, 0.5, 0.7])
    assert np.isclose(cm.q_weights(betas, 4).sum(), 1 - betas.prod())


def test_lemma2_fails_at_t1_from_the_minimum_as_derived_by_hand():
    """theta_0 = 0 on L = h theta^2 / 2, noise +-delta, beta constant: E[L_2 - L_1] - (Lemma 2's bound)
    = a^2 delta^2 h beta (1 - (1 - beta) h / 2) with a = eta (1 - beta) (the noise the proof drops at (86))."""
    h, eta, beta, delta = 1.0, 0.1, 0.5, 0.3
    E, _ = cm.quadratic_exact(h, 0.0, eta, np.full(3, beta), 2, delta)
    q = cm.q_weights(np.full(3, beta), 2)
    ex = cm.expectations(E, 1, q)
    en, dg = ex[cm.EN.label.name], ex[cm.DG.label.name]
    rhs = 0.5 * q[0] * dg[0] + sum(q[k] * ((1 - k) / 2 * eta ** 2 - eta) * en[k] for k in range(2)) \
        + h * eta ** 2 / 2 * ex[cm.S.name]
    a = eta * (1 - beta)
    assert np.isclose(ex[cm.DL.name] - rhs, a * a * delta * delta * h * beta * (1 - (1 - beta) * h / 2))

# --- BoundCheck's extensions -------------------------------------------------------------------------------------
u = sp.Symbol("u", positive=True)
G = sp.Symbol("G", positive=True)
Q = sp.Symbol("Q", real=True)


def _run(statement, check, regime):
    c = Claim(id="test.convergence1", statement=statement, regime=regime, about="algebra", checks=[check])
    return check.run(c, RunContext())


def test_derived_constants_enter_the_bound_and_a_tightened_bound_is_rejected():
    """Q = u e^{-u} against the derived G = 1/e: tight at u = 1; the replayed self-test rejects 0.9 x worst."""
    check = BoundCheck("derived", derive=lambda p: {"G": float(np.exp(-1)), "Q": p["u"] * np.exp(-p["u"])},
                       derived=[G, Q], polish=40, self_test="replay")
    r = _run(sp.Le(Q, G, evaluate=False), check, Regime((Param(u, 0.01, 10.0, log=True),)))
    assert r.status == PASS and r.details["worst_ratio"] > 0.999 and r.details["self_test"][0]["rejected"]
    assert r.details["budget"]["polish_evaluations"] > 0


def test_a_minimum_of_expectations_is_violated_only_when_every_one_exceeds_the_bound():
    """min(E X1, E X2) with X1 ~ N(mu, 1), X2 ~ N(mu + 1, 1) against mu + 0.5: the minimum is mu < bound,
    although X2's mean exceeds it; against mu - 0.05 both exceed it and the check must fail."""
    def simulate(point, n, rng):
        return Sample(point["mu"] + np.array([0.0, 1.0]) + rng.standard_normal((n, 2)), ["X1", "X2"])

    mu = sp.Symbol("mu", real=True)
    regime = Regime((Param(mu, 1.0, 2.0),))
    kw = {"simulate": simulate, "reduce": "min", "n_paths": 400, "refine_paths": 20_000, "hypothesis_examples": 10,
          "self_test": "replay"}
    holds = _run(sp.Le(Q, mu + sp.Rational(1, 2), evaluate=False), BoundCheck("min holds", **kw), regime)
    assert holds.status != FAIL
    broken = _run(sp.Le(Q, mu - sp.Rational(1, 20), evaluate=False), BoundCheck("min broken", **kw), regime)
    assert broken.status == FAIL and broken.counterexample["z"] > 5


def test_a_sign_changing_bound_is_measured_by_its_normalised_gap_in_a_narrowed_box():
    """sin(u) <= sin(u) + 0.1 (u - 1)^2 changes sign; with scale |lhs| + |rhs| the worst gap is 0 (at u = 1), and the
    box narrowed to [2, 3] must keep the search away from u = 1."""
    st = sp.Le(sp.sin(u), sp.sin(u) + (u - 1) ** 2 / 10, evaluate=False)
    scale = lambda v: abs(np.sin(v["u"])) + abs(np.sin(v["u"]) + (v["u"] - 1) ** 2 / 10)   # noqa: E731
    r = _run(st, BoundCheck("gap", scale=scale, polish=30, self_test="replay"), Regime((Param(u, 0.1, 3.0),)))
    assert r.status == PASS and r.details["worst_ratio"] > 0.99
    n = _run(st, BoundCheck("narrow", scale=scale, narrow={"u": (2.0, 3.0)}, self_test="replay"),
             Regime((Param(u, 0.1, 3.0),)))
    assert 2.0 <= n.details["worst_point"]["u"] <= 3.0 and n.details["worst_ratio"] < 0.99
