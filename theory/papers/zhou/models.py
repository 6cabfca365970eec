"""Shared notation and models of `zhou` (and of its rebuttal): symbols, the constants of the SaS law, the Levy
measure of escaping sets, and the simulations the claims compare with.

Conventions (stated in every claim that depends on them):
* SaS(sigma): E exp(i w X) = exp(-|sigma w|^alpha); L_t has independent SaS(1) coordinates at t = 1 (the paper's
  "its i-th entry L_{t,i} obeys SaS(1)"), so its Levy measure is nu(dy) = c_alpha |y|^(-1-alpha) dy on each axis with
  c_alpha = Gamma(1 + alpha) sin(pi alpha / 2) / pi.
* Euler scheme of (4) with step h: theta <- theta - h grad F + eps h^(1/alpha) Sigma xi, xi ~ SaS(1)^d; with h = eta
  and eps = eta^((alpha-1)/alpha) it is SGD (2) with gradient noise Sigma xi.
* Basins: quadratic F = y^T H y / 2 with Omega = {F <= level/2} (level = h_f^* = 2(h - F(theta*))); the margin
  eps^gamma of Omega^(-eps^gamma) is taken -> 0 (gamma large), so Gamma is the first exit from Omega.
* Reading R-m of Theorem 1's m(W): m(W) = (alpha/2) nu(W), so m(W) Theta(eps^-1) = nu(W / eps) = eps^alpha nu(W): the
  rate of the jumps of eps L that leave the basin from theta*.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks.dynamics.levy import (
    AdaptiveLevySDE,
    LevySDE,
    MinOfParabolas,
    NoisyGradient,
    Quadratic,
    SasNoise,
    discrete,
    exit_times,
)
from checks.dynamics.stable import levy_constant, sas

# --- symbols ----------------------------------------------------------------------------------------------------
alpha = sp.Symbol("alpha", positive=True)              # tail index
eps = sp.Symbol("varepsilon", positive=True)           # noise scale eps = eta^((alpha-1)/alpha)
eta = sp.Symbol("eta", positive=True)                  # learning rate
h = sp.Symbol("h", positive=True)                      # Euler step
sigma = sp.Symbol("sigma", positive=True)              # SaS scale
omega = sp.Symbol("omega", real=True)
x = sp.Symbol("x", positive=True)
u = sp.Symbol("u", real=True)
rho = sp.Symbol("rho", positive=True)
delta = sp.Symbol("delta", positive=True)
mu = sp.Symbol("mu", positive=True)
Delta = sp.Symbol("Delta", positive=True)
rhobar = sp.Symbol(r"\bar{\rho}", positive=True)
kappa3 = sp.Symbol(r"\kappa_3", positive=True)
beta1, beta2 = sp.symbols("beta_1 beta_2", positive=True)
S = sp.Symbol("S", positive=True, integer=True)       # batch size
n_data = sp.Symbol("n", positive=True, integer=True)  # number of samples
t = sp.Symbol("t", positive=True)
m_W = sp.Symbol("m(W)", positive=True)                 # the Radon measure of the escaping set
Gamma_ = sp.Symbol(r"\Gamma", positive=True)           # the exit time
b = sp.Symbol("b", positive=True)                      # half-width of a 1-D basin

C_ALPHA = sp.gamma(1 + alpha) * sp.sin(sp.pi * alpha / 2) / sp.pi       # Levy-measure constant of SaS(1)
THETA_THM1 = 2 / alpha * eps ** alpha                                  # Theorem 1: Theta(eps^-1) = (2/alpha) eps^alpha

SYMBOLS = {"alpha": "tail index of the SaS noise", "varepsilon": "noise scale eps = eta^((alpha-1)/alpha)",
           "eta": "learning rate", "h": "Euler step", "sigma": "SaS scale", "S": "batch size",
           "m(W)": "Radon measure of the escaping set W", r"\Gamma": "first exit time from the basin",
           "b": "half-width of the 1-D basin (-b, b)", "beta_1": "first-moment parameter",
           "beta_2": "second-moment parameter"}

DYN4 = "SDE (4), Euler scheme theta <- theta - h grad F + eps h^(1/alpha) Sigma xi, xi ~ SaS(1)^d"


def c_alpha(a: float) -> float:
    return levy_constant(a)


# --- the Levy measure of escaping sets ----------------------------------------------------------------------------
def axis_reach(H, level: float, Sigma) -> np.ndarray:
    """R_i: the smallest size of a jump along coordinate axis i (moved by Sigma e_i) that leaves the quadratic basin
    {y^T H y <= level} from its centre: R_i = sqrt(level / (s_i^T H s_i)), s_i = Sigma e_i."""
    H = np.atleast_2d(np.asarray(H, dtype=float))
    d = H.shape[0]
    Sig = np.asarray(Sigma, dtype=float)
    Sig = Sig * np.eye(d) if Sig.ndim == 0 else (np.diag(Sig) if Sig.ndim == 1 else Sig)
    quad = np.einsum("ji,jk,ki->i", Sig, H, Sig)
    return np.sqrt(level / quad)


def nu_escape(a: float, H, level: float, Sigma=1.0) -> float:
    """nu(W): the Levy measure of the escaping set W = {y : Sigma y not in Omega} for independent SaS(1) coordinates
    (jumps lie on the axes): sum_i (2 c_alpha / alpha) R_i^-alpha."""
    return float(np.sum(2 * c_alpha(a) / a * axis_reach(H, level, Sigma) ** -a))


def nu_interval(a: float, left: float, right: float) -> float:
    """nu of the jumps leaving (-left, right) from 0 in 1-D: (c_alpha / alpha)(left^-alpha + right^-alpha)."""
    return c_alpha(a) / a * (left ** -a + right ** -a)


# --- simulations ---------------------------------------------------------------------------------------------------
def quadratic_exits(a: float, e: float, step: float, H, level: float, Sigma, n: int, rng, cap: float = 12.0,
                    isotropic: bool = False):
    """First exits of the Euler scheme of (4) from the quadratic basin {y^T H y <= level}, started at the centre;
    censored at ``cap`` times the small-noise mean 1/nu(W/eps)."""
    H = np.atleast_2d(np.asarray(H, dtype=float))
    basin = Quadratic(H, level / 2)
    mean = 1 / (e ** a * nu_escape(a, H, level, Sigma))
    steps = int(math.ceil(cap * mean / step)) + 10
    sde = LevySDE(basin.grad, SasNoise(a, H.shape[0], Sigma, isotropic), e, step)
    return exit_times(sde, np.zeros(H.shape[0]), basin.inside, n, steps, rng, dt=step)


def exits_1d(point: dict, n: int, rng, cap: float = 12.0):
    """1-D: F = x^2/2 on (-b, b) (level b^2), Sigma = 1; point has alpha, varepsilon, h (and optionally b)."""
    bb = point.get("b", 1.0)
    return quadratic_exits(point["alpha"], point["varepsilon"], point["h"], [[1.0]], bb * bb, 1.0, n, rng, cap)


def discrete_exits(kind: str, a: float, lr: float, half_width: float, n: int, rng, max_steps: int, sigma=1.0,
                   **kw):
    """Discrete SGD / Adam (3) / SGD-M with SaS gradient noise sigma xi on F = x^2/2, exit from (-b, b), from 0."""
    basin = Quadratic([[1.0]], half_width ** 2 / 2)
    step = NoisyGradient(discrete(kind, lr, **kw), basin.grad, SasNoise(a, 1, sigma))
    return exit_times(step, [0.0], basin.inside, n, max_steps, rng, dt=1.0)


def adam_sde_exits(a: float, lr: float, half_width: float, n: int, rng, max_steps: int, v_noise="same", Q=None,
                   beta1_=0.9, beta2_=0.999, eps_adam=1e-8):
    """SDE (5) by Euler with h = eta, the rates of Adam's defaults ((1 - beta)/eta), exits counted in steps."""
    basin = Quadratic([[1.0]], half_width ** 2 / 2)
    e = lr ** ((a - 1) / a)
    sde = AdaptiveLevySDE(basin.grad, SasNoise(a, 1), e, lr, (1 - beta1_) / lr, (1 - beta2_) / lr, eps_adam, "adam",
                          v_noise, Q)
    return exit_times(sde, [0.0], basin.inside, n, max_steps, rng, dt=1.0)


