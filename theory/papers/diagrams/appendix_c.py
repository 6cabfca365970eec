"""`diagrams`, App. C: the artificial landscapes (C.1), the GDC estimator (C.4) and the unbiased estimators of
landscape statistics (C.6, `eq:bessel`, `eq:newbessel`, the boxed inversion, the symmetric three-point formula;
the rebuttal row `diagrams.appc6`).

Expectations of estimators are exact: every joint draw of the D S samples from a finite law is enumerated.
"""
from __future__ import annotations

import itertools
import math
from functools import cache

import numpy as np
import sympy as sp

from checks import SymbolicEquality
from theory import Claim, Param, Regime, claim
from theory.series import expected_after_epochs

from . import models as m
from .kinds import RelationHolds, series_check
from .notation import eta

# --- C.1: the landscapes ------------------------------------------------------------------------------------
xs = sp.Symbol("x", real=True)
hh = sp.Symbol("h", real=True)


@claim("diagrams.appc1.gauss-grad", "App. C.1, Gauss", "The gradient of Gauss at sample x is g_x(h) = (1 - x^2 "
       "exp(-h))/2", about="algebra")
def gauss_grad():
    return Claim(statement=sp.Eq(sp.Function("g_x")(hh), (1 - xs ** 2 * sp.exp(-hh)) / 2, evaluate=False),
                 regime=Regime((Param(hh, -2, 2), Param(xs, -3, 3))),
                 checks=[SymbolicEquality("d/dh of l_x(h) = (h + x^2 exp(-h))/2",
                                          sp.diff(m.GAUSS.subs({m.h: hh, m.x: xs}), hh), lambda c: c.formula)])


G0, S0 = sp.symbols("G_0 S_0")


@claim("diagrams.appc1.gauss-min", "App. C.1, Gauss", "At h = 0 (the true test minimum) the expected gradient "
       "vanishes", about="algebra")
def gauss_min():
    return Claim(statement=sp.Eq(G0, 0, evaluate=False), regime=Regime(()), symbols={"G_0": "E_x g_x(0)"},
                 checks=[RelationHolds("E_x g_x(0), x ~ N(0, 1)", lambda c: {G0: m.stats_of("gauss")["G"][0]},
                                       evidence="derivation", kind="symbolic")])


@claim("diagrams.appc1.gauss-skew", "App. C.1, Gauss", "The gradient is affinely related to a chi-squared and in "
       "particular non-Gaussian: S != 0 at h = 0", about="algebra")
def gauss_skew():
    return Claim(statement=sp.Ne(S0, 0), regime=Regime(()), symbols={"S_0": "third cumulant of g_x(0)"},
                 notes=["S = -1 at h = 0; Example 1 and Cor. 5 use it (diagrams.fig5.oppose)."],
                 checks=[RelationHolds("third cumulant of g_x(0)", lambda c: {S0: m.stats_of("gauss")["S"][0, 0, 0]},
                                       evidence="derivation", kind="symbolic")])


aa = sp.Symbol("a", real=True)


@claim("diagrams.appc1.screw", "App. C.1, Archimedes", "Archimedes is invariant under translation along z with the "
       "simultaneous rotation of the (u, v) plane", about="algebra")
def screw():
    u2 = sp.cos(aa) * m.u - sp.sin(aa) * m.v
    v2 = sp.sin(aa) * m.u + sp.cos(aa) * m.v
    moved = m.ARCH.subs({m.u: u2, m.v: v2, m.z: m.z + aa}, simultaneous=True)
    return Claim(statement=sp.Eq(moved, m.ARCH, evaluate=False),
                 regime=Regime((Param(m.u, -2, 2), Param(m.v, -2, 2), Param(m.z, -4, 4), Param(aa, -4, 4),
                                Param(m.x, -2, 2))),
                 checks=[SymbolicEquality("both sides at random points", lambda c: c.lhs, lambda c: c.rhs)])


MIN_EIG = sp.Symbol(r"\lambda_{min}")


def valley_values(c):
    test = m.HARCH / 2                                       # E_x l_x: a quadratic form in (u, v) for each z
    hess = sp.hessian(test, (m.u, m.v))
    zs = [sp.Rational(k, 3) for k in range(-9, 10)]
    return {MIN_EIG: min(min(float(e) for e in hess.subs(m.z, zz).eigenvals()) for zz in zs)}


