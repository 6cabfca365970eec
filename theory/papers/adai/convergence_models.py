"""The processes behind Theorem 4 of `adai` and its lemmas, and the problem instances they are searched over.

Processes (App. A.6): the momentum rule (74), theta_{t+1} = theta_t - eta (1 - beta_t) g_t + beta_t (theta_t -
theta_{t-1}), theta_{-1} = theta_0, with a sequence beta_t in [0, beta_max] chosen in advance; and Algorithm 2 itself
(the Adai kernel of checks.dynamics.optimizers: bias correction, its own beta_{1,t}).

Instances: smooth nonconvex losses with bounded gradients from four parametrised families (a (1 - cos) valley,
log-cosh, a Huber loss, a sum of two Gaussian wells), their constants calL (a Lipschitz constant of the gradient), G
(a bound on the gradient) and L* (a lower bound) computed from the instance -- valid bounds, never estimates from
below, so no bound is made tighter than the paper's; gradient noise that is Gaussian or two-point (+-delta).

Expectations are exact wherever that is possible: a noise-free run is its own expectation, and on the quadratic
part of a Huber loss the process is linear, so with two-point noise (bounded) every iterate stays in a region where
the loss is quadratic -- the region's radius is the process's exact reach -- and every second moment follows from
the linear representation theta_k = a_k + sum_i c_{k,i} xi_i. Elsewhere: Monte Carlo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from checks.base import Undecidable
from checks.bounds import lambdify_bound
from checks.dynamics.optimizers import Adai

# --- notation of App. A.6 (1-D, as the proof assumes) and the expressions printed in more than one place -------------
t = sp.Symbol("t", integer=True, nonnegative=True)
k, j, i = sp.symbols("k j i", integer=True, nonnegative=True)
eta = sp.Symbol("eta", positive=True)
beta_max = sp.Symbol(r"\beta_{1,\max}", nonnegative=True)
C = sp.Symbol("C", positive=True)
G = sp.Symbol("G", positive=True)
calL = sp.Symbol(r"\mathcal{L}", positive=True)
delta = sp.Symbol("delta", nonnegative=True)
L0, Lstar = sp.Symbol(r"L(\theta_0)", real=True), sp.Symbol("L^{*}", real=True)
beta = sp.IndexedBase(r"\beta_{1}")  # beta_{1,k}
q = sp.IndexedBase("q")  # q_{k,t}
g = sp.IndexedBase("g")  # g_k, the stochastic gradient at theta_k
Q_DEF = (1 - beta[k]) * sp.Product(beta[i], (i, k + 1, t))  # Lemma 1: q_{k,t} (beta_k read as beta_{1,k})
ETA_RULE = C / sp.sqrt(t + 1)  # Theorem 4 and (117): eta <= C / sqrt(t + 1)
NOISE_G = G**2 + delta**2

SYMBOLS = {
    "t": "iterations run: t + 1 (theta_0 .. theta_{t+1})",
    "eta": "learning rate",
    r"\beta_{1,\max}": "the largest beta_{1,t} (1 - eps for Adai)",
    "C": "learning-rate constant",
    "G": "bound on ||grad L||",
    r"\mathcal{L}": "smoothness constant (Lipschitz constant of grad L)",
    "delta": "bound on the noise: E||g - grad L||^2 <= delta^2",
    r"L(\theta_0)": "initial loss",
    "L^{*}": "lower bound of L",
    "q": "weights q_{k,t} of Lemma 1",
    "g": "stochastic gradients g_k",
}


def q_weights(betas: np.ndarray, steps: int) -> np.ndarray:
    """q_{k,t} for k = 0..t from Lemma 1's printed definition (t = steps - 1)."""
    return np.array([_Q(kk, steps - 1, betas) for kk in range(steps)], dtype=float)


_Qf = None


def _Q(kk, tt, betas):
    global _Qf
    if _Qf is None:
        _Qf = lambdify_bound([k, t, beta.label], Q_DEF)
    return _Qf(kk, tt, betas)


FAMILIES = ("cosine valley", "log-cosh", "Huber", "two Gaussian wells")
SCHEDULES = ("constant", "alternating", "switch-on", "ramp", "pseudo-random")
NOISES = ("none", "Gaussian", "two-point")


