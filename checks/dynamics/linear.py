"""SGD and Langevin dynamics on a quadratic loss L = (x - c)^T H (x - c) / 2.

Both are linear-Gaussian recursions x_{k+1} = A x_k + F z_k with z_k ~ N(0, I):
- discrete SGD with Gaussian gradient noise of covariance [H]^+ / B:  A = I - eta H, F = eta ([H]^+/B)^(1/2);
- the SDE dx = -H x dt + (2D)^(1/2) dW by Euler-Maruyama with step h:  A = I - h H, F = (2 D h)^(1/2).
Both run on the one stepping loop (checks.dynamics.loop), vectorized over paths.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .loop import BLOWUP, CoupledEulerStep, LinearStep, run  # noqa: F401  (BLOWUP re-exported)
from .sample import Sample


def abs_matrix(H: np.ndarray) -> np.ndarray:
    """[H]^+ = U diag(|H_i|) U^T for symmetric H (the construction under the adai paper's eq. (3))."""
    w, U = np.linalg.eigh(H)
    return (U * np.abs(w)) @ U.T


def psd_sqrt(C: np.ndarray) -> np.ndarray:
    w, U = np.linalg.eigh(C)
    return (U * np.sqrt(np.clip(w, 0, None))) @ U.T


def rotated_hessian(eigenvalues: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """H = U diag(eigenvalues) U^T with a Haar-random rotation U; returns (H, U)."""
    d = len(eigenvalues)
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    U = Q * np.sign(np.diag(R))
    return (U * np.asarray(eigenvalues)) @ U.T, U


@dataclass(frozen=True)
class LinearGaussian:
    A: np.ndarray
    F: np.ndarray
    label: str = ""

    @property
    def dim(self) -> int:
        return self.A.shape[0]

    @property
    def diagonal(self) -> bool:
        return bool(np.count_nonzero(self.A - np.diag(np.diag(self.A))) == 0
                    and np.count_nonzero(self.F - np.diag(np.diag(self.F))) == 0)


def sgd_on_quadratic(H: np.ndarray, eta: float, B: float) -> LinearGaussian:
    H = np.atleast_2d(np.asarray(H, dtype=float))
    d = H.shape[0]
    return LinearGaussian(np.eye(d) - eta * H, eta * psd_sqrt(abs_matrix(H) / B), f"SGD eta={eta:g} B={B:g}")


def langevin_euler(H: np.ndarray, D: np.ndarray, h: float) -> LinearGaussian:
    H = np.atleast_2d(np.asarray(H, dtype=float))
    D = np.atleast_2d(np.asarray(D, dtype=float))
    return LinearGaussian(np.eye(H.shape[0]) - h * H, psd_sqrt(2 * D * h), f"Euler-Maruyama h={h:g}")


@dataclass
class Paths:
    """Positions at the recorded steps: records[j] has shape (n_paths, dim)."""

    steps: tuple[int, ...]
    records: list[np.ndarray]
    diverged: np.ndarray            # bool mask over paths

    @property
    def diverged_fraction(self) -> float:
        return float(self.diverged.mean())


def simulate(dyn: LinearGaussian, n_paths: int, record: tuple[int, ...], rng: np.random.Generator,
             x0: np.ndarray | None = None) -> Paths:
    """Run n_paths independent copies of the recursion and record positions at the given steps."""
    record = tuple(sorted(set(int(s) for s in record)))
    if not record or record[0] < 0:
        raise ValueError("record steps must be non-negative")
    x0 = np.zeros(dyn.dim) if x0 is None else x0
    traj = run(LinearStep(dyn.A, dyn.F), x0, record[-1], rng, n_paths=n_paths, save=record)
    return Paths(record, [traj.saved[s] for s in record], traj.diverged)


def euler_maruyama_pair(H: np.ndarray, D: np.ndarray, t: float, n_coarse: int, n_paths: int,
                        rng: np.random.Generator, x0: np.ndarray | None = None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X(t) of dX = -H X dt + (2D)^(1/2) dW by Euler-Maruyama with steps t/n and t/(2n), driven by
    the same Brownian path, from X(0) = x0 (default 0; H need not be symmetric, D is PSD).

    Returns (coarse, fine, diverged mask). Coupling the two makes the Richardson combination
    2 fine - coarse cheap to estimate, and keeps the discretization bias apart from sampling error.
    """
    H = np.atleast_2d(np.asarray(H, dtype=float))
    D = np.atleast_2d(np.asarray(D, dtype=float))
    d = H.shape[0]
    x0 = np.zeros((n_paths, d)) if x0 is None else np.array(np.broadcast_to(x0, (n_paths, d)), dtype=float)
    traj = run(CoupledEulerStep(H, psd_sqrt(2 * D), t / n_coarse), np.concatenate([x0, x0], axis=1), n_coarse,
               rng, save=(n_coarse,))
    end = traj.saved[n_coarse]
    return end[:, d:], end[:, :d], traj.diverged


def second_moments(p: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Per-path p_i^2 for each direction, then p_i p_j for i < j (which should average to 0)."""
    d = p.shape[1]
    cols = [p[:, i] ** 2 for i in range(d)]
    labels = [f"<p{i + 1}^2>" for i in range(d)]
    for i in range(d):
        for j in range(i + 1, d):
            cols.append(p[:, i] * p[:, j])
            labels.append(f"<p{i + 1} p{j + 1}>")
    return np.column_stack(cols), labels


def saddle_sde_second_moments(eigs, d_eigs, t: float, n_paths: int, rng: np.random.Generator,
                              n_coarse: int = 200):
    """Second moments of the SDE dx = -H x dt + (2D)^(1/2) dW from x(0) = 0, in H's eigenbasis.

    H and D share a Haar-random eigenbasis U (drawn from rng). Each per-path value is the Richardson
    combination 2 f(fine) - f(coarse) of two coupled Euler-Maruyama runs; the sample's info carries
    the fine run's discretization bias, kept apart from the sampling error.
    """
    H, U = rotated_hessian(np.asarray(eigs, dtype=float), rng)
    D = (U * np.asarray(d_eigs, dtype=float)) @ U.T
    xc, xf, bad = euler_maruyama_pair(H, D, t, n_coarse, n_paths, rng)
    fc, labels = second_moments(xc @ U)
    ff, _ = second_moments(xf @ U)
    values = 2 * ff - fc
    return Sample(values, labels, float(bad.mean()),
                  {"discretization_bias": ff.mean(axis=0) - values.mean(axis=0)})


def saddle_sde_projection(eig: float, d_eig: float, t: float, n_paths: int, rng: np.random.Generator,
                          n_coarse: int = 400):
    """Samples of the 1-D SDE dx = -H x dt + (2D)^(1/2) dW at time t from x(0) = 0 (fine Euler run);
    info gives the relative variance change between the coarse and fine runs (discretization)."""
    xc, xf, bad = euler_maruyama_pair(np.array([[eig]]), np.array([[d_eig]]), t, n_coarse, n_paths, rng)
    gap = float(np.var(xc) / np.var(xf) - 1) if np.all(np.isfinite(xf)) else float("nan")
    return Sample(xf[:, :1], ["theta"], float(bad.mean()), {"variance_change_coarse_vs_fine": [gap]})


def saddle_sgd_second_moments(eigs, eta: float, B: float, T: int, n_paths: int, rng: np.random.Generator):
    """Discrete SGD with Gaussian gradient noise N(0, [H]^+/B) on a rotated quadratic saddle, from the
    saddle point: second moments along H's eigenvectors after T steps."""
    H, U = rotated_hessian(np.asarray(eigs, dtype=float), rng)
    paths = simulate(sgd_on_quadratic(H, eta, B), n_paths, (int(T),), rng)
    values, labels = second_moments(paths.records[-1] @ U)
    return Sample(values, labels, paths.diverged_fraction)


_second_moments = second_moments     # earlier name
