"""Compiled linear-Gaussian recursions x <- A x + F z (SGD on a quadratic, Langevin by Euler-Maruyama) and
the coupled coarse/fine Euler-Maruyama pair used for Richardson extrapolation.

In 1-D each path runs all its steps in registers (draw, update, divergence test in one loop); in d-D the
paths of a block run in lockstep, with explicit loops over the small matrices (no BLAS) that vectorize over
the paths. Paths are split into fixed blocks, one random stream each, run in parallel.
The plain-numpy references are ``checks.dynamics.linear.simulate`` and ``euler_maruyama_pair``: with the
same numbers they give the same positions (bitwise in 1-D and on diagonal models).
"""
from __future__ import annotations

import math

import numpy as np

from .. import jit
from ..jit import njit, prange
from ..rng import normal
from ._common import BLOCK, BLOWUP, Paths, as_generator, record_steps, start_positions, streams

SQRT2 = math.sqrt(2.0)


def _is_diagonal(M: np.ndarray) -> bool:
    return np.count_nonzero(M - np.diag(np.diag(M))) == 0


def psd_sqrt(C: np.ndarray) -> np.ndarray:
    w, U = np.linalg.eigh(C)
    return (U * np.sqrt(np.clip(w, 0, None))) @ U.T


@njit(parallel=True)
def _linear_1d_kernel(a, f, x0, rec, states, block, out, diverged, work):
    """d = 1: each path runs all its steps in registers (draw, update, divergence test), path after path."""
    n = x0.size
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        done = 0
        for p in range(b * block, min(n, (b + 1) * block)):
            x, k, alive = x0[p], 0, True
            for r in range(rec.size):
                while alive and k < rec[r]:
                    z, s = normal(s)
                    x = a * x + f * z
                    k += 1
                    alive = abs(x) <= BLOWUP
                out[r, p] = x if alive else np.nan
            done += k
            diverged[p] = not alive
        work[b] = done


@njit(parallel=True)
def _linear_block_kernel(A, F, diag, x0, rec, states, block, out, diverged):
    """d > 1: the block's paths in lockstep; per step each path draws its d normals, then y = A x + F z as
    loops over the paths (explicit loops over the small matrices, no BLAS)."""
    n, d = x0.shape
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        lo = b * block
        nq = min(n, lo + block) - lo
        X, Y, Y2, Z = np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq))
        bad = np.zeros(nq, dtype=np.bool_)
        for i in range(d):
            for q in range(nq):
                X[i, q] = x0[lo + q, i]
        r = 0
        for t in range(rec[-1] + 1):
            if t > 0:
                for q in range(nq):
                    for i in range(d):
                        Z[i, q], s = normal(s)
                _affine_block(A, X, F, Z, diag, Y, Y2, nq)
                for i in range(d):
                    for q in range(nq):
                        X[i, q] = Y[i, q]
                        bad[q] |= not abs(Y[i, q]) <= BLOWUP
            while r < rec.size and rec[r] == t:
                for q in range(nq):
                    for i in range(d):
                        out[r, lo + q, i] = np.nan if bad[q] else X[i, q]
                r += 1
        for q in range(nq):
            diverged[lo + q] = bad[q]


@njit
def _affine_block(A, X, F, Z, diag, Y, Y2, nq):
    """Y = A X + F Z per path (columns), in the reference's order: x @ A^T + z @ F^T, or x a + z f if diagonal."""
    d = X.shape[0]
    for i in range(d):
        if diag:
            aii, fii = A[i, i], F[i, i]
            for q in range(nq):
                Y[i, q] = X[i, q] * aii + Z[i, q] * fii
            continue
        for q in range(nq):
            Y[i, q] = 0.0
            Y2[i, q] = 0.0
        for j in range(d):
            aij, fij = A[i, j], F[i, j]
            for q in range(nq):
                Y[i, q] += X[j, q] * aij
                Y2[i, q] += Z[j, q] * fij
        for q in range(nq):
            Y[i, q] = Y[i, q] + Y2[i, q]


