"""Shared by the `adai` sections on escaping minima (kramers, adaptive_escape, appendix_e): symbols, the printed
expressions each typed once, the exact escape-time models and the simulations. Module level holds symbols and
expressions only; nothing is integrated, solved or simulated at import.

Exact models, along the escape direction (1-D), gradient noise of variance v(theta) = [H]^+/B (Eq. (3)):
- two valleys: the cosine valley L = DeltaL (1 - cos(pi theta/w))/2 (minimum 0, saddles +-w, H_a = |H_b|, so
  v is constant and the path parameter s drops out) and the quartic double well L = DeltaL ((theta/w)^2 - 1)^2
  (minimum -w, saddle 0, H_a = 2|H_b|) whose noise is H_a/B on a -> s and |H_b|/B on s -> b: the proof's own
  picture ("T_a dominates the path a -> s, T_b the path s -> b"), with L(s) = (1-s) L(a) + s L(b);
- the dynamics in the dynamical time t = eta x iterations: SGD, dX = -L' dt + (eta v)^(1/2) dW (SDE (1));
  Momentum in its Smoluchowski limit, gamma M dX = -L' dt + (eta v)^(1/2) dW (SDE (7) as gamma^2 M -> oo);
  idealized Adam, dX = -v^(-1/2) L' dt + eta^(1/2) dW. All Ito, as (1) and (7) are written; the mean
  first-passage time past the saddle is a double quadrature (``mean_exit_time``), exact up to quadrature error.
The cosine valley has two exits; the theorem's tau is the escape time through one, twice the two-exit time.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from theory import Condition, Param, Sampling

from .momentum_models import GAMMA_MOMENTUM, M_MOMENTUM, M, beta0, beta1, beta3, gamma  # noqa: F401  (shared)
from .sgd import B, H, eta

# --- symbols ----------------------------------------------------------------------------------------------------
tau = sp.Symbol("tau", positive=True)                   # mean escape time
H_ae = sp.Symbol("H_ae", positive=True)                 # Hessian eigenvalue at the minimum a, escape direction e
H_be = sp.Symbol("H_be", negative=True)                 # ... at the saddle b (negative)
dL = sp.Symbol(r"\Delta L", positive=True)              # barrier height L(b) - L(a)
s = sp.Symbol("s", positive=True)                       # path parameter, 0 < s < 1
n_dim = sp.Symbol("n", positive=True, integer=True)     # number of parameters
trace_b = sp.Symbol(r"\sum_i |H_{bi}|", positive=True)  # trace norm of H_b

ESYMBOLS = {"tau": "mean escape time", "H_ae": "Hessian eigenvalue at the minimum a along the escape direction e",
            "H_be": "Hessian eigenvalue at the saddle b along e (< 0)", r"\Delta L": "barrier height L(b) - L(a)",
            "s": "path parameter in (0, 1): L(s) = (1-s) L(a) + s L(b)", "gamma": "damping coefficient",
            "M": "mass", "eta": "learning rate", "B": "batch size", "beta_1": "momentum hyperparameter",
            "beta_3": "gradient weight of Momentum (4)", "beta_0": "Adai's beta0", "n": "number of parameters",
            r"\sum_i |H_{bi}|": "trace norm of the Hessian at b",
            r"\hat{D}_{be}": "effective diffusion (42) at the saddle along e (its corrected value, "
                             "adai.eq42.corrected: D/(gamma M)^2 times the Kalinay-Percus factor)"}

# --- the printed expressions (each typed once) ----------------------------------------------------------------
X_INERTIA = 4 * sp.Abs(H_be) / (gamma ** 2 * M)                                   # 4|H_be|/(gamma^2 M)
EXPONENT = 2 * gamma * M * B * dL / eta * (s / H_ae + (1 - s) / sp.Abs(H_be))     # Theorem 3's exponent
TAU_THM3 = sp.pi * (sp.sqrt(1 + X_INERTIA) + 1) / sp.Abs(H_be) * sp.exp(EXPONENT)  # Theorem 3, (65), (72)
TAU_SGD = 2 * sp.pi / sp.Abs(H_be) * sp.exp(2 * B * dL / eta * (s / H_ae + (1 - s) / sp.Abs(H_be)))
RATIO_57 = (1 - sp.sqrt(1 - 4 * H / (gamma ** 2 * M))) / (2 * H / (gamma ** 2 * M))  # (42)/(57): D-hat/D at H
LOG_TAU_66 = 2 * (1 - beta1) * B * dL / (beta3 * eta * H_ae)                      # the argument of (66)
# Proposition 2 (Adam), with its radicand sqrt(|B| H_be) read as sqrt(B |H_be|) (see adai.prop2.radicand)
PROP2_RADICAND = sp.sqrt(B * sp.Abs(H_be))
TAU_PROP2 = (sp.pi * (sp.sqrt(1 + 4 * eta * PROP2_RADICAND / (1 - beta1)) + 1)
             * sp.Abs(H_be / H_ae) ** sp.Rational(1, 4) / sp.Abs(H_be)
             * sp.exp(2 * sp.sqrt(B) * dL / eta * (s / sp.sqrt(H_ae) + (1 - s) / sp.sqrt(sp.Abs(H_be)))))
TAU_EQ70 = TAU_PROP2.subs(PROP2_RADICAND, sp.sqrt(B) * sp.Abs(H_be))              # (70) prints sqrt(B) |H_be|
TAU_PROP4 = (sp.pi * (sp.sqrt(1 + 4 * eta * trace_b / (beta0 * n_dim)) + 1) / sp.Abs(H_be)
             * sp.exp(2 * B * dL / eta * (s / H_ae + (1 - s) / sp.Abs(H_be))))

# --- parameter ranges ----------------------------------------------------------------------------------------------
# The boxes keep tau within floating-point range (exponent <= a few hundred): checks that need lower temperatures
# set eta along their own ladders.
P_Hae = Param(H_ae, 0.2, 2.0, log=True, doc="curvature at the minimum")
P_Hbe = Param(H_be, -2.0, -0.2, doc="curvature at the saddle")
P_dL = Param(dL, 0.05, 0.5, log=True, doc="barrier height")
P_s = Param(s, 0.2, 0.8, doc="path parameter (sampled away from the ends, where the switch leaves the path)")
P_gamma = Param(gamma, 300.0, 3000.0, log=True, doc="damping coefficient")
P_M = Param(M, 3e-4, 3e-3, log=True, doc="mass")
P_eta = Param(eta, 0.1, 1.0, log=True, doc="learning rate")
P_B = Param(B, 1.0, 8.0, log=True, doc="batch size")
P_beta1 = Param(beta1, 0.5, 0.99, doc="momentum hyperparameter")
P_beta3 = Param(beta3, 0.05, 1.0, doc="gradient weight")
S_IN = Condition(s < 1, "0 < s < 1")
BETA1_BELOW_1 = Condition(beta1 < 1, "0 < beta1 < 1")
SMOLUCHOWSKI = Sampling(sp.Rational(1, 1000) >= X_INERTIA, "4|H_be|/(gamma^2 M) <= 1e-3: where the exact reference, "
                        "the Smoluchowski limit of (7), holds (Theorem 3: 'when 4|H_be|/(gamma^2 M) << 1')")

# --- the exact models ------------------------------------------------------------------------------------------------
LADDER_START = 4.0          # DeltaL / T_a on the first rung of a temperature ladder (eta halved per rung)


@dataclass(frozen=True)
class Valley:
    """A 1-D loss valley: minimum a, saddle b, reflecting wall r, exit c past the saddle, the noise switch."""

    kind: str               # "cosine" or "double-well"
    dl: float               # barrier height
    w: float                # length scale
    switch: float | None = None

    def grad(self, x):
        x = np.asarray(x, dtype=float)
        if self.kind == "cosine":
            return self.dl * math.pi / (2 * self.w) * np.sin(math.pi * x / self.w)
        u = x / self.w
        return 4 * self.dl * u * (u * u - 1) / self.w

    def loss(self, x):
        x = np.asarray(x, dtype=float)
        if self.kind == "cosine":
            return self.dl * (1 - np.cos(math.pi * x / self.w)) / 2
        return self.dl * ((x / self.w) ** 2 - 1) ** 2

    @property
    def H_a(self) -> float:
        return (math.pi ** 2 / 2 if self.kind == "cosine" else 8.0) * self.dl / self.w ** 2

    @property
    def H_b(self) -> float:          # |H_b|
        return self.H_a if self.kind == "cosine" else self.H_a / 2

    @property
    def ends(self) -> tuple[float, float, float]:       # (reflecting wall r, start a, exit c)
        return (0.0, 0.0, 1.5 * self.w) if self.kind == "cosine" else (-2 * self.w, -self.w, 0.5 * self.w)

    @property
    def exits(self) -> int:
        return 2 if self.kind == "cosine" else 1

    def v(self, x, B_: float):
        """Gradient-noise variance [H]^+/B (Eq. (3)): H_a/B on a -> s, |H_b|/B on s -> b."""
        x = np.asarray(x, dtype=float)
        if self.switch is None:
            return np.full_like(x, self.H_a / B_)
        return np.where(x < self.switch, self.H_a / B_, self.H_b / B_)

    def breaks(self) -> tuple[float, ...]:
        return () if self.switch is None else (self.switch,)


def cosine_valley(H: float, dl_: float) -> Valley:
    """The cosine valley with curvature H at its minimum and saddles and barrier DeltaL."""
    return Valley("cosine", dl_, math.pi * math.sqrt(dl_ / (2 * H)))


def double_well(H_a: float, dl_: float, s_: float) -> Valley:
    """The double well with curvature H_a at its minimum (|H_b| = H_a/2), barrier DeltaL and its noise switch
    where L = L(a) + s DeltaL."""
    w = math.sqrt(8 * dl_ / H_a)
    return Valley("double-well", dl_, w, -w * math.sqrt(1 - math.sqrt(s_)))


def valley_of(point: dict, kind: str) -> Valley:
    if kind == "cosine":
        return cosine_valley(point["H_ae"], point[r"\Delta L"])
    return double_well(point["H_ae"], point[r"\Delta L"], point["s"])


def on_valley(point: dict, kind: str, T_over_eta) -> dict:
    """Put a drawn point on a model valley: H_be (and, for the cosine valley, nothing else) from the model, and
    eta where DeltaL / T_a = LADDER_START; T_over_eta(point, valley) is T_a / eta of the dynamics."""
    val = valley_of(point, kind)
    p = {**point, "H_be": -val.H_b}
    p["eta"] = val.dl / (LADDER_START * T_over_eta(p, val))
    return p


def _grid(drift, diffusion, r: float, c: float, breaks, m: int, weight=None):
    """Nodes on [r, c] in pieces that meet at ``breaks`` (where D or the drift jump; the break is a node of both
    pieces, with one-sided values), with phi = -int drift/D, log D and log w."""
    edges = [r, *sorted(b for b in breaks if r < b < c), c]
    ys, f, Ds, g = [], [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        y = np.linspace(lo, hi, max(3, int(m * (hi - lo) / (c - r))))
        inside = np.clip(y, lo + 1e-12 * (c - r), hi - 1e-12 * (c - r))
        Dy = np.asarray(diffusion(inside), dtype=float) * np.ones_like(y)
        ys.append(y)
        Ds.append(Dy)
        f.append(-np.asarray(drift(inside), dtype=float) / Dy)
        g.append(np.ones_like(y) if weight is None else np.asarray(weight(inside), dtype=float) * np.ones_like(y))
    y, f, Dy, g = (np.concatenate(a) for a in (ys, f, Ds, g))
    return y, _cumtrapz(f, y), np.log(Dy), np.log(g)


def _cumtrapz(f: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) * np.diff(y) / 2)])


def _log_cumtrapz(log_f: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log of the cumulative trapezoid integral of e^log_f (no overflow or underflow at any barrier height)."""
    with np.errstate(divide="ignore"):
        seg = np.log(np.diff(y) / 2) + np.logaddexp(log_f[1:], log_f[:-1])
    return np.concatenate([[-np.inf], np.logaddexp.accumulate(seg)])


