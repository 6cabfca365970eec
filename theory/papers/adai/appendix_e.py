"""`adai`, Sec. 6 and App. E: the mean escape time analysis. The escape-rate estimator (119) and its interval (120),
the Styblinski-Tang test problem, and Figure 5.

The escape times of (119)-(120) are modelled as App. E says, i.i.d. Exponential(Gamma); their sum S is then
Gamma(n, Gamma) exactly, which gives exact expectations and coverages. Figure 5 is reproduced with the optimizers
themselves (escape_models.styblinski_tang_escapes).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import stats

from checks import ExactComparison, ExactOrder, MonteCarloMean, Sample, SymbolicEquality
from theory import BigO, Claim, Param, Regime, claim

from .escape_checks import Figure5, weighted_fit  # noqa: F401  (weighted_fit: shared with the tests)
from .escape_models import ESYMBOLS, FIG5_OPTIMIZERS, ST_A, ST_B

# --- (119) -----------------------------------------------------------------------------------------------------------
n_rep = sp.Symbol("n", positive=True, integer=True)
Gam = sp.Symbol("Gamma", positive=True)
S_sum = sp.Symbol("S", positive=True)
c_ = sp.Symbol("c", positive=True)
ESTIMATOR = Regime((Param(n_rep, 10, 400, log=True, doc="escapes (100 in App. E)"),
                    Param(Gam, 1e-4, 1.0, log=True, doc="escape rate")), (),
                   "n i.i.d. Exponential(Gamma) escape times (App. E: 'approximately ... exponential')")
ESYM = {**ESYMBOLS, "n": "number of escapes", "Gamma": "escape rate", "S": "sum of the n escape times"}


def estimator_simulate(point, n_paths, rng) -> Sample:
    n = int(point["n"])
    t = rng.exponential(1 / point["Gamma"], size=(n_paths, n))
    return Sample(((n - 2) / t.sum(axis=1))[:, None], ["Gamma-hat (n-2)/S"])


@claim("adai.eq119", "Eq. (119), App. E", "Escape-rate estimator Gamma-hat = (n - 2) / sum t_i",
       quantified="'the estimated escape rate' read as: the minimum-mean-squared-error estimator of the form c/S "
                  "(S ~ Gamma(n, Gamma)); it is biased low by the factor (n-2)/(n-1) (0.990 at n = 100)")
def eq119():
    mse = c_ ** 2 * Gam ** 2 / ((n_rep - 1) * (n_rep - 2)) - 2 * c_ * Gam ** 2 / (n_rep - 1) + Gam ** 2
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\hat{\Gamma}"), (n_rep - 2) / S_sum), regime=ESTIMATOR, symbols=ESYM,
        dynamics="t_i ~ Exponential(Gamma), i.i.d.", observable="the estimator",
        notes=["E[1/S] = Gamma/(n-1) and E[1/S^2] = Gamma^2/((n-1)(n-2)), so E[(c/S - Gamma)^2] is the quadratic "
               "in c below."],
        checks=[SymbolicEquality("argmin_c E[(c/S - Gamma)^2], over S",
                                 lambda c: sp.solve(sp.diff(mse, c_), c_)[0] / S_sum, lambda c: c.formula),
                MonteCarloMean("simulated exponential escape times: E[Gamma-hat] = the statement at 1/S -> E[1/S] = "
                               "Gamma/(n-1)", estimator_simulate, lambda p, f: [f(**p, S=(p["n"] - 1) / p["Gamma"])],
                               extra_symbols=(S_sum,), n_points=2, n_paths=50_000)])


# --- (120), read two ways ---------------------------------------------------------------------------------------------
inv_n = sp.Symbol("inv_n", positive=True)
COVERAGE = Regime((Param(n_rep, 100, 100, doc="App. E's n"), Param(Gam, 1e-4, 1.0, log=True)), (),
                  "n = 100 exponential escape times, as in App. E")
CI = sp.Symbol(r"P(\Gamma \in CI)", positive=True)


def coverage_exact(point) -> float:
    """P(Gamma-hat (1 - 1.96/sqrt n) <= Gamma <= Gamma-hat (1 + 1.96/sqrt n)) with Gamma S ~ Gamma(n, 1)."""
    n = int(round(point["n"]))
    z = 1.96 / math.sqrt(n)
    return float(stats.gamma.cdf((n - 2) * (1 + z), n) - stats.gamma.cdf((n - 2) * (1 - z), n))


def coverage_simulate(point, n_paths, rng) -> Sample:
    n = int(point["n"])
    g = (n - 2) / rng.exponential(1 / point["Gamma"], size=(n_paths, n)).sum(axis=1)
    z = 1.96 / math.sqrt(n)
    inside = (g * (1 - z) <= point["Gamma"]) & (point["Gamma"] <= g * (1 + z))
    return Sample(inside[:, None].astype(float), ["covered"], info={"exact": [coverage_exact(point)]})


def exact_interval_simulate(point, n_paths, rng) -> Sample:
    n = int(point["n"])
    g = (n - 2) / rng.exponential(1 / point["Gamma"], size=(n_paths, n)).sum(axis=1)
    lo, hi = stats.gamma.ppf([0.025, 0.975], n) / (n - 2)
    return Sample(((g * lo <= point["Gamma"]) & (point["Gamma"] <= g * hi))[:, None].astype(float), ["covered"])


NEAR = (("x0.99", lambda e: e * sp.Rational(99, 100)), ("x1.01", lambda e: e * sp.Rational(101, 100)))


def asymptotic_check() -> ExactOrder:
    return ExactOrder("the exact coverage tends to the statement as n grows (n x4 per rung from 100)",
                      lambda p: coverage_exact({**p, "n": 1 / p["inv_n"]}), small=inv_n, order=0.5, rungs=5, factor=4,
                      start=lambda p: {**p, "inv_n": 1 / 100}, n_points=1)


def coverage_claim(checks) -> Claim:
    return Claim(statement=sp.Eq(CI, sp.Float(0.95)), regime=COVERAGE, symbols=ESYM,
                 dynamics="t_i ~ Exponential(Gamma), i.i.d.", observable="coverage of (120)", checks=list(checks))


@claim("adai.eq120", "Eq. (120), App. E", "95% confidence interval Gamma-hat (1 -+ 1.96/sqrt(n))")
def eq120():
    return coverage_claim([asymptotic_check()])


@claim("adai.eq120.exact-n", "Eq. (120), at n = 100", "Coverage 95% at App. E's n = 100", reading_of="adai.eq120",
       reading="'the 95% confidence interval' at the n = 100 of App. E: the coverage is 95% there",
       quantified="'95%' read as: the coverage at n = 100 rounds to 95% (within 0.005 of 0.95)")
def eq120_exact_n():
    return coverage_claim([
        ExactComparison("exact coverage at n = 100 (Gamma(n, 1) law of Gamma S)", lambda p: [coverage_exact(p)],
                        lambda p, f: [f(**p)], n_points=1, rtol=0.005 / 0.95,
                        perturbations=(("x0.98", lambda e: e * sp.Rational(98, 100)),
                                       ("x1.02", lambda e: e * sp.Rational(102, 100)))),
        MonteCarloMean("simulated coverage at n = 100 (200,000 sets of 100 exponential times)", coverage_simulate,
                       lambda p, f: [f(**p)], n_points=1, n_paths=200_000, perturbations=NEAR)])


@claim("adai.eq120.asymptotic", "Eq. (120), large n", "Coverage tends to 95% as n grows", reading_of="adai.eq120",
       proof_reading=True,
       reading="a large-sample (normal-approximation) interval: Gamma-hat +- 1.96 Gamma-hat/sqrt(n) is the Wald "
               "interval of the delta method, the construction (120) uses",
       quantified="'95%' read as the limit: |coverage - 0.95| shrinks at least like n^-1/2 (it shrinks like 1/n)")
def eq120_asymptotic():
    return coverage_claim([asymptotic_check()])


@claim("adai.eq120.exact-n.corrected", "Eq. (120), corrected", "Exact 95% interval: Gamma-hat g_0.025/(n-2) <= "
       "Gamma <= Gamma-hat g_0.975/(n-2), g ~ Gamma(n, 1)", corrects="adai.eq120.exact-n",
       quantified="'95%' read as: the coverage is 0.95 at every n (exact interval)")
def eq120_corrected():
    return Claim(
        statement=sp.Eq(CI, sp.Float(0.95)), regime=COVERAGE, symbols=ESYM, dynamics="t_i ~ Exponential(Gamma), i.i.d.",
        observable="coverage of the exact interval",
        notes=["Derived: Gamma S ~ Gamma(n, 1) and Gamma-hat = (n-2)/S; at n = 100: Gamma-hat x [0.826, 1.231] "
               "instead of [0.804, 1.196]."],
        checks=[ExactComparison("exact coverage (Gamma(n, 1) quantiles)", lambda p: [float(np.diff(stats.gamma.cdf(
                    stats.gamma.ppf([0.025, 0.975], int(p["n"])), int(p["n"])))[0])], lambda p, f: [f(**p)], n_points=1,
                    rtol=1e-9),
                MonteCarloMean("simulated coverage at n = 100", exact_interval_simulate, lambda p, f: [f(**p)],
                               n_points=1, n_paths=200_000, perturbations=NEAR)])


# --- the Styblinski-Tang test problem --------------------------------------------------------------------------------
u = sp.Symbol("u", real=True)
x_dat = sp.Symbol("x", real=True)
F_ST = (u ** 4 - 16 * u ** 2 + 5 * u) / 2                        # one coordinate of f
ST_REGIME = Regime((Param(u, -4, 4, doc="one coordinate"),), (), "one coordinate of the 10-D Styblinski-Tang function")


def averaged_gradient() -> sp.Expr:
    """d/du E_x f(u - x), x ~ N(0, 4): the moments E x^2 = 4, E x^4 = 48, odd moments 0."""
    expanded = sp.expand(F_ST.subs(u, u - x_dat))
    mean = sum(expanded.coeff(x_dat, k) * m for k, m in ((0, 1), (1, 0), (2, 4), (3, 0), (4, 48)))
    return sp.diff(sp.expand(mean), u)


def st_gradient_simulate(point, n_paths, rng, us=None) -> Sample:
    """Per-sample gradients d/du f(u - x), x ~ N(0, 4), at u (the point's, or the given ones)."""
    us = [point["u"]] if us is None else us
    x = rng.normal(0.0, 2.0, size=(n_paths, 1))
    w = np.asarray(us, dtype=float)[None, :] - x
    return Sample((4 * w ** 3 - 32 * w + 5) / 2, [f"df/du at u = {v:g}" for v in us])


@claim("adai.appe.f", "App. E, test function", "Styblinski-Tang: minimum a = -2.903534 and saddle b = 0.156731 per "
       "coordinate", about="algebra")
def appe_f():
    fpp = sp.diff(F_ST, u, 2)
    return Claim(
        statement=sp.Eq(sp.Symbol("(a, b)"), sp.Matrix([sp.Float(ST_A), sp.Float(ST_B)]), evaluate=False),
        regime=ST_REGIME,
        symbols={"u": "one coordinate"}, dynamics="f(theta) = 1/2 sum (theta_i^4 - 16 theta_i^2 + 5 theta_i)",
        observable="critical points of one coordinate",
        checks=[SymbolicEquality("the two smallest roots of f' to the statement's 6 decimals",
                                 lambda c: sp.Matrix([round(float(r), 6) for r in
                                                      sorted(sp.Poly(sp.diff(F_ST, u), u).nroots())[:2]]),
                                 lambda c: sp.Matrix(list(c.formula))),
                SymbolicEquality("f'' > 0 at a (a minimum) and f'' < 0 at b (a saddle of the n-D function)",
                                 lambda c: sp.Matrix([sp.sign(fpp.subs(u, v)) for v in c.formula]),
                                 sp.Matrix([1, -1]))])


@claim("adai.appe.loss", "App. E, training loss L(theta) = f(theta - x), x ~ N(0, 4I)", "The training loss has valley "
       "a_1 around a = -2.903534 bounded by the saddle b = 0.156731", about="algebra", uses=["adai.appe.f"])
def appe_loss():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"(a, b)\ \mathrm{of}\ E_x f(u - x)"),
                        sp.Matrix([sp.Float(ST_A), sp.Float(ST_B)]), evaluate=False),
        regime=ST_REGIME, symbols={"u": "one coordinate"},
        dynamics="the loss the optimizers follow: f(theta - x) averaged over the data",
        observable="critical points of the averaged loss",
        notes=["The experiment starts at a/sqrt(k) and counts an escape past b/sqrt(k): it takes a and b, the critical "
               "points of f (adai.appe.f), as those of the training loss. A statement about a function (the loss), "
               "decided by its algebra; the minibatch gradients the optimizers see average to the corrected form's "
               "gradient (Monte Carlo in adai.appe.loss.corrected)."],
        checks=[SymbolicEquality("the averaged loss's gradient at the statement's a and b is zero",
                                 lambda c: sp.Matrix([averaged_gradient().subs(u, v) for v in c.formula]),
                                 sp.Matrix([0, 0]))])