@claim("diagrams.appc1.valley", "App. C.1, Archimedes", "u = v = 0 is a valley of global minima", about="algebra")
def valley():
    return Claim(statement=sp.StrictGreaterThan(MIN_EIG, 0), regime=Regime(()),
                 symbols={"lambda_min": "smallest eigenvalue over z (a grid of [-3, 3]) of the Hessian in (u, v) of "
                                        "l = H(theta)/2, a quadratic form in (u, v) vanishing at u = v = 0"},
                 notes=["l >= 0 with l = 0 exactly on u = v = 0, so the valley is a set of global minima; the form is "
                        "positive definite across it (eigenvalues 1 and 2), so the minima are non-degenerate "
                        "transversally and flat along z."],
                 checks=[RelationHolds("smallest eigenvalue of the quadratic form",
                                       valley_values,
                                       evidence="derivation", kind="symbolic", rtol=1e-12)])


HC = sp.Matrix(sp.symbols("H_{ME} C_{ME}"))


@claim("diagrams.appc1.mean", "App. C.1, Mean Estimation", "H and S give the Hessian and the square root of the "
       "gradient covariance", about="algebra")
def mean_estimation():
    return Claim(statement=sp.Eq(HC, sp.Matrix([m.Hm, m.Sm ** 2]), evaluate=False),
                 regime=Regime((Param(m.Hm, 0.1, 3), Param(m.Sm, 0.1, 3))),
                 checks=[SymbolicEquality("landscape of l_x = H th^2/2 + x S th, x ~ N(0, 1)",
                                          lambda c: sp.Matrix([m.stats_of("mean")["H"][0], m.stats_of("mean")["C"][0]]),
                                          lambda c: c.rhs)])


# --- C.4: the GDC estimator ---------------------------------------------------------------------------------
GX, GY = sp.Function(r"(l_x)"), sp.Function(r"(l_y)")
mu_i, nu_i = sp.symbols("mu nu", integer=True, positive=True)
CHAT = sp.Function(r"\hat{C}")
a2, b2, x1, y1 = sp.symbols("a b x y")
LOSS2 = (a2 ** 2 + b2 ** 2) / 2 + x1 * a2 ** 2 * b2 / 2 + x1 * a2 + x1 ** 2 * b2 ** 2 * a2 / 3
LAW3 = m.Discrete({-1: sp.Rational(1, 2), 0: sp.Rational(1, 3), 2: sp.Rational(1, 6)})


def estimator_on(c, gx, gy):
    """The statement's estimator for the gradient vectors gx, gy (components 1..2) as a 2x2 matrix."""
    out = sp.zeros(2, 2)
    for i, j in itertools.product(range(2), repeat=2):
        e = c.formula.subs({mu_i: i + 1, nu_i: j + 1})
        out[i, j] = e.replace(GX, lambda k: gx[int(k) - 1]).replace(GY, lambda k: gy[int(k) - 1])
    return out


def expect_xy(expr):
    total = 0
    for (vx,), px in LAW3.outcomes:
        for (vy,), py in LAW3.outcomes:
            total += px * py * expr.subs({x1: vx, y1: vy})
    return sp.expand(total)


def unbiased_check():
    def lhs(c):
        gx = [sp.diff(LOSS2, p) for p in (a2, b2)]
        gy = [g.subs(x1, y1) for g in gx]
        return estimator_on(c, gx, gy).applyfunc(expect_xy)

    def rhs(c):
        gx = [sp.diff(LOSS2, p) for p in (a2, b2)]
        G = [expect_xy(g) for g in gx]
        return sp.Matrix(2, 2, lambda i, j: expect_xy(gx[i] * gx[j]) - G[i] * G[j])

    return SymbolicEquality("E over x, y of the estimator against C (2-D model, theta-dependent noise, 3-point law)",
                            lhs, rhs, evidence="model")


GDC_N = 3


