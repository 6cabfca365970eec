"""Theorem 4 of `adai` and its lemmas: the exact expectations the searches use agree with each other and with Monte
Carlo; the analytic counterexample to Lemma 2; (84) in expectation (the corrected (85)-(87)). BoundCheck's options are
tested in test_bounds.py."""
from __future__ import annotations

import numpy as np

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

def test_84_in_expectation_is_an_equality_on_a_quadratic():
    """(82) is an equality on L = h theta^2 / 2, so E[L_{t+1} - L_t] equals (84)'s expectation with the noise kept
    (adai.eq87.corrected's bound), and differs from it by the dropped noise term when WG is replaced by W."""
    h, x0, eta, delta, steps = 2.0, 0.9, 0.1, 0.5, 5
    betas = cm.beta_schedule(4, 0.8, 0.37, steps + 1)
    E, _ = cm.quadratic_exact(h, x0, eta, betas, steps, delta)
    tt = steps - 1
    q = cm.q_weights(betas, tt + 1)
    ex = cm.expectations(E, tt, q)
    wg, w, en = ex[cm.WG.label.name], ex[cm.W.label.name], ex[cm.EN.label.name]
    cross = sum(q[k] * wg[k:tt, k].sum() for k in range(tt + 1))
    rhs = -eta * cross - eta * (q * en).sum() + h * eta**2 / 2 * ex[cm.S.name]
    assert np.isclose(ex[cm.DL.name], rhs, rtol=1e-10)
    dropped = sum(q[k] * w[k:tt, k].sum() for k in range(tt + 1))
    assert not np.isclose(cross, dropped, rtol=1e-3)