GRADIENT_AT = (ST_A, ST_B, 2.0)


@claim("adai.appe.loss.corrected", "App. E, training loss, corrected", "The averaged training loss 1/2 sum (u^4 + 8u^2 "
       "+ 5u - 16) is convex: its gradient 2u^3 + 8u + 5/2 has one zero, u* = -0.305, and no saddle", about="algebra",
       corrects="adai.appe.loss")
def appe_loss_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\partial_u E_x f(u - x)"), 2 * u ** 3 + 8 * u + sp.Rational(5, 2)),
        regime=ST_REGIME,
        symbols={"u": "one coordinate"}, dynamics="f(theta - x) averaged over x ~ N(0, 4I)", observable="the gradient",
        notes=["An escape past b = 0.157 is a fluctuation up the side of one convex well (from u* up to b)."],
        checks=[SymbolicEquality("d/du E_x f(u - x) from the moments of x", lambda c: averaged_gradient(),
                                 lambda c: c.formula),
                SymbolicEquality("one real zero (a convex loss: no saddle)",
                                 lambda c: len(sp.Poly(c.formula, u).real_roots()), sp.S.One),
                MonteCarloMean("mean of per-sample gradients of f(u - x), x ~ N(0, 4), at u = a, b, 2",
                               lambda p, n, rng: st_gradient_simulate(p, n, rng, GRADIENT_AT),
                               lambda p, f: [f(**{**p, "u": v}) for v in GRADIENT_AT], n_points=1, n_paths=200_000,
                               fixed_setting=True)])