def gdc_check():
    """GD on l + ((N-1)/(4N)) eta C-hat, C-hat the statement's estimator averaged over ordered pairs of training
    points and recomputed at every step, against SGD: test loss through eta^2 (LINEAR_NOISE, G = 1)."""
    def gap(c):
        loss = m.linear_noise(1)

        def batch_loss(batch, pts):
            g = [sp.diff(loss.subs(m.x, p[m.x]), m.th) for p in pts]
            pairs = [(i, j) for i in range(GDC_N) for j in range(GDC_N) if i != j]
            est = sum(estimator_on(c, [g[i], 0], [g[j], 0])[0, 0] for i, j in pairs) / len(pairs)
            mean_loss = sum(loss.subs(m.x, p[m.x]) for p in batch) / len(batch)
            return mean_loss + sp.Rational(GDC_N - 1, 4 * GDC_N) * eta * est

        test = m.th + m.th ** 2 / 2
        gdc = expected_after_epochs(loss, {m.x: m.PM1}, GDC_N, 2, params=[m.th], theta0=[0], epochs=GDC_N, B=GDC_N,
                                    batch_loss=batch_loss, observable=test)
        sgd = expected_after_epochs(loss, {m.x: m.PM1}, GDC_N, 2, params=[m.th], theta0=[0], observable=test)
        return sp.expand(gdc - sgd)

    return series_check(f"GDC with this estimator minus SGD, test loss through eta^2 (N = {GDC_N}, exact series)",
                        gap, lambda: 0, order=2)


def estimator_claim(factor, notes=()):
    stmt = sp.Eq(CHAT(mu_i, nu_i), (GX(mu_i) - GY(mu_i)) * GX(nu_i) * factor, evaluate=False)
    return Claim(statement=stmt, regime=Regime((Param(a2, -1, 1), Param(b2, -1, 1),
                                                Param(eta, 0.01, 0.2, log=True))), about="algebra",
                 symbols={"(l_x)_mu": "gradient of l_x", "C-hat": "estimator of the gradient covariance C"},
                 observable="expectation of the estimator over independent x, y", notes=list(notes),
                 checks=[unbiased_check(), gdc_check()])


@claim("diagrams.appc4.estimator", "App. C.4", "GDC was implemented with the unbiased estimator C-hat = (l_x - l_y)_mu "
       "(l_x)_nu / 2")
def appc4():
    return estimator_claim(sp.Rational(1, 2), [
        "E[(g_x - g_y)_mu (g_x)_nu] = C_mu nu, so the printed C-hat has expectation C/2. GD on l + ((N-1)/(4N)) "
        "C-hat^nu_nu then misses SGD's test loss at order eta^2 by ((N-1)/8) G grad C (second check): if the "
        "runs of Fig. 3 (2) used this estimator, their regularizer had half the strength Cor. 3 calls for."])


@claim("diagrams.appc4.estimator.corrected", "App. C.4, corrected", "C-hat = (l_x - l_y)_mu (l_x)_nu is unbiased "
       "for C (as is (l_x - l_y)_mu (l_x - l_y)_nu / 2)", corrects="diagrams.appc4.estimator")
def appc4_corrected():
    return estimator_claim(sp.Integer(1))


# --- C.6: unbiased estimators of multipoint correlators -----------------------------------------------------
W_VALUES = np.array([-1, 0, 2], dtype=np.int64)
W_WEIGHTS, W_DENOM = np.array([3, 2, 1], dtype=np.int64), 6          # probabilities 1/2, 1/3, 1/6


def joint(kind):
    """(k outcomes, D coordinates) of a joint law: 'symmetric' x_d = w for all d, else (w, w^2, w^3 - w)."""
    w = W_VALUES
    return np.stack([w, w, w] if kind == "symmetric" else [w, w ** 2, w ** 3 - w], axis=1)


def partitions(D):
    """Partitions of {0..D-1} as maps mu (tuple) with mu[d] the smallest element of d's block."""
    out = []
    for blocks in _set_partitions(list(range(D))):
        mu_ = [0] * D
        for b in blocks:
            for d in b:
                mu_[d] = min(b)
        out.append(tuple(mu_))
    return out


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for p in _set_partitions(rest):
        for i in range(len(p)):
            yield p[:i] + [[first] + p[i]] + p[i + 1:]
        yield [[first]] + p


def finer(tau, mu_) -> bool:
    return all(mu_[a] == mu_[b] for a in range(len(tau)) for b in range(len(tau)) if tau[a] == tau[b])


