"""Levy-driven dynamics: the SDEs (4) and (5) of `zhou` and (9) of its rebuttal by the Euler scheme, the
discrete algorithms they model (SGD, Adam and SGD with momentum fed SaS gradient noise), and a first-exit
kernel for basins in 1-D and 2-D.

Noise. L_t has independent SaS(1) coordinates (``isotropic=True``: the rotationally invariant law), so an
Euler step of length h adds h^(1/alpha) xi with xi ~ SaS(1)^d. The noise matrix Sigma (a scalar, a vector
for a diagonal, or a d x d matrix) multiplies xi: a step adds eps h^(1/alpha) Sigma xi. With h = eta and
eps = eta^((alpha-1)/alpha), eps h^(1/alpha) = eta, so the Euler scheme of (4) is exactly SGD (2) with
gradient noise Sigma xi: the SDE and the algorithm differ only in what h and eps are called.

Steps follow the stepping protocol of checks.dynamics.loop: ``step(x, rng) -> x_next`` on the rows of the
live paths, and ``keep(mask)`` to drop the per-path state (moments, per-path parameters, prefetched noise)
of paths that leave. ``exit_times`` runs a step until each path leaves its basin, dropping exited paths at
once, and reports the exit step, the position just outside, censoring and divergence.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .loop import run
from .optimizers import SGD, Adam, HeavyBall, Optimizer, OptimizerError, _require, _unit_interval
from .stable import check_alpha, sas, sas_isotropic

BLOWUP = 1e100                    # |x| beyond this counts as divergence
NOISE_BLOCK = 1 << 16             # noise numbers prefetched per block


# --- noise --------------------------------------------------------------------------------------------------
def _noise_matrix(sigma, dim: int) -> np.ndarray | None:
    """Sigma as a (d, d) matrix, or None for the identity; scalars and vectors become diagonals."""
    s = np.asarray(sigma, dtype=float)
    if s.ndim == 0:
        return None if s == 1 else s * np.eye(dim)
    if s.ndim == 1:
        if s.size != dim:
            raise ValueError(f"noise: Sigma has {s.size} entries for a {dim}-dimensional state")
        return np.diag(s)
    if s.shape != (dim, dim):
        raise ValueError(f"noise: Sigma has shape {s.shape} for a {dim}-dimensional state")
    return s


class SasNoise:
    """Per-step noise Sigma xi, xi ~ SaS(1)^d (independent coordinates) or rotationally invariant SaS(1),
    prefetched in blocks for the live paths and gathered by path, so dropped paths cost nothing."""

    def __init__(self, alpha: float, dim: int, sigma=1.0, isotropic: bool = False):
        self.alpha, self.dim, self.isotropic = check_alpha(alpha), int(dim), bool(isotropic)
        self.S = _noise_matrix(sigma, self.dim)
        self.diagonal = self.S is None or np.count_nonzero(self.S - np.diag(np.diag(self.S))) == 0
        self._buf: np.ndarray | None = None
        self._cols = np.empty(0, dtype=np.int64)
        self._k = 0

    def reset(self) -> None:
        self._buf = None

    def xi(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """The standard draws xi of the next step for the n live paths, shape (n, d)."""
        if self._buf is None or self._k == self._buf.shape[0] or self._cols.size != n:
            steps = max(1, NOISE_BLOCK // max(1, n * self.dim))
            if self.isotropic:
                self._buf = sas_isotropic(self.alpha, steps * n, self.dim, rng).reshape(steps, n, self.dim)
            else:
                self._buf = sas(self.alpha, (steps, n, self.dim), rng)
            self._cols, self._k = np.arange(n), 0
        out = self._buf[self._k, self._cols]
        self._k += 1
        return out

    def scale(self, xi: np.ndarray) -> np.ndarray:
        """Sigma xi for rows xi."""
        if self.S is None:
            return xi
        if self.diagonal:
            return xi * np.diag(self.S)
        return xi @ self.S.T

    def __call__(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.scale(self.xi(n, rng))

    def keep(self, mask) -> None:
        if self._buf is not None:
            self._cols = self._cols[mask]


def _per_path(value, name: str) -> np.ndarray | float:
    v = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(v) if v.ndim == 0 else v.reshape(-1, 1)


def _keep(value, mask):
    return value[mask] if isinstance(value, np.ndarray) else value


# --- losses and basins ------------------------------------------------------------------------------------
class Quadratic:
    """F(theta) = F0 + (theta - c)^T H (theta - c) / 2 with the basin Omega = {F <= height} (an interval in
    1-D, an ellipse in 2-D), `zhou` Sec. 4.2's quadratic basin with h(theta*) = height."""

    def __init__(self, H, height: float, center=None, F0: float = 0.0):
        self.H = np.atleast_2d(np.asarray(H, dtype=float))
        d = self.H.shape[0]
        if self.H.shape != (d, d) or not np.allclose(self.H, self.H.T):
            raise ValueError(f"Quadratic: H must be a symmetric matrix, got shape {self.H.shape}")
        self.eig, self.U = np.linalg.eigh(self.H)
        if self.eig.min() <= 0:
            raise ValueError("Quadratic: H must be positive definite for a basin "
                             f"(smallest eigenvalue {self.eig.min():.3g})")
        self.c = np.zeros(d) if center is None else np.asarray(center, dtype=float).reshape(d)
        self.F0, self.height = float(F0), float(height)
        if not self.height > self.F0:
            raise ValueError(f"Quadratic: height={height!r} must exceed F(theta*)={F0!r}")
        self.level = 2 * (self.height - self.F0)          # h_f^* = 2 (h - F): Omega = {y^T H y <= h_f^*}
        self._half_width = math.sqrt(self.level / self.eig[0]) if d == 1 else None

    @property
    def dim(self) -> int:
        return self.H.shape[0]

    def value(self, x):
        y = np.asarray(x, dtype=float) - self.c
        return self.F0 + 0.5 * np.einsum("...i,ij,...j->...", y, self.H, y)

    def grad(self, x):
        return (np.asarray(x, dtype=float) - self.c) @ self.H

    def inside(self, x, margin: float = 0.0) -> np.ndarray:
        """x in Omega^(-margin) = {y in Omega : dist(y, boundary) >= margin} (margin = 0: x in Omega)."""
        if self.dim == 1 and margin <= 0:                                     # an interval: one comparison
            return np.abs(np.asarray(x, dtype=float).reshape(-1) - self.c[0]) <= self._half_width
        y = (np.atleast_2d(np.asarray(x, dtype=float)) - self.c) @ self.U     # eigen-coordinates
        q = (y * y) @ self.eig
        if margin <= 0:
            return q <= self.level
        return _max_over_ball(y, self.eig, margin) <= self.level

    def edge_distance(self) -> np.ndarray:
        """Semi-axes sqrt(h_f^* / lambda_i) of the basin, in the eigenbasis order (ascending eigenvalues)."""
        return np.sqrt(self.level / self.eig)


