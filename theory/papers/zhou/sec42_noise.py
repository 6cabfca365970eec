"""`zhou`, Sec. 4.2, second paragraph: the factor Theta(eps^-1) through the tail index alpha, the learning rate, and
ADAM's exponential average of the gradient noise.

Discrete SGD (2) with SaS(1) gradient noise on F = x^2/2, exit from (-1, 1) from 0 (models.discrete_exits): its exit
time in SDE time is eta x iterations.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import SymbolicEquality
from checks import heavytail as ht
from checks.stats import ALPHA
from checks.tails import ExitLadder, RelationCheck, sides
from theory import BigO, Claim, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, alpha, beta1, eta

# --- the tail index -----------------------------------------------------------------------------------------------
RATIO_T = sp.Symbol(r"\mathbb{E}\Gamma(\alpha_1) / \mathbb{E}\Gamma(\alpha_2)")
a1, a2 = sp.symbols("alpha_1 alpha_2", positive=True)
TAIL_REGIME = Regime((Param(a1, 1.2, 1.5), Param(a2, 1.5, 1.8), Param(eta, 0.1, 0.1)), (),
                     "discrete SGD, eta = 0.1, F = x^2/2, Omega = (-1, 1), Sigma = 1, alpha_1 < alpha_2")
PAIRS = [(1.2, 1.5), (1.5, 1.8)]


def tail_points(claim, rng):
    """For each pair of tail indices, the upper confidence limit of E Gamma(alpha_1)/E Gamma(alpha_2) (exact
    conditional binomial interval at ALPHA): a statement 'ratio < 1' fails only if this limit is >= 1."""
    out = []
    for lo, hi in PAIRS:
        e1, e2 = (zm.memo_by_rng(("sgd exits", a_), lambda r, a_=a_: zm.discrete_exits("sgd", a_, 0.1, 1.0, 1000, r,
                                                                                       200_000), rng) for a_ in (lo,
                                                                                                                 hi))
        (t1, c1), (t2, c2) = e1.survival_data(), e2.survival_data()
        test = ht.compare_exponential_means(t1, c1, t2, c2, 1.0)
        out.append({"alpha_1": lo, "alpha_2": hi, "eta": 0.1, "ratio": test.estimate, "lower": test.interval[0],
                    "upper": test.interval[1],
                    "means": [float(t1.mean() * 0.1), float(t2.mean() * 0.1)]})
    return out


@claim("zhou.sec42.tail", "Sec. 4.2, second paragraph", "a smaller tail index alpha means larger Levy jumps and "
       "a smaller escaping time Gamma")
def tail():
    return Claim(
        statement=sp.Lt(RATIO_T, 1), regime=TAIL_REGIME, symbols=SYMBOLS,
        quantified="at the same learning rate, basin and noise scale, alpha_1 < alpha_2 gives E Gamma(alpha_1) < "
        "E Gamma(alpha_2) (tested at alpha = 1.2, 1.5, 1.8)",
        dynamics="SGD (2) with SaS(1) gradient noise, eta = 0.1", observable="ratio of mean exit times",
        notes=["Small-noise prediction (R-m): E Gamma = eta^(1 - alpha) / nu_alpha(W), decreasing with alpha "
               "decreasing "
               "here (2.2, 4.9, 16 time units in the simulation). That SGD's alpha is smaller than ADAM's 'for some "
               "iterations' is a deep-network measurement (Fig. 3): not checkable."],
        checks=[RelationCheck("the ratio's exact confidence interval (conditional test)",
                              lambda c, st, p: sides(st, {RATIO_T: (p["lower"],
                                                                    p["upper"])}), tail_points, kind="montecarlo")])


# --- the learning rate ------------------------------------------------------------------------------------------
EG = sp.Symbol(r"\mathbb{E}\Gamma")
LR_REGIME = Regime((Param(alpha, 1.3, 1.3), Param(eta, 0.01, 0.04, log=True)), (),
                   "discrete SGD, F = x^2/2, Omega = (-1, 1), Sigma = 1; exit times in SDE time eta x iterations")


def sgd_time_exits(p, n, rng):
    ex = zm.discrete_exits("sgd", p["alpha"], p["eta"], 1.0, n, rng, 400_000)
    ex.dt = p["eta"]
    return ex


@claim("zhou.sec42.lr", "Sec. 4.2, second paragraph", "a smaller learning rate eta gives a smaller eps = "
       "eta^((alpha-1)/alpha) and thus a larger escaping time Gamma (ADAM's 1e-3 against SGD's 1e-2)")
def lr():
    return Claim(
        statement=sp.Eq(EG, BigO(eta ** (1 - alpha))),
        regime=LR_REGIME, symbols=SYMBOLS,
        quantified="read through Theorem 1: E Gamma (SDE time) scales like 1/Theta(eps^-1) = eta^(1 - alpha), which "
                   "grows "
        "as eta decreases iff alpha > 1 (so eps < 1); tested as the exponent of the exit-time MLEs along eta = 0.04, "
        "0.02, 0.01 at alpha = 1.3",
        dynamics="SGD (2) with SaS(1.3) gradient noise", observable="mean exit time in SDE time",
        notes=["In iterations the exit time scales like eta^-alpha and grows as eta decreases for every alpha; in SDE "
               "time only for alpha > 1 (levy-rebuttal.remark.lr). For ADAM itself the step is clipped (zhou.eq5)."],
        checks=[SymbolicEquality("eps^alpha = eta^(alpha - 1) for eps = eta^((alpha-1)/alpha) (Theorem 1's Theta)",
                                 lambda c: 1 / c.remainder_bound, (eta ** ((alpha - 1) / alpha)) ** alpha),
                ExitLadder("eta-ladder: exponent of the exit-time MLEs", sgd_time_exits, lambda p, f: f(**p), eta,
                           lambda p: [{"alpha": p["alpha"], "eta": e} for e in (0.04, 0.02, 0.01)], level=False,
                           at=[{"alpha": 1.3, "eta": 0.04}], n_paths=1000, formula=lambda c: c.remainder_bound,
                           perturbations=(("x eta^(1/2)", lambda e: e * eta ** sp.Rational(1, 2)),
                                          ("x eta^(-1/2)", lambda e: e / eta ** sp.Rational(1, 2))))])


# --- the exponential average of the gradient noise -------------------------------------------------------------
ALPHA_EMA = sp.Symbol(r"\alpha_{EMA}")
EMA_REGIME = Regime((Param(alpha, 1.2, 1.8), Param(beta1, 0.8, 0.95)), (),
                    "u_i i.i.d. SaS(1), ADAM's exponential average over t = 150 steps")


def ema_index_points(claim, rng):
    """The tail index of the average, two ways: exactly, from its characteristic function (a weighted sum of i.i.d. SaS
    variables has E exp(i w X) = exp(-sum_i |w_i w|^alpha), whose exponent in w is alpha), and from samples: the
    slope of log P(|X| > x) between the 99% and 99.9% quantiles of the fitted law, with its exact binomial confidence
    limits."""
    out = []
    for a_, b_ in ((1.3, 0.9), (1.7, 0.85)):
        s_ = zm.ema_scale(a_, b_, 150)
        w1, w2 = 0.3 / s_, 0.6 / s_
        log_cf = [-(s_ * w) ** a_ for w in (w1, w2)]                       # log E exp(i w X), exact
        exact_index = math.log(log_cf[1] / log_cf[0]) / math.log(w2 / w1)
        x = np.abs(zm.memo_by_rng(("ema", a_, b_), lambda r: zm.ema_sample(a_, b_, 150, 20_000, r), rng))
        x1, x2 = (zm.sas_quantile(a_, 1 - q / 2, s_) for q in (0.01, 0.001))
        k1, k2, n = int((x > x1).sum()), int((x > x2).sum()), x.size
        lo1, hi1 = ht.clopper_pearson(k1, n, ALPHA)
        lo2, hi2 = ht.clopper_pearson(k2, n, ALPHA)
        upper = math.log(hi1 / max(lo2, 1e-300)) / math.log(x2 / x1)
        out.append({"alpha": a_, "beta_1": b_, "exact_index": exact_index, "sample_index_upper": upper,
                    "sample_index": math.log(k1 / max(k2, 1)) / math.log(x2 / x1), "counts": [k1, k2, n]})
    return out


@claim("zhou.sec42.ema", "Sec. 4.2, second paragraph; abstract (2)(b)", "ADAM's exponential gradient noise smooths the "
       "noise and has lighter tails (a larger alpha) than SGD's u_t")
def ema():
    return Claim(
        statement=sp.Gt(ALPHA_EMA, alpha), regime=EMA_REGIME, symbols=SYMBOLS,
        dynamics="u_i i.i.d. SaS(alpha) gradient noise and its exponential average",
        observable="tail index of the average: exactly (characteristic function) and from 20000 samples",
        notes=["Stability: a weighted sum of i.i.d. SaS(alpha) variables is SaS(alpha); averaging only shrinks the "
               "scale "
               "(zhou.remark.adamsplit.sas.corrected). The update of discrete ADAM does have light tails, but through "
               "the "
               "division by sqrt(v) (its steps are bounded), not through the average."],
        checks=[RelationCheck("exact tail index of the average against alpha (sampled index in the evidence)",
                              lambda c, st, p: sides(st, {ALPHA_EMA: p["exact_index"], alpha: p["alpha"]}),
                              ema_index_points, evidence="model", tol=1e-9)])


W_SUM = sp.Symbol(r"\frac{1-\beta_1}{1-\beta_1^t}\sum_{i=0}^{t-1}\beta_1^{t-i}")
i_, T = sp.Symbol("i", integer=True, nonnegative=True), sp.Symbol("t", positive=True, integer=True)


@claim("zhou.sec42.ema.weights", "Sec. 4.2, second paragraph", "((1 - beta1)/(1 - beta1^t)) sum_{i=0}^{t-1} "
       "beta1^(t-i) u_i is ADAM's (bias-corrected) average of the gradient noise", about="algebra")
def ema_weights():
    return Claim(
        statement=sp.Eq((1 - beta1) / (1 - beta1 ** T) * sp.Sum(beta1 ** (T - i_), (i_, 0, T - 1)), 1),
        regime=Regime((Param(beta1, 0.5, 0.95), Param(T, 1, 50)), (), "an average: weights summing to 1"),
        symbols=SYMBOLS, printed=r"\frac{1-\beta_1}{1-\beta_1^t}\sum_{i=0}^{t-1}\beta_1^{t-i}\mathbf{u}_i",
        quantified="read as: the printed weights are those of an average (they sum to 1), as for ADAM's m_t, whose "
        "weights (1 - beta1) beta1^(t-i)/(1 - beta1^t), i = 1..t, do",
        notes=["With i = 0..t-1 the weights sum to beta1, and u_t is left out: the range is off by one (i = 1..t), a "
               "third "
               "version besides Sec. 3.2's i = 0..t (zhou.remark.mdiff)."],
        checks=[SymbolicEquality("the sum of the printed weights", lambda c: sp.simplify(c.lhs.doit()),
                                 lambda c: c.rhs)])