@cache
def expect_stat(mu_, S, kind, D):
    """E {x}_mu over every joint draw of the D S samples, exactly (integer arithmetic, then a Rational)."""
    X = joint(kind)[:, :D]
    k = len(W_WEIGHTS)
    draws = np.array(list(itertools.product(range(k), repeat=D * S)), dtype=np.int64)
    weights = np.prod(W_WEIGHTS[draws], axis=1)
    sums = np.ones(len(draws), dtype=np.int64)
    for d in range(D):
        block = [mu_[d] * S + s for s in range(S)]
        sums *= X[draws[:, block], d].sum(axis=1)
    return sp.Rational(int((sums * weights).sum()), W_DENOM ** (D * S) * S ** D)


def correlator(tau, kind, D):
    """<x>_tau: the expectation of {x}_tau at S = 1 (a product over tau's blocks of moments)."""
    return expect_stat(tau, 1, kind, D)


def newbessel_rhs(mu_, S, kind, D):
    """sum over tau <= mu of prod_d S!/(S - |tau(mu^-1(d))|)! <x>_tau, as printed (eq:newbessel)."""
    total = sp.Integer(0)
    for tau in partitions(D):
        if not finer(tau, mu_):
            continue
        coef = 1
        for d in range(D):
            pre = [e for e in range(D) if mu_[e] == d]
            n_ = len({tau[e] for e in pre})
            coef *= math.factorial(S) // math.factorial(S - n_) if n_ <= S else 0
        total += coef * correlator(tau, kind, D)
    return total


def boxed_rhs(mu_, S, kind, D):
    """(S^D/S^|mu|) E[{x}_mu] - sum over tau < mu of prod_{d in im mu} (S-1)!/(S - |tau(mu^-1(d))|)! <x>_tau."""
    size = len(set(mu_))
    total = sp.Rational(S ** D, S ** size) * expect_stat(mu_, S, kind, D)
    for tau in partitions(D):
        if tau == mu_ or not finer(tau, mu_):
            continue
        coef = sp.Integer(1)
        for d in set(mu_):
            n_ = len({tau[e] for e in range(D) if mu_[e] == d})
            coef *= sp.Rational(math.factorial(S - 1), math.factorial(S - n_)) if n_ <= S else 0
        total -= coef * correlator(tau, kind, D)
    return total


S_s = sp.Symbol("S", integer=True, positive=True)
AV = {(0, 0): sp.Symbol(r"\mathrm{Avg}_{0\le s<S}x_0^{(s)}"), (1, 0): sp.Symbol(r"\mathrm{Avg}_{0\le s<S}x_1^{(s)}"),
      (1, 1): sp.Symbol(r"\mathrm{Avg}_{S\le s<2S}x_1^{(s)}")}
CORR = {(0, 0): sp.Symbol(r"\langle x\rangle_{[01]}"), (0, 1): sp.Symbol(r"\langle x\rangle_{[0][1]}")}
STAT = {(0, 0): sp.Symbol(r"\{x\}_{[01]}"), (0, 1): sp.Symbol(r"\{x\}_{[0][1]}")}
SVALUES = (1, 2, 3)


def avg(d, b):
    """The block average Avg_{0 <= s < S} x_d^(b S + s)."""
    return AV.get((d, b)) or sp.Symbol(f"A_{{{d},{b}}}")


def expectation_of(expr, S, kind, D):
    """E of a polynomial in block averages, statistics {x}_mu (products of block averages) and correlators
    (constants), at S samples per block: every joint draw enumerated, in integer arithmetic."""
    e = sp.sympify(expr).subs(S_s, S)
    e = e.xreplace({v: sp.Mul(*[avg(d, b) for d, b in enumerate(k)]) for k, v in STAT.items()})
    e = e.xreplace({v: correlator(k, kind, len(k)) for k, v in CORR_ALL.items()})
    e = sp.expand(e)
    keys = sorted({k for k in [(d, b) for d in range(D) for b in range(D)] if e.has(avg(*k))})
    if not keys:
        return e
    blocks = 1 + max(b for _, b in keys)
    X = joint(kind)[:, :D]
    draws = np.array(list(itertools.product(range(len(W_WEIGHTS)), repeat=blocks * S)), dtype=np.int64)
    weights = np.prod(W_WEIGHTS[draws], axis=1)
    sums = {k: X[draws[:, [k[1] * S + s for s in range(S)]], k[0]].sum(axis=1) for k in keys}
    total = sp.Integer(0)
    for exps, coef in sp.Poly(e, *[avg(*k) for k in keys]).terms():
        prod = np.ones(len(draws), dtype=np.int64)
        for k, n_ in zip(keys, exps):
            prod = prod * sums[k] ** n_
        total += coef * sp.Rational(int((prod * weights).sum()), W_DENOM ** (blocks * S) * S ** sum(exps))
    return total