def _max_over_ball(y: np.ndarray, a: np.ndarray, r: float, iters: int = 80) -> np.ndarray:
    """max_{|z| <= r} sum_i a_i (y_i + z_i)^2 per row y (a > 0): the disc of radius r around y lies in the
    ellipse {sum a_i u_i^2 <= h} iff this is <= h. On |z| = r the maximiser is z_i = a_i y_i / (lam - a_i) with
    lam > max(a) solving sum a_i^2 y_i^2 / (lam - a_i)^2 = r^2 (decreasing in lam: bisection in log(lam - a_max))."""
    a_max = a.max()
    top = np.isclose(a, a_max)
    w = (a * y) ** 2
    lo = np.full(y.shape[0], np.log(a_max * 1e-14))
    hi = np.log(np.sqrt(w.sum(axis=1)) / r + a_max * 1e-12) + 1.0
    for _ in range(iters):
        mid = (lo + hi) / 2
        lam = a_max + np.exp(mid)
        g = (w / (lam[:, None] - a) ** 2).sum(axis=1)
        big = g > r * r
        lo, hi = np.where(big, mid, lo), np.where(big, hi, mid)
    lam = a_max + np.exp(hi)
    value = (a * y ** 2 * (lam[:, None] / (lam[:, None] - a)) ** 2).sum(axis=1)
    # The "hard case" (y has no component along the top eigenvector and the rest cannot use up r): lam = a_max.
    rest = np.where(top, 0.0, w / np.where(top, 1.0, (a_max - a) ** 2)).sum(axis=1)
    hard = (rest < r * r) & np.all(np.where(top, y == 0, True), axis=1)
    if hard.any():
        ratio = np.where(top, 0.0, a_max / np.where(top, 1.0, a_max - a))
        value_hard = (a * y ** 2 * ratio ** 2).sum(axis=1) + a_max * (r * r - rest)
        value = np.where(hard, value_hard, value)
    return value