# --- losses --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Loss1D:
    """One coordinate's loss sigma f(x) with its constants: smooth (calL), gmax (G), lower (L*)."""

    family: int
    sigma: float
    a: float  # shape: Huber radius, or the second well's depth
    b: float  # shape: the second well's position

    @property
    def center(self) -> float:
        return 0.5 + 3.5 * self.b

    def loss(self, x):
        s, f = self.sigma, self.family
        if f == 0:
            return 2 * s * np.sin(x / 2) ** 2  # 1 - cos x, accurate near 0
        if f == 1:
            ax = np.abs(x)
            small = 0.5 * np.log1p(np.sinh(np.minimum(ax, 1.0)) ** 2)  # log cosh: accurate near 0 ...
            large = ax + np.log1p(np.exp(-2 * ax)) - math.log(2)  # ... and overflow-free far out
            return s * np.where(ax < 1.0, small, large)
        if f == 2:
            ax = np.abs(x)
            return s * np.where(ax <= self.a, x * x / 2, self.a * ax - self.a**2 / 2)
        return -s * (np.exp(-x * x / 2) + self.a * np.exp(-((x - self.center) ** 2) / (2 * WELL**2)))

    def grad(self, x):
        s, f = self.sigma, self.family
        if f == 0:
            return s * np.sin(x)
        if f == 1:
            return s * np.tanh(x)
        if f == 2:
            return s * np.clip(x, -self.a, self.a)
        u = x - self.center
        return s * (x * np.exp(-x * x / 2) + self.a * u / WELL**2 * np.exp(-u * u / (2 * WELL**2)))

    def grad_scalar(self, x: float) -> float:
        """The gradient at one point, in floats (the noise-free runs' inner loop)."""
        s, f = self.sigma, self.family
        if f == 0:
            return s * math.sin(x)
        if f == 1:
            return s * math.tanh(x)
        if f == 2:
            return s * min(max(x, -self.a), self.a)
        u = x - self.center
        return s * (x * math.exp(-x * x / 2) + self.a * u / WELL**2 * math.exp(-u * u / (2 * WELL**2)))

    def constants(self) -> tuple[float, float, float]:
        """(calL, G, L*): exact for the first three families; for the wells, grid values plus the grid's
        worst-case error (from a bound on the next derivative), so each is a valid bound."""
        s, f = self.sigma, self.family
        if f in (0, 1):
            return s, s, 0.0
        if f == 2:
            return s, s * self.a, 0.0
        return _well_constants(s, self.a, self.center)


WELL = 0.6  # width of the second Gaussian well
# max |psi^(k)| of psi(x) = exp(-x^2/2), k = 1, 2, 3: the Lipschitz constants of the grid bounds
PSI_MAX = (math.exp(-0.5), 1.0, 1.3802)


@lru_cache(maxsize=4096)
def _well_constants(s: float, a: float, c: float) -> tuple[float, float, float]:
    x = np.linspace(-9.0, c + 9 * WELL, 40_001)
    h = x[1] - x[0]
    u = x - c
    e0, e1 = np.exp(-x * x / 2), np.exp(-u * u / (2 * WELL**2))
    d2 = s * ((1 - x * x) * e0 + a / WELL**2 * (1 - u * u / WELL**2) * e1)
    d1 = s * (x * e0 + a * u / WELL**2 * e1)
    lval = -s * (e0 + a * e1)
    l3 = s * PSI_MAX[2] * (1 + a / WELL**3)
    smooth = float(np.abs(d2).max() + l3 * h / 2)
    gmax = float(np.abs(d1).max() + smooth * h / 2)
    lower = float(lval.min() - smooth * h * h / 8)
    return smooth, gmax, lower


@dataclass(frozen=True)
class Loss:
    """A separable loss sum_i L_i(theta_i) (n = 1 or 2 coordinates)."""

    parts: tuple[Loss1D, ...]

    @property
    def n(self) -> int:
        return len(self.parts)

    def loss(self, theta):
        return sum(p.loss(theta[..., i]) for i, p in enumerate(self.parts))

    def grad(self, theta):
        if self.n == 1:
            return self.parts[0].grad(theta[..., :1])
        return np.stack([p.grad(theta[..., i]) for i, p in enumerate(self.parts)], axis=-1)

    def constants(self) -> tuple[float, float, float]:
        c = [p.constants() for p in self.parts]
        return max(x[0] for x in c), math.sqrt(sum(x[1] ** 2 for x in c)), sum(x[2] for x in c)


def loss_from(point: dict, n: int = 1) -> Loss:
    """The instance a searched point names: family, height sigma, shapes a, b; a second coordinate at height
    kappa sigma (n = 2)."""
    fam = int(point["family"])
    first = Loss1D(fam, point["sigma"], point.get("a", 1.0), point.get("b", 0.5))
    if n == 1:
        return Loss((first,))
    return Loss((first, Loss1D(fam, point["sigma"] * point["kappa"], point.get("a", 1.0), point.get("b", 0.5))))


