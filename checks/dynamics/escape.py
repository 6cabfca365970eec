"""Escape from a loss valley: Monte Carlo first-exit times of optimizers, and the exact mean first-passage
time of the overdamped Langevin equation (the SGD limit of Kramers' problem) by quadrature.

The Monte Carlo kernel is vectorized over paths and stops paths that have left the valley: each step
it drops them from the position and optimizer-state arrays, so the cost follows the surviving paths.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .loop import OptimizerStep, run
from .optimizers import Optimizer


@dataclass
class EscapeTimes:
    """Exit step of each path (``censored`` paths had not left after ``max_steps``)."""

    steps: np.ndarray             # int, exit iteration per path; max_steps for censored ones
    censored: np.ndarray          # bool: no exit observed (still inside, or diverged)
    diverged: np.ndarray          # bool
    path_steps: int               # work done: sum over steps of the surviving paths

    @property
    def n(self) -> int:
        return int(self.steps.size)

    @property
    def diverged_fraction(self) -> float:
        return float(self.diverged.mean())

    @property
    def censored_fraction(self) -> float:
        return float((self.censored & ~self.diverged).mean())

    def mean(self) -> tuple[float, float]:
        """Mean exit step and its standard error (paths that exited)."""
        done = self.steps[~self.censored]
        return float(done.mean()), float(done.std(ddof=1) / np.sqrt(done.size))


def escape_times(opt: Optimizer, gradient: Callable[[np.ndarray, np.random.Generator], np.ndarray],
                 x0: np.ndarray, escaped: Callable[[np.ndarray], np.ndarray], n_paths: int, max_steps: int,
                 rng: np.random.Generator) -> EscapeTimes:
    """Run n_paths copies of ``opt`` from x0 with stochastic gradients ``gradient(x, rng)`` until
    ``escaped(x)`` (a bool per path) or max_steps; exited paths leave the arrays at once."""
    traj = run(OptimizerStep(opt, gradient), x0, max_steps, rng, n_paths=n_paths, stop=escaped)
    steps = np.where(traj.exit_step > 0, traj.exit_step, max_steps)
    return EscapeTimes(steps, traj.censored | traj.diverged, traj.diverged, traj.path_steps)


# --- the exact reference: mean first-passage time of dX = -U'(X) D dt + (2D)^(1/2) dW ------------------------
def mfpt_overdamped(potential: Callable[[np.ndarray], np.ndarray], temperature: float, diffusion: float,
                    x_reflect: float, x0: float, x_absorb: float, n_grid: int = 40_001) -> float:
    """tau(x0) = (1/D) int_{x0}^{c} dy e^{L(y)/T} int_{r}^{y} e^{-L(z)/T} dz for the overdamped Langevin
    equation dX = -(D/T) L'(X) dt + (2D)^(1/2) dW (Ito; additive noise) with a reflecting end r and an
    absorbing end c. Computed on a fine grid (Simpson-accurate cumulative integrals) in log-safe form."""
    y = np.linspace(x_reflect, x_absorb, n_grid)
    U = potential(y) / temperature
    shift = U.min()
    inner = _cumulative_trapezoid_refined(np.exp(-(U - shift)), y)        # int_r^y e^{-(U - shift)}
    outer = np.exp(U - shift) * inner                                       # e^{U - shift} e^{-(.. - shift)}...
    mask = y >= x0
    return float(_trapezoid(outer[mask], y[mask]) / diffusion)


def _cumulative_trapezoid_refined(f: np.ndarray, x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(f)
    out[1:] = np.cumsum((f[1:] + f[:-1]) * np.diff(x) / 2)
    return out


def _trapezoid(f: np.ndarray, x: np.ndarray) -> float:
    return float(np.sum((f[1:] + f[:-1]) * np.diff(x)) / 2)


def mfpt_state_dependent(potential_grad: Callable[[np.ndarray], np.ndarray],
                         diffusion: Callable[[np.ndarray], np.ndarray],
                         x_reflect: float, x0: float, x_absorb: float, n_grid: int = 200_001) -> float:
    """Mean first-passage time of dX = -L'(X) dt + (2 D(X))^(1/2) dW (Ito) from x0 to x_absorb, reflecting at
    x_reflect: tau = int_{x0}^{c} s(y) int_r^y dz / (D(z) s(z)) dy with the scale density s = exp(int L'/D)."""
    y = np.linspace(x_reflect, x_absorb, n_grid)
    D = diffusion(y)
    phi = _cumulative_trapezoid_refined(potential_grad(y) / D, y)          # int L'/D
    shift = phi.max()
    inner = _cumulative_trapezoid_refined(np.exp(-(phi - shift)) / D, y)   # int e^{-phi}/D, scaled by e^{shift}
    outer = np.exp(phi - shift) * inner
    mask = y >= x0
    return float(_trapezoid(outer[mask], y[mask]))