class MinOfParabolas:
    """The rebuttal's f(x) = min(x^2, a (x - 1)^2), a > 1, in 1-D; ``a`` may be one value per path (kept in
    step with the live paths through ``keep``). The a-branch is active on (left, right) with
    left = sqrt(a)/(sqrt(a) + 1) and right = sqrt(a)/(sqrt(a) - 1); left is a local maximum (the barrier,
    f = left^2), while at `right` f keeps increasing, so the domain of attraction of x = 1 is (left, inf)."""

    def __init__(self, a):
        a_arr = np.asarray(a, dtype=float)
        if not np.all(np.isfinite(a_arr) & (a_arr > 1)):
            raise ValueError(f"min(x^2, a(x-1)^2): a={a!r} breaks the assumption a > 1 (a basin at x = 1)")
        self.a = _per_path(a, "a")

    def keep(self, mask) -> None:
        self.a = _keep(self.a, mask)

    @property
    def left(self):
        s = np.sqrt(self.a)
        return s / (s + 1)

    @property
    def right(self):
        s = np.sqrt(self.a)
        return s / (s - 1)

    def value(self, x):
        return np.minimum(x * x, self.a * (x - 1) ** 2)

    def grad(self, x):
        return np.where(x * x < self.a * (x - 1) ** 2, 2 * x, 2 * self.a * (x - 1))

    def in_branch(self, x) -> np.ndarray:
        """x in (left, right): the a-branch region (the 'local basin at x = 1')."""
        return ((x > self.left) & (x < self.right))[:, 0]

    def in_attraction(self, x) -> np.ndarray:
        """x > left: the domain of attraction of x = 1 under gradient flow."""
        return (x > self.left)[:, 0]


# --- Euler schemes of the Levy SDEs ----------------------------------------------------------------------
class LevySDE:
    """`zhou` Eq. (4), dtheta = -grad F(theta) dt + eps Sigma dL_t, by Euler with step h:
    theta <- theta - h grad F(theta) + eps h^(1/alpha) Sigma xi. ``eps`` may be one value per path."""

    def __init__(self, grad: Callable, noise: SasNoise, eps, h: float):
        self.grad, self.noise = grad, noise
        self.h = _require("Levy SDE", "h", h, h > 0, "h > 0")
        self.eps = _per_path(eps, "eps")
        self.kick = self.eps * self.h ** (1 / noise.alpha)

    def __call__(self, x, rng):
        return x - self.h * self.grad(x) + self.kick * self.noise(x.shape[0], rng)

    def keep(self, mask) -> None:
        self.kick = _keep(self.kick, mask)
        self.noise.keep(mask)
        owner = getattr(self.grad, "__self__", None)
        if (keep := getattr(owner, "keep", None)) is not None:
            keep(mask)


