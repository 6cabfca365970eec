"""The one time-stepping loop every numpy kernel runs on (compiled kernels mirror it).

    traj = run(step, x0, steps, rng, save=(10, 100), stop=exited)

``step(x, rng) -> x_next`` advances all live paths (rows of x) by one step; it may have ``keep(mask)`` to
drop the state of paths that leave (an optimizer's moments). Paths that overflow are flagged as diverged
and dropped; paths for which ``stop(x)`` holds are recorded with their exit step and dropped, so paths
that are done cost nothing. Saved positions of dropped paths are NaN.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

BLOWUP = 1e100                   # |x| beyond this counts as divergence


@dataclass
class Trajectory:
    saved: dict[int, np.ndarray]      # step -> (n_paths, d); rows of dropped paths are NaN
    exit_step: np.ndarray             # per path: the step at which stop() first held, -1 if never
    diverged: np.ndarray              # per path
    steps: int                        # steps run
    path_steps: int                   # work: the sum over steps of the live paths
    exit_position: np.ndarray | None = None   # (n_paths, d): where each path was when stop() first held (NaN: never)

    @property
    def n(self) -> int:
        return int(self.exit_step.size)

    @property
    def censored(self) -> np.ndarray:
        """Paths that neither stopped nor diverged within the steps run."""
        return (self.exit_step < 0) & ~self.diverged

    @property
    def diverged_fraction(self) -> float:
        return float(self.diverged.mean()) if self.n else 0.0

    @property
    def censored_fraction(self) -> float:
        return float(self.censored.mean()) if self.n else 0.0

    def at(self, step: int) -> np.ndarray:
        return self.saved[step]


def _as_paths(x0: Any, n_paths: int | None) -> np.ndarray:
    x = np.asarray(x0, dtype=float)
    if x.ndim == 2 and (n_paths is None or x.shape[0] == n_paths):
        return x.copy()
    if n_paths is None:
        raise ValueError("x0 of one path needs n_paths")
    return np.array(np.broadcast_to(np.atleast_1d(x), (n_paths, np.atleast_1d(x).size)))


def run(step: Callable[[np.ndarray, np.random.Generator], np.ndarray], x0: Any, steps: int,
        rng: np.random.Generator, *, n_paths: int | None = None, save: Sequence[int] = (),
        stop: Callable[[np.ndarray], np.ndarray] | None = None, check_every: int = 16,
        blowup: float = BLOWUP) -> Trajectory:
    x = _as_paths(x0, n_paths)
    n, d = x.shape
    save_set = {int(s) for s in save}
    if any(s < 0 or s > steps for s in save_set):
        raise ValueError(f"save steps must lie in [0, {steps}]")
    saved: dict[int, np.ndarray] = {}
    if 0 in save_set:
        saved[0] = x.copy()
    alive = np.arange(n)
    exit_step = np.full(n, -1, dtype=np.int64)
    exit_position = np.full((n, d), np.nan) if stop is not None else None
    diverged = np.zeros(n, dtype=bool)
    work, k = 0, 0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, int(steps) + 1):
            if alive.size == 0:
                break
            x = step(x, rng)
            work += alive.size
            drop = np.zeros(alive.size, dtype=bool)
            if stop is not None or k % check_every == 0 or k in save_set or k == steps:
                bad = ~np.isfinite(x).all(axis=1) | (np.abs(x) > blowup).any(axis=1)
                if bad.any():
                    diverged[alive[bad]] = True
                    drop |= bad
                if stop is not None:
                    out = np.asarray(stop(x), dtype=bool) & ~bad
                    exit_step[alive[out]] = k
                    if exit_position is not None:
                        exit_position[alive[out]] = x[out]
                    drop |= out
            if k in save_set:
                full = np.full((n, d), np.nan)
                full[alive[~drop]] = x[~drop]
                if stop is not None:            # an exited path is saved where it left
                    exited = drop & (exit_step[alive] == k)
                    full[alive[exited]] = x[exited]
                saved[k] = full
            if drop.any():
                keep = ~drop
                x, alive = x[keep], alive[keep]
                if hasattr(step, "keep"):
                    step.keep(keep)
    for s in save_set:                        # steps never reached (every path gone): all NaN
        saved.setdefault(s, np.full((n, d), np.nan))
    return Trajectory(saved, exit_step, diverged, k, work, exit_position)


class OptimizerStep:
    """One optimizer step on a stochastic gradient: x <- opt.step(x, gradient(x, rng))."""

    def __init__(self, optimizer, gradient: Callable[[np.ndarray, np.random.Generator], np.ndarray]):
        self.optimizer, self.gradient = optimizer, gradient

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return self.optimizer.step(x, self.gradient(x, rng))

    def keep(self, mask: np.ndarray) -> None:
        self.optimizer.keep(mask)
        if hasattr(self.gradient, "keep"):
            self.gradient.keep(mask)


class LinearStep:
    """x <- A x + F z with z ~ N(0, I): SGD on a quadratic with Gaussian gradient noise, Euler-Maruyama
    for a linear SDE. Diagonal A and F take an elementwise fast path (no BLAS for small matrices)."""

    def __init__(self, A: np.ndarray, F: np.ndarray):
        self.A, self.F = np.atleast_2d(A), np.atleast_2d(F)
        self.diagonal = _is_diagonal(self.A) and _is_diagonal(self.F)
        self.a, self.f = np.diag(self.A).copy(), np.diag(self.F).copy()
        self.AT, self.FT = self.A.T.copy(), self.F.T.copy()

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        z = rng.standard_normal(x.shape)
        if self.diagonal:
            return x * self.a + z * self.f
        return x @ self.AT + z @ self.FT


class CoupledEulerStep:
    """Two Euler-Maruyama schemes for dX = -K X dt + G dW on the same Brownian path: the state is
    [fine | coarse]; each call makes two fine steps of h/2 and one coarse step of h."""

    def __init__(self, K: np.ndarray, G: np.ndarray, h: float):
        K, G = np.atleast_2d(K), np.atleast_2d(G)
        d = K.shape[0]
        self.d = d
        self.fine = LinearStep(np.eye(d) - (h / 2) * K, np.sqrt(h / 2) * G)
        self.coarse_A = (np.eye(d) - h * K).T
        self.coarse_G = (np.sqrt(h) * G).T

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        d = self.d
        xf, xc = x[:, :d], x[:, d:]
        z1, z2 = rng.standard_normal(xf.shape), rng.standard_normal(xf.shape)
        f = self.fine
        if f.diagonal:
            xf = (xf * f.a + z1 * f.f) * f.a + z2 * f.f
        else:
            xf = (xf @ f.AT + z1 @ f.FT) @ f.AT + z2 @ f.FT
        xc = xc @ self.coarse_A + ((z1 + z2) / np.sqrt(2.0)) @ self.coarse_G
        return np.concatenate([xf, xc], axis=1)


def _is_diagonal(M: np.ndarray) -> bool:
    return np.count_nonzero(M - np.diag(np.diag(M))) == 0
