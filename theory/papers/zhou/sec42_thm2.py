"""`zhou`, Sec. 4.2: Theorem 2 and the paragraph on ill-conditioned local basins (ICLBs).

Theorem 2 (1) is checked on the exact gradient flow of quadratic basins (the noise-free SGD process), Theorem 2 (2) on
Euler paths of (4) against their noise-free twin up to the first big jump, the ICLB remarks on the exact v_eps and on
the mean first big-jump time of L.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import BoundCheck
from checks import heavytail as ht
from checks.stats import ALPHA
from checks.tails import RelationCheck, sides
from theory import Claim, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, alpha, delta, eps, mu, rhobar

# --- Theorem 2 (1) for SGD --------------------------------------------------------------------------------------
kk, r0, phi = sp.Symbol("k", positive=True), sp.Symbol("r_0", positive=True), sp.Symbol("phi", real=True)
DIST2 = sp.Symbol(r"\|\hat\theta_{v_\varepsilon} - \theta^*\|_2^2")
THM21_REGIME = Regime((Param(mu, 0.1, 2.0, log=True), Param(kk, 1.0, 20.0, log=True), Param(r0, 0.1, 3.0),
                       Param(phi, 0.0, 1.5707963), Param(eps, 0.01, 0.5, log=True), Param(rhobar, 0.1, 3.0)), (),
                      "gradient flow of F = (mu y_1^2 + k mu y_2^2)/2 (mu-strongly convex), theta_0 = r_0 (cos phi, "
                      "sin phi)")


def v_eps(p) -> float:
    """v_eps = kappa_3^-1 ln(2 Delta mu^-1 eps^-rhobar), kappa_3 = 2 mu (SGD), Delta = F(theta_0) - F(theta*)."""
    m_, k_, r, ph = p["mu"], p["k"], p["r_0"], p["phi"]
    Delta = (m_ * (r * math.cos(ph)) ** 2 + k_ * m_ * (r * math.sin(ph)) ** 2) / 2
    return math.log(2 * Delta / (m_ * p["varepsilon"] ** p[r"\bar{\rho}"])) / (2 * m_)


def dist2_at_v(p) -> float:
    """The exact noise-free path theta-hat_t = (y1 e^(-mu t), y2 e^(-k mu t)) at t = v_eps (or at 0 if v_eps < 0). At
    phi = 0 the two sides are equal in exact arithmetic (BoundCheck allows floating-point rounding, rtol 1e-12)."""
    t_ = max(v_eps(p), 0.0)
    r, ph, m_ = p["r_0"], p["phi"], p["mu"]
    return (r * math.cos(ph)) ** 2 * math.exp(-2 * m_ * t_) + (r * math.sin(ph)) ** 2 * math.exp(-2 * p["k"] * m_ * t_)


@claim("zhou.thm2.1", "Sec. 4.2, Theorem 2 (1)", "||theta-hat_t - theta*||^2 <= eps^rhobar if t >= v_eps = "
       "kappa_3^-1 ln(2 Delta mu^-1 eps^-rhobar), kappa_3 = 2 mu (SGD)")
def thm2_1():
    return Claim(
        statement=sp.Le(DIST2, eps ** rhobar), regime=THM21_REGIME, symbols={**SYMBOLS, "k": "condition number",
                                                                             "r_0": "|theta_0|"},
        dynamics="gradient flow d theta = -grad F dt (SDE (4) with eps = 0)", observable="squared distance at t = "
                                                                                         "v_eps",
        notes=["Tight: along the mu-eigenvector (phi = 0) equality holds (PL: F(theta-hat_t) - F* <= Delta e^(-2 mu t) "
               "and ||theta - theta*||^2 <= 2 (F - F*)/mu). For ADAM, kappa_3 = 2 mu tau/(beta1 (v_max + eps) + mu "
               "tau) "
               "(beta1 - beta2/4) rests on tau and v_max of Assumption 2, which fail near t = 0 and under heavy-tailed "
               "v "
               "(zhou.asm2.tau, zhou.asm2.v): not checked as printed."],
        checks=[BoundCheck("worst case over the regime (exact gradient flow)", exact=dist2_at_v, maxiter=8, popsize=8,
                           hypothesis_examples=30)])


# --- Theorem 2 (2) ------------------------------------------------------------------------------------------------
P_DEV = sp.Symbol(r"\sup_{\theta_0}\mathbb{P}(\sup_{t < \sigma_1}\|\theta_t - \hat\theta_t\| \geq "
                  r"2\varepsilon^{\bar\rho})")
THM22_REGIME = Regime((Param(alpha, 1.5, 1.5), Param(eps, 0.05, 0.05), Param(delta, 0.5, 0.5)), (),
                      "SDE (4), F = x^2/2 on (-1, 1), theta_0 = 0.5, Euler h = 0.05; c_3, c_4 -> 0 (the most "
                      "favourable "
                      "constants): rhobar = (1 - delta)/16, p = rhobar/4")


def deviation_points(claim, rng):
    """Euler paths of (4) and the noise-free path from theta_0 = 0.5, driven by L's increments until the first increment
    of size >= eps^-delta (the first big jump); the fraction of paths whose distance reached 2 eps^rhobar, with its
    exact upper confidence limit."""
    a, e, d = 1.5, 0.05, 0.5
    rb = (1 - d) / 16
    n, h_ = 1000, 0.05
    def run(r):
        x, xh = np.full(n, 0.5), 0.5
        alive, worst = np.ones(n, bool), np.zeros(n)
        for _ in range(4000):
            inc = h_ ** (1 / a) * zm.sas_sample(a, n, r)
            alive &= np.abs(inc) < e ** -d
            x = np.where(alive, x - h_ * x + e * inc, x)
            xh = xh - h_ * xh
            worst = np.where(alive, np.maximum(worst, np.abs(x - xh)), worst)
            if not alive.any():
                break
        return worst, alive
    worst, alive = zm.memo_by_rng("thm2.2 paths", run, rng)
    k = int((worst >= 2 * e ** rb).sum())
    return [{"alpha": a, "varepsilon": e, "delta": d, "fraction": k / n, "count": k, "n": n,
             "lower": ht.clopper_pearson(k, n, ALPHA)[0], "upper": ht.clopper_pearson(k, n, ALPHA)[1],
             "threshold": 2 * e ** rb, "still_before_jump": int(alive.sum()), "max_deviation": float(worst.max())}]


@claim("zhou.thm2.2", "Sec. 4.2, Theorem 2 (2)", "sup P(sup_{0 <= t < sigma_1} ||theta_t - theta-hat_t|| >= 2 "
                                                 "eps^rhobar) "
       "<= 2 exp(-eps^-p)")
def thm2_2():
    pp = rhobar / 4
    return Claim(
        statement=sp.Le(P_DEV, 2 * sp.exp(-eps ** -pp)).subs(rhobar, (1 - delta) / 16), regime=THM22_REGIME,
        symbols=SYMBOLS, dynamics="SDE (4) and its noise-free path up to the first big jump",
        observable="fraction of paths whose deviation reaches 2 eps^rhobar before the first big jump",
        notes=["rhobar is defined twice in Theorem 2 (free in (1), fixed in (2)); (2)'s is used. c_3, c_4 are not "
               "given, "
               "so only the most favourable constants are checkable; with rhobar <= 1/16 the threshold 2 eps^rhobar is "
               "about 1.8 at eps = 0.05, larger than the basin: the event is not seen, and the bound (about 0.7 here) "
               "is not approached. Not refuted, with little power."],
        checks=[RelationCheck("the fraction's exact (binomial) confidence interval against the bound",
                              lambda c, st, p: sides(st, {P_DEV: (p["lower"], p["upper"]), eps: p["varepsilon"],
                                                          delta: p["delta"]}),
                              deviation_points, kind="montecarlo")])


# --- ill-conditioned basins ----------------------------------------------------------------------------------------
VE, ES1 = sp.Symbol("v_varepsilon"), sp.Symbol(r"\mathbb{E}\sigma_1", positive=True)
K_ = sp.Symbol("K", positive=True)


def iclb_points(claim, rng):
    """mu = K eps^(alpha delta) with K from the regime; v_eps of Theorem 2 (1) (Delta = mu/2: theta_0 on the
    mu-eigenvector at distance 1, rhobar = 1/2) and E sigma_1 = 1/nu{|y| >= eps^-delta} of L, exactly, along eps."""
    out = []
    a, d = 1.5, 0.5
    for K in claim.regime.param("K").low, claim.regime.param("K").high:
        for e in (1e-2, 1e-4, 1e-6, 1e-8):
            m_ = float(MU_OF[claim.id](K, e, a, d))
            v = math.log(2 * (m_ / 2) / (m_ * e ** 0.5)) / (2 * m_)
            es1 = 1 / (2 * zm.c_alpha(a) / a * (e ** -d) ** -a)
            out.append({"K": K, "varepsilon": e, "mu": m_, "v_eps": v, "E_sigma1": es1})
    return out


MU_OF = {"zhou.sec42.iclb": lambda K, e, a, d: K * e ** (a * d),
         "zhou.sec42.iclb.corrected": lambda K, e, a, d: K * e ** (a * d) * math.log(1 / e)}


def _iclb(claim_id_note):
    return Claim(
        statement=sp.Le(VE, ES1), regime=Regime((Param(K_, 1.0, 100.0, log=True),), (),
                                                "alpha = 1.5, delta = 1/2, rhobar = 1/2, Delta = mu/2"),
        symbols={**SYMBOLS, "K": "the constant in mu = K x (the stated order)"},
        dynamics="noise-free flow (Theorem 2 (1)) and the big jumps of L", observable="v_eps against E sigma_1",
        notes=[claim_id_note],
        checks=[RelationCheck("v_eps and E sigma_1 along eps = 1e-2 ... 1e-8",
                              lambda c, st, p: sides(st, {VE: p["v_eps"], ES1: p["E_sigma1"]}), iclb_points)])


@claim("zhou.sec42.iclb", "Sec. 4.2, paragraph on ICLBs", "v_eps <= sigma_1 holds 'if mu of ICLBs is larger than "
       "O(eps^(alpha delta))'")
def iclb():
    return _iclb("With mu = K eps^(alpha delta), v_eps/E sigma_1 grows like ln(1/eps)/K: for every constant K it "
                 "exceeds 1 "
                 "for small eps. mu must exceed eps^(alpha delta) by a factor growing like ln(1/eps) "
                 "(zhou.sec42.iclb.corrected).")


@claim("zhou.sec42.iclb.corrected", "Sec. 4.2, corrected", "v_eps <= E sigma_1 if mu >= K eps^(alpha delta) ln(1/eps) "
       "with K large enough", corrects="zhou.sec42.iclb")
def iclb_corrected():
    c = _iclb("With mu = K eps^(alpha delta) ln(1/eps), v_eps/E sigma_1 stays bounded (about c_alpha (1 + ...)/(alpha "
              "K)) "
              "and is below 1 for K >= 1 along the ladder.")
    return c


HIT = sp.Symbol(r"\mathrm{median}\, t_{hit} / v_\varepsilon")


def generic_hitting(claim, rng):
    """Gradient flow on a 20-D quadratic with eigenvalues logspace(-2, 0) from 2000 uniform starts on the unit sphere:
    the time to reach ||theta-hat - theta*||^2 <= eps^rhobar (bisection on the exact solution) divided by v_eps
    (Delta = F(theta_0), mu = 0.01), median over starts, at eps^rhobar = 1e-2, 1e-4, 1e-8, 1e-16."""
    lam = np.logspace(-2, 0, 20)
    y0 = rng.normal(size=(2000, 20))
    y0 /= np.linalg.norm(y0, axis=1, keepdims=True)
    delta_ = 0.5 * (y0 ** 2 * lam).sum(axis=1)
    out = []
    for target in (1e-2, 1e-4, 1e-8, 1e-16):
        lo, hi = np.zeros(2000), np.full(2000, 1e5)
        for _ in range(80):
            mid = (lo + hi) / 2
            d2 = (y0 ** 2 * np.exp(-2 * lam * mid[:, None])).sum(axis=1)
            lo, hi = np.where(d2 > target, mid, lo), np.where(d2 > target, hi, mid)
        v = np.log(2 * delta_ / (lam[0] * target)) / (2 * lam[0])
        out.append({"eps^rhobar": target, "median_ratio": float(np.median(hi / v)),
                    "q90_ratio": float(np.quantile(hi / v, 0.9))})
    return out


@claim("zhou.sec42.iclb.generic", "Sec. 4.2, paragraph on ICLBs", "trajectories cannot always go along the "
       "mu-eigenvector, 'so v_eps is actually much larger than O((1/mu) ln(1/(mu eps^delta)))'")
def iclb_generic():
    return Claim(
        statement=sp.Gt(HIT, 10), regime=Regime(()), symbols=SYMBOLS,
        quantified="'much larger' read as: the time generic trajectories need is at least 10 times v_eps (median over "
        "random starts); 'v_eps' read as the time actually needed, compared with the worst-case bound",
        dynamics="gradient flow on a 20-D quadratic, eigenvalues logspace(-2, 0)", observable="median hitting time / "
                                                                                              "v_eps",
        notes=["Generic starts have a component on the mu-eigenvector, which dominates eventually: the ratio tends to "
               "1 "
               "from below as eps -> 0 (never above 1, so the argument would make the time smaller, not larger)."],
        checks=[RelationCheck("median hitting time over v_eps along eps^rhobar",
                              lambda c, st, p: sides(st, {HIT: p["median_ratio"]}), generic_hitting)])
