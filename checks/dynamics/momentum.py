"""Momentum-family dynamics near a critical point: discrete optimizers on a quadratic saddle with
Gaussian gradient noise, their exact second moments, and the phase-space SDE (7) of the `adai` paper.

Gradient model (the paper's Eq. (3) and Assumption 1): g = H theta + xi with xi ~ N(0, [H]^+ / B).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .linear import abs_matrix, euler_maruyama_pair, psd_sqrt, rotated_hessian, second_moments
from .loop import OptimizerStep, run
from .optimizers import Optimizer
from .sample import Sample


def heavy_ball_exact_variance(h, c, T: int, lr, beta1, beta3, bias_correction: bool = False, m0_var=0.0):
    """Exact Var[theta_{T+1} - theta_1] of the 1-D linear recursion
        g_t = h theta_t + xi_t (Var xi = c), m_t = beta1 m_{t-1} + beta3 g_t, theta_{t+1} = theta_t - k_t m_t,
    with k_t = lr, or lr / (1 - beta1^t) with bias correction. Arguments broadcast (arrays of
    eigen-directions). Iterates the 2x2 covariance of (theta, m): no sampling, no truncation.
    """
    h, c, lr, beta1, beta3 = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (h, c, lr, beta1, beta3)))
    s_tt, s_tm, s_mm = np.zeros(h.shape), np.zeros(h.shape), np.full(h.shape, float(m0_var))
    for t in range(1, int(T) + 1):
        k = lr / (1 - beta1 ** t) if bias_correction else lr
        # theta' = (1 - k beta3 h) theta - k beta1 m - k beta3 xi;  m' = beta3 h theta + beta1 m + beta3 xi
        a11, a12, n1 = 1 - k * beta3 * h, -k * beta1, -k * beta3
        a21, a22, n2 = beta3 * h, beta1, beta3
        s_tt, s_tm, s_mm = (a11 * a11 * s_tt + 2 * a11 * a12 * s_tm + a12 * a12 * s_mm + n1 * n1 * c,
                            a11 * a21 * s_tt + (a11 * a22 + a12 * a21) * s_tm + a12 * a22 * s_mm + n1 * n2 * c,
                            a21 * a21 * s_tt + 2 * a21 * a22 * s_tm + a22 * a22 * s_mm + n2 * n2 * c)
    return s_tt


def optimizer_on_saddle(make: Callable[[np.ndarray], Optimizer], eigs, B: float, T: int, n_paths: int,
                        rng: np.random.Generator, record: tuple[int, ...] | None = None, rotate: bool = True):
    """Run n_paths copies of an optimizer from theta = 0 on L = theta^T H theta / 2 with gradient noise
    N(0, [H]^+ / B); H = U diag(eigs) U^T with a Haar-random U (or U = I). ``make(C)`` builds the
    optimizer given the noise covariance C (the idealized Adam needs it).

    Returns (positions in H's eigenbasis at each recorded step, diverged mask over paths).
    """
    eigs = np.asarray(eigs, dtype=float)
    d = eigs.size
    if rotate:
        H, U = rotated_hessian(eigs, rng)
    else:
        H, U = np.diag(eigs), np.eye(d)
    C = abs_matrix(H) / B
    F = psd_sqrt(C).T
    opt = make(C)
    record = (int(T),) if record is None else tuple(sorted(set(int(s) for s in record)))

    def gradient(x, rng):          # g = H theta + xi, xi ~ N(0, [H]^+/B)
        return x @ H + rng.standard_normal(x.shape) @ F

    traj = run(OptimizerStep(opt, gradient), np.zeros(d), record[-1], rng, n_paths=n_paths, save=record)
    return [traj.saved[s] @ U for s in record], traj.diverged


def optimizer_second_moments(make, eigs, B, T, n_paths, rng, exact=None, rotate=True) -> Sample:
    """Per-path squared displacement along each eigenvector (and cross products) after T steps."""
    (p,), bad = optimizer_on_saddle(make, eigs, B, T, n_paths, rng, rotate=rotate)
    values, labels = second_moments(p)
    info = {}
    if exact is not None:
        ex = np.asarray(exact, dtype=float)
        info["exact"] = np.concatenate([ex, np.zeros(len(labels) - ex.size)])
    return Sample(values, labels, float(bad.mean()), info)


def phase_space_drift(h, M: float, gamma: float) -> np.ndarray:
    """Minus the drift matrix of (theta, r) for SDE (7) along eigen-directions h:
    d theta = r dt, dr = (-gamma r - h theta / M) dt + (2D)^(1/2) / M dW."""
    h = np.atleast_1d(np.asarray(h, dtype=float))
    d = h.size
    K = np.zeros((2 * d, 2 * d))
    K[:d, d:] = -np.eye(d)
    K[d:, :d] = np.diag(h / M)
    K[d:, d:] = gamma * np.eye(d)
    return K


def phase_space_msd(h, d_eigs, M: float, gamma: float, t: float, n_paths: int, rng: np.random.Generator,
                    r0_var=0.0, n_coarse: int = 400) -> Sample:
    """Squared displacement theta_i(t)^2 of SDE (7) along eigen-directions h_i from theta = 0 and
    r(0) ~ N(0, r0_var_i): two coupled Euler-Maruyama runs (steps t/n and t/2n), Richardson-combined;
    the fine run's discretization bias is reported in info."""
    h = np.atleast_1d(np.asarray(h, dtype=float))
    d = h.size
    K = phase_space_drift(h, M, gamma)
    Dm = np.zeros((2 * d, 2 * d))
    Dm[d:, d:] = np.diag(np.asarray(d_eigs, dtype=float) / M ** 2)
    x0 = np.zeros((n_paths, 2 * d))
    x0[:, d:] = rng.standard_normal((n_paths, d)) * np.sqrt(np.broadcast_to(r0_var, (d,)))
    xc, xf, bad = euler_maruyama_pair(K, Dm, t, n_coarse, n_paths, rng, x0=x0)
    fc, ff = xc[:, :d] ** 2, xf[:, :d] ** 2
    values = 2 * ff - fc
    labels = [f"<theta{i + 1}^2>" for i in range(d)]
    return Sample(values, labels, float(bad.mean()), {"discretization_bias": ff.mean(axis=0) - values.mean(axis=0)})