def sgdm_sde_exits(a: float, lr: float, half_width: float, n: int, rng, max_steps: int, beta1_=0.9):
    """The rebuttal's SDE (9) (Q = I) by Euler with h = eta, rate (1 - beta1)/eta, exits counted in steps."""
    basin = Quadratic([[1.0]], half_width ** 2 / 2)
    e = lr ** ((a - 1) / a)
    sde = AdaptiveLevySDE(basin.grad, SasNoise(a, 1), e, lr, (1 - beta1_) / lr, 1.0, 0.0, "identity")
    return exit_times(sde, [0.0], basin.inside, n, max_steps, rng, dt=1.0)


def min_parabola_exits(a_values, a: float, step: float, scale: float, n: int, rng, steps: int, criterion="branch"):
    """The rebuttal's f = min(x^2, a (x-1)^2) from x0 = 1: x <- x - step f'(x) + scale xi, xi ~ SaS(1), one a per path;
    exit when x leaves the a-branch (x-, x+) ("branch") or crosses the barrier x- ("attraction")."""
    f = MinOfParabolas(np.asarray(a_values, dtype=float))
    inside = f.in_branch if criterion == "branch" else f.in_attraction
    sde = LevySDE(f.grad, SasNoise(a, 1), scale / step ** (1 / a), step)
    return exit_times(sde, [1.0], inside, n, steps, rng, dt=1.0)


def sas_sample(a: float, n: int, rng, scale: float = 1.0) -> np.ndarray:
    return sas(a, n, rng, scale)


