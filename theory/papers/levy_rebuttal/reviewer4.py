"""`levy-rebuttal`, answer to Reviewer #4 (ll. 31-53): Assumption 2 (its constants, beta1 <= beta2 <= 2 beta1, the
inner-product condition), the figure on a network, Theorem 2's time scales (v_eps, sigma_1) on ill-conditioned basins,
and the closing remarks.

The dynamics are `zhou`'s (theory/papers/zhou/models.py); the checks reuse `zhou`'s where the rebuttal restates a claim
of the paper, on the rebuttal's own wording.
"""
from __future__ import annotations

import sympy as sp

from checks import NotCheckable
from checks import heavytail as ht
from checks.stats import ALPHA
from checks.tails import ByReading, ExitLadder, RelationCheck, sides
from theory import BigO, Claim, Param, Regime, claim
from theory.papers.zhou import models as zm
from theory.papers.zhou.models import SYMBOLS, alpha, delta, eps
from theory.papers.zhou.sec4 import (
    RATIO_HAT,
    RATIO_M,
    TAU_M,
    V_SUP,
    _betas_claim,
    tau,
    tau_points,
    taum_points,
    v_max,
    vmax_points,
)
from theory.papers.zhou.sec42_sets import first_big_jump
from theory.papers.zhou.sec42_thm2 import ES1, HIT, VE, generic_hitting, iclb_points


@claim("levy-rebuttal.asm2.betas", "l. 31", "beta1 <= beta2 <= 2 beta1 holds under Adam's default setting",
       about="algebra")
def betas_claim():
    c = _betas_claim("decay")
    c.checks = [ByReading("what beta1, beta2 are", {"decay factors": _betas_claim("decay").checks[0],
                                                     "rates of (5)": _betas_claim("rates").checks[0]})]
    return c


@claim("levy-rebuttal.asm2.betas.decay", "l. 31", "beta1 <= beta2 <= 2 beta1 for Adam's decay factors",
       reading_of="levy-rebuttal.asm2.betas", reading="beta1, beta2 are Adam's decay factors 0.9, 0.999",
       about="algebra")
def betas_decay():
    return _betas_claim("decay")


@claim("levy-rebuttal.asm2.betas.rates", "l. 31", "beta1 <= beta2 <= 2 beta1 for the rates of (5)",
       reading_of="levy-rebuttal.asm2.betas", reading="beta1, beta2 are the rates of (5); Adam's defaults give "
       "(1 - 0.9)/eta and (1 - 0.999)/eta", proof_reading=True, about="algebra")
def betas_rates():
    return _betas_claim("rates")


def _constant(which):
    if which == "taum":
        return Claim(statement=sp.Le(RATIO_M, TAU_M), regime=Regime((Param(TAU_M, 1.0, 1000.0, log=True),)),
                     symbols=SYMBOLS, dynamics="SDE (5) and its noise-free twin (zhou.asm2.taum's setting)",
                     observable="median of ||m_t - m-hat_t|| / ||int_0^t (m_s - m-hat_s) ds|| along t",
                     checks=[RelationCheck("median ratio along t against tau_m", lambda c, st, p: sides(
                         st, {RATIO_M: p["median_ratio"], TAU_M: p[r"\tau_m"]}), taum_points, kind="montecarlo")])
    if which == "tau":
        return Claim(statement=sp.Ge(RATIO_HAT, tau), regime=Regime((Param(tau, 0.01, 0.1, log=True),)),
                     symbols=SYMBOLS,
                     dynamics="the noise-free (5) (zhou.asm2.tau's setting)", observable="||m-hat_t|| / ||grad "
                                                                                         "F(theta-hat_t)||",
                     checks=[RelationCheck("the ratio along t against tau", lambda c, st, p: sides(
                         st, {RATIO_HAT: p["ratio"], tau: p["tau"]}), tau_points)])
    return Claim(statement=sp.Le(V_SUP, v_max), regime=Regime((Param(v_max, 2.0, 2.0),)), symbols=SYMBOLS,
                 dynamics="ADAM's v_t fed SaS(1.5) gradient noise (zhou.asm2.v's setting)",
                 observable="median running maximum of sqrt(v_t)",
                 checks=[RelationCheck("running maximum against v_max", lambda c, st, p: sides(
                     st, {V_SUP: p["median_running_max"], v_max: p["v_max"]}), vmax_points, kind="montecarlo")])


@claim("levy-rebuttal.asm2.constants", "ll. 32-36", "constants tau_m with ||m_t - m-hat_t||/||int_0^t- (m_s - m-hat_s) "
                                                    "ds|| "
       "<= tau_m always exist, as the integral is non-zero 'due to their different definitions'")
