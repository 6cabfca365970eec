"""`zhou`, Sec. 3.2 (ADAM part): the difference m'_t - m_t, the rewriting of (3) before (5), the SaS assumption on the
averaged noise, and the Levy-driven SDE (5) of ADAM.

Discrete ADAM is (3) with the small constant outside the root; SDE (5) is run by Euler with h = eta and the rates
(1 - beta)/eta of Adam's default decay factors (models.adam_sde_exits).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloFraction, Sample, SymbolicEquality
from checks.tails import ByReading, QuantileCheck, RelationCheck, median_ratio_gap, sides
from theory import Claim, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, alpha, beta1, eta
from .sec31 import EQ3, eps_adam, m_t, theta, theta_next, v_t
from .sec32 import DT_REGIME, Sig4, d_theta, dL, dt_, gradF, increment_over_a_step

# --- m'_t - m_t ------------------------------------------------------------------------------------------------
i_, T = sp.Symbol("i", integer=True, nonnegative=True), sp.Symbol("t", positive=True, integer=True)
u_ = sp.Function("u")                 # u_i = grad F(theta_i) - grad f_{S_i}(theta_i)
Dm = sp.Function("m'_t - m_t")
MDIFF_PRINTED = (1 - beta1) * sp.Sum(beta1 ** (T - i_) * u_(i_), (i_, 0, T))
MDIFF_CORRECTED = (1 - beta1) * sp.Sum(beta1 ** (T - i_) * u_(i_), (i_, 1, T))
MDIFF_REGIME = Regime((Param(beta1, 0.5, 0.95), Param(T, 1, 6)), (), "m_0 = m'_0 = 0, first update at t = 1")


def unrolled(steps: int) -> sp.Expr:
    """m'_t - m_t from the recursions m_t = b1 m_(t-1) + (1-b1) grad f_S, m'_t = b1 m'_(t-1) + (1-b1) grad F,
    m_0 = m'_0 = 0: each step adds (1 - b1) u_s, so the difference is (1 - b1) sum_{s=1}^{t} b1^(t-s) u_s
    (computed by iterating)."""
    d = sp.S.Zero
    for s_ in range(1, steps + 1):
        d = beta1 * d + (1 - beta1) * u_(s_)
    return sp.expand(d)


def mdiff_checks():
    return [SymbolicEquality(f"t = {k}: the recursions iterated from m_0 = m'_0 = 0",
                             lambda c, k=k: sp.expand(c.formula.subs(T, k).doit()), unrolled(k)) for k in (1, 3, 5)]


@claim("zhou.remark.mdiff", "Sec. 3.2, display defining m'_t", "m'_t - m_t = (1 - beta1) sum_{i=0}^{t} beta1^(t-i) u_i",
       about="algebra")
def mdiff():
    return Claim(statement=sp.Eq(Dm(T), MDIFF_PRINTED), regime=MDIFF_REGIME, symbols={**SYMBOLS, "u": "gradient noise"},
                 notes=["With m_0 = m'_0 = 0 the first update is at t = 1, so u_0 never enters m_t: the printed sum "
                        "from "
                        "i = 0 has the extra term (1 - beta1) beta1^t u_0 (unless u_0 = 0)."],
                 checks=mdiff_checks())


@claim("zhou.remark.mdiff.corrected", "Sec. 3.2, corrected", "m'_t - m_t = (1 - beta1) sum_{i=1}^{t} beta1^(t-i) u_i",
       corrects="zhou.remark.mdiff", about="algebra")
def mdiff_corrected():
    return Claim(statement=sp.Eq(Dm(T), MDIFF_CORRECTED), regime=MDIFF_REGIME, symbols={**SYMBOLS,
                                                                                        "u": "gradient noise"},
                 checks=mdiff_checks())


# --- the rewriting of (3) before (5) -----------------------------------------------------------------------------
m_full = sp.Symbol("m'_t", real=True)
z_t = (1 - beta1 ** sp.Symbol("t", positive=True, integer=True)) * (
    sp.sqrt(v_t / (1 - zm.beta2 ** sp.Symbol("t", positive=True, integer=True))) + eps_adam)
SPLIT = theta - eta * m_full / z_t + eta * (m_full - m_t) / z_t


@claim("zhou.remark.adamsplit", "Sec. 3.2, display before Eq. (5)",
       "ADAM (3) written as theta_{t+1} = theta_t - eta m'_t/z_t + eta (m'_t - m_t)/z_t", about="algebra")
def adamsplit():
    from .sec31 import ADAM_REGIME
    return Claim(statement=sp.Eq(theta_next, SPLIT), regime=ADAM_REGIME.extended(Param(m_full, -1.0, 1.0)),
                 symbols={**SYMBOLS, "m'_t": "EMA of the full gradients"},
                 checks=[SymbolicEquality("equals (3)", lambda c: c.formula, EQ3)])


# --- the SaS assumption on (m'_t - m_t)/(1 - beta1^t) ------------------------------------------------------------
s_ema = sp.Symbol(r"\sigma_{(m'_t - m_t)/(1 - \beta_1^t)}", positive=True)
EMA_REGIME = Regime((Param(alpha, 1.2, 1.8), Param(beta1, 0.8, 0.93)), (),
                    "u_i i.i.d. SaS(1) (the gradient noise of SGD with Sigma = 1), t = 150 steps")
EMA_STEPS = 150
QS = (0.6, 0.75, 0.9, 0.97)


def ema_runs(p, n, rng):
    return zm.ema_sample(p["alpha"], p["beta_1"], EMA_STEPS, n, rng)


def ema_quantiles(p, f):
    s_ = f(**p)
    return [(q, zm.sas_quantile(p["alpha"], q, s_)) for q in QS]


def _ema_claim(rhs, notes=()):
    return Claim(statement=sp.Eq(s_ema, rhs), regime=EMA_REGIME, symbols=SYMBOLS,
                 dynamics="ADAM's averaged noise (1/(1 - beta1^t))(m'_t - m_t) with u_i i.i.d. SaS(1)",
                 observable="quantiles of the averaged noise", notes=list(notes),
                 checks=[ExactComparison("the exact SaS scale (sum_i w_i^alpha)^(1/alpha) of the average (stability)",
                                         lambda p: zm.ema_scale(p["alpha"], p["beta_1"], EMA_STEPS),
                                         lambda p, f: f(**p), n_points=6, rtol=1e-4),
                         QuantileCheck("quantiles of the averaged noise against SaS(alpha) of the claimed scale",
                                       ema_runs, ema_quantiles, n_points=2, n_paths=10_000)])


@claim("zhou.remark.adamsplit.sas", "Sec. 3.2, sentence before the display before Eq. (5)",
       "(1/(1 - beta1^t))(m'_t - m_t) obeys SaS(1) with covariance matrix Sigma_t (the law of u_t)")
def adamsplit_sas():
    return _ema_claim(sp.S.One, ["Read as: the averaged noise has the law of one gradient noise u_t (SaS with the same "
                                 "alpha and the same scale Sigma_t; Sigma_t = 1 here). Stability makes it SaS with the "
                                 "same alpha, but its scale is (sum_i w_i^alpha)^(1/alpha) < 1: "
                                 "zhou.remark.adamsplit.sas"
                                 ".corrected."])


@claim("zhou.remark.adamsplit.sas.corrected", "Sec. 3.2, corrected",
       "(1/(1 - beta1^t))(m'_t - m_t) is SaS with the same alpha and scale (1 - beta1)/(1 - beta1^alpha)^(1/alpha)",
       corrects="zhou.remark.adamsplit.sas")
def adamsplit_sas_corrected():
    return _ema_claim((1 - beta1) / (1 - beta1 ** alpha) ** (1 / alpha),
                      ["Stability: sum_i w_i u_i with u_i i.i.d. SaS(1) is SaS((sum_i w_i^alpha)^(1/alpha)); with "
                       "w_i = (1 - beta1) beta1^(t-i)/(1 - beta1^t) and t -> oo the scale is the statement's (t = 200 "
                       "is "
                       "within 1e-4 of the limit)."])


P_same = sp.Symbol(r"\mathbb{P}(\mathrm{sign}\,\xi_t = \mathrm{sign}\,\xi_{t+1})", positive=True)


def consecutive_signs(p, n, rng):
    """Do consecutive averaged noises (t = 200, 201) have the same sign?"""
    a, b1 = p["alpha"], p["beta_1"]
    u = zm.sas_sample(a, n * (EMA_STEPS + 1), rng).reshape(n, EMA_STEPS + 1)
    idx = np.arange(1, EMA_STEPS + 1)
    w = (1 - b1) * b1 ** (EMA_STEPS - idx)
    e1 = u[:, :-1] @ w / (1 - b1 ** EMA_STEPS)
    e2 = (b1 * (u[:, :-1] @ w) + (1 - b1) * u[:, -1]) / (1 - b1 ** (EMA_STEPS + 1))
    return Sample((np.sign(e1) == np.sign(e2))[:, None].astype(float), ["same sign"])


@claim("zhou.remark.adamsplit.increments", "Sec. 3.2, Eq. (5) and the display before it",
       "(5) drives theta with independent increments eps Q^-1 Sigma dL_t where ADAM's averaged noise enters")
def adamsplit_increments():
    return Claim(
        statement=sp.Eq(P_same, sp.Rational(1, 2)), regime=EMA_REGIME, symbols=SYMBOLS,
        quantified="'the averaged noise is modelled by the increments of a Levy motion' read through one consequence: "
        "consecutive increments are independent and symmetric, so they share their sign with probability 1/2",
        dynamics="ADAM's averaged noise at t = 200 and t = 201 with u_i i.i.d. SaS(1)",
        observable="probability that consecutive averaged noises have the same sign",
        notes=["The averaged noise is an AR(1) sequence with coefficient beta1 (each u_i enters about 1/(1 - beta1) "
               "steps), while dL_t has independent increments; the aggregate noise over many steps agrees (each u_i "
               "enters "
               "theta with total weight 1), the per-step law does not."],
        checks=[MonteCarloFraction("consecutive averaged noises, exact binomial test", consecutive_signs,
                                   lambda p, f: [f(**p)], n_points=2, n_paths=4000)])


# --- Eq. (5): the SDE of ADAM -----------------------------------------------------------------------------------
LOG_RATIO5 = sp.Symbol(r"|\ln(\mathrm{med}\,\Gamma_{(5)} / \mathrm{med}\,\Gamma_{(3)})|")
V_READINGS = {"same": "the squared stochastic gradient [grad f_S]^2 of the step's own draw (the one that moves theta)",
              "independent": "the squared stochastic gradient of an independent draw",
              "none": "the squared full gradient (grad F)^2: no noise in v"}


def adam_pair_points(v_noise, n_paths):
    def points(claim, rng):
        def run(r):
            return (zm.adam_sde_exits(1.5, 0.01, 0.1, n_paths, r, 40_000, v_noise=v_noise),
                    zm.discrete_exits("adam", 1.5, 0.01, 0.1, n_paths, r, 40_000))
        sde, alg = zm.memo_by_rng(("eq5", v_noise, n_paths), run, rng)
        return [{"b": 0.1, **median_ratio_gap(sde, alg)}]
    return points


def _eq5_check(v_noise, n_paths=1200):
    return RelationCheck(f"SDE (5) (v fed {v_noise}) against discrete ADAM (3): median exit iterations, b = 0.1",
                         lambda c, st, p: sides(st, {LOG_RATIO5: p["log_gap_interval"]}), adam_pair_points(v_noise,
                                                                                                           n_paths),
                         kind="montecarlo", share=f"zhou eq5 {v_noise} {n_paths}")


def _eq5_claim(v_noise):
    return Claim(statement=sp.Le(LOG_RATIO5, sp.log(3)), regime=Regime(()), symbols=SYMBOLS,
                 quantified="'the Levy-driven SDE of ADAM' read as: the median exit time of (5) (Euler, h = eta) from "
                 "(-0.1, 0.1) agrees with discrete ADAM's within a factor 3 (ADAM's mean exit is about 200 iterations "
                 "there, SGD's about 28); medians, because these exit laws are not exponential (coefficient of "
                 "variation 1.2 for ADAM, 2.1 for (5) with an independent draw). A violation counts when the ratio's "
                 "conservative interval (order statistics at ALPHA/2 per median) lies outside [1/3, 3].",
                 dynamics="SDE (5), Euler h = eta = 0.01, rates (1 - beta)/eta; ADAM (3) with SaS(1.5) gradient noise",
                 observable="|log| of the ratio of median exit iterations (its smallest value in the confidence "
                            "interval)",
                 checks=[_eq5_check(v_noise)])


@claim("zhou.eq5", "Sec. 3.2, Eq. (5) and the sentence after it", "The Levy-driven SDE (5) of ADAM")
def eq5():
    from .tables import BASIN_SIZES
    c = _eq5_claim("same")
    c.curves = list(BASIN_SIZES)
    c.notes = ["What the stochastic gradient in dv_t = beta2([grad f_S]^2 - v_t) is for a continuous-time white noise "
               "is not defined: see the readings. Discrete ADAM's step is bounded by a few eta however large the noise "
               "(m/sqrt(v) <= (1 - beta1)/sqrt(1 - beta2) for one huge gradient), so it has no Levy jumps; (5) "
               "reproduces that when v sees heavy-tailed draws (the step's own or an independent one), not when v is "
               "fed the full gradient (then Q is about eps_adam near theta* and the first step leaves)."]
    c.checks = [ByReading("v_t fed by (300 paths per reading; the readings' own claims run 1200)",
                          {k: _eq5_check(k, 300) for k in V_READINGS})]
    return c


@claim("zhou.eq5.v-same", "Sec. 3.2, Eq. (5)", "(5) with v fed the step's own stochastic gradient",
       reading_of="zhou.eq5", reading="the squared stochastic gradient [grad f_S]^2 of the step's own draw (the one "
       "that moves theta)", proof_reading=True)
def eq5_same():
    return _eq5_claim("same")


@claim("zhou.eq5.v-independent", "Sec. 3.2, Eq. (5)", "(5) with v fed an independent stochastic gradient",
       reading_of="zhou.eq5", reading="the squared stochastic gradient of an independent draw")
def eq5_independent():
    return _eq5_claim("independent")


@claim("zhou.eq5.v-none", "Sec. 3.2, Eq. (5)", "(5) with v fed the full gradient", reading_of="zhou.eq5",
       reading="the squared full gradient (grad F)^2: no noise in v")
def eq5_none():
    return _eq5_claim("none")


# --- the missing dt in (5) ---------------------------------------------------------------------------------------
Qm = sp.Symbol("Q_t", positive=True)
mu_t = sp.Symbol(r"\mu_t", positive=True)


def _dt5(rhs):
    """With Q_t = 1 and mu_t m_t -> grad F (the noise-free limit of the momentum) the step of (5) is SGD's."""
    return Claim(statement=sp.Eq(d_theta, rhs), regime=DT_REGIME.extended(Param(Qm, 1.0, 1.0), Param(mu_t, 1.0, 1.0)),
                 about="text", symbols=SYMBOLS, dynamics="SDE (5)",
                 observable="the increment of theta over one step of length eta (Q_t = 1, mu_t m_t = grad F)",
                 checks=[SymbolicEquality("the increment over one step of length eta is -eta grad F + eta Sigma xi",
                                          lambda c: increment_over_a_step(c).subs({Qm: 1, mu_t: 1}),
                                          -eta * gradF + eta * Sig4 * sp.Symbol(r"\xi", real=True))])


@claim("zhou.eq5.dt", "Sec. 3.2, Eq. (5) as printed", "(5) printed without dt: d theta_t = -mu_t Q_t^-1 m_t + "
       "eps Q_t^-1 Sigma_t dL_t, dm_t = beta1 (grad F - m_t), dv_t = beta2 ([grad f_S]^2 - v_t)", about="text")
def eq5_dt():
    return _dt5(-mu_t * gradF / Qm + zm.eps * Sig4 * dL / Qm)


@claim("zhou.eq5.dt.corrected", "Sec. 3.2, Eq. (5), corrected", "d theta_t = -mu_t Q_t^-1 m_t dt + eps Q_t^-1 Sigma_t "
       "dL_t (and dt on dm_t, dv_t)", corrects="zhou.eq5.dt", about="text")
def eq5_dt_corrected():
    return _dt5(-mu_t * gradF / Qm * dt_ + zm.eps * Sig4 * dL / Qm)
