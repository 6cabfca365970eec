"""Exact laws of linear-Gaussian dynamics: against closed forms, against the reference recursions, and against
Monte Carlo of the compiled kernels (the independent check).

Statistical comparisons are z-tests of second moments at false-alarm level 1e-6 each (two-sided), fewer
than 40 in this file; each is paired with a 10% error in the exact value that the same data must reject.
Discretization: Euler-Maruyama runs are Richardson-combined and kept fine enough that their O(h^2) bias is
below a tenth of the standard error (checked against the exact value of the discrete scheme itself).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from checks.dynamics import compiled as C
from checks.dynamics import exact_linear as X
from checks.dynamics import linear, momentum

Z = stats.norm.isf(1e-6 / 2)


def z_moments(samples: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """z-scores of the empirical second moments E[x_i x_j] (mean zero) against cov."""
    d = cov.shape[0]
    zs = []
    for i in range(d):
        for j in range(i, d):
            v = samples[:, i] * samples[:, j]
            zs.append((v.mean() - cov[i, j]) / (v.std(ddof=1) / math.sqrt(v.size)))
    return np.array(zs)


def assert_matches(samples, cov):
    assert np.all(np.abs(z_moments(samples, cov)) < Z), z_moments(samples, cov)
    assert np.any(np.abs(z_moments(samples, 1.1 * cov)) > Z)                  # a 10% error is seen


def test_expm_and_power_sum_against_direct_computation():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    w, V = np.linalg.eig(M)
    np.testing.assert_allclose(X.expm(M), (V * np.exp(w)) @ np.linalg.inv(V), rtol=1e-12, atol=1e-12)
    A, Q = 0.3 * rng.standard_normal((3, 3)), np.eye(3)
    Phi, S = X.power_sum(A, Q, 37)
    direct = sum(np.linalg.matrix_power(A, k) @ Q @ np.linalg.matrix_power(A, k).T for k in range(37))
    np.testing.assert_allclose(Phi, np.linalg.matrix_power(A, 37), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(S, direct, rtol=1e-12)


def test_discrete_sgd_matches_the_closed_form():
    """1-D SGD from 0: Var x_T = eta^2 |h| / B (1 - (1 - eta h)^(2T)) / (1 - (1 - eta h)^2), saddle included."""
    for h in (0.8, -0.5):
        eta, B, T = 0.05, 8.0, 300
        _, cov = X.sgd_quadratic([[h]], eta, B).moments(T)
        a = 1 - eta * h
        exact = eta ** 2 * abs(h) / B * (1 - a ** (2 * T)) / (1 - a ** 2)
        assert math.isclose(cov[0, 0], exact, rel_tol=1e-12)


def test_ou_matches_the_closed_form_stiff_and_unstable():
    for h, d, t in ((0.7, 0.3, 2.0), (-1.2, 0.3, 3.0), (300.0, 0.5, 50.0)):
        _, cov = X.ou_moments([[h]], [[d]], t)
        assert math.isclose(cov[0, 0], d / h * (1 - math.exp(-2 * h * t)), rel_tol=1e-11)
    K = X.phase_space_drift([0.5], M=1.0, gamma=50.0)             # stiff and not symmetric, t >> 1/gamma
    Dm = np.diag([0.0, 0.02])
    _, cov = X.ou_moments(K, Dm, 2000.0)
    # stationary law of SDE (7): theta ~ N(0, D/(gamma M h)) per unit mass, r ~ N(0, D/(gamma M^2))
    np.testing.assert_allclose(np.diag(cov), [0.02 / (50 * 0.5), 0.02 / 50], rtol=1e-9)


def test_ou_covariance_solves_the_lyapunov_equation():
    """d Sigma/dt = -K Sigma - Sigma K^T + 2D along the way (central differences)."""
    K = np.array([[0.0, -1.0], [0.8, 1.5]])
    D = np.diag([0.0, 0.3])
    t, h = 1.3, 1e-4
    _, S = X.ou_moments(K, D, t)
    dS = (X.ou_moments(K, D, t + h)[1] - X.ou_moments(K, D, t - h)[1]) / (2 * h)
    np.testing.assert_allclose(dS, -K @ S - S @ K.T + 2 * D, atol=1e-7)


@pytest.mark.parametrize("bias_correction", [False, True])
def test_heavy_ball_matches_the_reference_recursion(bias_correction):
    h, c, T, lr, b1 = np.array([0.6, -0.4]), np.array([0.6, 0.4]) / 16, 200, 0.05, 0.9
    for b3 in (1.0, 1 - b1):
        got = np.diag(X.heavy_ball_moments(np.diag(h), np.diag(c), lr, b1, b3, T, bias_correction))
        want = momentum.heavy_ball_exact_variance(h, c, T, lr, b1, b3, bias_correction)
        np.testing.assert_allclose(got, want, rtol=1e-10)


def test_exact_sgd_sampler_against_the_compiled_kernel():
    H, U = linear.rotated_hessian(np.array([0.5, -0.3, 1.2]), np.random.default_rng(3))
    eta, B, T, n = 0.05, 8.0, 60, 40_000
    chain = X.sgd_quadratic(H, eta, B)
    _, cov = chain.moments(T)
    mc = C.simulate(linear.sgd_on_quadratic(H, eta, B), n, (T,), np.random.SeedSequence(4)).records[0]
    assert_matches(mc, cov)
    exact = chain.sample((T,), n, np.random.default_rng(5))[0]
    assert_matches(exact, cov)


def test_joint_records_follow_the_markov_law():
    chain = X.sgd_quadratic(np.diag([0.5, -0.3]), 0.05, 4.0)
    x10, x50 = chain.sample((10, 50), 60_000, np.random.default_rng(6))
    Phi, _ = chain.transition(10, 50)
    cross = Phi @ chain.moments(10)[1]                             # Cov(x50, x10) = Phi Sigma_10
    for i in range(2):
        v = x50[:, i] * x10[:, i]
        assert abs(v.mean() - cross[i, i]) / (v.std() / math.sqrt(v.size)) < Z


def test_heavy_ball_exact_against_the_compiled_kernel():
    eigs, B, T, n = np.array([0.5, -0.3, 1.2]), 16.0, 80, 40_000
    (x,), _ = C.optimizer_on_saddle(C.heavy_ball(0.05, 0.9, 1.0), eigs, B, T, n, np.random.default_rng(7))
    cov = X.heavy_ball_moments(np.diag(eigs), np.diag(np.abs(eigs)) / B, 0.05, 0.9, 1.0, T)    # eigenbasis
    assert_matches(x, cov)


def test_ou_exact_against_richardson_euler():
    """The phase-space SDE (7), theta and r: exact covariance vs coupled Euler pairs, Richardson-combined."""
    K = X.phase_space_drift([0.8], M=0.5, gamma=2.0)
    Dm = np.diag([0.0, 0.1 / 0.5 ** 2])
    t, n, steps = 1.5, 100_000, 100
    _, cov = X.ou_moments(K, Dm, t)
    xc, xf, bad = C.euler_maruyama_pair(K, Dm, t, steps, n, np.random.SeedSequence(8))
    # the combined per-path values 2 f(fine) - f(coarse) estimate the moments with O(h^2) bias
    ses = []
    for i, j in ((0, 0), (0, 1), (1, 1)):
        v = 2 * xf[:, i] * xf[:, j] - xc[:, i] * xc[:, j]
        se = v.std() / math.sqrt(n)
        ses.append(se)
        assert abs(v.mean() - cov[i, j]) / se < Z
        assert abs(v.mean() - 1.1 * cov[i, j]) / se > Z
    assert not bad.any()
    # that bias is known exactly (the Euler schemes are linear chains too): below a tenth of the errors
    h = t / steps
    fine = X.euler_langevin(K, Dm, h / 2).moments(2 * steps)[1]
    coarse = X.euler_langevin(K, Dm, h).moments(steps)[1]
    bias = (2 * fine - coarse - cov)[[0, 0, 1], [0, 1, 1]]
    assert np.all(np.abs(bias) < 0.1 * np.array(ses))


def test_phase_space_sampler_matches_its_covariance():
    theta = X.phase_space_theta([0.5, -0.2], [0.1, 0.05], 1.0, 3.0, 2.0, 50_000, np.random.default_rng(9),
                                r0_var=[0.01, 0.02])
    cov = X.phase_space_moments([0.5, -0.2], [0.1, 0.05], 1.0, 3.0, 2.0, r0_var=[0.01, 0.02])[:2, :2]
    assert_matches(theta, cov)
