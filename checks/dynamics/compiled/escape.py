"""Compiled first-exit times of SGD, Momentum, Adam, Adai and AMSGrad on 1-D potentials, with Gaussian or
symmetric alpha-stable gradient noise: g = L'(theta) + sigma xi.

The paths of a block run in lockstep (loops over the live paths, which vectorize): draw, gradient, update
and exit test each step; a path is removed the moment it leaves the interval (lo, hi), so exited paths
cost nothing. Potentials are a small set of compiled gradients
(``Potential``): the cosine valley DeltaL (1 - cos(pi theta))/2, the quartic double well
DeltaL (theta^2 - 1)^2, a quadratic basin h theta^2/2 and min(theta^2, a (theta - 1)^2) (the `levy-rebuttal`
example). The plain-numpy reference is ``checks.dynamics.escape.escape_times``.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from .. import jit
from ..jit import njit, prange
from ..rng import normal, sinpi, stable
from ._common import BLOCK, BLOWUP, EscapeTimes, as_generator, streams
from .optimizers import initial_state, spec_of, to_reference, update

QUADRATIC, COSINE, DOUBLE_WELL, MIN_QUADRATICS = range(4)
GAUSSIAN, STABLE = 0, 1


@dataclass(frozen=True)
class Potential:
    """A 1-D loss with a compiled gradient: its kind and coefficient p0 (see ``gradient``)."""

    kind: int
    p0: float
    label: str = ""

    def gradient(self, x):
        """L'(x), the same expression (same operations, same order) as the compiled one."""
        x = np.asarray(x, dtype=float)
        if self.kind == QUADRATIC:
            return self.p0 * x
        if self.kind == COSINE:
            return self.p0 * np.sin(np.pi * x)          # the kernel's sin(pi x) is a polynomial: equal to ~1e-15
        if self.kind == DOUBLE_WELL:
            return self.p0 * x * (x * x - 1)
        return np.where(x * x <= self.p0 * (x - 1) * (x - 1), 2 * x, 2 * self.p0 * (x - 1))


def quadratic(h: float) -> Potential:
    """L = h theta^2 / 2."""
    return Potential(QUADRATIC, float(h), f"quadratic h={h:g}")


def cosine_valley(delta_l: float) -> Potential:
    """L = DeltaL (1 - cos(pi theta)) / 2: minimum 0, saddles at +-1, curvature pi^2 DeltaL / 2 at both."""
    return Potential(COSINE, delta_l * math.pi / 2, f"cosine valley DeltaL={delta_l:g}")


def double_well(delta_l: float) -> Potential:
    """L = DeltaL (theta^2 - 1)^2: minima at +-1, barrier DeltaL at 0."""
    return Potential(DOUBLE_WELL, 4 * delta_l, f"double well DeltaL={delta_l:g}")


def min_quadratics(a: float) -> Potential:
    """L = min(theta^2, a (theta - 1)^2): a basin of curvature 2a at theta = 1 (`levy-rebuttal`, Example 1)."""
    return Potential(MIN_QUADRATICS, float(a), f"min(x^2, {a:g}(x-1)^2)")


@njit
def _noisy_gradient(kind, p0, sigma, X, Z, G, nq):
    """G = L'(X) + sigma Z over the live paths; one loop per potential, so each loop vectorizes."""
    if kind == QUADRATIC:
        for q in range(nq):
            G[0, q] = p0 * X[0, q] + sigma * Z[q]
    elif kind == COSINE:
        for q in range(nq):
            G[0, q] = p0 * sinpi(X[0, q]) + sigma * Z[q]
    elif kind == DOUBLE_WELL:
        for q in range(nq):
            x = X[0, q]
            G[0, q] = p0 * x * (x * x - 1) + sigma * Z[q]
    else:
        for q in range(nq):
            x = X[0, q]
            G[0, q] = (2 * x if x * x <= p0 * (x - 1) * (x - 1) else 2 * p0 * (x - 1)) + sigma * Z[q]


@njit(parallel=True)
def _escape_kernel(kind, hp, flags, c1, c2, P, pot, p0, noise, sigma, alpha, x0, lo, hi, max_steps,
                   states, block, steps_out, censored, diverged, work):
    """The block's live paths run in lockstep: per step each draws its noise from the block's stream (in
    the order of the live paths, as the reference draws for its live rows), then gradient, update and exit
    test run as loops over the live paths; paths that exit are removed at once (order kept), so they cost
    nothing and the draws stay those of the reference fed the same stream."""
    n = x0.size
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        first = b * block
        nq = min(n, first + block) - first
        X, Z = np.empty((1, nq)), np.empty(nq)
        G, M, V, W, D = np.empty((1, nq)), np.empty((1, nq)), np.empty((1, nq)), np.empty((1, nq)), np.empty((1, nq))
        VB = np.empty(nq)
        ids = np.empty(nq, dtype=np.int64)
        state = np.zeros(nq, dtype=np.int8)                 # 0 running, 1 exited, 2 diverged (by live slot)
        for q in range(nq):
            X[0, q] = x0[first + q]
            ids[q] = first + q
            steps_out[first + q] = max_steps
            censored[first + q] = True
            diverged[first + q] = False
        initial_state(kind, M, V, W)
        live, t, done = nq, 0, 0
        while live > 0 and t < max_steps:
            t += 1
            done += live
            if noise == GAUSSIAN:
                for q in range(live):
                    Z[q], s = normal(s)
            else:
                for q in range(live):
                    Z[q], s = stable(s, alpha)
            _noisy_gradient(pot, p0, sigma, X, Z, G, live)
            update(kind, hp, flags, c1, c2, P, t, G, M, V, W, D, VB, live)
            leaving = 0
            for q in range(live):
                x = X[0, q] + D[0, q]
                X[0, q] = x
                out = not (lo < x < hi)
                state[q] = (1 if abs(x) <= BLOWUP else 2) if out else 0
                leaving += out
            if leaving:
                keep = 0
                for q in range(live):
                    if state[q] == 0:
                        X[0, keep], M[0, keep], V[0, keep], W[0, keep] = X[0, q], M[0, q], V[0, q], W[0, q]
                        ids[keep] = ids[q]
                        keep += 1
                    else:
                        p = ids[q]
                        censored[p] = state[q] == 2                 # no exit observed (as escape.EscapeTimes)
                        diverged[p] = state[q] == 2
                        if state[q] == 1:
                            steps_out[p] = t
                live = keep
        work[b] = done