# --- Figure 5 ---------------------------------------------------------------------------------------------------------
k = sp.Symbol("k", positive=True)
FIG5_REGIME = Regime((Param(k, 1.75, 3.5, doc="sharpness (the checks run App. E's experiment at fixed k)"),), (),
                     "App. E's 10-D Styblinski-Tang experiment")
FIG5_DYNAMICS = ("10-D Styblinski-Tang, 50,000 samples x ~ N(0, 4I), batch 10 (with replacement), L(theta) = "
                 "f(sqrt(k) theta - x); Momentum lr 1e-4 (beta 0.9, SGD-style), Adam lr 0.03, Adai lr 1e-3; start at "
                 "a/sqrt(k), escape when some theta_i > b/sqrt(k)")
FIG5_NOTES = ["The rescaled loss is read as f(sqrt(k) theta - x), consistent with the start a/sqrt(k) and the boundary "
              "b/sqrt(k). Figure 5's values of k are not printed; the checks use k = 2.5 ... 3.5 (mean escapes of "
              "about 75 to 800 iterations, the slow escapes App. B means), --deep 1.75 ... 3.5 with 400 escapes each.",
              "The averaged training loss has no saddle at b (adai.appe.loss): these are exits up the side of one "
              "well. All readings judge the same runs (one experiment, seeded as adai.fig5)."]
