"""Mean exit times of discrete 1-D chains by quadrature, at any barrier height.

The chain x' = mu(x) + s z (z standard normal), e.g. SGD x' = x - eta L'(x) + eta C^(1/2) z, leaves the
interval (a, b) at step N. Its mean m(x) = E_x N solves the first-passage integral equation

    m(x) = 1 + int_a^b p(x, y) m(y) dy,        p(x, y) = exp(-(y - mu(x))^2 / (2 s^2)) / (s (2 pi)^(1/2)),

solved here by Nystrom's method: composite Gauss-Legendre nodes (panels no wider than ``panel`` x s), each
row of the kernel rescaled so that it keeps exactly the probability of staying, 1 - e(x) with e(x) from
erfc (so killing is never lost to quadrature error), and the banded system (I - P) m = 1 eliminated by the
Grassmann-Taksar-Heyman variant of Gaussian elimination: pivots are formed from exit masses and
off-diagonal sums, never by subtraction, so the answer keeps its relative accuracy however close to
singular I - P is (mean exit times of 1e12 steps and more). Cost: n x bandwidth^2 for n nodes, about
7 (b - a)/s nodes; independent of the barrier height, where Monte Carlo grows like exp(DeltaL/T).
numpy only (the elimination is vectorized over the band).

``overdamped_mean_exit`` is the continuous-time reference: the exact mean exit time of
dX = -L'(X) dt + (2T)^(1/2) dW from (a, b), to which the chain tends as eta -> 0 (with T = eta C / 2 and
t = eta x steps).
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

GL_ORDER = 10
PANEL = 1.5                      # panel width in units of s: 10-point Gauss-Legendre is exact to ~1e-15 there
BAND_SIGMAS = 9.0                # kernel entries beyond 9 s are below 3e-18 of the peak: dropped
MAX_NODES = 400_000


def _erfc(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.frompyfunc(math.erfc, 1, 1)(x).astype(float)


def exit_probability(mu, s: float, a: float, b: float) -> np.ndarray:
    """P(x' outside (a, b)) for x' ~ N(mu, s^2), accurate when tiny (erfc, no 1 - ... cancellation)."""
    mu = np.asarray(mu, dtype=float)
    return 0.5 * _erfc((mu - a) / (s * math.sqrt(2))) + 0.5 * _erfc((b - mu) / (s * math.sqrt(2)))


def nodes(a: float, b: float, s: float, panel: float = PANEL, order: int = GL_ORDER):
    """Composite Gauss-Legendre nodes and weights on [a, b], panels no wider than panel x s."""
    n_panels = max(1, int(math.ceil((b - a) / (panel * s))))
    if n_panels * order > MAX_NODES:
        raise ValueError(f"first passage: {n_panels * order} nodes needed (interval {b - a:g} over noise {s:g}); "
                         f"more than {MAX_NODES}")
    t, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, n_panels + 1)
    half = np.diff(edges)[:, None] / 2
    return (edges[:-1, None] + half * (t[None, :] + 1)).ravel(), (half * w[None, :]).ravel()


def _band(y, w, mu, s, stay):
    """-P in band storage W[i, j - i + p], rows rescaled to sum to stay_i; returns (W, p, q)."""
    n = y.size
    lo = np.searchsorted(y, mu - BAND_SIGMAS * s)
    hi = np.maximum(np.searchsorted(y, mu + BAND_SIGMAS * s), lo + 1)
    lo = np.minimum(lo, n - 1)
    idx = np.arange(n)
    p, q = int(max(0, (idx - lo).max())), int(max(0, (hi - 1 - idx).max()))
    cols = idx[:, None] + np.arange(-p, q + 1)[None, :]
    inside = (cols >= lo[:, None]) & (cols < hi[:, None])
    c = np.clip(cols, 0, n - 1)
    u = (y[c] - mu[:, None]) / s
    W = np.where(inside, w[c] * np.exp(-0.5 * u * u), 0.0)
    tot = W.sum(axis=1)
    W *= -np.divide(stay, tot, out=np.zeros(n), where=tot > 0)[:, None]
    return W, p, q


def _gth_solve(W, p, q, e):
    """Solve (I - P) m = 1 given -P in band storage and the exit masses e = row sums of I - P.
    Grassmann-Taksar-Heyman: every pivot is e_k plus off-diagonal mass, every update adds terms of one
    sign, so no digits are lost to cancellation. The diagonal of W is never read."""
    n = W.shape[0]
    r, rhs = np.array(e, dtype=float), np.ones(n)
    di = np.arange(1, p + 1)[:, None]
    dj = np.arange(1, q + 1)[None, :]
    shear = dj - di + p                                   # column of (k + di, k + dj) in row k + di
    piv = np.empty(n)
    for k in range(n):
        nq, npv = min(q, n - 1 - k), min(p, n - 1 - k)
        upper = W[k, p + 1:p + 1 + nq]
        piv[k] = r[k] - upper.sum()
        if npv == 0:
            continue
        rows = k + 1 + np.arange(npv)
        ell = W[rows, p - 1 - np.arange(npv)] / piv[k]     # A_ik / pivot (<= 0)
        if nq:
            W[rows[:, None], shear[:npv, :nq]] -= ell[:, None] * upper[None, :]
        r[rows] -= ell * r[k]
        rhs[rows] -= ell * rhs[k]
    m = np.empty(n)
    for k in range(n - 1, -1, -1):
        nq = min(q, n - 1 - k)
        m[k] = (rhs[k] - W[k, p + 1:p + 1 + nq] @ m[k + 1:k + 1 + nq]) / piv[k]
    return m


def mean_exit_steps(drift_map: Callable[[np.ndarray], np.ndarray], s: float, a: float, b: float, x0,
                    panel: float = PANEL, order: int = GL_ORDER):
    """E_x0 N for the chain x' = drift_map(x) + s z absorbed when x' leaves (a, b): the number of steps up to
    and including the one that leaves. x0 may be an array."""
    if not (a < b and s > 0):
        raise ValueError(f"first passage: need a < b and s > 0, got a={a}, b={b}, s={s}")
    y, w = nodes(a, b, s, panel, order)
    mu = np.asarray(drift_map(y), dtype=float)
    if not np.all(np.isfinite(mu)):
        raise ValueError("first passage: the drift map is not finite on the interval")
    e = exit_probability(mu, s, a, b)
    W, p, q = _band(y, w, mu, s, 1.0 - e)
    m = _gth_solve(W, p, q, e)
    x0 = np.asarray(x0, dtype=float)
    mu0 = np.asarray(drift_map(np.atleast_1d(x0)), dtype=float)
    u = (y[None, :] - mu0[:, None]) / s
    k = w[None, :] * np.exp(-0.5 * u * u)
    tot = k.sum(axis=1)
    stay0 = 1.0 - exit_probability(mu0, s, a, b)
    out = 1.0 + stay0 * np.divide(k @ m, tot, out=np.zeros_like(tot), where=tot > 0)
    return float(out[0]) if x0.ndim == 0 else out


def sgd_mean_exit_steps(gradient: Callable[[np.ndarray], np.ndarray], eta: float, C: float, a: float, b: float,
                        x0, **kw):
    """Mean exit steps of SGD x' = x - eta L'(x) + eta C^(1/2) z from (a, b) (L' = ``gradient``)."""
    return mean_exit_steps(lambda x: x - eta * gradient(x), eta * math.sqrt(C), a, b, x0, **kw)


# --- the continuous-time reference ------------------------------------------------------------------------------
def _overdamped_on_grid(potential, T, a, b, n):
    y = np.linspace(a, b, n)
    U = np.asarray(potential(y), dtype=float) / T
    U = U - U.max()
    psi, inv = np.exp(U), np.exp(-U) / T
    h = y[1] - y[0]
    cum = lambda f: np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) * h / 2)])
    S = cum(psi)
    inner = cum(psi * cum(inv))
    return y, inner[-1] / S[-1] * S - inner


def overdamped_mean_exit(potential: Callable[[np.ndarray], np.ndarray], T: float, a: float, b: float, x0,
                         n_grid: int = 20_001) -> float:
    """Mean exit time from (a, b), both ends absorbing, of dX = -L'(X) dt + (2T)^(1/2) dW from x0:
    tau = (I(b)/S(b)) S(x0) - I(x0) with S = int_a psi, I = int_a psi(y) int_a^y dz/(T psi(z)) dy,
    psi = exp(L/T) (in shifted, overflow-free form); trapezoid on two grids, Richardson-combined."""
    if not (a < x0 < b and T > 0):
        raise ValueError(f"overdamped_mean_exit: need a < x0 < b and T > 0, got a={a}, x0={x0}, b={b}, T={T}")
    coarse = np.interp(x0, *_overdamped_on_grid(potential, T, a, b, n_grid))
    fine = np.interp(x0, *_overdamped_on_grid(potential, T, a, b, 2 * n_grid - 1))
    return float((4 * fine - coarse) / 3)