def escape_times(opt, potential: Potential, x0, interval, sigma: float, n_paths: int, max_steps: int, seed,
                 noise: str = "gaussian", alpha: float = 2.0, block: int = BLOCK) -> EscapeTimes:
    """First exit of n_paths runs of ``opt`` (an optimizer of checks.dynamics.optimizers or an OptimizerSpec)
    from x0 out of the open interval (lo, hi), with stochastic gradients L'(theta) + sigma xi: xi standard
    normal (noise="gaussian") or standard symmetric alpha-stable, E exp(i t xi) = exp(-|t|^alpha)
    (noise="stable"). Exit step per path, censored at max_steps, divergence flagged, and the work done."""
    lo, hi = (float(v) for v in interval)
    x0 = np.ascontiguousarray(np.broadcast_to(np.asarray(x0, dtype=float).ravel(), (n_paths,)))
    if not (lo < hi and np.all((lo < x0) & (x0 < hi))):
        raise ValueError(f"escape_times: the start {x0[:1]} must lie inside the interval ({lo}, {hi})")
    if noise not in ("gaussian", "stable") or not 0 < alpha <= 2:
        raise ValueError(f"escape_times: noise must be 'gaussian' or 'stable' with 0 < alpha <= 2, got {noise!r}, "
                         f"alpha={alpha}")
    spec = spec_of(opt)
    if spec is None or not jit.enabled():
        if spec is None:
            warnings.warn(f"{type(opt).__name__} has no compiled kernel: the plain-numpy one runs", RuntimeWarning,
                          stacklevel=2)
        else:
            jit.fallback("compiled.escape.escape_times")
        return _reference(opt if spec is None else to_reference(spec), potential, x0, lo, hi, sigma, n_paths,
                          max_steps, as_generator(seed), noise, alpha)
    hp, flags, c1, c2, P = spec.arrays(1, int(max_steps))
    states = streams(seed, n_paths, block)
    steps = np.empty(n_paths, dtype=np.int64)
    censored = np.empty(n_paths, dtype=np.bool_)
    diverged = np.empty(n_paths, dtype=np.bool_)
    work = np.zeros(states.shape[0], dtype=np.int64)
    with jit.dynamic_schedule():
        _escape_kernel(spec.kind, hp, flags, c1, c2, P, potential.kind, potential.p0,
                       GAUSSIAN if noise == "gaussian" else STABLE, float(sigma), float(alpha), x0, lo, hi,
                       int(max_steps), states, int(block), steps, censored, diverged, work)
    return EscapeTimes(steps, censored, diverged, int(work.sum()))


def stable_numpy(alpha: float, shape, rng: np.random.Generator) -> np.ndarray:
    """Standard symmetric alpha-stable draws with numpy (Chambers-Mallows-Stuck, the same accurate angular
    form as rng.stable), for the plain-numpy kernels."""
    u = rng.random(shape)
    u = np.where(u == 0.0, 0.5 * 2.0 ** -53, u)
    w = rng.standard_exponential(shape)
    a, e = np.abs(u - 0.5), np.minimum(u, 1.0 - u)
    sign = np.where(u > 0.5, 1.0, -1.0)
    cos_v = np.sin(np.pi * e)
    if alpha == 1.0:
        return sign * np.sin(np.pi * a) / cos_v
    sin_av = np.where(alpha * a <= 0.5, np.sin(np.pi * alpha * a), np.sin(np.pi * ((1 - alpha / 2) + alpha * e)))
    b = abs(1.0 - alpha)
    cos_bv = np.sin(np.pi * (0.5 * (1 - b) + b * e))
    return sign * sin_av / cos_v ** (1 / alpha) * (cos_bv / w) ** ((1 - alpha) / alpha)


def _reference(opt, potential, x0, lo, hi, sigma, n_paths, max_steps, rng, noise, alpha):
    from ..escape import escape_times as reference

    if noise == "gaussian":
        grad = lambda x, r: potential.gradient(x) + sigma * r.standard_normal(x.shape)
    else:
        grad = lambda x, r: potential.gradient(x) + sigma * stable_numpy(alpha, x.shape, r)
    left = lambda x: ~((lo < x[:, 0]) & (x[:, 0] < hi))
    if np.all(x0 == x0[0]):
        return reference(opt, grad, [x0[0]], left, n_paths, max_steps, rng)
    raise ValueError("the plain-numpy escape kernel starts every path at one point")