def fig5_claim(power, checks=()) -> Claim:
    return Claim(statement=sp.Eq(sp.Symbol(r"-\log \Gamma"), BigO(k ** -power)), regime=FIG5_REGIME,
                 symbols={"k": "sharpness rescaling: L(theta) = f(sqrt(k) theta - x)"}, dynamics=FIG5_DYNAMICS,
                 observable="-log Gamma-hat (119) against k", notes=FIG5_NOTES, checks=list(checks))


def fig5_check(label, names, other, prefactor) -> Figure5:
    return Figure5(f"Figure 5 reproduced for {label}: the statement's power against k^-{other:g}"
                   + (", a power of k in front" if prefactor else ""),
                   {n: FIG5_OPTIMIZERS[n] for n in names}, other_power=other, prefactor=prefactor)


@claim("adai.fig5", "Sec. 6, Figure 5", "-log Gamma = O(k^-1) for Momentum and Adai",
       uses=["adai.eq119", "adai.appe.loss", "adai.thm3", "adai.prop4"])
def fig5():
    return fig5_claim(sp.S.One)


@claim("adai.fig5.linear", "Sec. 6, Figure 5 (straight lines)", "-log Gamma is linear in 1/k for Momentum and Adai",
       reading_of="adai.fig5", proof_reading=True,
       reading="the figure's straight lines: -log Gamma = a + b k^-p over the k shown (what the plotted fits show)",
       quantified="'-log Gamma = O(k^-1) holds' read as: the weighted fit a + b/k is rejected neither by its "
                  "chi-square goodness of fit nor by the likelihood-ratio test against a + b/k + c k^-1/2 (each at "
                  "ALPHA), and the same tests reject a + b k^-1/2 (else inconclusive)")
