"""`zhou`, Sec. 4.2: ADAM's preconditioner at the minimum, the substituted escaping sets, their volumes and measures,
"SGD escapes faster than ADAM", and anisotropic noise.

The preconditioner is checked on a finite sum (minibatches with replacement, every minibatch enumerated); measures of
escaping sets by reading R-m (nu of W, independent SaS coordinates); exit times by the Euler scheme of (4) in 2-D and
by the discrete algorithms.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from checks import heavytail as ht
from checks.tails import ByReading, RelationCheck, sides
from theory import Claim, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, S
from .sec32 import M2, minibatch_noise_variance

# --- E[Q_theta*], Sigma_theta*, E[Sigma Q^-1] --------------------------------------------------------------------
EQ, SIGSTAR, ESQ = sp.Symbol(r"\mathbb{E}[Q_{\theta^*}]"), sp.Symbol(r"\Sigma_{\theta^*}"), \
    sp.Symbol(r"\mathbb{E}[\Sigma_{\theta^*}Q_{\theta^*}^{-1}]")
MIN_REGIME = Regime((Param(S, 1, 4, doc="batch size"), Param(zm.n_data, 5, 8, doc="samples"), Param(M2, 0.2, 3.0)), (),
                    "finite sum at its minimum theta* (grad F(theta*) = 0), one coordinate, minibatches with "
                    "replacement")


def at_minimum(p):
    return {**p, r"\nabla F": 0.0}


def stationary_v(p) -> float:
    """E v_t at theta* once the EMA has forgotten v_0 (omega_t -> 1): the mean square of the minibatch gradient,
    (1/S)(1/n) sum_i grad f_i(theta*)^2, exactly (every minibatch enumerated)."""
    return minibatch_noise_variance(at_minimum(p), True)


def _q_claim(rhs):
    return Claim(statement=sp.Eq(EQ, rhs), regime=MIN_REGIME, symbols={**SYMBOLS, M2.name: "(1/n) sum_i grad "
                                                                                           "f_i(theta*)^2"},
                 quantified="'E[Q] approx' read through E[Q^2] = E[v_t] (Jensen's gap aside, and eps -> 0, omega_t -> "
                            "1)",
                 dynamics="ADAM's v_t at theta*, minibatches of size S drawn with replacement",
                 observable="E v_t at stationarity",
                 notes=["Under the paper's SaS gradient noise E v_t is infinite; the approximation needs the "
                        "finite-sum "
                        "noise (all moments finite)."],
                 checks=[ExactComparison("E[Q] against sqrt of the exact stationary E[v_t]",
                                         lambda p: math.sqrt(stationary_v(p)), lambda p, f: f(**p), n_points=8,
                                         rtol=1e-10)])


@claim("zhou.sec42.q", "Sec. 4.2, display for E[Q_theta*]", "E[Q_theta*] approx diag(sqrt((1/n) sum_i [grad "
                                                            "f_i(theta*)]^2))")
def q():
    c = _q_claim(sp.sqrt(M2))
    c.notes.append("v_t averages the minibatch gradient squared, whose mean at theta* is (1/S)(1/n) sum_i grad f_i^2: "
                   "the "
                   "printed form is the S = 1 case (zhou.sec42.q.corrected).")
    return c


@claim("zhou.sec42.q.corrected", "Sec. 4.2, corrected", "E[Q_theta*] approx diag(sqrt((1/S)(1/n) sum_i [grad f_i]^2))",
       corrects="zhou.sec42.q")
def q_corrected():
    return _q_claim(sp.sqrt(M2 / S))


@claim("zhou.sec42.sigma", "Sec. 4.2, sentence after the E[Q] display", "Sigma_theta* = (1/S) Sigma-bar_theta*, "
       "Sigma-bar = (1/n) sum_i grad f_i grad f_i^T")
def sigma():
    return Claim(statement=sp.Eq(SIGSTAR, M2 / S), regime=MIN_REGIME, symbols=SYMBOLS,
                 dynamics="minibatch gradient noise at theta*, with replacement", observable="its variance",
                 checks=[ExactComparison("every minibatch enumerated at theta*", lambda p: minibatch_noise_variance(
                     at_minimum(p), True), lambda p, f: f(**p), n_points=8, rtol=1e-10)])


F_STAR = sp.Symbol(r"F(\theta^*)", positive=True)


def shifted_minimum(claim, rng):
    """A minimum with F(theta*) > 0: the same per-sample gradients, every f_i raised by F(theta*) (gradients, hence the
    noise, unchanged); Sigma_theta* computed exactly against Sigma-bar/S."""
    out = []
    for s_, n_, m2, f0 in ((2, 6, 1.3, 0.5), (3, 5, 0.7, 2.0)):
        p = {"S": s_, "n": n_, M2.name: m2}
        out.append({**p, r"F(\theta^*)": f0, "Sigma": minibatch_noise_variance(at_minimum(p), True),
                    "Sigmabar_over_S": m2 / s_})
    return out


@claim("zhou.sec42.sigma.because", "Sec. 4.2, sentence after the E[Q] display", "Sigma_theta* = Sigma-bar/S 'because "
                                                                                "of "
       "lim F(theta_t) = 0': it needs F(theta*) = 0", about="algebra")
def sigma_because():
    return Claim(
        statement=sp.Ne(SIGSTAR, M2 / S), regime=Regime((Param(F_STAR, 0.1, 3.0),)), symbols=SYMBOLS,
        quantified="read as: at a minimum with F(theta*) > 0 the identity fails (otherwise the stated reason is not "
        "the reason)",
        notes=["The identity needs grad F(theta*) = 0 (then the covariance's -grad F grad F^T term vanishes); "
               "F(theta*) = 0 "
               "is neither assumed for a local minimum nor needed. The identity itself holds (zhou.sec42.sigma)."],
        checks=[RelationCheck("the exact Sigma_theta* at minima with F(theta*) = 0.5 and 2",
                              lambda c, st, p: sides(st, {SIGSTAR: p["Sigma"], M2: p[M2.name], S: p["S"]}),
                              shifted_minimum, evidence="derivation")])


def _sq_claim(rhs):
    return Claim(statement=sp.Eq(ESQ, rhs), regime=MIN_REGIME, symbols=SYMBOLS,
                 quantified="one coordinate, E[Sigma Q^-1] approx Sigma_theta* / sqrt(E v_t) (the paper's own "
                 "approximations: Q by sqrt(E v), Sigma_theta* = Sigma-bar/S)",
                 dynamics="ADAM at theta*, finite sum, minibatches with replacement",
                 observable="Sigma_theta* / sqrt(E v_t)",
                 notes=["In d dimensions the product is Sigma-bar diag(Sigma-bar)^(-1/2)/sqrt(S), which is not a "
                        "multiple "
                        "of I unless Sigma-bar is diagonal (Sigma-bar = diag(4, 1/4) gives diag(2, 1/2)) and carries "
                        "the "
                        "units of a gradient; 'for ADAM, its gradient noise does not affect the escaping set' fails."],
                 checks=[ExactComparison("exact Sigma_theta* and E v_t", lambda p: minibatch_noise_variance(
                     at_minimum(p), True) / math.sqrt(stationary_v(p)), lambda p, f: f(**p), n_points=8, rtol=1e-10)])


@claim("zhou.sec42.sq", "Sec. 4.2, sentence after the E[Q] display", "E[Sigma_theta* Q_theta*^-1] approx (1/S) I")
def sq():
    return _sq_claim(1 / S)


@claim("zhou.sec42.sq.corrected", "Sec. 4.2, corrected", "E[Sigma_theta* Q_theta*^-1] approx sqrt(Sigma-bar/S) (one "
       "coordinate)", corrects="zhou.sec42.sq")
def sq_corrected():
    return _sq_claim(sp.sqrt(M2 / S))


# --- the substituted sets and the singular values ----------------------------------------------------------------
hf = sp.Symbol("h_f^*", positive=True)
THR = sp.Symbol("thresholds")


@claim("zhou.sec42.w", "Sec. 4.2, the two displays after Sigma Q^-1 approx I/S", "W_ADAM approx {y^T H y >= S^2 "
                                                                                 "h_f^*}, "
       "W_SGD = {y^T Sigma-bar H Sigma-bar y >= S^2 h_f^*}", about="algebra")
def w():
    return Claim(
        statement=sp.Eq(THR, sp.Matrix([S ** 2 * hf, S ** 2 * hf]), evaluate=False), regime=Regime((Param(S, 1, 64),
                                                                                                    Param(hf, 0.1, 3))),
        symbols=SYMBOLS, observable="the thresholds of the two quadratic forms, H and Sigma-bar H Sigma-bar",
        notes=["Algebra from (7)-(8) with Sigma_theta* = Sigma-bar/S and Sigma Q^-1 = I/S; the second substitution is "
               "wrong "
               "(zhou.sec42.sq), so W_ADAM inherits that error."],
        checks=[SymbolicEquality("(8) with Sigma Q^-1 = I/S and (7) with Sigma = Sigma-bar/S, multiplied out",
                                 lambda c: c.formula, sp.Matrix([hf / (1 / S) ** 2, hf / (1 / S) ** 2]))])


lam1, lam2, sg1, sg2, ph = sp.symbols(r"\lambda_1 \lambda_2 \varsigma_1 \varsigma_2 phi", positive=True)
ROT = sp.Matrix([[sp.cos(ph), -sp.sin(ph)], [sp.sin(ph), sp.cos(ph)]])
HBAR_EIG = sp.Symbol(r"\mathrm{eig}(\bar H)")


@claim("zhou.sec42.svals", "Sec. 4.2, paragraph after the displays", "the singular values of H-bar = Sigma-bar H "
       "Sigma-bar are lambda_i varsigma_i^2 when Sigma-bar aligns with H")
def svals():
    Hm = ROT * sp.diag(lam1, lam2) * ROT.T
    Sm = ROT * sp.diag(sg1, sg2) * ROT.T
    Hbar = Sm * Hm * Sm
    return Claim(
        statement=sp.Eq(HBAR_EIG, sp.Matrix([lam1 * sg1 ** 2, lam2 * sg2 ** 2]), evaluate=False),
        regime=Regime((Param(lam1, 0.5, 5), Param(lam2, 0.01, 0.5), Param(sg1, 0.5, 3), Param(sg2, 0.01, 0.5),
                       Param(ph, 0.0, 1.5))), symbols=SYMBOLS, about="algebra",
        quantified="'aligns' read as: common eigenvectors (any rotation), eigenvalues co-sorted; then H-bar is much "
                   "more "
        "ill-conditioned than H: kappa(H-bar) = kappa(H) kappa(Sigma-bar)^2",
        checks=[SymbolicEquality("trace and determinant of H-bar against those of the statement's eigenvalues",
                                 lambda c: sp.Matrix([sum(c.formula), c.formula[0] * c.formula[1]]),
                                 sp.Matrix([Hbar.trace(), Hbar.det()]))])


# --- the volumes of W^c ------------------------------------------------------------------------------------------
VOL = sp.Symbol(r"V(\mathcal{W}^c_{ADAM}), V(\mathcal{W}^c_{SGD})")
dd = 2
ZETA = 2 / sp.Integer(dd) * (sp.pi * S / hf) ** sp.Rational(dd, 2) / sp.gamma(sp.Rational(dd, 2))
VOL_REGIME = Regime((Param(lam1, 0.5, 4), Param(lam2, 0.5, 4), Param(sg1, 0.3, 2), Param(sg2, 0.3, 2),
                     Param(S, 1, 4), Param(hf, 0.5, 2)), (), "d = 2, W^c_ADAM = {y^T H y < S^2 h_f^*}, "
                    "W^c_SGD = {y^T Sigma-bar H Sigma-bar y < S^2 h_f^*}, aligned diagonal H and Sigma-bar")


def hit_or_miss(p, n, rng):
    """Monte Carlo volume of the two ellipses: uniform points in their bounding boxes."""
    out = []
    for a1, a2 in ((p[r"\lambda_1"], p[r"\lambda_2"]),
                   (p[r"\lambda_1"] * p[r"\varsigma_1"] ** 2, p[r"\lambda_2"] * p[r"\varsigma_2"] ** 2)):
        lvl = p["S"] ** 2 * p["h_f^*"]
        half = np.sqrt(lvl / np.array([a1, a2]))
        y = rng.uniform(-1, 1, (n, 2)) * half
        inside = (a1 * y[:, 0] ** 2 + a2 * y[:, 1] ** 2) < lvl
        out.append(inside * 4 * half[0] * half[1])
    return Sample(np.column_stack(out), ["V(W^c_ADAM)", "V(W^c_SGD)"])


ELLIPSE_AREAS = sp.Matrix([sp.pi * S ** 2 * hf / sp.sqrt(lam1 * lam2),
                           sp.pi * S ** 2 * hf / sp.sqrt(lam1 * lam2 * sg1 ** 2 * sg2 ** 2)])


def _vol(rhs):
    return Claim(statement=sp.Eq(VOL, rhs, evaluate=False), regime=VOL_REGIME, symbols={**SYMBOLS,
                                                                                        "h_f^*": "2 (h - F(theta*))"},
                 about="algebra", observable="areas of the two ellipses (d = 2)",
                 checks=[SymbolicEquality("areas pi S^2 h_f^*/sqrt(a_1 a_2) of the ellipses "
                                          "{a_1 y_1^2 + a_2 y_2^2 < S^2 h}", lambda c: c.formula, ELLIPSE_AREAS),
                         MonteCarloMean("hit-or-miss areas", hit_or_miss, lambda p, f: np.asarray(f(**p),
                                                                                                  float).ravel(),
                                        n_points=2, n_paths=40_000)])


@claim("zhou.sec42.vol", "Sec. 4.2, paragraph after the displays", "V(W^c_ADAM) = zeta prod_i lambda_i, V(W^c_SGD) = "
       "zeta prod_i lambda_i varsigma_i^2, zeta = 2 d^-1 (pi S/h_f^*)^(d/2) / Gamma(d/2)", about="algebra")
def vol():
    return _vol(sp.Matrix([ZETA * lam1 * lam2, ZETA * lam1 * lam2 * sg1 ** 2 * sg2 ** 2]))


ZETA_C = 2 / sp.Integer(dd) * (sp.pi * S ** 2 * hf) ** sp.Rational(dd, 2) / sp.gamma(sp.Rational(dd, 2))


@claim("zhou.sec42.vol.corrected", "Sec. 4.2, corrected", "V(W^c) = (2/d) (pi S^2 h_f^*)^(d/2)/Gamma(d/2) prod_i "
       "a_i^(-1/2) with a_i = lambda_i (ADAM) or lambda_i varsigma_i^2 (SGD)", corrects="zhou.sec42.vol",
       about="algebra")
def vol_corrected():
    return _vol(sp.Matrix([ZETA_C / sp.sqrt(lam1 * lam2), ZETA_C / sp.sqrt(lam1 * lam2 * sg1 ** 2 * sg2 ** 2)]))


# --- the comparison of SGD and ADAM ------------------------------------------------------------------------------
M_SGD, M_ADAM = sp.Symbol(r"m(\mathcal{W}_{SGD})"), sp.Symbol(r"m(\mathcal{W}_{ADAM})", positive=True)
SIGBAR_CE = (0.9, 0.01)          # ill-conditioned, aligned with H = I, prod varsigma_i^2 = 8.1e-5 << 1


def measures_ce(claim, rng):
    """m(W) by R-m ((alpha/2) nu) for W_SGD = {y^T Sigma-bar H Sigma-bar y >= h} and W_ADAM = {y^T H y >= h}, H = I,
    h = 1, S = 1, Sigma-bar = diag(0.9, 0.01), alpha = 1.2 and 1.5; and the volumes of W^c (d = 2)."""
    out = []
    for a in (1.2, 1.5):
        m_sgd = a / 2 * zm.nu_escape(a, np.eye(2), 1.0, list(SIGBAR_CE))
        m_adam = a / 2 * zm.nu_escape(a, np.eye(2), 1.0, 1.0)
        out.append({"alpha": a, "m_sgd": m_sgd, "m_adam": m_adam, "V(W^c_SGD)": math.pi / (SIGBAR_CE[0] * SIGBAR_CE[1]),
                    "V(W^c_ADAM)": math.pi, "W_SGD_inside_W_ADAM": True})
    return out


@claim("zhou.sec42.prod", "Sec. 4.2, paragraph after the displays", "Sigma-bar ill-conditioned with a few large "
       "singular values, so prod varsigma_i^2 << 1, V(W^c_SGD) << V(W^c_ADAM), and m(W_SGD) > m(W_ADAM)",
       about="algebra")
def prod():
    return Claim(
        statement=sp.Gt(M_SGD, M_ADAM), regime=Regime(()), symbols=SYMBOLS,
        quantified="tested at an instance that meets every premise: Sigma-bar = diag(0.9, 0.01) aligned with H = I "
        "(ill-conditioned, anisotropic, prod varsigma_i^2 = 8.1e-5 << 1), S = 1",
        notes=["There W_SGD = {0.81 y_1^2 + 1e-4 y_2^2 >= 1} lies inside W_ADAM = {|y| >= 1}, so m(W_SGD) <= m(W_ADAM) "
               "for "
               "any monotone measure; with the correct volumes (zhou.sec42.vol.corrected) V(W^c_SGD) = "
               "V(W^c_ADAM)/prod "
               "varsigma_i is the larger one, the opposite of the printed inequality. 'prod varsigma_i^2 << 1' also "
               "depends on the scale of Sigma-bar (diag(100, 1) is as ill-conditioned with product 1e4)."],
        checks=[RelationCheck("m(W_SGD) and m(W_ADAM) by R-m at the instance",
                              lambda c, st, p: sides(st, {M_SGD: p["m_sgd"], M_ADAM: p["m_adam"]}), measures_ce)])


RATIO_SA = sp.Symbol(r"\mathbb{E}\Gamma_{SGD} / \mathbb{E}\Gamma_{ADAM}")


def sgd_adam_points(claim, rng):
    """Exit times from the unit disc (H = I) of (4) with the paper's noise for SGD (Sigma = Sigma-bar/S, S = 1) and for
    ADAM (Q^-1 Sigma = I/S, Sec. 4.2's approximation), alpha = 1.5, eps = 0.1, h = 0.1: the ratio's exact confidence
    interval (conditional binomial test at ALPHA)."""
    def run(r):
        sgd = zm.quadratic_exits(1.5, 0.1, 0.1, np.eye(2), 1.0, list(SIGBAR_CE), 1000, r)
        adam = zm.quadratic_exits(1.5, 0.1, 0.1, np.eye(2), 1.0, 1.0, 1000, r)
        return sgd, adam
    sgd, adam = zm.memo_by_rng("sgd vs adam sets", run, rng)
    (t1, c1), (t2, c2) = sgd.survival_data(), adam.survival_data()
    test = ht.compare_exponential_means(t1, c1, t2, c2, 1.0)
    return [{"ratio": test.estimate, "lower": test.interval[0], "upper": test.interval[1],
             "means": [float(t1.sum() / (~c1).sum()), float(t2.sum() / (~c2).sum())],
             "small_noise": [1 / (0.1 ** 1.5 * zm.nu_escape(1.5, np.eye(2), 1.0, list(SIGBAR_CE))),
                             1 / (0.1 ** 1.5 * zm.nu_escape(1.5, np.eye(2), 1.0, 1.0))]}]


@claim("zhou.sec42.sgd-vs-adam", "Sec. 4.2, end of the volume paragraph; abstract (2); Sec. 6", "SGD has a smaller "
       "escaping time than ADAM at the same basin")
def sgd_vs_adam():
    return Claim(
        statement=sp.Lt(RATIO_SA, 1), regime=Regime(()), symbols=SYMBOLS,
        quantified="under the paper's own approximations (SGD: noise Sigma-bar/S in (4); ADAM: Q^-1 Sigma = I/S), at "
                   "an "
        "instance meeting its premises (zhou.sec42.prod); a violation counts when the ratio's exact lower confidence "
        "limit is >= 1",
        dynamics=zm.DYN4 + " in 2-D, unit disc", observable="ratio of mean exit times",
        notes=["The ordering depends on Sigma-bar (for aligned independent-coordinate noise it compares sum_i "
               "(lambda_i "
               "varsigma_i^2)^(alpha/2) with sum_i lambda_i^(alpha/2)), not on prod varsigma_i^2. For the discrete "
               "algorithms SGD does escape faster, through ADAM's clipping: zhou.sec42.sgd-vs-adam.discrete."],
        checks=[RelationCheck("the ratio's exact confidence interval",
                              lambda c, st, p: sides(st, {RATIO_SA: (p["lower"], p["upper"])}), sgd_adam_points,
                              kind="montecarlo")])


def discrete_points(claim, rng):
    """Discrete SGD and ADAM (3) with SaS(1.5) gradient noise, eta = 0.01 each, F = x^2/2, exit from (-0.1, 0.1)."""
    def run(r):
        return (zm.discrete_exits("sgd", 1.5, 0.01, 0.1, 500, r, 40_000),
                zm.discrete_exits("adam", 1.5, 0.01, 0.1, 500, r, 40_000))
    sgd, adam = zm.memo_by_rng("discrete sgd vs adam", run, rng)
    (t1, c1), (t2, c2) = sgd.survival_data(), adam.survival_data()
    test = ht.compare_exponential_means(t1, c1, t2, c2, 1.0)
    return [{"ratio": test.estimate, "lower": test.interval[0], "upper": test.interval[1],
             "means": [float(t1.mean()), float(t2.mean())]}]


@claim("zhou.sec42.sgd-vs-adam.discrete", "Sec. 4.2; Sec. 5 (toy analogue)", "discrete SGD escapes a basin faster than "
       "discrete ADAM (3)")
def sgd_vs_adam_discrete():
    return Claim(
        statement=sp.Lt(RATIO_SA, 1), regime=Regime(()), symbols=SYMBOLS,
        quantified="the discrete algorithms with the same learning rate 0.01 and SaS(1.5) gradient noise; the "
                   "statement "
        "holds when the ratio's exact upper confidence limit is < 1",
        dynamics="SGD (2) and ADAM (3) with SaS gradient noise, F = x^2/2, basin (-0.1, 0.1)",
        observable="ratio of mean exit iterations",
        notes=["A toy analogue with a different mechanism from the paper's: ADAM's update is bounded by a few eta (one "
               "huge "
               "gradient moves it by about 3.2 eta), so it has no Levy jumps, while SGD's steps are heavy-tailed."],
        checks=[RelationCheck("the ratio's exact confidence interval",
                              lambda c, st, p: sides(st, {RATIO_SA: (p["lower"], p["upper"])}), discrete_points,
                              kind="montecarlo")])


# --- anisotropic noise --------------------------------------------------------------------------------------------
RATIO_AN = sp.Symbol(r"\mathbb{E}\Gamma_{anisotropic} / \mathbb{E}\Gamma_{isotropic}")
ANISO = {"power": ((math.sqrt(1.98), math.sqrt(0.02)), "the same noise power: trace of the covariance, sum "
                                                       "varsigma_i^2 "
                   "= 2"),
         "determinant": ((2.0, 0.5), "the same determinant prod varsigma_i = 1 (the quantity the paper's volume "
                         "argument uses)")}


def aniso_points(kind):
    def points(claim, rng):
        sig = list(ANISO[kind][0])

        def run(r):
            return (zm.quadratic_exits(1.2, 0.1, 0.1, np.eye(2), 1.0, sig, 5000, r),
                    zm.quadratic_exits(1.2, 0.1, 0.1, np.eye(2), 1.0, 1.0, 5000, r))
        an, iso = zm.memo_by_rng(("aniso", kind), run, rng)
        (t1, c1), (t2, c2) = an.survival_data(), iso.survival_data()
        test = ht.compare_exponential_means(t1, c1, t2, c2, 1.0)
        return [{"sigma": sig, "ratio": test.estimate, "lower": test.interval[0], "upper": test.interval[1]}]
    return points


def _aniso(kind):
    return RelationCheck(f"the ratio's exact confidence interval, anisotropic Sigma = diag{ANISO[kind][0]}",
                         lambda c, st, p: sides(st, {RATIO_AN: (p["lower"], p["upper"])}), aniso_points(kind),
                         kind="montecarlo",
                         share=f"zhou anisotropic vs isotropic noise, {kind}")


def _aniso_claim(kind):
    return Claim(statement=sp.Lt(RATIO_AN, 1), regime=Regime(()), symbols=SYMBOLS,
                 dynamics=zm.DYN4 + " in 2-D, unit disc, alpha = 1.2 (where the effect is large enough to resolve), "
                 "eps = 0.1", observable="ratio of mean exit times",
                 notes=["Rate (R-m) proportional to sum_i varsigma_i^alpha: concave in varsigma_i^2 (alpha < 2), so at "
                        "a "
                        "fixed noise power isotropy escapes fastest; at a fixed determinant anisotropy wins (AM-GM)."],
                 checks=[_aniso(kind)])


@claim("zhou.sec42.aniso", "Sec. 4.2, last sentence; end of Sec. 1", "anisotropic gradient noise helps SGD escape from "
       "the local basin (but cannot help ADAM's escaping)")
def aniso():
    c = _aniso_claim("determinant")
    c.notes.append("Against what isotropic noise 'helps' is measured is not said: see the readings. The ADAM half "
                   "rests on "
                   "Sigma Q^-1 = I/S, which fails (zhou.sec42.sq): W_ADAM does depend on Sigma-bar.")
    c.checks = [ByReading("compared with isotropic noise of", {k: _aniso(k) for k in ANISO})]
    return c


@claim("zhou.sec42.aniso.power", "Sec. 4.2, last sentence", "anisotropic noise helps SGD escape, against isotropic "
                                                            "noise "
       "of the same power", reading_of="zhou.sec42.aniso", reading="compared with isotropic noise of the same power "
                                                                   "(trace "
       "of the covariance)")
def aniso_power():
    return _aniso_claim("power")


@claim("zhou.sec42.aniso.determinant", "Sec. 4.2, last sentence", "anisotropic noise helps SGD escape, against "
                                                                  "isotropic "
       "noise of the same determinant", reading_of="zhou.sec42.aniso", reading="compared with isotropic noise of the "
                                                                               "same "
       "determinant (the product of the singular values, which the volume argument uses)", proof_reading=True)
def aniso_determinant():
    return _aniso_claim("determinant")