def simulate(dyn, n_paths: int, record, seed, x0=None, block: int = BLOCK) -> Paths:
    """Run n_paths copies of x_{k+1} = A x_k + F z_k (dyn has .A and .F, e.g. linear.sgd_on_quadratic) and
    record positions at the given steps. ``seed``: a SeedSequence, int or numpy Generator."""
    A = np.ascontiguousarray(np.atleast_2d(dyn.A), dtype=float)
    F = np.ascontiguousarray(np.atleast_2d(dyn.F), dtype=float)
    steps = record_steps(record)
    if not jit.enabled():
        jit.fallback("compiled.linear.simulate")
        from ..linear import simulate as reference
        return reference(dyn, n_paths, tuple(steps), as_generator(seed), x0)  # type: ignore[return-value]
    d = A.shape[0]
    states = streams(seed, n_paths, block)
    out = np.empty((steps.size, n_paths, d))
    diverged = np.zeros(n_paths, dtype=np.bool_)
    x = start_positions(x0, n_paths, d)
    if d == 1:
        work = np.zeros(states.shape[0], dtype=np.int64)
        _linear_1d_kernel(A[0, 0], F[0, 0], np.ascontiguousarray(x[:, 0]), steps, states, int(block), out[..., 0],
                          diverged, work)
        done = int(work.sum())
    else:
        _linear_block_kernel(A, F, _is_diagonal(A) and _is_diagonal(F), x, steps, states, int(block), out, diverged)
        done = n_paths * int(steps[-1])
    return Paths(tuple(int(s) for s in steps), list(out), diverged, done)


@njit(parallel=True)
def _em_pair_kernel(Af, Ff, Ac, Gc, diag, x0, n_coarse, states, block, xc_out, xf_out, bad_out):
    """Both schemes for the block's paths in lockstep: per coarse step each path draws z1 then z2 (d each);
    fine: two steps with z1, z2; coarse: one step with (z1 + z2)/sqrt(2) (as loop.CoupledEulerStep)."""
    n, d = x0.shape
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        lo = b * block
        nq = min(n, lo + block) - lo
        XF, XC, Y, Y2 = np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq))
        Z1, Z2, ZC = np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq))
        bad = np.zeros(nq, dtype=np.bool_)
        for i in range(d):
            for q in range(nq):
                XF[i, q] = x0[lo + q, i]
                XC[i, q] = x0[lo + q, i]
        for _ in range(n_coarse):
            for q in range(nq):
                for i in range(d):
                    Z1[i, q], s = normal(s)
                for i in range(d):
                    Z2[i, q], s = normal(s)
            for i in range(d):
                for q in range(nq):
                    ZC[i, q] = (Z1[i, q] + Z2[i, q]) / SQRT2
            _affine_block(Af, XF, Ff, Z1, diag, Y, Y2, nq)
            _affine_block(Af, Y, Ff, Z2, diag, XF, Y2, nq)
            _affine_block(Ac, XC, Gc, ZC, diag, Y, Y2, nq)
            for i in range(d):
                for q in range(nq):
                    XC[i, q] = Y[i, q]
                    bad[q] |= not (abs(XF[i, q]) <= BLOWUP and abs(Y[i, q]) <= BLOWUP)
        for q in range(nq):
            for i in range(d):
                xf_out[lo + q, i] = np.nan if bad[q] else XF[i, q]
                xc_out[lo + q, i] = np.nan if bad[q] else XC[i, q]
            bad_out[lo + q] = bad[q]


def euler_maruyama_pair(H, D, t: float, n_coarse: int, n_paths: int, seed, x0=None, block: int = BLOCK):
    """X(t) of dX = -H X dt + (2D)^(1/2) dW by Euler-Maruyama with steps t/n and t/(2n) on the same Brownian
    path, from X(0) = x0 (default 0). Returns (coarse, fine, diverged mask), as linear.euler_maruyama_pair."""
    H = np.atleast_2d(np.asarray(H, dtype=float))
    D = np.atleast_2d(np.asarray(D, dtype=float))
    if not jit.enabled():
        jit.fallback("compiled.linear.euler_maruyama_pair")
        from ..linear import euler_maruyama_pair as reference
        return reference(H, D, t, n_coarse, n_paths, as_generator(seed), x0)
    d = H.shape[0]
    h = t / n_coarse
    eye = np.eye(d)
    G = psd_sqrt(2 * D)                                  # the matrices of loop.CoupledEulerStep
    Af, Ff = eye - (h / 2) * H, np.sqrt(h / 2) * G
    Ac, Gc = eye - h * H, np.sqrt(h) * G
    diag = all(_is_diagonal(M) for M in (Af, Ff, Ac, Gc))
    states = streams(seed, n_paths, block)
    xc, xf = np.empty((n_paths, d)), np.empty((n_paths, d))
    bad = np.zeros(n_paths, dtype=np.bool_)
    _em_pair_kernel(*(np.ascontiguousarray(M) for M in (Af, Ff, Ac, Gc)), diag, start_positions(x0, n_paths, d),
                    int(n_coarse), states, int(block), xc, xf, bad)
    return xc, xf, bad
