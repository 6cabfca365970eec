"""Compiled SGD with multiplicative noise (the `ziyin` paper): ln|w_t| under w_t = (1 - lambda x_t) w_{t-1} with
x_t = 1 or a - 1 (probability 1/2 each), and SGD on the 2-D landscape of its Eq. (10) with x = +-1.

Each step needs one fair coin, so one 64-bit draw serves 64 steps. For ln|w| only the number k of
x = 1 draws matters: ln|w_t/w_0| = k ln|1 - lambda| + (t - k) ln|1 - lambda (a - 1)|, and k is counted
64 steps at a time (a population count), exactly the law of the step-by-step recursion. The plain-numpy
references are ``checks.dynamics.multiplicative.log_abs_w`` and ``sharp_flat_sgd``.
"""
from __future__ import annotations

import math

import numpy as np

from .. import jit
from ..jit import njit, prange
from ..rng import next_u64, uniform
from ._common import BLOCK, as_generator, record_steps, streams

_M1, _M2, _M4 = np.uint64(0x5555555555555555), np.uint64(0x3333333333333333), np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
_S1, _S2, _S4, _S56 = np.uint64(1), np.uint64(2), np.uint64(4), np.uint64(56)
_ONE = np.uint64(1)


@njit
def popcount(x):
    x = x - ((x >> _S1) & _M1)
    x = (x & _M2) + ((x >> _S2) & _M2)
    x = (x + (x >> _S4)) & _M4
    return int((x * _H01) >> _S56)


@njit
def _log_growth(k, t, l1, l2):
    """k l1 + (t - k) l2 with 0 x (-inf) read as 0 (no draw of that value)."""
    out = 0.0
    if k > 0:
        out += k * l1
    if t - k > 0:
        out += (t - k) * l2
    return out


@njit(parallel=True)
def _log_abs_w_kernel(l1, l2, log_w0, rec, states, block, out):
    n = log_w0.size
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        for p in range(b * block, min(n, (b + 1) * block)):
            k, t = 0, 0                                   # draws of x = 1 so far, steps so far
            for r in range(rec.size):
                while t < rec[r]:
                    todo = min(64, rec[r] - t)
                    bits, s = next_u64(s)
                    if todo < 64:
                        bits &= (_ONE << np.uint64(todo)) - _ONE
                    k += popcount(bits)
                    t += todo
                out[r, p] = log_w0[p] + _log_growth(k, t, l1, l2)


def log_abs_w(lam: float, a: float, T: int, n_paths: int, seed, record=None, log_w0=0.0,
              block: int = BLOCK * 4) -> dict[int, np.ndarray]:
    """ln|w_t| of n_paths SGD runs on x w^2/2 with two-point curvature, at the recorded steps."""
    steps = record_steps(record, T)
    if not jit.enabled():
        jit.fallback("compiled.multiplicative.log_abs_w")
        from ..multiplicative import log_abs_w as reference
        return reference(lam, a, T, n_paths, as_generator(seed), tuple(int(s) for s in steps), log_w0)
    with np.errstate(divide="ignore"):
        l1, l2 = math.log(abs(1 - lam)) if lam != 1 else -math.inf, np.log(abs(1 - lam * (a - 1)))
    w0 = np.ascontiguousarray(np.broadcast_to(np.asarray(log_w0, dtype=float), (n_paths,)))
    states = streams(seed, n_paths, block)
    out = np.empty((steps.size, n_paths))
    _log_abs_w_kernel(float(l1), float(l2), w0, steps, states, int(block), out)
    return {int(s): out[j] for j, s in enumerate(steps)}


@njit(parallel=True)
def _sharp_flat_kernel(lam, a, b_, T, w1, w2, draw_init, states, block):
    """The block's paths in lockstep: every 64 steps each path takes one 64-bit word (path by path), and
    step t uses bit t mod 64 of its word; the update is a loop over the paths."""
    n = w1.size
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        lo = b * block
        nq = min(n, lo + block) - lo
        X1, X2, words = np.empty(nq), np.empty(nq), np.empty(nq, dtype=np.uint64)
        for q in range(nq):
            if draw_init:
                u, s = uniform(s)
                w1[lo + q] = -1.0 + 2.0 * u
                u, s = uniform(s)
                w2[lo + q] = -1.0 + 2.0 * u
            X1[q], X2[q] = w1[lo + q], w2[lo + q]
        c = -2 * a
        for t in range(T):
            if t % 64 == 0:
                for q in range(nq):
                    words[q], s = next_u64(s)
            shift = np.uint64(t % 64)
            for q in range(nq):
                x1, x2 = X1[q], X2[q]
                x = 1.0 if (words[q] >> shift) & _ONE else -1.0
                g1 = x1 * (-2 + 4 * x1 * x1 + 12 * x2 * x2 + x * b_)
                g2 = x2 * (-2 + 4 * x2 * x2 + 12 * x1 * x1 + c)
                X1[q], X2[q] = x1 - lam * g1, x2 - lam * g2
        for q in range(nq):
            ok = math.isfinite(X1[q]) and math.isfinite(X2[q])
            w1[lo + q] = X1[q] if ok else np.nan
            w2[lo + q] = X2[q] if ok else np.nan


def sharp_flat_sgd(lam: float, a: float, b: float, T: int, n_paths: int, seed, w_init=None,
                   block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """SGD on `ziyin` Eq. (10) with x = +-1 from w ~ U[-1, 1]^2 (or w_init); (w1, w2) after T steps, nan
    for paths that overflowed (as multiplicative.sharp_flat_sgd)."""
    if not jit.enabled():
        jit.fallback("compiled.multiplicative.sharp_flat_sgd")
        from ..multiplicative import sharp_flat_sgd as reference
        return reference(lam, a, b, T, n_paths, as_generator(seed), w_init)
    if w_init is None:
        w1, w2 = np.empty(n_paths), np.empty(n_paths)
    else:
        w1, w2 = (np.array(np.broadcast_to(np.asarray(v, dtype=float), (n_paths,))) for v in w_init)
    states = streams(seed, n_paths, block)
    _sharp_flat_kernel(float(lam), float(a), float(b), int(T), w1, w2, w_init is None, states, int(block))
    return w1, w2
