"""`adai`, Sec. 5: the total momentum drift (10) and Adai's (Proposition 3).

Readings. "The total momentum drift effect during passing through a saddle point in Theorem 2" is, in the
proof, the T -> oo limit of the first term of (31), i.e. (c(oo) - c)^2 with c(t) of (27): the squared distance
the equilibrium velocity coasts with the force dropped (``.coasting``, the proof's reading). Read as what
momentum adds to the MSD beyond the diffusion term, lim (MSD(t) - diffusion term), it is a different quantity of
the same dynamics (``.net-gain``). Both are checked on Theorem 2's model: SDE (7) with the force dropped, under
the Adam-style mapping (Eq. (10) is printed in Adam-style notation) or Adai's (Sec. 5), from the proof's
equilibrium velocity.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from theory import Claim, Param, Regime, claim

from . import momentum_tables as tables
from .momentum_checks import EveryReading
from .momentum_models import (
    BETA1_BELOW_1,
    DRIFT,
    EQ10_RHS,
    EQ31_PRINTED,
    GAMMA_MOMENTUM,
    M_MOMENTUM,
    MSYMBOLS,
    NONZERO_H,
    P_B,
    P_H,
    PROP3_RHS,
    R_EQ2,
    B,
    D,
    H,
    M,
    P_beta1,
    P_eta,
    T,
    beta0,
    beta1,
    beta3,
    drop_diverged,
    eta,
    gamma,
    mapped,
    phase_space_paths,
    richardson,
    sde7_msd,
    t,
    vbar,
)

u = sp.Symbol("u", positive=True)
rho = sp.Symbol("rho", positive=True)                 # v-hat_i / v-bar along one direction
EQ10_REGIME = Regime((P_H, P_eta, P_B, P_beta1), (NONZERO_H, BETA1_BELOW_1),
                     "Adam-style Momentum near a saddle (Eq. (10) is printed in its notation)")
ADAM_STYLE = {D: eta * sp.Abs(H) / (2 * B), gamma: GAMMA_MOMENTUM.subs(beta3, 1 - beta1),
              M: M_MOMENTUM.subs(beta3, 1 - beta1)}
# Adai (Sec. 5): M = eta (1 - beta1)^-1, gamma = (1 - beta1)/eta per parameter, the ideal beta1 = 1 - beta0 v/vbar,
# and v-hat_i = E g_i^2 = |H_i|/B near the critical point, so D_i = eta v-hat_i / 2 (Eq. (3)); v-hat_i = rho vbar.
ADAI_INERTIA = {beta1: 1 - beta0 * rho}
ADAI = {D: eta * rho * vbar / 2, gamma: ADAM_STYLE[gamma].subs(ADAI_INERTIA), M: ADAM_STYLE[M].subs(ADAI_INERTIA)}
ADAI_RHO = np.array([1.0, 0.6, 1.3]) / np.mean([1.0, 0.6, 1.3])       # the 3-D saddle (H, -0.6H, 1.3|H|)
PROP3_TRACE = sp.Symbol(r"\sum_i |H_i|", positive=True) * eta ** 2 / (beta0 * sp.Symbol("n", positive=True) * B)
PROP3_REGIME = Regime((Param(vbar, 1e-3, 1.0, log=True, doc="mean of v-hat"), P_eta,
                       Param(beta0, 0.05, 0.2, doc="Adai beta0"), P_B), (),
                      "Adai near a saddle with its ideal inertia, v-hat_i = |H_i|/B; the 3-D saddle (H, -0.6H, 1.3|H|) "
                      "has v-hat_i / vbar = (1.03, 0.62, 1.34)")


def force_free(velocity_sq, time):
    """(7) with the force dropped, from theta = c with E r(0)^2 = velocity_sq: (mean displacement per unit initial
    velocity G(t), <Delta theta^2(t)>), computed from the SDE (integrals of the impulse response
    (1 - e^{-gamma u})/gamma)."""
    G = lambda s: (1 - sp.exp(-gamma * s)) / gamma
    msd = velocity_sq * G(time) ** 2 + 2 * D / M ** 2 * sp.integrate(G(u) ** 2, (u, 0, time))
    return G(time), msd


def coasting_sq(mapping):
    """The squared distance the equilibrium velocity coasts, (r_eq int_0^oo e^{-gamma s} ds)^2, under a mapping."""
    G, _ = force_free(R_EQ2, t)
    return ((sp.sqrt(R_EQ2) * sp.limit(G, t, sp.oo)) ** 2).subs(mapping)


def net_gain(mapping):
    """lim_{t -> oo} (<Delta theta^2(t)> - 2 D t/(gamma M)^2) of (7) without force, equilibrium velocity."""
    _, msd = force_free(R_EQ2, t)
    return sp.limit(sp.expand(msd - 2 * D * t / (gamma * M) ** 2), t, sp.oo).subs(mapping)


# --- numerics per direction -------------------------------------------------------------------------------------
def _directions(point, kind):
    """(M_i, gamma_i, D_i) per direction: one (Adam-style, at the point's H) or three (Adai's 3-D saddle)."""
    if kind == "adam-style":
        m = mapped(point, ADAM_STYLE)
        return np.array([m["M"]]), np.array([m["gamma"]]), np.array([m["D"]])
    ms = [mapped({**point, "rho": k}, ADAI) for k in ADAI_RHO]
    return (np.array([m[s] for m in ms]) for s in ("M", "gamma", "D"))


def coasting_simulate(kind):
    """(7) without force from theta = c, r(0) = r_eq (fixed) along each direction, to gamma_i t = 8:
    theta(t) - c per path (Euler-Maruyama, Richardson)."""
    def simulate(point, n_paths, rng):
        Ms, gs, Ds = _directions(point, kind)
        p = phase_space_paths(0.0, Ds, Ms, gs, 8 / gs, np.sqrt(Ds / (gs * Ms ** 2)), n_paths, rng, n_coarse=100)
        return Sample(drop_diverged(richardson(p["theta_f"], p["theta_c"]), p["diverged"]),
                      [f"theta{i + 1} - c" for i in range(Ms.size)], float(p["diverged"].mean()))
    return simulate


def coasting_predict(kind):
    def predict(point, f):
        n = 1 if kind == "adam-style" else 3
        value = float(f(**point))                  # the displacement whose square the statement gives
        return np.full(n, np.sign(value) * np.sqrt(abs(value)) * (1 - np.exp(-8.0)))
    return predict


def net_gain_simulate(kind):
    """(7) without force and the overdamped (28) on the same Brownian path, r(0) ~ N(0, r_eq^2), to gamma_i t = 8:
    theta_7^2 - theta_28^2 per path, whose mean is <Delta theta^2> - 2Dt/(gamma M)^2 (Euler-Maruyama, Richardson);
    at gamma t = 8 it is within e^-8 (relative) of its limit."""
    def simulate(point, n_paths, rng):
        Ms, gs, Ds = _directions(point, kind)
        r0 = rng.standard_normal((n_paths, Ms.size)) * np.sqrt(Ds / (gs * Ms ** 2))
        p = phase_space_paths(0.0, Ds, Ms, gs, 8 / gs, r0, n_paths, rng, n_coarse=200)
        th28 = p["W"] * np.sqrt(2 * Ds) / (gs * Ms)
        values = richardson(p["theta_f"] ** 2 - th28 ** 2, p["theta_c"] ** 2 - th28 ** 2)
        return Sample(drop_diverged(values, p["diverged"]), [f"theta{i + 1}^2 - theta28^2" for i in range(Ms.size)],
                      float(p["diverged"].mean()))
    return simulate


def net_gain_exact(kind):
    def exact(point):
        Ms, gs, Ds = _directions(point, kind)
        return np.array([sde7_msd(0.0, d_, m_, g_, 40 / g_, d_ / (g_ * m_ ** 2)) - 2 * d_ * (40 / g_) / (g_ * m_) ** 2
                         for m_, g_, d_ in zip(Ms, gs, Ds)])
    return exact


def _per_direction(kind):
    return lambda point, f: np.full(1 if kind == "adam-style" else 3, float(f(**point)))


def coasting_checks(kind, mapping) -> list:
    extra = [] if kind == "adam-style" else [Param(rho, 0.5, 1.5, doc="v-hat_i / vbar")]
    return [SymbolicEquality("(r_eq int_0^oo e^{-gamma s} ds)^2: the coasting distance of (7) without force, squared",
                             lambda c: coasting_sq(mapping), lambda c: c.formula, extra=extra, evidence="model"),
            MonteCarloMean("mean displacement of (7) without force from velocity r_eq, gamma t = 8 (Euler-Maruyama, "
                           "Richardson)", coasting_simulate(kind), coasting_predict(kind), n_points=2, n_paths=20_000)]


def net_gain_checks(kind, mapping) -> list:
    extra = [] if kind == "adam-style" else [Param(rho, 0.5, 1.5, doc="v-hat_i / vbar")]
    return [SymbolicEquality("lim (<Delta theta^2(t)> - 2Dt/(gamma M)^2) of (7) without force, equilibrium velocity",
                             lambda c: net_gain(mapping), lambda c: c.formula, extra=extra, evidence="model"),
            ExactComparison("the same limit from the exact covariance of (7) at gamma t = 40 (Van Loan)",
                            net_gain_exact(kind), _per_direction(kind), n_points=6, rtol=1e-6),
            MonteCarloMean("(7) and (28) on one Brownian path at gamma t = 8: E[theta_7^2 - theta_28^2] "
                           "(Euler-Maruyama, Richardson)", net_gain_simulate(kind), _per_direction(kind), n_points=2,
                           n_paths=20_000)]


COASTING = "the squared distance the equilibrium velocity coasts with the force dropped, (c(oo) - c)^2 of (27)"
NET_GAIN = "what momentum adds to the MSD beyond the diffusion term: lim (<Delta theta^2(t)> - 2Dt/(gamma M)^2)"
MODEL = "SDE (7) with the force dropped (the proof's (26)), from the equilibrium velocity E r(0)^2 = D/(gamma M^2)"


def eq10_claim(rhs, checks, notes=()) -> Claim:
    return Claim(statement=sp.Eq(DRIFT, rhs), regime=EQ10_REGIME, symbols=MSYMBOLS, notes=list(notes), checks=checks,
                 dynamics=MODEL + ", Adam-style mapping M = eta/(1-beta1), gamma = (1-beta1)/eta, D = eta |H|/(2B)",
                 observable="total momentum drift along eigenvector i")


@claim("adai.eq10", "Eq. (10)", "Total momentum drift while passing a saddle point", uses=["adai.eq31", "adai.eq27"])
def eq10():
    kappa = sp.Symbol("kappa", positive=True)             # 1 - beta1 > 0, so exp(-(1-beta1) T) -> 0
    first = lambda: next(a for a in sp.Add.make_args(EQ31_PRINTED) if a.has(sp.exp)).subs(beta1, 1 - kappa)
    return eq10_claim(EQ10_RHS, [SymbolicEquality("the T -> oo limit of the first term of (31)",
                                                  lambda c: sp.limit(first(), T, sp.oo).subs(kappa, 1 - beta1),
                                                  lambda c: c.formula)],
                      ["Readings: adai.eq10.coasting (the proof's) and adai.eq10.net-gain."])


@claim("adai.eq10.coasting", "Eq. (10)", "(10) as the squared coasting distance of the equilibrium velocity",
       reading_of="adai.eq10", reading="the squared distance the equilibrium velocity coasts with the force dropped, "
                                       "(c(oo) - c)^2 of (27)", proof_reading=True)
def eq10_coasting():
    return eq10_claim(EQ10_RHS, coasting_checks("adam-style", ADAM_STYLE))


@claim("adai.eq10.net-gain", "Eq. (10)", "(10) as the net gain of the MSD over the diffusion term",
       reading_of="adai.eq10", reading="what momentum adds to the MSD beyond the diffusion term: lim (<Delta "
                                       "theta^2(t)> - 2Dt/(gamma M)^2)")
def eq10_net_gain():
    return eq10_claim(EQ10_RHS, net_gain_checks("adam-style", ADAM_STYLE))


@claim("adai.eq10.net-gain.corrected", "Eq. (10), corrected (net-gain reading)", "Net change of the MSD over the "
       "diffusion term: -|H| eta^2 / ((1-beta1) B), a loss", corrects="adai.eq10")
def eq10_net_gain_corrected():
    return eq10_claim(-sp.Abs(H) * eta ** 2 / ((1 - beta1) * B), net_gain_checks("adam-style", ADAM_STYLE), [
        "Derived: with the force dropped and the equilibrium velocity, <Delta theta^2(t)> = 2D/(gamma^2 M^2) "
        "[t - (1 - e^{-gamma t})/gamma], so the MSD falls short of the diffusion term by 2D/(gamma^3 M^2) = "
        "|H| eta^2/((1-beta1) B): twice (10), with the opposite sign. (From rest the shortfall is 3D/(gamma^3 M^2).)"])


# --- Proposition 3 --------------------------------------------------------------------------------------------
def prop3_claim(rhs, checks, notes=(), curves=()) -> Claim:
    return Claim(statement=sp.Eq(DRIFT, rhs), regime=PROP3_REGIME, symbols={**MSYMBOLS, "rho": "v-hat_i / vbar"},
                 notes=list(notes), checks=checks, curves=list(curves),
                 dynamics=MODEL + ", Adai's mass and damping M_i = eta/(1-beta1_i), gamma_i = (1-beta1_i)/eta with the "
                          "ideal beta1_i = 1 - beta0 v-hat_i/vbar, D_i = eta v-hat_i/2",
                 observable="total momentum drift along each eigenvector")


@claim("adai.prop3", "Proposition 3", "Adai's total momentum drift: vbar eta^2 / beta0 = sum |H_i| eta^2 / (beta0 n B)",
       uses=["adai.eq10"])
def prop3():
    n_sym, trace = sp.Symbol("n", positive=True), sp.Symbol(r"\sum_i |H_i|", positive=True)
    h1, h2 = sp.symbols("h_1 h_2", real=True, nonzero=True)
    three = {vbar: (sp.Abs(h1) + sp.Abs(h2) + sp.Abs(H)) / (3 * B)}
    return prop3_claim(PROP3_RHS, [
        SymbolicEquality("(10) with the ideal 1 - beta1_i = beta0 v-hat_i/vbar and v-hat_i = |H_i|/B",
                         EQ10_RHS.subs(beta1, 1 - beta0 * (sp.Abs(H) / B) / vbar), lambda c: c.formula,
                         extra=[P_H]),
        SymbolicEquality("the second equality: vbar = mean of v-hat_i = sum |H_i| / (n B) (n = 3)",
                         lambda c: c.formula.subs(three),
                         PROP3_TRACE.subs({trace: sp.Abs(h1) + sp.Abs(h2) + sp.Abs(H), n_sym: 3}),
                         extra=[P_H, Param(h1, -2, 2), Param(h2, -2, 2)]),
        EveryReading("against the coasting distance (the proof's reading) and the net gain of Adai's dynamics",
                     {"coasting": coasting_checks("adai", ADAI)[0], "net-gain": net_gain_checks("adai", ADAI)[1]})],
        ["Readings: adai.prop3.coasting (the proof's, through (10)) and adai.prop3.net-gain."], tables.ADAI_CURVES)


@claim("adai.prop3.coasting", "Proposition 3", "Proposition 3 as Adai's squared coasting distance",
       reading_of="adai.prop3", reading="the squared distance the equilibrium velocity coasts with the force dropped, "
                                        "(c(oo) - c)^2 of (27)", proof_reading=True)
def prop3_coasting():
    return prop3_claim(PROP3_RHS, coasting_checks("adai", ADAI))


@claim("adai.prop3.coasting.corrected", "Proposition 3, corrected (coasting reading)", "Adai's squared coasting "
       "distance: vbar eta^2 / (2 beta0), isotropic", corrects="adai.prop3")
def prop3_coasting_corrected():
    return prop3_claim(PROP3_RHS / 2, coasting_checks("adai", ADAI), [
        "Derived: (10) with 1 - beta1_i = beta0 v-hat_i/vbar and v-hat_i = |H_i|/B gives |H_i| eta^2 vbar/(2 beta0 "
        "|H_i|) = vbar eta^2/(2 beta0): half the printed value, and isotropic as the paper says."])


@claim("adai.prop3.net-gain", "Proposition 3", "Proposition 3 as Adai's net gain of the MSD over the diffusion term",
       reading_of="adai.prop3", reading="what momentum adds to the MSD beyond the diffusion term: lim (<Delta "
                                        "theta^2(t)> - 2Dt/(gamma M)^2)")
def prop3_net_gain():
    return prop3_claim(PROP3_RHS, net_gain_checks("adai", ADAI))


@claim("adai.prop3.net-gain.corrected", "Proposition 3, corrected (net-gain reading)", "Adai's net change of the MSD "
       "over the diffusion term: -vbar eta^2 / beta0, a loss", corrects="adai.prop3")
def prop3_net_gain_corrected():
    return prop3_claim(-PROP3_RHS, net_gain_checks("adai", ADAI), [
        "Derived: as adai.eq10.net-gain.corrected with Adai's ideal inertia: -2D_i/(gamma_i^3 M_i^2) = -vbar "
        "eta^2/beta0 "
        "along every direction (the magnitude printed, the opposite sign).",
        "Algorithm 2 itself also divides m by 1 - prod beta1 (bias correction), which (4) and (10) leave out; the plot "
        "table shows Algorithm 2 against the exact bias-corrected recursion."])