def mean_exit_time(drift, diffusion, r: float, x0: float, c: float, breaks=(), weight=None, n: int = 20_001) -> float:
    """E_x0 int_0^tau w(X_t) dt (the mean first-passage time for w = 1) of dX = drift(X) dt + (2 D(X))^(1/2) dW
    (Ito) with a reflecting wall at r and an absorbing end at c: int_x0^c e^phi(y) int_r^y w e^-phi / D dz dy,
    phi' = -drift / D. Piecewise grids meet at ``breaks``, so a jump costs no accuracy; trapezoid sums in logs on
    two grids, Richardson-combined."""
    def once(m):
        y, phi, log_D, log_w = _grid(drift, diffusion, r, c, breaks, m, weight)
        log_inner = _log_cumtrapz(log_w - phi - log_D, y)
        keep = y >= x0
        return _log_cumtrapz(phi[keep] + log_inner[keep], y[keep])[-1]

    coarse, fine = once(n), once(2 * n - 1)
    return math.exp(coarse) * (1 + (math.expm1(fine - coarse)) * 4 / 3)


def flux_density(drift, diffusion, r: float, c: float, xs, breaks=(), n: int = 20_001, upto: float | None = None):
    """log of the stationary density carrying a unit probability current J = 1 towards an absorbing end c (Ito),
    P(x) = e^-phi(x) int_x^c e^phi dy / D(x), at ``xs``, (x, side) pairs (side -1 / +1: the one-sided value at a
    break); when ``upto`` is given, also the log of the population int_r^upto P. Logs, because P(a) grows like
    e^(DeltaL/T). Richardson-combined like mean_exit_time."""
    def once(m):
        y, phi, log_D, _ = _grid(drift, diffusion, r, c, breaks, m)
        log_tail = _log_cumtrapz(phi[::-1], -y[::-1])[::-1]           # log int_y^c e^phi
        log_dens = -phi + log_tail - log_D
        out = []
        for x, side in xs:
            at = np.searchsorted(y, x, side="left" if side < 0 else "right") - (0 if side < 0 else 1)
            at = min(max(at, 0), y.size - 1)
            out.append(log_dens[at] if abs(y[at] - x) <= 1e-9 * (c - r) else float(np.interp(x, y, log_dens)))
        if upto is not None:
            keep = y <= upto
            out.append(_log_cumtrapz(log_dens[keep], y[keep])[-1])
        return np.array(out)

    coarse, fine = once(n), once(2 * n - 1)
    return coarse + np.log1p((np.exp(fine - coarse) - 1) * 4 / 3)        # Richardson on the values, in logs