class AdaptiveLevySDE:
    """`zhou` Eq. (5) (``preconditioner="adam"``) and the rebuttal's Eq. (9) (``"identity"``: SGD-M, Q_t = I):

        dtheta = -mu_t Q_t^-1 m_t dt + eps Q_t^-1 Sigma dL_t,  dm = beta1 (grad F - m) dt,  dv = beta2 (g^2 - v) dt,
        Q_t = diag(sqrt(omega_t v_t) + eps_adam),  mu_t = 1/(1 - e^(-beta1 t)),  omega_t = 1/(1 - e^(-beta2 t)).

    beta1, beta2 are rates (per unit time), not Adam's decay factors. The Euler step updates m and v first (as
    Adam (3) does) and then theta with mu, omega at t_(k+1) = (k+1) h, which avoids mu_0 = inf. The stochastic
    gradient fed to v is grad f_S = grad F(theta) - u with u = Sigma xi_k the step's own draw, the one that moves
    theta by +eps h^(1/alpha) Q^-1 u (``v_noise="same"``: the discrete algorithm's single noise sample), an
    independent draw (``"independent"``) or none (``"none"``);
    ``Q`` fixed (a vector) replaces the adaptive preconditioner (`zhou` Sec. 4.2's Q_theta*)."""

    def __init__(self, grad: Callable, noise: SasNoise, eps, h: float, beta1: float, beta2: float,
                 eps_adam: float = 1e-8, preconditioner: str = "adam", v_noise: str = "same", Q=None):
        name = "Levy SDE (5)" if preconditioner == "adam" else "Levy SDE (9)"
        self.grad, self.noise = grad, noise
        self.h = _require(name, "h", h, h > 0, "h > 0")
        self.beta1 = _require(name, "beta1", beta1, beta1 > 0, "beta1 > 0 (a rate)")
        self.beta2 = _require(name, "beta2", beta2, beta2 > 0, "beta2 > 0 (a rate)")
        self.eps_adam = _require(name, "eps_adam", eps_adam, eps_adam >= 0, "eps_adam >= 0")
        if preconditioner not in ("adam", "identity"):
            raise ValueError(f"{name}: preconditioner must be 'adam' or 'identity', got {preconditioner!r}")
        if v_noise not in ("same", "independent", "none"):
            raise ValueError(f"{name}: v_noise must be 'same', 'independent' or 'none', got {v_noise!r}")
        self.preconditioner, self.v_noise = preconditioner, v_noise
        self.Q = None if Q is None else np.asarray(Q, dtype=float).reshape(1, -1)
        self.eps = _per_path(eps, "eps")
        self.kick = self.eps * self.h ** (1 / noise.alpha)
        self._extra = SasNoise(noise.alpha, noise.dim, 1.0, noise.isotropic) if v_noise == "independent" else None
        self.m = self.v = None
        self.k = 0

    def __call__(self, x, rng):
        if self.m is None:
            self.m, self.v = np.zeros_like(x), np.zeros_like(x)
        g = self.grad(x)
        u = self.noise(x.shape[0], rng)
        self.m += self.h * self.beta1 * (g - self.m)
        if self.preconditioner == "adam" and self.Q is None:
            gs = g if self.v_noise == "none" else g - (u if self._extra is None else self.noise.scale(
                self._extra.xi(x.shape[0], rng)))
            self.v += self.h * self.beta2 * (gs * gs - self.v)
        self.k += 1
        t = self.k * self.h
        mu = 1 / -math.expm1(-self.beta1 * t)
        if self.preconditioner == "identity":
            return x - self.h * mu * self.m + self.kick * u
        if self.Q is not None:
            Q = self.Q
        else:
            Q = np.sqrt(self.v / -math.expm1(-self.beta2 * t)) + self.eps_adam
        with np.errstate(divide="ignore", invalid="ignore"):
            step = (self.h * mu * self.m - self.kick * u) / Q
        return x - np.where(np.isnan(step), 0.0, step)

    def keep(self, mask) -> None:
        self.kick = _keep(self.kick, mask)
        self.noise.keep(mask)
        if self._extra is not None:
            self._extra.keep(mask)
        if self.m is not None:
            self.m, self.v = self.m[mask], self.v[mask]
        owner = getattr(self.grad, "__self__", None)
        if (keep := getattr(owner, "keep", None)) is not None:
            keep(mask)


# --- the discrete algorithms with SaS gradient noise -----------------------------------------------------
class NoisyGradient:
    """One step of an optimizer on the stochastic gradient grad f_S = grad F(x) - u with gradient noise
    u = Sigma xi (`zhou` Sec. 3.2: u_t = grad F - grad f_S): SGD (2), Adam (3), SGD with momentum. With SGD,
    learning rate eta and the same draws, this is the Euler scheme of (4) with h = eta, eps = eta^((alpha-1)/alpha)."""

    def __init__(self, optimizer: Optimizer, grad: Callable, noise: SasNoise, scale=1.0):
        self.optimizer, self.grad, self.noise = optimizer, grad, noise
        self.scale = _per_path(scale, "scale")

    def __call__(self, x, rng):
        return self.optimizer.step(x, self.grad(x) - self.scale * self.noise(x.shape[0], rng))

    def keep(self, mask) -> None:
        self.optimizer.keep(mask)
        self.noise.keep(mask)
        self.scale = _keep(self.scale, mask)
        owner = getattr(self.grad, "__self__", None)
        if (keep := getattr(owner, "keep", None)) is not None:
            keep(mask)


