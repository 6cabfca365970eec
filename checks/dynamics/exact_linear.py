"""Exact laws of linear-Gaussian dynamics, sampled in one draw instead of simulated step by step.

Every model here is x' = A x + F z (discrete) or dx = -K x dt + (2D)^(1/2) dW (continuous) with Gaussian
z and W, so x at any step or time is Gaussian with mean Phi x0 and covariance
    discrete:    Sigma_n = sum_{k<n} A^k F F^T A^kT            (Phi = A^n)
    continuous:  Sigma(t) = int_0^t e^{-Ks} 2D e^{-K^T s} ds     (Phi = e^{-Kt}).
Both are computed by doubling, Sigma_{2m} = Sigma_m + Phi_m Sigma_m Phi_m^T, in O(d^3 log n): sums of
positive semidefinite terms, stable for stiff and for unstable (saddle) directions alike. The continuous one
starts from a short interval t/2^j computed by Van Loan's block exponential (where it is well conditioned).
Records at several steps are drawn jointly through the Markov property: x_{t2} = Phi x_{t1} + N(0, Sigma).

Models: SGD on a quadratic (``sgd_quadratic``), Langevin by Euler-Maruyama (``euler_langevin``), the OU
process (``ou_moments``), Momentum (Eq. (4) of `adai`, both beta3 conventions, with or without bias
correction; ``heavy_ball_moments``) and the phase-space SDE (7) of `adai` (``phase_space_moments``).
Imports numpy only.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def psd_sqrt(C: np.ndarray) -> np.ndarray:
    w, U = np.linalg.eigh((C + C.T) / 2)
    return (U * np.sqrt(np.clip(w, 0, None))) @ U.T


def abs_matrix(H: np.ndarray) -> np.ndarray:
    w, U = np.linalg.eigh(H)
    return (U * np.abs(w)) @ U.T


def expm(M: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring with a degree-20 Taylor polynomial (norm <= 1/8 after
    scaling: truncation below 1e-30 relative)."""
    M = np.asarray(M, dtype=float)
    norm = np.linalg.norm(M, 1)
    j = max(0, int(np.ceil(np.log2(norm / 0.125)))) if norm > 0 else 0
    X = M / 2.0 ** j
    out, term = np.eye(M.shape[0]), np.eye(M.shape[0])
    for k in range(1, 21):
        term = term @ X / k
        out = out + term
    for _ in range(j):
        out = out @ out
    return out


# --- doubling ---------------------------------------------------------------------------------------------------
def _compose(first, second):
    """(Phi, Sigma) of running ``first`` and then ``second``."""
    P1, S1 = first
    P2, S2 = second
    return P2 @ P1, S2 + P2 @ S1 @ P2.T