def sgd_escape_time(val: Valley, eta_: float, B_: float, gm: float = 1.0) -> float:
    """One-exit mean escape time (dynamical time) of SGD's SDE (1) (gm = 1) or of Momentum's Smoluchowski limit,
    gm dX = -L' dt + (eta v)^(1/2) dW, with v = [H]^+/B switching at s."""
    r, a, c = val.ends
    tau2 = mean_exit_time(lambda x: -val.grad(x) / gm, lambda x: eta_ * val.v(x, B_) / (2 * gm * gm), r, a, c,
                          val.breaks())
    return val.exits * tau2


def adam_escape_time(val: Valley, eta_: float, B_: float, clock: str) -> float:
    """One-exit mean escape time of idealized Adam in its overdamped limit, dX = -v^(-1/2) L' dt + eta^(1/2) dW
    (t = eta x iterations; v = [H]^+/B switching at s), in the adaptive time of one clock: 'saddle' counts
    eta v_b^(-1/2) per iteration, 'path' the sum of eta-hat = eta v(theta)^(-1/2) over the iterations (Sec. 4)."""
    r, a, c = val.ends
    weight = (lambda x: 1.0 / np.sqrt(val.v(x, B_))) if clock == "path" else None
    tau2 = mean_exit_time(lambda x: -val.grad(x) / np.sqrt(val.v(x, B_)), lambda x: np.full_like(x, eta_ / 2),
                          r, a, c, val.breaks(), weight)
    if clock == "saddle":
        tau2 /= math.sqrt(val.H_b / B_)
    return val.exits * tau2