def constants_taum():
    c = _constant("taum")
    c.notes = ["Non-zero is not bounded away from zero: m - m-hat is 0 at t = 0, its integral is of higher order, and "
               "the "
               "ratio grows like 1/t near t = 0 (in 1-D the integral also crosses 0). tau and v_max: "
               "levy-rebuttal.asm2.constants.tau, levy-rebuttal.asm2.constants.vmax."]
    return c


@claim("levy-rebuttal.asm2.constants.tau", "ll. 32-36", "a constant tau with ||m-hat_t||/||grad F(theta-hat_t)|| >= "
                                                        "tau "
       "exists, as ||m-hat_t|| != 0 almost surely when not converged")
def constants_tau():
    c = _constant("tau")
    c.notes = ["m-hat is deterministic ('almost surely' is moot) and m-hat_0 = 0: the ratio tends to 0 as t -> 0."]
    return c


@claim("levy-rebuttal.asm2.constants.vmax", "ll. 32-34", "a constant v_max with sqrt(v_t,i) <= v_max always exists")
def constants_vmax():
    return _constant("vmax")


P_OK = sp.Symbol(r"\mathbb{P}(\int_0^\Gamma \ldots \geq 0)")


def inner_points(claim, rng):
    def run(r):
        _, integral, _ = zm.adam_sde_records(2000, 3.0, 1e-3, r, e=0.1, th0=0.2)
        return integral
    integral = zm.memo_by_rng("rebuttal inner", run, rng)
    k = int((integral >= 0).sum())
    lo, hi = ht.clopper_pearson(k, integral.size, ALPHA)
    return [{"fraction": k / integral.size, "lower": lo, "upper": hi}]


@claim("levy-rebuttal.asm2.inner", "ll. 36-37", "int_0^Gamma <grad F/(1 + F), mu_s Q_s^-1 m_s> ds >= 0 'generally "
                                                "holds'")
def inner():
    return Claim(
        statement=sp.Ge(P_OK, sp.Rational(99, 100)), regime=Regime(()), symbols=SYMBOLS,
        quantified="'generally holds' read as: with probability at least 99% (tested by the exact lower confidence "
                   "limit)",
        dynamics="SDE (5) in 1-D from theta_0 = 0.2 (zhou.asm2.inner's setting)", observable="fraction of paths >= 0",
        checks=[RelationCheck("the fraction's exact confidence interval",
                              lambda c, st, p: sides(st, {P_OK: (p["lower"],
                                                                 p["upper"])}), inner_points, kind="montecarlo")])


@claim("levy-rebuttal.fig.right", "ll. 37-38", "the right figure verifies these assumptions on a 4-layer network "
       "(width 100)")
def fig_right():
    return Claim(statement=sp.Eq(sp.Symbol(r"\text{figure}"), 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("deep-network measurement", "a figure (not in the text) of a 4-layer network of "
                                      "width 100; the toy analogues are zhou.asm2.*")])


RADIUS = sp.Symbol(r"\lim_{\varepsilon \to 0} r(\varepsilon)")


def _radius(r_expr):
    return Claim(
        statement=sp.Eq(RADIUS, 0), regime=Regime((Param(delta, 0.1, 0.9),)), symbols=SYMBOLS, about="text",
        quantified="'approaches the minimizer, i.e. ||theta-hat_t - theta*|| <= r(eps)' read as: the radius r(eps) "
                   "shrinks "
        "to 0 as eps -> 0",
        notes=["Printed r = eps^-delta, which grows as eps -> 0 (a ball larger than the basin: the bound says "
               "nothing). "
               "With r = eps^delta, Theorem 2 (1) (its squared form with rhobar = 2 delta) gives the time "
               "(1/(2 mu)) ln(2 Delta/(mu eps^(2 delta))) = O((1/mu) ln(1/(mu eps^delta))), the printed v_eps."],
        checks=[RelationCheck("the limit of the radius as eps -> 0 (SymPy), at delta = 0.2, 0.5, 0.9", lambda c, st,
                              p: sides(
            st, {RADIUS: float(sp.limit(r_expr.subs(delta, p["delta"]), eps, 0, "+"))}),
            lambda c, rng: [{"delta": d_} for d_ in (0.2, 0.5, 0.9)], evidence="derivation")])


@claim("levy-rebuttal.thm2.v", "ll. 39-40", "after v_eps = O((1/mu) ln(1/(mu eps^delta))) the noise-free process "
       "approaches theta*, i.e. ||theta-hat_t - theta*|| <= eps^-delta", about="text")
def thm2_v():
    return _radius(eps ** -delta)