def power_sum(A: np.ndarray, Q: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(A^n, sum_{k<n} A^k Q A^kT): n steps of x' = A x + noise of covariance Q, by binary doubling."""
    A = np.atleast_2d(np.asarray(A, dtype=float))
    d = A.shape[0]
    result = (np.eye(d), np.zeros((d, d)))
    base = (A, np.atleast_2d(np.asarray(Q, dtype=float)))
    n = int(n)
    if n < 0:
        raise ValueError(f"power_sum: the number of steps must be >= 0, got {n}")
    while n:
        if n & 1:
            result = _compose(result, base)
        n >>= 1
        if n:
            base = _compose(base, base)
    return result[0], (result[1] + result[1].T) / 2


@dataclass(frozen=True)
class LinearChain:
    """x_t = A_t x_{t-1} + F_t z_t for t = 1, 2, ...; ``step(t)`` gives (A_t, F_t) for t <= varying_until,
    (A, F) are used after that (a constant tail, handled by doubling)."""

    A: np.ndarray
    F: np.ndarray
    step: Callable[[int], tuple[np.ndarray, np.ndarray]] | None = None
    varying_until: int = 0

    @property
    def dim(self) -> int:
        return np.atleast_2d(self.A).shape[0]

    def transition(self, t_from: int, t_to: int) -> tuple[np.ndarray, np.ndarray]:
        """(Phi, Sigma) with x_{t_to} = Phi x_{t_from} + N(0, Sigma)."""
        d = self.dim
        out = (np.eye(d), np.zeros((d, d)))
        t = int(t_from)
        while t < t_to and t < self.varying_until and self.step is not None:
            A, F = self.step(t + 1)
            out = _compose(out, (A, F @ F.T))
            t += 1
        if t < t_to:
            F = np.atleast_2d(self.F)
            out = _compose(out, power_sum(self.A, F @ F.T, t_to - t))
        return out[0], (out[1] + out[1].T) / 2

    def moments(self, T: int, x0=None, cov0=None) -> tuple[np.ndarray, np.ndarray]:
        """Mean and covariance of x_T from x_0 = x0 (default 0) with covariance cov0 (default 0)."""
        Phi, S = self.transition(0, T)
        d = self.dim
        mean = Phi @ (np.zeros(d) if x0 is None else np.asarray(x0, dtype=float))
        return mean, S + (0 if cov0 is None else Phi @ np.asarray(cov0, dtype=float) @ Phi.T)

    def sample(self, record, n_paths: int, rng: np.random.Generator, x0=None) -> list[np.ndarray]:
        """Exact joint draws of x at the recorded steps: a list of (n_paths, d) arrays."""
        return _markov_sample(self.transition, record, n_paths, rng, x0, self.dim)


def _markov_sample(transition, record, n_paths, rng, x0, d) -> list[np.ndarray]:
    times = sorted(set(record))
    if not times or times[0] < 0:
        raise ValueError(f"record times must be non-negative and not empty, got {record!r}")
    x = np.zeros((n_paths, d)) if x0 is None else np.array(np.broadcast_to(x0, (n_paths, d)), dtype=float)
    out, now = [], 0
    for t in times:
        if t > now:
            Phi, S = transition(now, t)
            x = x @ Phi.T + rng.standard_normal((n_paths, d)) @ psd_sqrt(S)
            now = t
        out.append(x.copy())
    return out


# --- the models -------------------------------------------------------------------------------------------------
def sgd_quadratic(H, eta: float, B: float) -> LinearChain:
    """SGD on theta^T H theta / 2 with gradient noise N(0, [H]^+ / B): A = I - eta H, F = eta ([H]^+/B)^(1/2)."""
    H = np.atleast_2d(np.asarray(H, dtype=float))
    return LinearChain(np.eye(H.shape[0]) - eta * H, eta * psd_sqrt(abs_matrix(H) / B))


def euler_langevin(H, D, h: float) -> LinearChain:
    """Euler-Maruyama with step h of dx = -H x dt + (2D)^(1/2) dW: A = I - h H, F = (2 D h)^(1/2)."""
    H = np.atleast_2d(np.asarray(H, dtype=float))
    return LinearChain(np.eye(H.shape[0]) - h * H, psd_sqrt(2 * np.atleast_2d(D) * h))


def heavy_ball(H, C, lr: float, beta1: float, beta3: float, bias_correction: bool = False) -> LinearChain:
    """Momentum (4) on theta^T H theta / 2 with gradient noise N(0, C), state (theta, m):
        m_t = beta1 m_{t-1} + beta3 (H theta_t + xi_t),   theta_{t+1} = theta_t - k_t m_t,
    k_t = lr, or lr / (1 - beta1^t) with bias correction (time-varying until 1 - beta1^t rounds to 1)."""
    H = np.atleast_2d(np.asarray(H, dtype=float))
    d = H.shape[0]
    S, eye = psd_sqrt(np.atleast_2d(np.asarray(C, dtype=float))), np.eye(d)

    def step(t):
        k = lr / (1 - beta1 ** t) if bias_correction else lr
        A = np.block([[eye - k * beta3 * H, -k * beta1 * eye], [beta3 * H, beta1 * eye]])
        return A, np.vstack([-k * beta3 * S, beta3 * S])

    until = 0
    if bias_correction:
        while 1 - beta1 ** (until + 1) != 1.0:
            until += 1
    A, F = step(until + 1)
    return LinearChain(A, F, step, until)


def heavy_ball_moments(H, C, lr, beta1, beta3, T: int, bias_correction: bool = False, m0_cov=None) -> np.ndarray:
    """Covariance of theta_T (from theta = 0, m_0 ~ N(0, m0_cov)) of ``heavy_ball``."""
    chain = heavy_ball(H, C, lr, beta1, beta3, bias_correction)
    d = chain.dim // 2
    cov0 = np.zeros((2 * d, 2 * d))
    if m0_cov is not None:
        cov0[d:, d:] = np.atleast_2d(m0_cov)
    return chain.moments(T, cov0=cov0)[1][:d, :d]


def ou_transition(K, D, t: float) -> tuple[np.ndarray, np.ndarray]:
    """(e^{-Kt}, int_0^t e^{-Ks} 2D e^{-K^T s} ds) for dx = -K x dt + (2D)^(1/2) dW (K need not be symmetric)."""
    K = np.atleast_2d(np.asarray(K, dtype=float))
    Q = 2 * np.atleast_2d(np.asarray(D, dtype=float))
    d = K.shape[0]
    if t < 0:
        raise ValueError(f"ou_transition: t must be >= 0, got {t}")
    if t == 0:
        return np.eye(d), np.zeros((d, d))
    scale = max(np.linalg.norm(K, 1), np.linalg.norm(Q, 1)) * t
    j = max(0, int(np.ceil(np.log2(scale / 0.25)))) if scale > 0 else 0
    tau = t / 2.0 ** j
    E = expm(np.block([[-K, Q], [np.zeros((d, d)), K.T]]) * tau)     # Van Loan, on the short interval
    Phi = E[:d, :d]
    out = (Phi, E[:d, d:] @ Phi.T)
    for _ in range(j):
        out = _compose(out, out)
    return out[0], (out[1] + out[1].T) / 2


def ou_moments(K, D, t: float, x0=None, cov0=None) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of x(t) for dx = -K x dt + (2D)^(1/2) dW from x(0) ~ N(x0, cov0)."""
    Phi, S = ou_transition(K, D, t)
    mean = Phi @ (np.zeros(Phi.shape[0]) if x0 is None else np.asarray(x0, dtype=float))
    return mean, S + (0 if cov0 is None else Phi @ np.asarray(cov0, dtype=float) @ Phi.T)


def sample_ou(K, D, times, n_paths: int, rng: np.random.Generator, x0=None) -> list[np.ndarray]:
    """Exact joint draws of x at the given times (a list of (n_paths, d) arrays); x0 may be per path."""
    d = np.atleast_2d(K).shape[0]
    return _markov_sample(lambda a, b: ou_transition(K, D, b - a), times, n_paths, rng, x0, d)


def phase_space_drift(h, M: float, gamma: float) -> np.ndarray:
    """K of SDE (7) in (theta, r) along eigen-directions h: d theta = r dt, dr = (-gamma r - h theta/M) dt + ..."""
    h = np.atleast_1d(np.asarray(h, dtype=float))
    d = h.size
    K = np.zeros((2 * d, 2 * d))
    K[:d, d:] = -np.eye(d)
    K[d:, :d] = np.diag(h / M)
    K[d:, d:] = gamma * np.eye(d)
    return K


def phase_space_moments(h, d_eigs, M: float, gamma: float, t: float, r0_var=0.0) -> np.ndarray:
    """Covariance of (theta, r)(t) of SDE (7) (noise (2D)^(1/2)/M dW on r) from theta = 0, r(0) ~ N(0, r0_var)."""
    h = np.atleast_1d(np.asarray(h, dtype=float))
    d = h.size
    Dm = np.zeros((2 * d, 2 * d))
    Dm[d:, d:] = np.diag(np.broadcast_to(np.asarray(d_eigs, dtype=float), (d,)) / M ** 2)
    cov0 = np.zeros((2 * d, 2 * d))
    cov0[d:, d:] = np.diag(np.broadcast_to(np.asarray(r0_var, dtype=float), (d,)))
    return ou_moments(phase_space_drift(h, M, gamma), Dm, t, cov0=cov0)[1]


def phase_space_theta(h, d_eigs, M: float, gamma: float, t: float, n_paths: int, rng: np.random.Generator,
                      r0_var=0.0) -> np.ndarray:
    """theta(t) of SDE (7) per path, drawn exactly (one draw per path)."""
    h = np.atleast_1d(np.asarray(h, dtype=float))
    cov = phase_space_moments(h, d_eigs, M, gamma, t, r0_var)
    z = rng.standard_normal((n_paths, cov.shape[0]))
    return (z @ psd_sqrt(cov))[:, :h.size]
