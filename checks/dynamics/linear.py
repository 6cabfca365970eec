"""SGD and Langevin dynamics on a quadratic loss L = (x - c)^T H (x - c) / 2.

Both are linear-Gaussian recursions x_{k+1} = A x_k + F z_k with z_k ~ N(0, I):
- discrete SGD with Gaussian gradient noise of covariance [H]^+ / B:  A = I - eta H, F = eta ([H]^+/B)^(1/2);
- the SDE dx = -H x dt + (2D)^(1/2) dW by Euler-Maruyama with step h:  A = I - h H, F = (2 D h)^(1/2).
One kernel serves both; it is vectorized over paths and draws its normals in blocks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..montecarlo import Sample

BLOCK_NUMBERS = 1 << 20          # normals drawn per block (8 MiB of float64)
BLOWUP = 1e100                   # |x| beyond this counts as divergence


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
        return _is_diagonal(self.A) and _is_diagonal(self.F)


def _is_diagonal(M: np.ndarray) -> bool:
    return np.count_nonzero(M - np.diag(np.diag(M))) == 0


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
    d = dyn.dim
    x = np.zeros((n_paths, d)) if x0 is None else np.array(np.broadcast_to(x0, (n_paths, d)), dtype=float)
    records: list[np.ndarray] = []
    diverged = np.zeros(n_paths, dtype=bool)
    diag = dyn.diagonal
    wanted = set(record)
    a, f = np.diag(dyn.A).copy(), np.diag(dyn.F).copy()
    AT, FT = dyn.A.T.copy(), dyn.F.T.copy()
    block = max(1, BLOCK_NUMBERS // (n_paths * d))
    z = np.empty((block, n_paths, d))
    step, rec_i = 0, 0
    with np.errstate(over="ignore", invalid="ignore"):
        while rec_i < len(record):
            while rec_i < len(record) and record[rec_i] == step:
                records.append(x.copy())
                rec_i += 1
            if rec_i == len(record):
                break
            todo = min(block, record[-1] - step)
            rng.standard_normal(out=z[:todo])
            if diag:
                z[:todo] *= f                      # scale the whole block in one pass
            for k in range(todo):
                if diag:
                    x *= a
                    x += z[k]
                else:
                    x = x @ AT + z[k] @ FT
                if step + k + 1 in wanted:
                    records.append(x.copy())
                    rec_i += 1
            step += todo
            bad = ~np.isfinite(x).all(axis=1) | (np.abs(x) > BLOWUP).any(axis=1)
            if bad.any():
                diverged |= bad
                x[bad] = 0.0                       # stop the overflow; the path stays flagged
    return Paths(record, records, diverged)


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
    h = t / n_coarse
    fine, coarse = langevin_euler(H, D, h / 2), langevin_euler(H, D, h)
    Af, Ff, Ac, Gc = fine.A.T, fine.F.T, coarse.A.T, psd_sqrt(2 * D * h).T
    xf = np.zeros((n_paths, d)) if x0 is None else np.array(x0, dtype=float)
    xc = xf.copy()
    block = max(1, BLOCK_NUMBERS // (2 * n_paths * d))
    z = np.empty((block, 2, n_paths, d))
    done = 0
    with np.errstate(over="ignore", invalid="ignore"):
        while done < n_coarse:
            todo = min(block, n_coarse - done)
            rng.standard_normal(out=z[:todo])
            for k in range(todo):
                z1, z2 = z[k, 0], z[k, 1]
                xf = xf @ Af + z1 @ Ff
                xf = xf @ Af + z2 @ Ff
                xc = xc @ Ac + ((z1 + z2) / np.sqrt(2.0)) @ Gc
            done += todo
    bad = ~(np.isfinite(xf).all(axis=1) & np.isfinite(xc).all(axis=1)) \
        | (np.abs(xf) > BLOWUP).any(axis=1) | (np.abs(xc) > BLOWUP).any(axis=1)
    return xc, xf, bad


def _second_moments(p: np.ndarray) -> tuple[np.ndarray, list[str]]:
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
    fc, labels = _second_moments(xc @ U)
    ff, _ = _second_moments(xf @ U)
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
    values, labels = _second_moments(paths.records[-1] @ U)
    return Sample(values, labels, paths.diverged_fraction)