# --- the linear phase-space dynamics of (7) near a critical point --------------------------------------------------
def sde7_drift(H: float, gamma_: float, M_: float) -> np.ndarray:
    """d(theta, r)/dt = A (theta, r) for (7) with L = H theta^2/2."""
    return np.array([[0.0, 1.0], [-H / M_, -gamma_]])


def sde7_stationary_variance(H: float, D_: float, gamma_: float, M_: float) -> float:
    """Var theta of the stationary law of (7) at a minimum (H > 0): the Lyapunov equation A S + S A^T + Q = 0."""
    from scipy.linalg import solve_continuous_lyapunov

    Q = np.array([[0.0, 0.0], [0.0, 2 * D_ / M_ ** 2]])
    return float(solve_continuous_lyapunov(sde7_drift(H, gamma_, M_), -Q)[0, 0])


def sde7_slow_rate(H: float, gamma_: float, M_: float) -> float:
    """The slow eigenvalue of (7)'s mean dynamics at curvature H (decay rate < 0 at a minimum, growth > 0 at a
    saddle): the rate at which E theta relaxes (or leaves) once the velocity has followed the force."""
    ev = np.linalg.eigvals(sde7_drift(H, gamma_, M_))
    return float(np.max(ev.real))


# --- the dynamics' temperatures T_a / eta and exact escape times (dynamical time, one exit) -----------------------
def sgd_T(p: dict, val: Valley) -> float:
    return val.H_a / (2 * p["B"])


