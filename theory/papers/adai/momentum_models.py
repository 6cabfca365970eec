"""Shared by the `adai` sections on Momentum, Adam and Adai near saddle points (mapping, theorem2, adam,
inertia): symbols, the printed expressions each typed once, the exact solutions of the models and the
simulations. Module level holds symbols and expressions only; nothing is integrated, solved or simulated
at import.

Models, along one eigenvector of the Hessian (eigenvalue h; gradient noise N(0, [H]^+/B), Eq. (3)):
- SDE (7) in phase space: d theta = r dt, dr = -(gamma r + h theta / M) dt + (2D)^(1/2) / M dW. It is
  linear, so theta(t) = r(0) G(t) + int_0^t G(t-u) (2D)^(1/2)/M dW(u) with G the impulse response and
  <Delta theta^2(t)> = E[r(0)^2] G(t)^2 + (2D/M^2) int_0^t G(u)^2 du (``msd_closed_form``); numerically, and
  independently of the closed form, by Van Loan's block exponential (``sde7_msd``).
- The discrete algorithms (Momentum (4), the idealized Adam (121), Adai with fixed inertia) are linear
  recursions; their exact second moments come from iterating the covariance (``heavy_ball_exact_variance``).
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.linalg import expm

from checks.dynamics.loop import run
from checks.dynamics.momentum import heavy_ball_exact_variance, optimizer_second_moments
from checks.dynamics.optimizers import HeavyBall, IdealizedAdam
from checks.dynamics.sample import Sample
from theory import BigO, Condition, Param
from theory.model import drop_big_o as drop_o  # noqa: F401  (re-exported for the tables)

from .sgd import EIG_FACTORS, NONZERO_H, P_B, P_D, P_H, SYMBOLS, B, D, H, T, eta, t, theta  # noqa: F401  (shared)

# --- symbols --------------------------------------------------------------------------------------------
r = sp.Symbol("r", real=True)                            # velocity r = d theta / dt (= -m in Eq. (5))
M = sp.Symbol("M", positive=True)                        # mass
gamma = sp.Symbol("gamma", positive=True)                # damping coefficient
beta1 = sp.Symbol("beta_1", positive=True)               # momentum hyperparameter, 0 < beta1 < 1
beta3 = sp.Symbol("beta_3", positive=True)               # 1 (SGD-style) or 1 - beta1 (Adam-style)
beta0 = sp.Symbol("beta_0", positive=True)               # Adai's beta0
vbar = sp.Symbol(r"\bar{v}", positive=True)              # Adai's mean of v-hat over the parameters
eta_hat = sp.Symbol(r"\hat{\eta}", positive=True)        # Adam's adaptive learning rate eta C^(-1/2)
dt = sp.Symbol("dt", positive=True)
g = sp.Symbol("g_t", real=True)                          # one stochastic gradient
m_prev = sp.Symbol("m_{t-1}", real=True)
r_prev = sp.Symbol("r_{t-1}", real=True)
r_now = sp.Symbol("r_t", real=True)
theta_now = sp.Symbol(r"\theta_t", real=True)
MSD = sp.Function(r"\langle\Delta\theta_{i}^{2}\rangle")
DRIFT = sp.Symbol(r"\langle\Delta\theta_{i}\rangle^{2}", real=True)
R_FORCE = sp.Symbol("R", nonnegative=True)               # relative change of the MSD made by the force H theta

MSYMBOLS = {**SYMBOLS, "r": "velocity d theta/dt", "M": "mass", "gamma": "damping coefficient",
            "beta_1": "momentum hyperparameter beta1 (0 < beta1 < 1)",
            "beta_3": "gradient weight beta3: 1 (SGD-style) or 1 - beta1 (Adam-style)",
            "beta_0": "Adai's beta0", r"\bar{v}": "mean of v-hat over all parameters",
            r"\hat{\eta}": "Adam's adaptive learning rate eta C^(-1/2)",
            r"\langle\Delta\theta_{i}\rangle^{2}": "total momentum drift along eigenvector i",
            "R": "|MSD with the force H theta / MSD without it - 1| (what the expansion's O(...) term stands for)"}

# --- parameter ranges and regimes ------------------------------------------------------------------------------
P_M = Param(M, 0.2, 5.0, log=True, doc="mass")
P_gamma = Param(gamma, 0.5, 5.0, log=True, doc="damping coefficient")
P_tlong = Param(t, 0.1, 10.0, log=True, doc="time")
P_beta1 = Param(beta1, 0.5, 0.95, doc="momentum beta1")
P_beta3 = Param(beta3, 0.05, 1.0, doc="gradient weight beta3")
P_eta = Param(eta, 1e-3, 0.05, log=True, doc="learning rate")
P_Tmom = Param(T, 5, 100, log=True, doc="iterations (of the order of 1/(1-beta1), where momentum matters)")
BETA1_BELOW_1 = Condition(beta1 < 1, "0 < beta1 < 1")
OVERDAMPED = Condition(4 * sp.Abs(H) / (gamma ** 2 * M) <= sp.Rational(1, 2),
                       "|H_i| << gamma M (the proof, Step II (a)): the force is slow against the damping, "
                       "encoded as 4|H_i|/(gamma^2 M) <= 1/2")
NEAR_SADDLE = Condition(sp.Abs(H) * t / (gamma * M) <= 1,
                        "near an ill-conditioned saddle: |H_i| t/(gamma M) small (encoded as <= 1)")
PAPER_SMALL = Condition(sp.Abs(H) * eta * T <= sp.Rational(3, 10), "|H_i| eta T << 1 (encoded as <= 0.3)")

# --- the Momentum mapping (Eq. (6)), the noise (Eq. (3)) and Adam's mapping (Eq. (123)) -------------------------
M_MOMENTUM = eta / beta3                                   # Eq. (6)
GAMMA_MOMENTUM = (1 - beta1) / eta                         # Eq. (6)
D_NOISE = eta * sp.Abs(H) / (2 * B)                        # Eq. (3) along eigenvector i
C_NOISE = sp.Abs(H) / B                                    # E[g g^T] = [H]^+/B along eigenvector i
ETA_HAT = eta * C_NOISE ** sp.Rational(-1, 2)              # eta-hat = eta C^(-1/2) (Sec. 4)
M_ADAM = eta_hat / (1 - beta1)                             # Eq. (123)
GAMMA_ADAM = (1 - beta1) / eta_hat                         # Eq. (123)
R_EQ2 = D / (gamma * M ** 2)                               # Step I: r_eq^2 = D/(gamma M^2)


def momentum_map(b3) -> dict:
    """SDE (7) in Momentum notation: M, gamma from (6), D from (3), t = eta T."""
    return {D: D_NOISE, gamma: GAMMA_MOMENTUM.subs(beta3, b3), M: M_MOMENTUM.subs(beta3, b3), t: eta * T}


def adam_map() -> dict:
    """SDE (7) in Adam notation: M, gamma from (123), D = eta-hat C/2, t-hat = eta-hat T, eta-hat = eta C^(-1/2)."""
    return {D: ETA_HAT * C_NOISE / 2, gamma: GAMMA_ADAM.subs(eta_hat, ETA_HAT), M: M_ADAM.subs(eta_hat, ETA_HAT),
            t: ETA_HAT * T}


# --- the printed expressions, each typed once -------------------------------------------------------------------
THM2_RHS = (D / (gamma ** 3 * M ** 2) * (1 - sp.exp(-gamma * t)) ** 2
            + D / (gamma * M * H) * (1 - sp.exp(-2 * H * t / (gamma * M))))                      # (9), (30)
REMAINDER = BigO(H ** 2 * eta ** 3 * T ** 2 / B)
MOMENTUM_PRINTED = (                                                                 # Thm 2, Momentum notation
    sp.Abs(H) * beta3 ** 2 * eta ** 2 / (2 * (1 - beta1) ** 3 * B) * (1 - sp.exp(-(1 - beta1) * T)) ** 2
    + sp.Abs(H) * beta3 ** 2 * eta ** 2 * T / (B * (1 - beta1) ** 2))
EQ31_PRINTED = (sp.Abs(H) * eta ** 2 / (2 * (1 - beta1) * B) * (1 - sp.exp(-(1 - beta1) * T)) ** 2
                + sp.Abs(H) * eta ** 2 * T / B)                                                 # (31)
EQ32_PRINTED = (sp.Abs(H) * eta ** 2 / (2 * (1 - beta1) ** 3 * B) * (1 - sp.exp(-(1 - beta1) * T)) ** 2
                + sp.Abs(H) * eta ** 2 * T / (B * (1 - beta1) ** 2))                            # (32)
PROP1_RHS = (D / (gamma ** 2 * M) * (1 - sp.exp(-gamma * t)) ** 2
             + D / (gamma * M * H) * (1 - sp.exp(-2 * H * t / (gamma * M))))                    # Proposition 1
PROP1_ADAM_PRINTED = eta ** 2 / (2 * (1 - beta1)) * (1 - sp.exp(-(1 - beta1) * T)) ** 2 + eta ** 2 * T
ADAM_REMAINDER = BigO(sp.sqrt(B * sp.Abs(H)) * eta ** 3 * T ** 2)    # printed O(sqrt(|B| H_i) eta^3 T^2)
EQ10_RHS = sp.Abs(H) * eta ** 2 / (2 * (1 - beta1) * B)                                           # (10)
PROP3_RHS = vbar * eta ** 2 / beta0                                                              # Proposition 3


def momentum_sum(b, n):
    """sum_{j=1}^{n} (1 - b^j)^2 in closed form: the H-free variance factor of the discrete recursion."""
    return n - 2 * b * (1 - b ** n) / (1 - b) + b ** 2 * (1 - b ** (2 * n)) / (1 - b ** 2)


# Corrected forms (derived in the claims' notes), shared with the plot tables.
DISCRETE_FROM_REST = sp.Abs(H) * beta3 ** 2 * eta ** 2 / (B * (1 - beta1) ** 2) * momentum_sum(beta1, T)
ADAM_FROM_REST = eta ** 2 * momentum_sum(beta1, T)          # idealized Adam (121): eta-hat^2 C = eta^2, beta3 = 1-beta1
SDE_AT_EQUILIBRIUM = (sp.Abs(H) * beta3 ** 2 * eta ** 2 / (B * (1 - beta1) ** 2)
                      * (T - (1 - sp.exp(-(1 - beta1) * T)) / (1 - beta1)))


# The proof's drift (27) and diffusion part (29), shared by their claims and by (30).
c0 = sp.Symbol("c_i", real=True)
r_eq = sp.Symbol("r_{i,eq}", positive=True)
C27 = c0 + r_eq / gamma * (1 - sp.exp(-gamma * t))
SIGMA2_29 = D / (gamma * M * H) * (1 - sp.exp(-2 * H * t / (gamma * M)))


# --- exact solution of the linear SDE (7), closed form ------------------------------------------------------------
def msd_closed_form(a, b, s2, r0_sq, time):
    """<theta(t)^2> for d theta = r dt, dr = (-a r - b theta) dt + s dW (s^2 = s2) from theta(0) = 0 with
    E r(0)^2 = r0_sq: r0_sq G^2 + s2 int_0^t G^2, G = (e^{l1 t} - e^{l2 t})/(l1 - l2), l1,2 roots of l^2 + a l + b."""
    root = sp.sqrt(a ** 2 - 4 * b)
    l1, l2 = (-a + root) / 2, (-a - root) / 2
    G = (sp.exp(l1 * time) - sp.exp(l2 * time)) / (l1 - l2)
    integral = ((sp.exp(2 * l1 * time) - 1) / (2 * l1) + (sp.exp(2 * l2 * time) - 1) / (2 * l2)
                - 2 * (sp.exp((l1 + l2) * time) - 1) / (l1 + l2)) / (l1 - l2) ** 2
    return r0_sq * G ** 2 + s2 * integral


def impulse_response(a, b, time):
    root = sp.sqrt(a ** 2 - 4 * b)
    l1, l2 = (-a + root) / 2, (-a - root) / 2
    return (sp.exp(l1 * time) - sp.exp(l2 * time)) / (l1 - l2)


EXACT_AT_EQUILIBRIUM = msd_closed_form(gamma, H / M, 2 * D / M ** 2, R_EQ2, t)   # r(0) at equilibrium (Step I)
EXACT_FROM_REST = msd_closed_form(gamma, H / M, 2 * D / M ** 2, 0, t)            # r(0) = 0 (m_0 = 0)
G_IMPULSE = impulse_response(gamma, H / M, t)


def moment_ode_residual(msd, r0_sq):
    """The second moments of (7) obey d<th^2>/dt = 2<th r>, d<th r>/dt = <r^2> - gamma <th r> - (H/M) <th^2>,
    d<r^2>/dt = -2 gamma <r^2> - 2 (H/M) <th r> + 2D/M^2. Given <th^2> = msd, the first two define <th r> and
    <r^2>; returns (residual of the third, [<th^2>(0), <th r>(0), <r^2>(0) - r0_sq]) -- all zero for the truth."""
    m1 = sp.diff(msd, t) / 2
    m2 = sp.diff(m1, t) + gamma * m1 + H / M * msd
    residual = sp.diff(m2, t) + 2 * gamma * m2 + 2 * H / M * m1 - 2 * D / M ** 2
    return residual, [msd, m1, m2 - r0_sq]


# --- exact numerics ------------------------------------------------------------------------------------------
def sde7_cov(h, d, mass, damping, time, r0_var=0.0) -> np.ndarray:
    """Covariance of (theta, r)(time) of SDE (7) (force h theta, noise (2d)^(1/2)/mass) from theta(0) = 0,
    r(0) ~ N(0, r0_var), independent of the closed form: Van Loan's block exponential over a short interval
    (where it is well conditioned), then doubling, Sigma_2s = Sigma_s + Phi_s Sigma_s Phi_s^T."""
    K = np.array([[0.0, -1.0], [h / mass, damping]])
    Q = np.array([[0.0, 0.0], [0.0, 2 * d / mass ** 2]])
    scale = max(np.abs(K).sum(axis=0).max(), np.abs(Q).max(), 1e-300) * time
    j = max(0, int(np.ceil(np.log2(scale / 0.25))))
    E = expm(np.block([[-K, Q], [np.zeros((2, 2)), K.T]]) * (time / 2.0 ** j))
    Phi = E[:2, :2]
    S = E[:2, 2:] @ Phi.T
    for _ in range(j):
        S, Phi = S + Phi @ S @ Phi.T, Phi @ Phi
    return (S + S.T) / 2 + Phi @ np.diag([0.0, r0_var]) @ Phi.T


def sde7_msd(h, d, mass, damping, time, r0_var=0.0) -> float:
    return float(sde7_cov(h, d, mass, damping, time, r0_var)[0, 0])


_MAPPED: dict = {}


def mapped(point: dict, mapping: dict, h=None) -> dict:
    """The SDE parameters (M, gamma, D, t) at a point given in algorithm notation, evaluated from ``mapping``."""
    values = {**point, **({"H": h} if h is not None else {})}
    out = {}
    for sym, expr in mapping.items():
        key = (sym, expr)
        if key not in _MAPPED:
            syms = sorted(expr.free_symbols, key=lambda s: s.name)
            _MAPPED[key] = ([s.name for s in syms], sp.lambdify(syms, expr))
        names, f = _MAPPED[key]
        out[sym.name] = float(f(*(values[n] for n in names)))
    return out


def recursion_variance(h: float, c: float, T: int, lr: float, b1: float, b3: float) -> float:
    """Var[theta_{T+1} - theta_1] of Momentum (4) along one direction, in plain floats (the worst-case searches
    call it thousands of times); the same recursion as heavy_ball_exact_variance, which tests compare."""
    s_tt = s_tm = s_mm = 0.0
    a11, a12, n1, a21, a22, n2 = 1 - lr * b3 * h, -lr * b1, -lr * b3, b3 * h, b1, b3
    for _ in range(int(T)):
        s_tt, s_tm, s_mm = (a11 * a11 * s_tt + 2 * a11 * a12 * s_tm + a12 * a12 * s_mm + n1 * n1 * c,
                            a11 * a21 * s_tt + (a11 * a22 + a12 * a21) * s_tm + a12 * a22 * s_mm + n1 * n2 * c,
                            a21 * a21 * s_tt + 2 * a21 * a22 * s_tm + a22 * a22 * s_mm + n2 * n2 * c)
    return s_tt


def discrete_variance(point: dict, b3: float, h=None, bias_correction=False) -> float:
    """Exact Var[theta_{T+1} - theta_1] of Momentum (4) from m_0 = 0 along one eigenvector (force h theta)."""
    h = point["H"] if h is None else h
    return float(heavy_ball_exact_variance(h, abs(point["H"]) / point["B"], int(point["T"]), point["eta"],
                                           point["beta_1"], b3, bias_correction=bias_correction))


def adam_variance(point: dict, h=None) -> float:
    """Exact variance of the idealized Adam (121): Momentum with beta3 = 1 - beta1 and lr eta C^(-1/2)."""
    h = point["H"] if h is None else h
    c = abs(point["H"]) / point["B"]
    return float(heavy_ball_exact_variance(h, c, int(point["T"]), point["eta"] / np.sqrt(c), point["beta_1"],
                                           1 - point["beta_1"]))


# --- simulations -------------------------------------------------------------------------------------------------
def eigs_of(point) -> np.ndarray:
    """The 3-D saddle of the simulations: eigenvalues (H, -0.6 H, 1.3 |H|), so both signs occur."""
    return np.array([f(point["H"]) for f in EIG_FACTORS])


class PhaseSpacePair:
    """One coarse Euler-Maruyama step of SDE (7) per direction (own step h_i, mass, damping, force, noise) and
    two fine half steps on the same Brownian increments; also the Brownian path W itself (for the overdamped
    SDE (28) driven by the same noise). State columns: [theta_f, r_f, theta_c, r_c, W], each d wide."""

    def __init__(self, a, b, s, h):
        self.a, self.b, self.s, self.h = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                                               for v in (a, b, s, h)))
        self.d = self.a.size
        self.half_kick = np.sqrt(self.h / 2) * self.s
        self.s_safe = np.where(self.s > 0, self.s, 1.0)

    def __call__(self, x, rng):
        d, a, b, h = self.d, self.a, self.b, self.h
        if not x.flags.f_contiguous:
            x = np.asfortranarray(x)                                            # column blocks contiguous
        th_f, r_f, th_c, r_c, w = (x[:, k * d:(k + 1) * d] for k in range(5))     # views: updated in place
        z = rng.standard_normal((x.shape[0], 2 * d))
        kick1, kick2 = z[:, :d] * self.half_kick, z[:, d:] * self.half_kick
        for kick in (kick1, kick2):                                             # two fine half steps
            dr = (a * r_f + b * th_f) * (-h / 2) + kick
            th_f += r_f * (h / 2)
            r_f += dr
        dr = (a * r_c + b * th_c) * (-h) + (kick1 + kick2)                      # one coarse step, same increments
        th_c += r_c * h
        r_c += dr
        w += (kick1 + kick2) / self.s_safe
        return x


def phase_space_paths(h, d, mass, damping, time, r0, n_paths, rng, n_coarse=400):
    """SDE (7) along independent directions (arrays over directions; each runs to its own time) from
    theta = 0 and r(0) = r0 (an (n_paths, d) array or broadcastable): a dict of the fine and coarse theta and r,
    the Brownian path W at the end, and the diverged mask."""
    h, d, mass, damping, time = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                                      for v in (h, d, mass, damping, time)))
    k = h.size
    step = PhaseSpacePair(damping, h / mass, np.sqrt(2 * d) / mass, time / n_coarse)
    x0 = np.zeros((n_paths, 5 * k))
    r0 = np.broadcast_to(np.asarray(r0, dtype=float), (n_paths, k))
    x0[:, k:2 * k], x0[:, 3 * k:4 * k] = r0, r0
    traj = run(step, x0, n_coarse, rng, save=(n_coarse,))
    end = traj.saved[n_coarse]
    return {"theta_f": end[:, :k], "r_f": end[:, k:2 * k], "theta_c": end[:, 2 * k:3 * k], "r_c": end[:, 3 * k:4 * k],
            "W": end[:, 4 * k:], "diverged": traj.diverged}


def richardson(fine, coarse) -> np.ndarray:
    return 2 * fine - coarse


def drop_diverged(values, diverged):
    """Diverged paths are reported, never averaged: their rows are zeroed (the check refuses to average them)."""
    return np.where(diverged[:, None], 0.0, values)


def sde7_msd_sample(h, d, mass, damping, time, r0_var, n_paths, rng, n_coarse=400) -> Sample:
    """Per-path theta_i(t)^2 of SDE (7) (Richardson-combined coupled Euler-Maruyama), r(0) ~ N(0, r0_var_i)."""
    h = np.atleast_1d(np.asarray(h, dtype=float))
    r0 = rng.standard_normal((n_paths, h.size)) * np.sqrt(np.broadcast_to(r0_var, h.shape))
    p = phase_space_paths(h, d, mass, damping, time, r0, n_paths, rng, n_coarse)
    th_f, th_c, bad = p["theta_f"], p["theta_c"], p["diverged"]
    values = drop_diverged(richardson(th_f ** 2, th_c ** 2), bad)
    return Sample(values, [f"<theta{i + 1}^2>" for i in range(h.size)], float(bad.mean()),
                  {"discretization_bias": (th_f ** 2).mean(axis=0) - values.mean(axis=0)})


def heavy_ball_sample(point, b3: float, n_paths, rng, dims: int = 3) -> Sample:
    """Momentum (4) (the package's HeavyBall) on the rotated 3-D saddle (or along one eigenvector), from rest;
    the exact recursion's variances ride along in info."""
    eigs = eigs_of(point)[:dims]
    exact = heavy_ball_exact_variance(eigs, np.abs(eigs) / point["B"], int(point["T"]), point["eta"],
                                      point["beta_1"], b3)
    return optimizer_second_moments(lambda C: HeavyBall(point["eta"], point["beta_1"], b3), eigs, point["B"],
                                    int(point["T"]), n_paths, rng, exact=exact, rotate=dims > 1)


def idealized_adam_sample(point, n_paths, rng, dims: int = 3, bias_correction: bool = False) -> Sample:
    """The idealized Adam (full-matrix C^(-1/2)); bias_correction=False is the rule (121) of App. H."""
    eigs = eigs_of(point)[:dims]
    c = np.abs(eigs) / point["B"]
    exact = heavy_ball_exact_variance(eigs, c, int(point["T"]), point["eta"] / np.sqrt(c), point["beta_1"],
                                      1 - point["beta_1"], bias_correction=bias_correction)
    return optimizer_second_moments(lambda C: IdealizedAdam(point["eta"], C, point["beta_1"],
                                                            bias_correction=bias_correction),
                                    eigs, point["B"], int(point["T"]), n_paths, rng, exact=exact, rotate=dims > 1)


def pad_cross(values) -> np.ndarray:
    """Claimed second moments on the 3-D saddle: the variances, then 0 for the three cross products."""
    return np.concatenate([np.asarray(values, dtype=float), np.zeros(3)])