def fig5_linear():
    return fig5_claim(sp.S.One, [fig5_check("Momentum and Adai", ("Momentum", "Adai"), 0.5, False)])


@claim("adai.fig5.prefactor", "Sec. 6, Figure 5 (exponent)", "The sharpness enters Momentum's and Adai's exponent as "
       "1/k", reading_of="adai.fig5",
       reading="the sharpness enters the exponent as k^-p, with a power of k in front (Theorem 3's 1/|H_be| is 1/k): "
               "-log Gamma = a + b k^-p + c log k",
       quantified="as adai.fig5.linear, with c log k (c free) in every fit")
def fig5_prefactor():
    return fig5_claim(sp.S.One, [fig5_check("Momentum and Adai", ("Momentum", "Adai"), 0.5, True)])


@claim("adai.fig5.adam", "Sec. 6, Figure 5 (Adam)", "-log Gamma = O(k^-1/2) holds better for Adam than O(k^-1)",
       uses=["adai.eq119", "adai.appe.loss", "adai.prop2"])
def fig5_adam():
    return fig5_claim(sp.Rational(1, 2))


@claim("adai.fig5.adam.linear", "Sec. 6, Figure 5 (Adam, straight lines)", "-log Gamma is linear in k^-1/2 for Adam, "
       "not in k^-1", reading_of="adai.fig5.adam", proof_reading=True,
       reading="the figure's straight lines: -log Gamma = a + b k^-p over the k shown (what the plotted fits show)",
       quantified="'O(k^-1) does not hold, O(k^-1/2) holds better' read as: the fit in k^-1 is rejected and the fit in "
                  "k^-1/2 is not (chi-square goodness of fit, likelihood-ratio test against both terms, each at ALPHA)")
def fig5_adam_linear():
    return fig5_claim(sp.Rational(1, 2), [fig5_check("Adam", ("Adam",), 1.0, False)])


@claim("adai.fig5.adam.prefactor", "Sec. 6, Figure 5 (Adam, exponent)", "The sharpness enters Adam's exponent as "
       "k^-1/2", reading_of="adai.fig5.adam",
       reading="the sharpness enters the exponent as k^-p, with a power of k in front: -log Gamma = a + b k^-p + "
               "c log k",
       quantified="as adai.fig5.adam.linear, with c log k (c free) in every fit")
def fig5_adam_prefactor():
    return fig5_claim(sp.Rational(1, 2), [fig5_check("Adam", ("Adam",), 1.0, True)])