def momentum_T(p: dict, val: Valley) -> float:
    return val.H_a / (2 * p["B"] * p["gamma"] * p["M"])


def sgd_exact(kind: str):
    return lambda p: sgd_escape_time(valley_of(p, kind), p["eta"], p["B"])


def momentum_exact(kind: str):
    return lambda p: sgd_escape_time(valley_of(p, kind), p["eta"], p["B"], gm=p["gamma"] * p["M"])


def sgd_chain_exact(p: dict) -> float:
    """Discrete SGD itself on the cosine valley: exact mean exit steps (Nystrom, first_passage), x eta, one exit."""
    from checks.dynamics.first_passage import sgd_mean_exit_steps

    val = valley_of(p, "cosine")
    r, a, c = val.ends
    return val.exits * p["eta"] * sgd_mean_exit_steps(val.grad, p["eta"], val.H_a / p["B"], -c, c, a)


def chain_start(p: dict) -> dict:
    """eta H = 0.1 on the first rung (DeltaL set accordingly): discrete SGD's own O(eta H) error shrinks with the
    temperature along the ladder."""
    return on_valley({**p, r"\Delta L": 0.1 * LADDER_START / (2 * p["B"])}, "cosine", sgd_T)


@lru_cache(maxsize=128)
def flux_over_population(ratio: float) -> tuple[float, float, float]:
    """Double well, SGD's (1) with constant temperature T = DeltaL/ratio: (population of V_a = (r, b) of the
    stationary density carrying the current J, J (2.5: any value), the exact mean first-passage time from a past b)."""
    val = double_well(1.0, 1.0, 0.5)
    T, J = 1.0 / ratio, 2.5
    r, a, c = val.ends
    drift, diff = (lambda x: -val.grad(x)), (lambda x: np.full_like(x, T))
    return (J * math.exp(flux_density(drift, diff, r, c, [], upto=0.0)[-1]), J, mean_exit_time(drift, diff, r, a, c))