def bessel_claim(lhs_key, printed_lhs):
    rhs = S_s * AV[0, 0] * AV[1, 0] + (1 - S_s) * AV[0, 0] * AV[1, 1]
    if lhs_key is not None:           # the restatement in the {x}_mu notation
        rhs = S_s * STAT[0, 0] + (1 - S_s) * STAT[0, 1]
    key = lhs_key if lhs_key is not None else (0, 0)
    return Claim(statement=sp.Eq(CORR[key], rhs, evaluate=False), printed=printed_lhs, regime=Regime(()),
                 about="algebra", symbols={"<x>_tau": "correlator: E {x}_tau at S = 1", "{x}_mu": "the statistic "
                                           "prod_d Avg_{s<S} x_d^(mu(d) S + s)", "S": "samples per block"},
                 observable="expectation of the right side over 2S i.i.d. joint samples of (x_0, x_1) = (w, w^2)",
                 checks=[SymbolicEquality("exact expectation at S = 1, 2, 3 against the left side",
                                          lambda c: sp.Matrix([expectation_of(c.lhs, S, "correlated", 2)
                                                               for S in SVALUES]),
                                          lambda c: sp.Matrix([expectation_of(c.rhs, S, "correlated", 2)
                                                               for S in SVALUES]), evidence="model")])


CORR_ALL = dict(CORR)


@claim("diagrams.appc6.bessel", "App. C.6, eq:bessel", "S (Avg x_0)(Avg x_1) + (1 - S)(Avg x_0)(Avg' x_1) estimates "
       "<x_0 x_1> without bias", about="algebra")
def bessel():
    return bessel_claim(None, r"\langle x_0x_1\rangle = \mathbb{E}\Big[S\,\bar{x}_0\bar{x}_1"
                              r"+(1-S)\,\bar{x}_0\bar{x}'_1\Big]")


@claim("diagrams.appc6.restated", "App. C.6, eq:bessel restated", "<x>_[0][1] = E[S {x}_[01] + (1 - S) {x}_[0][1]]",
       about="algebra")
def bessel_restated():
    return bessel_claim((0, 1), r"\langle x\rangle_{[0][1]} = \mathbb{E}[S\{x\}_{[01]}+(1-S)\{x\}_{[0][1]}]")


@claim("diagrams.appc6.restated.corrected", "App. C.6, eq:bessel restated, corrected", "<x>_[01] = E[S {x}_[01] + "
       "(1 - S) {x}_[0][1]]", corrects="diagrams.appc6.restated", about="algebra")
def bessel_restated_corrected():
    return bessel_claim((0, 0), r"\langle x\rangle_{[01]} = \mathbb{E}[S\{x\}_{[01]}+(1-S)\{x\}_{[0][1]}]")


NB_L, NB_R, BOX = sp.Function("LHS"), sp.Function("NEWBESSEL"), sp.Function("BOXED")
CASES6 = [(D, mu_, S) for D in (2, 3) for mu_ in partitions(D) for S in (2, 3)]


@claim("diagrams.appc6.newbessel", "App. C.6, eq:newbessel", "E[S^D {x}_mu] = sum over tau <= mu of prod_d S!/(S - "
       "|tau(mu^-1(d))|)! <x>_tau", about="algebra")
def newbessel():
    return Claim(statement=sp.Eq(NB_L(S_s), NB_R(S_s), evaluate=False), regime=Regime(()),
                 printed=r"\mathbb{E}[S^D\{x\}_\mu]=\sum_{\tau\le\mu}\Big(\prod_{0\le d<D}"
                         r"\frac{S!}{(S-|\tau(\mu^{-1}(d))|)!}"
                         r"\Big)\langle x\rangle_\tau",
                 notes=["The right side is evaluated as printed by appendix_c.newbessel_rhs (a sum over partitions "
                        "cannot be a single SymPy expression); checked for every partition mu of D = 2, 3 at "
                        "S = 2, 3 on "
                        "the joint law (w, w^2, w^3 - w)."],
                 checks=[SymbolicEquality("every mu of D = 2, 3 at S = 2, 3, exact expectations",
                                          lambda c: sp.Matrix([c.lhs.replace(NB_L, lambda s, D=D, mu_=mu_, S=S: S ** D
                                                                             * expect_stat(mu_, S, "correlated", D))
                                                               for D, mu_, S in CASES6]),
                                          lambda c: sp.Matrix([c.formula.replace(NB_R, lambda s, D=D, mu_=mu_, S=S:
                                                                                 newbessel_rhs(mu_, S, "correlated", D))
                                                               for D, mu_, S in CASES6]), evidence="model")])


