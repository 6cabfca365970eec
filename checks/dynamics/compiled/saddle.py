"""Compiled optimizers on a d-dimensional quadratic saddle L = theta^T H theta / 2 with Gaussian gradient
noise g = H theta + xi, xi ~ N(0, C), C = [H]^+ / B (the `adai` paper's Eq. (3)).

The paths of a block run in lockstep (arrays over the block's paths, loops that vectorize): d normals per
path from the block's stream, the gradient and the optimizer's update with explicit loops (no BLAS), the
divergence test. A path that diverges is flagged and its later records are nan. The plain-numpy reference
is ``checks.dynamics.momentum.optimizer_on_saddle``; fed the same numbers it gives the same positions,
bitwise when H is diagonal (and to rounding when it is rotated: its matrix products go through BLAS).
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import jit
from ..jit import njit, prange
from ..rng import normal
from ._common import BLOCK, BLOWUP, Paths, as_generator, record_steps, streams
from .linear import psd_sqrt
from .optimizers import OptimizerSpec, initial_state, spec_of, to_reference, update


def abs_matrix(H: np.ndarray) -> np.ndarray:
    w, U = np.linalg.eigh(H)
    return (U * np.abs(w)) @ U.T


def rotated_hessian(eigenvalues, rng: np.random.Generator):
    """H = U diag(eigenvalues) U^T with a Haar-random U drawn from rng (as linear.rotated_hessian)."""
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    d = len(eigenvalues)
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    U = Q * np.sign(np.diag(R))
    return (U * eigenvalues) @ U.T, U


@njit(parallel=True)
def _saddle_kernel(kind, hp, flags, c1, c2, P, H, S, x0, rec, states, block, out, diverged):
    """Block b's paths run in lockstep: per step, the block's stream gives each path its d normals (path by
    path, as the reference's step-major draws), then gradient and update run as loops over the paths."""
    n, d = x0.shape
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        lo = b * block
        nq = min(n, lo + block) - lo
        X, Z, G, G2 = np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq))
        M, V, W, D = np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq)), np.empty((d, nq))
        VB = np.empty(nq)
        bad = np.zeros(nq, dtype=np.bool_)
        for i in range(d):
            for q in range(nq):
                X[i, q] = x0[lo + q, i]
        initial_state(kind, M, V, W)
        r = 0
        for t in range(rec[-1] + 1):
            if t > 0:
                for q in range(nq):
                    for i in range(d):
                        Z[i, q], s = normal(s)
                for i in range(d):                         # g = x @ H + z @ S^T, as the reference writes it
                    for q in range(nq):
                        G[i, q] = 0.0
                        G2[i, q] = 0.0
                    for j in range(d):
                        hji, sij = H[j, i], S[i, j]
                        for q in range(nq):
                            G[i, q] += X[j, q] * hji
                            G2[i, q] += Z[j, q] * sij
                    for q in range(nq):
                        G[i, q] = G[i, q] + G2[i, q]
                update(kind, hp, flags, c1, c2, P, t, G, M, V, W, D, VB, nq)
                for i in range(d):
                    for q in range(nq):
                        X[i, q] = X[i, q] + D[i, q]
                        bad[q] |= not abs(X[i, q]) <= BLOWUP
            while r < rec.size and rec[r] == t:
                for q in range(nq):
                    for i in range(d):
                        out[r, lo + q, i] = np.nan if bad[q] else X[i, q]
                r += 1
        for q in range(nq):
            diverged[lo + q] = bad[q]


def saddle_paths(spec: OptimizerSpec, H, C, n_paths: int, record, seed, x0=None, block: int = BLOCK) -> Paths:
    """Positions (in the original coordinates) of n_paths runs of ``spec`` from x0 (default 0) on
    L = theta^T H theta / 2 with gradient noise N(0, C), at the recorded steps; with the work done."""
    H = np.ascontiguousarray(np.atleast_2d(H), dtype=float)
    d = H.shape[0]
    steps = record_steps(record)
    hp, flags, c1, c2, P = spec.arrays(d, int(steps[-1]))
    S = np.ascontiguousarray(psd_sqrt(np.atleast_2d(C)))
    states = streams(seed, n_paths, block)
    x = np.zeros((n_paths, d)) if x0 is None else np.ascontiguousarray(np.broadcast_to(x0, (n_paths, d)), float)
    out = np.empty((steps.size, n_paths, d))
    diverged = np.zeros(n_paths, dtype=np.bool_)
    _saddle_kernel(spec.kind, hp, flags, c1, c2, P, H, S, x, steps, states, int(block), out, diverged)
    return Paths(tuple(int(s) for s in steps), list(out), diverged, int(n_paths * steps[-1]))


def optimizer_on_saddle(make, eigs, B: float, T: int, n_paths: int, seed, record=None, rotate: bool = True,
                        block: int = BLOCK):
    """As momentum.optimizer_on_saddle: n_paths runs from theta = 0 on theta^T H theta / 2 with gradient
    noise N(0, [H]^+ / B), H = U diag(eigs) U^T with a Haar-random U (or U = I). ``make(C)`` returns an
    optimizer of checks.dynamics.optimizers or an OptimizerSpec (or ``make`` is a spec).

    Returns (positions in H's eigenbasis at each recorded step, diverged mask over paths).
    """
    rng = as_generator(seed)
    if not jit.enabled():
        jit.fallback("compiled.saddle.optimizer_on_saddle")
        return _reference(make, eigs, B, T, n_paths, rng, record, rotate)
    eigs = np.asarray(eigs, dtype=float)
    H, U = rotated_hessian(eigs, rng) if rotate else (np.diag(eigs), np.eye(eigs.size))
    C = abs_matrix(H) / B
    opt = make if isinstance(make, OptimizerSpec) else make(C)
    spec = spec_of(opt)
    if spec is None:
        warnings.warn(f"{type(opt).__name__} has no compiled kernel: the plain-numpy one runs", RuntimeWarning,
                      stacklevel=2)
        return _reference(make, eigs, B, T, n_paths, rng, record, rotate)
    paths = saddle_paths(spec, H, C, n_paths, (int(T),) if record is None else record, rng, block=block)
    return [r @ U for r in paths.records], paths.diverged


def _reference(make, eigs, B, T, n_paths, rng, record, rotate):
    """momentum.optimizer_on_saddle with the reference optimizer of each spec."""
    from ..momentum import optimizer_on_saddle as reference

    def make_reference(C):
        opt = make if isinstance(make, OptimizerSpec) else make(C)
        return to_reference(opt) if isinstance(opt, OptimizerSpec) else opt
    return reference(make_reference, eigs, B, T, n_paths, rng, record=record, rotate=rotate)