@lru_cache(maxsize=128)
def left_of_model(L_a: float, L_b: float, s_: float, T_a: float) -> tuple[float, float, float]:
    """(46) = (47) + (48) for the flux-carrying stationary density of SDE (1) (Ito) on the double well whose
    temperature is T_a on a -> s and T_b = T_a/2 on s -> c (Eq. (3), H_a = 2|H_b|): (Left/P(a), 1, T_b), in units
    of P(a) (which grows like e^(DeltaL/T))."""
    val = double_well(8 * (L_b - L_a), L_b - L_a, s_)
    r, a, c = val.ends
    la, l_minus, l_plus = flux_density(lambda x: -val.grad(x), lambda x: np.where(x < val.switch, T_a, T_a / 2),
                                       r, c, [(a, 0), (val.switch, -1), (val.switch, 1)], val.breaks())
    left = math.exp(l_minus - la) - math.exp(-s_ * (L_b - L_a) / T_a) - math.exp(l_plus - la)
    return float(left), 1.0, T_a / 2


def smoluchowski_ratio(p: dict, iterations: bool) -> float:
    """Exact, the Smoluchowski limits of (7) and (1) on the double well (noise switching at s), Momentum at eta_M =
    (1-beta1)/beta3 eta_SGD against SGD at eta_SGD, from DeltaL/T_a = 8 (B is set by it and cancels): the ratio of
    mean escape iterations, or of the exponents (the rise of log tau when the temperature halves)."""
    gm, eta_s = (1 - p["beta_1"]) / p["beta_3"], p[r"\eta_{SGD}"]
    val = double_well(p["H_ae"], p[r"\Delta L"], p["s"])
    B_ = 8.0 * eta_s * val.H_a / (2 * val.dl)
    times = {(g, k): sgd_escape_time(val, gm * eta_s if g else eta_s, B_ * k, gm if g else 1.0)
             for g in (True, False) for k in (1, 2)}
    if iterations:
        return times[True, 1] / (gm * eta_s) / (times[False, 1] / eta_s)
    return math.log(times[True, 2] / times[True, 1]) / math.log(times[False, 2] / times[False, 1])


# --- Monte Carlo: optimizers on the cosine valley (compiled kernel) ------------------------------------------------
# SGD-style Momentum (beta3 = 1), beta1 = 0.9, eta_SGD = 0.01 (eta_M = 0.001) on the cosine valley of width 1 with
# DeltaL = 0.05 (H_a = |H_b| = pi^2 DeltaL/2 = 0.247), DeltaL/T = 2.5 (B from it): 4|H_be|/(gamma^2 M) = 0.099.
MOMENTUM_RUN = {"beta1": 0.9, "eta_sgd": 0.01, "dl": 0.05, "ratio": 2.5}


def momentum_setting() -> dict:
    """The Monte Carlo setting as values of the claims' symbols (gamma = (1-beta1)/eta, M = eta, Eq. (6))."""
    m = MOMENTUM_RUN
    eta_m, gm, H_ = (1 - m["beta1"]) * m["eta_sgd"], 1 - m["beta1"], math.pi ** 2 * m["dl"] / 2
    return {"H_ae": H_, "H_be": -H_, r"\Delta L": m["dl"], "s": 0.5, "gamma": gm / eta_m, "M": eta_m,
            "eta": eta_m, "B": eta_m * H_ * m["ratio"] / (2 * gm * m["dl"])}