def adam_eps_outside(lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """ADAM as `zhou` Eq. (3) prints it: theta -= eta m_t/(1 - beta1^t) / (sqrt(v_t/(1 - beta2^t)) + eps)."""
    return Adam(lr, beta1, beta2, eps, eps_inside=False)


class BiasCorrectedMomentum(Optimizer):
    """SGD with momentum as the rebuttal's SDE (9) models it: m_t = beta1 m_(t-1) + (1 - beta1) g_t,
    theta -= lr m_t / (1 - beta1^t) (Adam without the preconditioner; HeavyBall(lr, beta1, 1 - beta1) without
    the bias correction)."""

    name = "SGD-M (bias-corrected EMA)"
    state_names = ("m",)

    def __init__(self, lr: float, beta1: float = 0.9):
        self.beta1 = _unit_interval(self.name, "beta1", beta1)
        super().__init__(lr)

    def _init_state(self, g):
        self.m = np.zeros_like(g)

    def update(self, grad, params=None):
        g = self._begin(grad)
        self.m *= self.beta1
        self.m += (1 - self.beta1) * g
        return -self.lr * self.m / (1 - self.beta1 ** self.t)


def discrete(kind: str, lr: float, **kw) -> Optimizer:
    """'sgd', 'adam' (eps outside the root), 'sgdm' (bias-corrected EMA momentum, SDE (9)'s model),
    'heavy-ball' (m = beta1 m + g, theta -= lr m)."""
    if kind == "sgd":
        return SGD(lr)
    if kind == "adam":
        return adam_eps_outside(lr, **kw)
    if kind == "sgdm":
        return BiasCorrectedMomentum(lr, **kw)
    if kind == "heavy-ball":
        return HeavyBall(lr, kw.get("beta1", 0.9), 1.0)
    raise OptimizerError(f"unknown algorithm {kind!r}: use 'sgd', 'adam', 'sgdm' or 'heavy-ball'")


# --- first exits ---------------------------------------------------------------------------------------------
@dataclass
class ExitTimes:
    """First exits of n paths: ``steps`` is the exit step (the first step found outside), max_steps for the
    censored ones (still inside after max_steps); diverged paths are neither exits nor censored (report
    them; never average over them)."""

    steps: np.ndarray              # int; max_steps for censored and diverged paths
    exited: np.ndarray             # bool
    diverged: np.ndarray           # bool
    exit_state: np.ndarray         # (n, d): the first position outside; NaN unless exited
    max_steps: int
    dt: float                      # time per step (h for an SDE, 1 to count iterations)
    path_steps: int                # work: the sum over steps of the live paths

    @property
    def n(self) -> int:
        return int(self.steps.size)

    @property
    def censored(self) -> np.ndarray:
        return ~self.exited & ~self.diverged

    @property
    def times(self) -> np.ndarray:
        """Exit (or censoring) times in the dynamics' time unit: steps x dt."""
        return self.steps * self.dt

    @property
    def exited_fraction(self) -> float:
        return float(self.exited.mean())

    @property
    def censored_fraction(self) -> float:
        return float(self.censored.mean())

    @property
    def diverged_fraction(self) -> float:
        return float(self.diverged.mean())

    def survival_data(self) -> tuple[np.ndarray, np.ndarray]:
        """(times, censored) over the paths that did not diverge, for the censored-exponential statistics;
        report ``diverged_fraction`` next to any result drawn from them."""
        keep = ~self.diverged
        return self.times[keep], self.censored[keep]

    def mean_exited_steps(self) -> float:
        """Mean exit step over the paths that exited (nan if none did)."""
        return float(self.steps[self.exited].mean()) if self.exited.any() else float("nan")


def exit_times(step: Callable, x0, inside: Callable, n_paths: int, max_steps: int, rng: np.random.Generator,
               dt: float = 1.0, blowup: float = BLOWUP) -> ExitTimes:
    """Run ``step`` on n_paths copies from x0 until ``inside(x)`` (a bool per row) fails or max_steps, on the shared
    stepping loop (checks.dynamics.loop.run): paths that leave (or overflow) are dropped at once, with
    ``step.keep(mask)`` so their state goes too. Diverged paths keep ``steps = max_steps`` and are flagged."""
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim == 2 and x0.shape[0] == n_paths:              # one start per path
        start = x0
    else:
        start = np.array(np.broadcast_to(np.atleast_1d(x0), (n_paths, np.size(x0))), dtype=float)
    traj = run(step, start, int(max_steps), rng, stop=lambda x: ~np.asarray(inside(x), dtype=bool), blowup=blowup)
    exited = traj.exit_step > 0
    steps = np.where(exited, traj.exit_step, int(max_steps)).astype(np.int64)
    exit_state = traj.exit_position if traj.exit_position is not None else np.full(start.shape, np.nan)
    return ExitTimes(steps, exited, traj.diverged.copy(), exit_state, int(max_steps), float(dt), traj.path_steps)