# --- beta sequences ----------------------------------------------------------------------------------------------
def beta_schedule(kind: int, beta_max: float, b: float, steps: int) -> np.ndarray:
    """beta_0 .. beta_{steps-1} in [0, beta_max]: constant b beta_max; alternating beta_max, b beta_max;
    0 until step b steps then beta_max; a ramp to beta_max over b steps steps; or pseudo-random (seeded by b)."""
    t = np.arange(steps)
    if kind == 0:
        out = np.full(steps, b * beta_max)
    elif kind == 1:
        out = np.where(t % 2 == 0, beta_max, b * beta_max)
    elif kind == 2:
        out = np.where(t < math.ceil(b * steps), 0.0, beta_max)
    elif kind == 3:
        out = beta_max * np.minimum(1.0, t / (b * steps + 1.0))
    else:
        out = beta_max * np.random.default_rng(int(b * 1e6)).uniform(0, 1, steps)
    return np.clip(out, 0.0, beta_max)


# --- the processes -------------------------------------------------------------------------------------------------
def noise_draw(kind: int, delta: float, shape, rng) -> np.ndarray:
    """Gradient noise with E xi = 0 and E ||xi||^2 = delta^2 (split evenly over the last axis)."""
    n = shape[-1]
    if kind == 0 or delta == 0:
        return np.zeros(shape)
    if kind == 1:
        return rng.standard_normal(shape) * delta / math.sqrt(n)
    return rng.choice((-1.0, 1.0), size=shape) * delta / math.sqrt(n)


def run_eq74(
    loss: Loss,
    theta0,
    eta: float,
    betas: np.ndarray,
    steps: int,
    noise: int = 0,
    delta: float = 0.0,
    n_paths: int = 1,
    rng=None,
    xis: np.ndarray | None = None,
):
    """(74) for ``steps`` steps from theta_{-1} = theta_0: thetas (steps+1, P, n), stochastic gradients g_k
    (steps, P, n). betas has one entry per step (or per step and coordinate); ``xis`` (steps, P, n) gives the
    noise instead of drawing it."""
    n = loss.n
    n_paths = xis.shape[1] if xis is not None else n_paths
    theta = np.broadcast_to(np.asarray(theta0, dtype=float), (n_paths, n)).copy()
    prev = theta.copy()
    thetas, gs = [theta.copy()], []
    bet = np.asarray(betas, dtype=float).reshape(len(betas), -1)
    for k in range(steps):
        xi = xis[k] if xis is not None else noise_draw(noise, delta, (n_paths, n), rng)
        g = loss.grad(theta) + xi
        new = theta - eta * (1 - bet[k]) * g + bet[k] * (theta - prev)
        prev, theta = theta, new
        thetas.append(theta.copy())
        gs.append(g)
    return np.array(thetas), np.array(gs).reshape(steps, n_paths, n)


def run_adai(
    loss: Loss,
    theta0,
    eta: float,
    beta0: float,
    beta2: float,
    eps: float,
    steps: int,
    noise: int = 0,
    delta: float = 0.0,
    n_paths: int = 1,
    rng=None,
    xis: np.ndarray | None = None,
):
    """Algorithm 2 (the Adai kernel) for ``steps`` steps: thetas (steps+1, P, n), gradients g (steps, P, n) and
    the beta_{1,t} it chose (steps, P, n)."""
    n = loss.n
    n_paths = xis.shape[1] if xis is not None else n_paths
    opt = Adai(eta, beta0=beta0, beta2=beta2, eps=eps)
    theta = np.broadcast_to(np.asarray(theta0, dtype=float), (n_paths, n)).copy()
    thetas, gs, bs = [theta.copy()], [], []
    for k in range(steps):
        xi = xis[k] if xis is not None else noise_draw(noise, delta, (n_paths, n), rng)
        g = loss.grad(theta) + xi
        theta = opt.step(theta, g)
        thetas.append(theta.copy())
        gs.append(g)
        bs.append(opt.beta1.copy())
    return np.array(thetas), np.array(gs).reshape(steps, n_paths, n), np.array(bs).reshape(steps, n_paths, n)