def cosine_escape_steps(opt, p: dict, n_paths: int, rng) -> np.ndarray:
    """Escape iterations (two exits) of an optimizer on the cosine valley with gradient noise N(0, H/B) (Eq. (3)),
    by the compiled kernel; diverged or censored runs leave no mean (Undecidable)."""
    from checks import Undecidable
    from checks.dynamics.compiled import cosine_valley as compiled_cosine
    from checks.dynamics.compiled import escape_times

    val = cosine_valley(p["H_ae"], p[r"\Delta L"])
    if abs(val.w - 1) > 1e-12:
        raise ValueError(f"the compiled cosine valley has width 1, this one {val.w}")
    r, a, c = val.ends
    e = escape_times(opt, compiled_cosine(val.dl), a, (-c, c), math.sqrt(val.H_a / p["B"]), n_paths, 10 ** 8, rng)
    if e.diverged_fraction or e.censored_fraction:
        raise Undecidable(f"{e.diverged_fraction:.2%} of the escape runs diverged and {e.censored_fraction:.2%} were "
                          "censored: no mean is taken", "escape-time simulation",
                          {"diverged_fraction": e.diverged_fraction, "censored_fraction": e.censored_fraction})
    return e.steps.astype(float)


def momentum_iterations(point, n_paths, rng):
    """SGD-style Momentum's escape iterations on the cosine valley (MOMENTUM_RUN)."""
    from checks.dynamics.compiled import heavy_ball
    from checks.dynamics.sample import Sample

    p = momentum_setting()
    steps = cosine_escape_steps(heavy_ball(p["eta"], MOMENTUM_RUN["beta1"], 1.0), p, n_paths, rng)
    return Sample(steps[:, None], ["Momentum escape iterations (two exits)"],
                  info={"diverged_fraction": [0.0], "censored_fraction": [0.0]})


def sgd_iterations_exact() -> float:
    """Discrete SGD at eta_SGD on the same valley: exact mean exit steps (two exits)."""
    p = momentum_setting()
    return sgd_chain_exact({**p, "eta": MOMENTUM_RUN["eta_sgd"]}) / MOMENTUM_RUN["eta_sgd"] / 2


def adam_T(p: dict, val: Valley) -> float:
    """Adam's temperature at a over eta, in the adaptive clock at a: D_adam = eta (H_a/B)^(1/2)/2 (Eq. (67))."""
    return math.sqrt(val.H_a / p["B"]) / 2


def adam_exact(kind: str, clock: str):
    return lambda p: adam_escape_time(valley_of(p, kind), p["eta"], p["B"], clock)


def adam_chain_exact(p: dict) -> float:
    """Idealized Adam with beta1 = 0 (eta C^(-1/2) g, C = H/B) on the cosine valley: exact mean exit steps
    (Nystrom), in the adaptive clock (eta v^(-1/2) per iteration), one exit."""
    from checks.dynamics.first_passage import mean_exit_steps

    val = valley_of(p, "cosine")
    r, a, c = val.ends
    lr = p["eta"] / math.sqrt(val.H_a / p["B"])
    return val.exits * lr * mean_exit_steps(lambda x: x - lr * val.grad(x), p["eta"], -c, c, a)


def small_inertia_start(kind: str, T_over_eta, x_per_eta, x0: float = 0.01):
    """The first rung where the statement's inertia term 4|H_be|/(gamma^2 M) (x_per_eta x eta) is x0 and
    DeltaL/T_a = LADDER_START (DeltaL set accordingly): the exact models are its x -> 0 limit."""
    def start(p: dict) -> dict:
        val = valley_of(p, kind)
        q = {**p, "H_be": -val.H_b}
        eta0 = x0 / x_per_eta(q)
        return on_valley({**q, r"\Delta L": LADDER_START * eta0 * T_over_eta(q, val)}, kind, T_over_eta)
    return start


# --- App. E: the 10-D Styblinski-Tang escape experiment (Figure 5) --------------------------------------------------
ST_A, ST_B = -2.903534, 0.156731              # App. E's minimum a and saddle b of one coordinate
ST_DIM, ST_SAMPLES, ST_BATCH = 10, 50_000, 10