@claim("levy-rebuttal.thm2.v.corrected", "ll. 39-40, corrected", "... i.e. ||theta-hat_t - theta*|| <= eps^delta",
       corrects="levy-rebuttal.thm2.v", about="text")
def thm2_v_corrected():
    return _radius(eps ** delta)


S1_REGIME = sp.Symbol(r"\sigma_1")


@claim("levy-rebuttal.thm2.sigma", "l. 41", "the time sigma_1 between two big jumps (size >= eps^-delta) is "
       "O(1/eps^(alpha delta))")
def thm2_sigma():
    return Claim(
        statement=sp.Eq(ES1, BigO(eps ** (-alpha * delta))),
        regime=Regime((Param(alpha, 1.8, 1.8), Param(delta, 0.9, 0.9), Param(eps, 0.025, 0.1, log=True))),
        symbols=SYMBOLS, quantified="sigma_1 is random (exponential): read as its mean",
        dynamics="the Levy motion L_t, Euler increments over h = 1e-3", observable="mean first big-jump time along eps",
        checks=[ExitLadder("eps-ladder: exponent of the mean first big-jump time", first_big_jump, lambda p, f: f(**p),
                           eps,
                           lambda p: [{**p, "varepsilon": e} for e in (0.1, 0.05, 0.025)], level=False,
                           at=[{"alpha": 1.8, "delta": 0.9, "varepsilon": 0.1}], n_paths=4000,
                           formula=lambda c: c.remainder_bound,
                           perturbations=(("x eps^(1/2)", lambda e: e * eps ** sp.Rational(1, 2)),
                                          ("x eps^(-1/2)", lambda e: e / eps ** sp.Rational(1, 2))))])


K_ = sp.Symbol("K", positive=True)


@claim("levy-rebuttal.thm2.iclb", "ll. 41-43", "Theorems 1-2 need v_eps <= sigma_1, which holds 'if mu of ICLBs is "
                                               "larger "
       "than O(eps^(alpha delta))'")
def thm2_iclb():
    from theory.papers.zhou.sec42_thm2 import MU_OF
    MU_OF.setdefault("levy-rebuttal.thm2.iclb", MU_OF["zhou.sec42.iclb"])
    return Claim(statement=sp.Le(VE, ES1), regime=Regime((Param(K_, 1.0, 100.0, log=True),)), symbols=SYMBOLS,
                 dynamics="noise-free flow and the big jumps of L (zhou.sec42.iclb's setting)",
                 observable="v_eps against E sigma_1 with mu = K eps^(alpha delta)",
                 notes=["v_eps/E sigma_1 grows like ln(1/eps)/K: mu must exceed eps^(alpha delta) by a factor growing "
                        "like ln(1/eps) (zhou.sec42.iclb.corrected)."],
                 checks=[RelationCheck("v_eps and E sigma_1 along eps", lambda c, st, p: sides(
                     st, {VE: p["v_eps"], ES1: p["E_sigma1"]}), iclb_points)])


@claim("levy-rebuttal.thm2.eigdir", "ll. 43-47", "trajectories cannot always go along the mu-eigenvector, 'so v_eps is "
       "actually much larger than O((1/mu) ln(1/(mu eps^delta)))'")
def thm2_eigdir():
    return Claim(statement=sp.Gt(HIT, 10), regime=Regime(()), symbols=SYMBOLS,
                 quantified="'much larger' read as: at least 10 times (median over random starts)",
                 dynamics="gradient flow on a 20-D quadratic (zhou.sec42.iclb.generic's setting)",
                 observable="median hitting time / v_eps",
                 checks=[RelationCheck("median hitting time over v_eps", lambda c, st, p: sides(
                     st, {HIT: p["median_ratio"]}), generic_hitting)])


@claim("levy-rebuttal.remark.extreme", "ll. 48-51", "for extremely ill-conditioned basins (mu -> 0 or 0) first-order "
       "methods cannot escape; the theory does not hold there; such basins generalize well and need not be escaped")
def extreme():
    return Claim(statement=sp.Eq(sp.Symbol(r"\text{scope}"), 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("citation and scope", "a citation (Anandkumar and Ge) and a statement of scope; "
                                      "consistently, v_eps = ln(...)/(2 mu) is infinite at mu = 0")])


@claim("levy-rebuttal.remark.barrier", "ll. 52-53", "the loss along the path over the barrier first decreases, then "
       "climbs the barrier and finally decreases")
def barrier():
    return Claim(statement=sp.Eq(sp.Symbol(r"\text{figure}"), 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("deep-network measurement", "the loss between two network iterates (a figure not "
                                      "in the text)")])