def ema_sample(a: float, b1: float, steps: int, n: int, rng, first: int = 1) -> np.ndarray:
    """((1 - beta1)/(1 - beta1^t)) sum_{i=first}^{t} beta1^(t-i) u_i with u_i i.i.d. SaS(1), t = steps."""
    u_ = sas(a, (n, steps), rng)
    idx = np.arange(1, steps + 1)
    w = (1 - b1) * b1 ** (steps - idx) / (1 - b1 ** steps)
    w[idx < first] = 0.0
    return u_ @ w


def ema_scale(a: float, b1: float, steps: int, first: int = 1) -> float:
    """The SaS scale of the EMA above: stability gives (sum_i w_i^alpha)^(1/alpha)."""
    idx = np.arange(1, steps + 1)
    w = (1 - b1) * b1 ** (steps - idx) / (1 - b1 ** steps)
    w[idx < first] = 0.0
    return float(np.sum(w ** a) ** (1 / a))


def sas_quantile(a: float, q: float, scale: float = 1.0) -> float:
    from scipy.stats import levy_stable
    return float(levy_stable.ppf(q, a, 0.0, scale=scale))


def adam_sde_records(n: int, T: float, h: float, rng, a: float = 1.5, e: float = 0.05, b1: float = 1.0, b2: float = 1.0,
                     th0: float = 0.5, record=(), v_noise: str = "same", eps_adam: float = 1e-8, noise: bool = True):
    """SDE (5) on F = x^2/2 in 1-D by Euler (step h, rates b1, b2), from theta_0, with the noise-free twin (eps = 0)
    driven alongside. Returns per recorded time t: theta, m, the noise-free m-hat and grad F(theta-hat), and the
    running integrals int_0^t (m - m-hat) ds; plus the integral of <grad F/(1 + F), mu Q^-1 m> up to the first exit
    from (-1, 1) (or T), and whether the path exited."""
    steps = int(round(T / h))
    rec_steps = {int(round(r / h)): r for r in record}
    th, m, v = np.full(n, th0), np.zeros(n), np.zeros(n)
    th_hat, m_hat, v_hat = th0, 0.0, 0.0
    kick = e * h ** (1 / a)
    integral, diff_int = np.zeros(n), np.zeros(n)
    alive = np.ones(n, bool)
    out = {}
    noise_ = SasNoise(a, 1)
    for k in range(1, steps + 1):
        t_ = k * h
        mu_, om = 1 / -math.expm1(-b1 * t_), 1 / -math.expm1(-b2 * t_)
        g = th.copy()
        u_ = noise_(n, rng)[:, 0] if noise else np.zeros(n)
        m += h * b1 * (g - m)
        gs = g - u_ if v_noise == "same" else g
        v += h * b2 * (gs * gs - v)
        Q = np.sqrt(om * v) + eps_adam
        th = th - (h * mu_ * m - kick * u_) / Q
        g_hat = th_hat
        m_hat += h * b1 * (g_hat - m_hat)
        v_hat += h * b2 * (g_hat * g_hat - v_hat)
        th_hat = th_hat - h * mu_ * m_hat / (math.sqrt(om * v_hat) + eps_adam)
        integral += h * (th / (1 + th * th / 2)) * mu_ * m / Q * alive
        diff_int += h * (m - m_hat)
        alive &= np.abs(th) <= 1
        if k in rec_steps:
            out[rec_steps[k]] = {"theta": th.copy(), "m": m.copy(), "m_hat": m_hat, "grad_hat": th_hat,
                                 "diff": np.abs(m - m_hat), "diff_integral": np.abs(diff_int)}
    return out, integral, ~alive


def running_max_sqrt_v(a: float, b2: float, steps: int, n: int, rng) -> np.ndarray:
    """max_{t <= steps} sqrt(v_t) of ADAM's second moment at theta* (grad F = 0) fed SaS(1) gradient noise, per path."""
    v, best = np.zeros(n), np.zeros(n)
    block = 256
    for start in range(0, steps, block):
        u2 = sas(a, (min(block, steps - start), n), rng) ** 2
        for row in u2:
            v = b2 * v + (1 - b2) * row
            np.maximum(best, v, out=best)
    return np.sqrt(best)


_MEMO: dict = {}


def memo_by_rng(key, fn, rng):
    """fn(rng) memoised by (key, the generator's state before the call): a check that runs again with the same seed
    (a mutant of the statement) replays its simulation instead of repeating it."""
    k = (key, repr(rng.bit_generator.state))
    if k not in _MEMO:
        if len(_MEMO) > 64:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[k] = fn(rng)
    return _MEMO[k]


def sas_tail(a: float, x: float) -> float:
    """P(X > x) for X ~ SaS(1): scipy's integral for moderate x; for x >= 20 the tail series
    (1/pi) sum_k (-1)^(k+1) Gamma(k alpha)/k! sin(k pi alpha/2) x^(-k alpha) to three terms (scipy's integral loses
    all accuracy far out; the omitted terms are O(x^(-4 alpha)))."""
    if x < 20:
        from scipy.stats import levy_stable
        return float(levy_stable.sf(x, a, 0.0))
    return float(sum((-1) ** (k + 1) * math.gamma(k * a) / math.factorial(k) * math.sin(k * math.pi * a / 2)
                     * x ** (-k * a) for k in (1, 2, 3)) / math.pi)