class StyblinskiTangGradient:
    """Minibatch gradients of L(theta) = mean_j f(sqrt(k) theta - x_j), f = 1/2 sum(u^4 - 16 u^2 + 5 u), batches of
    10 drawn with replacement from the data set; every path (row) has its own k. Tracks the live paths (``keep``)."""

    def __init__(self, data: np.ndarray, k_of_path: np.ndarray):
        self.data, self.rk = data, np.sqrt(np.asarray(k_of_path, dtype=float))
        self.alive = np.arange(self.rk.size)

    def __call__(self, theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        rk = self.rk[self.alive][:, None]
        w = self.data[rng.integers(0, self.data.shape[0], size=(theta.shape[0], ST_BATCH))]
        np.subtract((rk * theta)[:, None, :], w, out=w)                 # w = sqrt(k) theta - x
        return rk * ((w * (2 * w * w - 16)).sum(axis=1) / ST_BATCH + 2.5)   # mean of f'(w) = (4w^3 - 32w + 5)/2

    def keep(self, mask: np.ndarray) -> None:
        self.alive = self.alive[mask]

    def escaped(self, theta: np.ndarray) -> np.ndarray:
        """Out of the valley: some coordinate past b / sqrt(k) (App. E)."""
        return (theta > ST_B / self.rk[self.alive][:, None]).any(axis=1)


def styblinski_tang_escapes(make_optimizer, ks, repeats: int, data_rng, run_rng, max_steps: int = 10 ** 6):
    """Escape iterations of one optimizer from theta_0 = a/sqrt(k) (1, ..., 1), ``repeats`` runs at each k, all k in one
    vectorized run. Returns per k: (iterations of the runs that left, number censored, number diverged)."""
    from checks.dynamics.escape import escape_times

    data = data_rng.normal(0.0, 2.0, size=(ST_SAMPLES, ST_DIM))          # x ~ N(0, 4 I)
    k_of_path = np.repeat(np.asarray(ks, dtype=float), repeats)
    grad = StyblinskiTangGradient(data, k_of_path)
    x0 = ST_A / np.sqrt(k_of_path)[:, None] * np.ones((1, ST_DIM))
    e = escape_times(make_optimizer(), grad, x0, grad.escaped, k_of_path.size, max_steps, run_rng)
    out = []
    for i in range(len(ks)):
        rows = slice(i * repeats, (i + 1) * repeats)
        done = ~e.censored[rows]
        out.append((e.steps[rows][done].astype(float), int((e.censored[rows] & ~e.diverged[rows]).sum()),
                    int(e.diverged[rows].sum())))
    return out


# App. E's optimizers (Sec. 6's hyperparameters; PyTorch-style Momentum, beta3 = 1), built in the run's convention.
FIG5_OPTIMIZERS = {"Momentum": ("momentum", 1e-4, (("beta1", 0.9), ("beta3", 1.0))),
                   "Adam": ("adam", 0.03, (("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8))),
                   "Adai": ("adai", 1e-3, (("beta0", 0.1), ("beta2", 0.99), ("eps", 1e-3)))}


@lru_cache(maxsize=16)
def figure5_escapes(spec, ks, repeats, data_seed: tuple, run_seed: tuple, max_steps, convention: str = "paper"):
    """styblinski_tang_escapes for an optimizer given as (name, lr, keyword pairs) and seeds as (entropy, spawn key)
    (memoized: the readings of Figure 5 judge the same runs). Per k: (escape iterations, censored, diverged, total
    iterations)."""
    from checks.dynamics.optimizers import for_convention

    name, lr, kw = spec
    rngs = [np.random.default_rng(np.random.SeedSequence(e, spawn_key=k)) for e, k in (data_seed, run_seed)]
    runs = styblinski_tang_escapes(lambda: for_convention(name, lr, convention, **dict(kw)), ks, repeats, *rngs,
                                   max_steps)
    return tuple((times, c, d, float(times.sum()) + c * max_steps) for times, c, d in runs)