@claim("diagrams.appc6.boxed", "App. C.6, the boxed inversion", "<x>_mu = (S^D/S^|mu|) E[{x}_mu] - sum over tau < mu "
       "of prod_{d in im mu} (S-1)!/(S - |tau(mu^-1(d))|)! <x>_tau", about="algebra")
def boxed():
    return Claim(statement=sp.Eq(sp.Symbol(r"\langle x\rangle_\mu"), BOX(S_s), evaluate=False), regime=Regime(()),
                 checks=[SymbolicEquality("every mu of D = 2, 3 at S = 2, 3, exact expectations",
                                          lambda c: sp.Matrix([correlator(mu_, "correlated", D)
                                                               for D, mu_, S in CASES6]),
                                          lambda c: sp.Matrix([c.formula.replace(BOX, lambda s, D=D, mu_=mu_, S=S:
                                                                                 boxed_rhs(mu_, S, "correlated", D))
                                                               for D, mu_, S in CASES6]), evidence="model")])


X012, X0_12, X0_1_2 = (sp.Symbol(s) for s in (r"\{x\}_{[012]}", r"\{x\}_{[0][12]}", r"\{x\}_{[0][1][2]}"))
STAT.update({(0, 0, 0): X012, (0, 1, 1): X0_12, (0, 1, 2): X0_1_2})
C012 = sp.Symbol(r"\langle x\rangle_{[012]}")
CORR_ALL[(0, 0, 0)] = C012
SYM3 = S_s ** 2 * X012 - sp.factorial(S_s - 1) / sp.factorial(S_s - 3) * X0_1_2 \
    - 3 * sp.factorial(S_s - 1) / sp.factorial(S_s - 2) * X0_12
SYM3_FIX = S_s ** 2 * X012 - 3 * S_s * (S_s - 1) * X0_12 + (S_s - 1) * (2 * S_s - 1) * X0_1_2


def identity_value(expr, S):
    """E{x}_[012] for the first statistic and correlators <x>_tau for the others (and for <x>_[012])."""
    e = sp.sympify(expr).subs(S_s, S).xreplace({X0_12: correlator((0, 1, 1), "symmetric", 3),
                                                X0_1_2: correlator((0, 1, 2), "symmetric", 3)})
    return expectation_of(e, S, "symmetric", 3)


def sym3_check(reading, svalues=SVALUES):
    value = (lambda e, S: expectation_of(e, S, "symmetric", 3)) if reading == "estimator" else identity_value
    return SymbolicEquality(f"S = {', '.join(map(str, svalues))}, x_0 = x_1 = x_2 = w (complete symmetry), exact",
                            lambda c: sp.Matrix([value(c.lhs, S) for S in svalues]),
                            lambda c: sp.Matrix([value(c.rhs, S) for S in svalues]), evidence="model")


def sym3_claim(rhs, checks, notes=()):
    return Claim(statement=sp.Eq(C012, rhs, evaluate=False), regime=Regime(()), about="algebra",
                 symbols={"{x}_mu": "statistics of D S = 3 S samples", "<x>_[012]": "<x_0 x_1 x_2>"},
                 checks=checks, notes=list(notes))


@claim("diagrams.appc6.symmetric", "App. C.6, the completely symmetric three-point formula", "<x>_[012] = S^2 "
       "{x}_[012] - ((S-1)!/(S-3)!) {x}_[0][1][2] - 3 ((S-1)!/(S-2)!) {x}_[0][12]", about="algebra")
def symmetric():
    return sym3_claim(SYM3, [sym3_check("estimator", (1,))],
                      ["At S = 1 both readings agree (the correction terms vanish). The formula is the boxed inversion "
                       "with the correlators <x>_tau written as the statistics {x}_tau."])