# --- exact expectations ------------------------------------------------------------------------------------------
class PathSet:
    """Finitely many equally likely paths: a noise-free run (one path) or every sign pattern of two-point noise.
    theta, grad (K, P, n); g (K-1, P, n); expectations are exact averages over the paths."""

    def __init__(self, loss: Loss, thetas: np.ndarray, gs: np.ndarray, betas: np.ndarray):
        self.lossfn, self.theta, self.g, self.betas = loss, thetas, gs, np.asarray(betas)
        self.grad = loss.grad(thetas)
        self.weights = np.full(thetas.shape[1], 1.0 / thetas.shape[1])

    def inner(self, x: np.ndarray, y: np.ndarray) -> float:
        return float(self.weights @ (x * y).sum(-1))

    def mean_sq(self, seq: np.ndarray) -> np.ndarray:
        """E||X_k||^2 for every k of a sequence (K, P, n)."""
        return (seq * seq).sum(-1) @ self.weights

    def gram(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """E[<X_a, Y_b>] for two sequences (A, P, n), (B, P, n)."""
        return np.einsum("apn,bpn,p->ab", x, y, self.weights)

    def mean(self, x: np.ndarray) -> float:
        return float(self.weights @ x)

    def loss_mean(self, k: int) -> float:
        return self.mean(self.lossfn.loss(self.theta[k]))

    def loss_values(self, k: int) -> np.ndarray:
        return np.asarray(self.lossfn.loss(self.theta[k]))


class LinearForms:
    """(74) on L = h theta^2 / 2 (n = 1): every iterate a linear form in (1, xi_0, ..., xi_{M-1}), xi_i independent,
    zero-mean, variance var; theta, grad (K, 1+M, 1), g (K-1, 1+M, 1). Second moments are exact for any such noise."""

    def __init__(self, h: float, theta: np.ndarray, g: np.ndarray, var: float, betas: np.ndarray):
        self.h, self.theta, self.g, self.var, self.betas = h, theta, g, var, np.asarray(betas)
        self.grad = h * theta

    def inner(self, x: np.ndarray, y: np.ndarray) -> float:
        return float((x[0] * y[0]).sum() + self.var * (x[1:] * y[1:]).sum())

    def mean_sq(self, seq: np.ndarray) -> np.ndarray:
        return (seq[:, 0] ** 2).sum(-1) + self.var * (seq[:, 1:] ** 2).sum((1, 2))

    def gram(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.einsum("an,bn->ab", x[:, 0], y[:, 0]) + self.var * np.einsum("amn,bmn->ab", x[:, 1:], y[:, 1:])

    def loss_mean(self, k: int) -> float:
        return self.h / 2 * self.inner(self.theta[k], self.theta[k])

    def loss_values(self, k: int):
        raise Undecidable("a loss value's higher moments are not linear forms", "exact moments")


def noise_free(loss: Loss, theta0, eta: float, betas: np.ndarray, steps: int) -> PathSet:
    if loss.n == 1 and np.ndim(betas) == 1:  # one coordinate: a loop over floats
        part, x = loss.parts[0], float(np.ravel(theta0)[0])
        prev, xs, gs = x, [x], []
        for kk in range(steps):
            gr = part.grad_scalar(x)
            new = x - eta * (1 - betas[kk]) * gr + betas[kk] * (x - prev)
            prev, x = x, new
            xs.append(x)
            gs.append(gr)
        return PathSet(loss, np.array(xs).reshape(-1, 1, 1), np.array(gs).reshape(-1, 1, 1), betas)
    thetas, gs = run_eq74(loss, theta0, eta, betas, steps)
    return PathSet(loss, thetas, gs, betas)


def two_point_paths(steps: int, delta: float) -> np.ndarray:
    """Every sign pattern of 1-D two-point noise +-delta over ``steps`` steps: (steps, 2^steps, 1)."""
    codes = np.arange(2**steps)[None, :] >> np.arange(steps)[:, None]
    return (2.0 * (codes & 1) - 1.0)[..., None] * delta


def two_point_exact(loss: Loss, theta0, eta: float, betas: np.ndarray, steps: int, delta: float) -> PathSet:
    """(74) under two-point noise, every one of the 2^steps noise sequences: exact expectations (1-D)."""
    thetas, gs = run_eq74(loss, theta0, eta, betas, steps, xis=two_point_paths(steps, delta))
    return PathSet(loss, thetas, gs, betas)


def quadratic_exact(h: float, theta0: float, eta: float, betas: np.ndarray, steps: int, delta: float):
    """(74) on L = h theta^2 / 2 with noise of variance delta^2, as linear forms: (LinearForms, reach), where
    reach is the largest |theta_k| any two-point sequence (+-delta) produces -- the Huber loss with that radius
    is quadratic wherever the process goes, so the moments are exact for it."""
    th = np.zeros((steps + 1, 1 + steps))
    th[0, 0] = theta0
    prev = th[0].copy()
    gl = np.zeros((steps, 1 + steps))
    for k in range(steps):
        g = h * th[k]
        g[1 + k] += 1.0
        gl[k] = g
        th[k + 1] = th[k] - eta * (1 - betas[k]) * g + betas[k] * (th[k] - prev)
        prev = th[k]
    reach = float(np.max(np.abs(th[:, 0]) + delta * np.abs(th[:, 1:]).sum(axis=1)))
    return LinearForms(h, th[..., None], gl[..., None], delta**2, betas), reach


# --- the process's expectations the lemmas name (at step t) -----------------------------------------------------------
DL = sp.Symbol(r"\mathbb{E}[L(\theta_{t+1}) - L(\theta_t)]", real=True)
EN = sp.IndexedBase(r"\mathbb{E}\|\nabla L(\theta)\|^{2}")  # E||grad L(theta_k)||^2
EG = sp.IndexedBase(r"\mathbb{E}\|g\|^{2}")  # E||g_k||^2
DG = sp.IndexedBase(r"\mathbb{E}\|\nabla L(\theta_{\cdot+1}) - \nabla L(\theta_{\cdot})\|^{2}")
DLIT = sp.IndexedBase(r"\mathbb{E}\|\nabla L(\theta_{\cdot+1}) - L(\theta_{\cdot})\|^{2}")  # as Lemmas 2, 4 print it
W = sp.IndexedBase(r"\mathbb{E}[(\nabla L(\theta_{\cdot+1}) - \nabla L(\theta_{\cdot}))^{\top} \nabla L(\theta)]")
WG = sp.IndexedBase(r"\mathbb{E}[(\nabla L(\theta_{\cdot+1}) - \nabla L(\theta_{\cdot}))^{\top} g]")
Y = sp.IndexedBase(r"\mathbb{E}\|\nabla L(\theta_t) - \nabla L(\theta)\|^{2}")
S = sp.Symbol(r"\mathbb{E}\|\sum_{k} q_{k,t} g_k\|^{2}", nonnegative=True)
EXPECTATIONS = {
    DL.name: "E[L(theta_{t+1}) - L(theta_t)]",
    EN.name: "E||grad L(theta_k)||^2 (index k)",
    EG.name: "E||g_k||^2 (index k)",
    DG.name: "E||grad L(theta_{j+1}) - grad L(theta_j)||^2 (index j)",
    DLIT.name: "E||grad L(theta_{j+1}) - L(theta_j)||^2, as printed (index j; 1-D)",
    W.name: "E[(grad L(theta_{j+1}) - grad L(theta_j))^T grad L(theta_k)] (indices j, k)",
    WG.name: "E[(grad L(theta_{j+1}) - grad L(theta_j))^T g_k] (indices j, k; the noise kept)",
    Y.name: "E||grad L(theta_t) - grad L(theta_k)||^2 (index k)",
    S.name: "E||sum_k q_{k,t} g_k||^2",
}


def expectations(E, tt: int, q_t: np.ndarray | None) -> dict:
    """Every expectation the lemmas name, at step t, exactly (E a PathSet or LinearForms); the weights q_{k,t}
    are needed for S only."""
    grad, gs = E.grad[: tt + 2], E.g[: tt + 1]
    out = {
        DL.name: E.loss_mean(tt + 1) - E.loss_mean(tt),
        EN.label.name: E.mean_sq(grad[: tt + 1]),
        EG.label.name: E.mean_sq(gs),
        DG.label.name: E.mean_sq(grad[1 : tt + 1] - grad[:tt]),
        W.label.name: E.gram(grad[1 : tt + 1] - grad[:tt], grad[: tt + 1]),
        WG.label.name: E.gram(grad[1 : tt + 1] - grad[:tt], gs),
        Y.label.name: E.mean_sq(grad[tt][None] - grad[: tt + 1]),
    }
    if q_t is not None:
        mom = np.tensordot(q_t, gs, axes=1)
        out[S.name] = E.inner(mom, mom)
    if isinstance(E, PathSet) and E.theta.shape[-1] == 1:
        lit = [E.mean((E.grad[jj + 1, :, 0] - E.loss_values(jj)) ** 2) for jj in range(tt)]
        out[DLIT.label.name] = np.array(lit)
    return out