@claim("diagrams.appc6.symmetric.estimator", "App. C.6, symmetric formula, reading: an estimator", "The right side, "
       "built from the statistics {x}_tau, is an unbiased estimator of <x_0 x_1 x_2>",
       reading_of="diagrams.appc6.symmetric", about="algebra",
       reading="the {x}_tau on the right are the statistics (what the section is for: estimators from samples)")
def symmetric_estimator():
    return sym3_claim(SYM3, [sym3_check("estimator")],
                      ["Exchangeable law x_0 = x_1 = x_2 = w, w in {-1, 0, 2} w.p. (1/2, 1/3, 1/6): target 5/6; the "
                       "printed estimator has expectation 5/6 (S = 1), 79/144 (S = 2), 2/27 (S = 3)."])


@claim("diagrams.appc6.symmetric.identity", "App. C.6, symmetric formula, reading: an identity", "With E{x}_[012] and "
       "the correlators <x>_tau on the right, the formula is an identity", reading_of="diagrams.appc6.symmetric",
       about="algebra", proof_reading=True,
       reading="{x}_[012] in expectation and <x>_tau for the finer partitions, as in the boxed formula it specializes")
def symmetric_identity():
    return sym3_claim(SYM3, [sym3_check("identity")])


@claim("diagrams.appc6.symmetric.corrected", "App. C.6, symmetric formula, corrected estimator", "S^2 {x}_[012] - "
       "3 S (S-1) {x}_[0][12] + (S-1)(2S-1) {x}_[0][1][2] is an unbiased estimator of <x_0 x_1 x_2>",
       corrects="diagrams.appc6.symmetric.estimator", about="algebra")
def symmetric_corrected():
    return sym3_claim(SYM3_FIX, [sym3_check("estimator")],
                      ["Each <x>_tau of the boxed formula replaced by its own unbiased estimator: <x>_[0][12] by "
                       "S {x}_[0][12] - (S-1) {x}_[0][1][2], and <x>_[0][1][2] by {x}_[0][1][2]."])


REC = sp.Function("RECURSIVE")


@cache
def recursive_estimator(mu_, S, D):
    """The boxed formula with every <x>_tau (tau < mu) replaced by its own estimator, recursively: a linear
    combination {block assignment: coefficient} of statistics."""
    size = len(set(mu_))
    out = {mu_: sp.Rational(S ** D, S ** size)}
    for tau in partitions(D):
        if tau == mu_ or not finer(tau, mu_):
            continue
        coef = sp.Integer(1)
        for d in set(mu_):
            n_ = len({tau[e] for e in range(D) if mu_[e] == d})
            coef *= sp.Rational(math.factorial(S - 1), math.factorial(S - n_)) if n_ <= S else 0
        for key, v in recursive_estimator(tau, S, D).items():
            out[key] = out.get(key, 0) - coef * v
    return out


def recursive_expectation(mu_, S, D):
    return sum(v * expect_stat(key, S, "correlated", D) for key, v in recursive_estimator(mu_, S, D).items())


@claim("diagrams.appc6", "Rebuttal (answer to R4 Cor 3: 'Appx C.6 gives estimates for expressions of arbitrary "
       "order'); App. C.6", "The boxed inversion, applied recursively, gives unbiased estimators of every multipoint "
       "correlator from training data", about="algebra", uses=["diagrams.appc6.boxed"])
def appc6_recursive():
    cases = [(D, mu_, S) for D in (2, 3) for mu_ in partitions(D) for S in (2, 3)]
    return Claim(statement=sp.Eq(sp.Symbol(r"\langle x\rangle_\mu"), REC(S_s), evaluate=False), regime=Regime(()),
                 notes=["'with only constant factor time overhead': each statistic {x}_mu costs one product of D "
                        "sample means, the O(1)-multiplications point of eq:bessel; the number of partitions is fixed "
                        "by D. The printed symmetric example does not follow this recursion "
                        "(diagrams.appc6.symmetric.estimator)."],
                 checks=[SymbolicEquality("every mu of D = 2, 3 at S = 2, 3: expectation of the recursive estimator",
                                          lambda c: sp.Matrix([correlator(mu_, "correlated", D)
                                                               for D, mu_, S in cases]),
                                          lambda c: sp.Matrix([c.formula.replace(REC, lambda s, D=D, mu_=mu_, S=S:
                                                                                 recursive_expectation(mu_, S, D))
                                                               for D, mu_, S in cases]), evidence="model")])
