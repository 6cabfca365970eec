"""`ziyin`, Sec. 5.5 and App. C.1-C.2: continuous-time SGD (19), the Fokker-Planck equation (43)-(48) of SDE (43),
its zero-flux stationary solution (51), and additive plus multiplicative noise (52)-(59).

A stationary density is pinned down three ways: it solves the process's stationary Fokker-Planck equation (zero
flux (48); blind to a constant factor), it has total mass 1 (sees the factor), and it describes long runs of the
SDE (a chi-square test against Euler-Maruyama samples). Printed densities "P ∝ f" are encoded with their
normalisation f / int f, so that all three read the statement. The helpers here are shared with
``stationary.py`` (App. C.3-C.4 and D.5).

SDE (43) is simulated in the time tau = lambda t, where it reads dw = -L'(w) dtau + (theta C(w))^(1/2) dW with
theta = lambda / S.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp

from checks import ExactComparison, SymbolicEquality
from checks.base import DEFAULT_PERTURBATIONS, Undecidable, resolve
from theory import Claim, Param, Regime, Sampling, claim
from theory.symbolic import fokker_planck_rhs

from .amsgrad_checks import StationaryDensity, TotalMass, as_sample, euler_paths

# --- symbols ----------------------------------------------------------------------------------------------------
lam = sp.Symbol("lambda", positive=True)            # learning rate
S = sp.Symbol("S", positive=True)                   # batch size
a = sp.Symbol("a", real=True)                       # quadratic coefficient of (52) (either sign)
b = sp.Symbol("b", positive=True)                   # quartic coefficient, b > 0 (App. C.2)
sigma = sp.Symbol("sigma", positive=True)           # strength of the additive noise
w = sp.Symbol("w", real=True)                       # the parameter
v, u = sp.symbols("v u", real=True)                 # integration variables
t = sp.Symbol("t", positive=True)
L, C, P, eta = sp.Function("L"), sp.Function("C"), sp.Function("P"), sp.Function("eta")

SYMBOLS = {"lambda": "learning rate", "S": "batch size", "a": "quadratic coefficient of the loss",
           "b": "quartic coefficient (b > 0)", "sigma": "strength of the additive noise", "w": "parameter",
           "L": "loss", "C": "gradient-noise variance C(w)", "P": "density of w", "eta": "unit noise"}


# --- shared helpers ------------------------------------------------------------------------------------------------
def normalised(f: sp.Expr, x: sp.Symbol, lower=-sp.oo, upper=sp.oo) -> sp.Expr:
    """f / int f: how a printed 'P ∝ f' is encoded, so that a constant factor in it is visible."""
    return f / sp.Integral(f.subs(x, u), (u, lower, upper))


def flux_over_density(P_: sp.Expr, L_: sp.Expr, C_: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """J / P for the flux (48), J = lambda L' P + lambda^2/(2S) (C P)', written as lambda L' + lambda^2/(2S) C
    (ln C P)' so that a normalising constant (an integral free of x) drops out exactly."""
    log_cp = sp.expand_log(sp.log(C_ * P_), force=True)
    return lam * sp.diff(L_, x) + lam ** 2 / (2 * S) * C_ * sp.diff(log_cp, x)


def zero_flux(name: str, density: Callable, L_: sp.Expr, C_: sp.Expr, x: sp.Symbol, extra=()) -> SymbolicEquality:
    """The statement's density carries zero probability flux (48) for the process's L and C: it solves the
    stationary Fokker-Planck equation of SDE (43) (model evidence; blind to a constant factor)."""
    return SymbolicEquality(name, lambda c: flux_over_density(resolve(density, c), L_, C_, x), sp.S.Zero,
                            extra=extra, evidence="model")


# --- Sec. 5.5: Eq. (19) -----------------------------------------------------------------------------------------
def noise_variance(c) -> sp.Expr:
    """The variance of the statement's noise term: (its coefficient of eta(t))^2, eta of unit variance."""
    return c.rhs.coeff(eta(t)) ** 2


def drift_is_gradient() -> SymbolicEquality:
    return SymbolicEquality("the drift (the part without eta) is -L'(w), gradient descent as in (43) at lambda = 1",
                            lambda c: c.rhs.coeff(eta(t), 0), -sp.Derivative(L(w), w))


EQ19_REGIME = Regime((Param(w, -2, 2),), (), "1-D, any L and C > 0")


@claim("ziyin.eq19", "Eq. (19), Sec. 5.5", "Continuous-time SGD: dw/dt = -L'(w) + C(w) eta(t), C the variance of the "
       "noise", about="text")
def eq19():
    return Claim(
        statement=sp.Eq(sp.Derivative(sp.Function("w")(t), t), -sp.Derivative(L(w), w) + C(w) * eta(t)),
        regime=EQ19_REGIME, symbols=SYMBOLS, dynamics="the continuous-time model of SGD (Sec. 5.5)",
        observable="variance of the noise term",
        notes=["The sentence after (19) calls C(w) 'the w-dependent variance of the noise', with eta of unit variance; "
               "Sec. 3 (Eq. (3)) and App. C ((42)-(43), used in every derivation) multiply the unit noise by "
               "sqrt(C). The check compares the variance of the printed noise term with C."],
        checks=[SymbolicEquality("the noise term's variance (coefficient of eta)^2 is C(w), as the text says",
                                 noise_variance, C(w)), drift_is_gradient()])


@claim("ziyin.eq19.corrected", "Eq. (19), corrected", "dw/dt = -L'(w) + sqrt(C(w)) eta(t)", corrects="ziyin.eq19",
       about="text", uses=["ziyin.eq46"])
def eq19_corrected():
    return Claim(
        statement=sp.Eq(sp.Derivative(sp.Function("w")(t), t), -sp.Derivative(L(w), w) + sp.sqrt(C(w)) * eta(t)),
        regime=EQ19_REGIME, symbols=SYMBOLS, dynamics="the continuous-time model of SGD (Sec. 5.5)",
        observable="variance of the noise term",
        notes=["As (3) and (43) write it; with lambda = S = 1 its forward equation is (46)."],
        checks=[SymbolicEquality("the noise term's variance (coefficient of eta)^2 is C(w)", noise_variance, C(w)),
                drift_is_gradient(),
                SymbolicEquality("its Ito forward equation is (46) at lambda = S = 1",
                                 lambda c: fokker_planck_rhs(P(w, t), w, c.rhs.coeff(eta(t), 0),
                                                             noise_variance(c) / 2),
                                 lambda c: (sp.diff(sp.diff(L(w), w) * P(w, t), w)
                                            + sp.diff(C(w) * P(w, t), w, 2) / 2), evidence="model")])


# --- Sec. 5.5 and App. D.5: Propositions 6, 7 and 10, Examples 1 and 2 -----------------------------------------
p, G = sp.Function("p"), sp.Function("G")           # the target density; a stand-in for int p dL
c0 = sp.Symbol("c_0", real=True)
v0 = sp.Symbol("v", positive=True)                  # variance of a Gaussian target
m = sp.Symbol("m", real=True)                       # centre of Example 2's p
w0 = sp.Symbol("w_0", real=True)
wq = sp.Symbol("w", positive=True)
D5_SYMBOLS = {**SYMBOLS, "p": "target density", "c_0": "integration constant", "v": "variance of a Gaussian p",
              "m": "centre of Example 2's p", "w_0": "centre of Example 2's p"}
PDL = sp.Integral(p(v) * sp.Derivative(L(v), v), (v, -sp.oo, w))       # int_{-oo}^w p dL
C110 = (c0 - 2 * S / lam * PDL) / p(w)


def direct_flux(P_: sp.Expr, L_: sp.Expr, C_: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """J / P = lambda L' + lambda^2/(2S) (C P)'/P, with an integral int^x F dx' in C P differentiated by hand (a
    stand-in G whose derivative is F), so that no unevaluated integral meets a random test function."""
    stand_in = {integral: G(x) for integral in (C_ * P_).atoms(sp.Integral) if integral.limits[0][2] == x}
    rule = {sp.Derivative(G(x), x): next((integral.function.subs(integral.limits[0][0], x)
                                          for integral in stand_in), 0)}
    d = sp.diff((C_ * P_).xreplace(stand_in), x).subs(rule).doit()
    return lam * sp.diff(L_, x) + lam ** 2 / (2 * S) * d / P_


def gaussian(x, var, mean=0):
    return sp.exp(-(x - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


def instance(expr: sp.Expr, p_expr: sp.Expr, L_expr: sp.Expr, c0_value=None) -> sp.Expr:
    """A statement written for general p and L in a concrete case (its integrals done in closed form)."""
    e = expr.replace(p, sp.Lambda(v, p_expr.subs(w, v))).replace(L, sp.Lambda(v, L_expr.subs(w, v)))
    e = e if c0_value is None else e.subs(c0, c0_value)
    return sp.simplify(e.doit())


P10_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 64, log=True), Param(w, -2, 2), Param(v0, 0.2, 1.0)), (),
                    "any L and p > 0 (instances: L = w^4/4, p = N(0, v), c_0 = 0)")


class WithStatementNoise(StationaryDensity):
    """SDE (43) with the C the statement gives (in a concrete case), simulated to stationarity and compared with the
    target p: the statement enters through the dynamics, so a mutant of C is simulated afresh."""

    def __init__(self, name, noise: Callable, simulate: Callable, target, **kw):
        super().__init__(name, simulate, w, formula=lambda c: target, **kw)
        self.noise = noise

    def sample(self, claim, ctx, point, n_paths, rng):
        C_ = self.noise(claim)
        params = [s for s in claim.regime.symbols if s != w]
        f = sp.lambdify([*params, w], C_, "numpy")
        args = [point[s.name] for s in params]
        s = self.cached(ctx, claim, f"simulate|{sp.srepr(C_)}", self.simulate,
                        (dict(point), n_paths, lambda x: f(*args, x)), rng)
        if s.diverged_fraction > 0:
            raise Undecidable(f"{s.diverged_fraction:.2%} of paths diverged at {point}", "divergence")
        return s


def quartic_target_runs(point, n_paths, C_fn, rng):
    """SDE (43) with L = w^4/4 in tau = lambda t from w_0 ~ U[-1, 1], tau = 20, Euler step 0.005."""
    th = point["lambda"] / point["S"]
    out, div = euler_paths(lambda x: -x ** 3, lambda x: np.sqrt(np.maximum(th * C_fn(x), 0)),
                           rng.uniform(-1, 1, n_paths), 20.0, 0.005, rng)
    return as_sample(out[20.0], div)


@claim("ziyin.prop10", "Proposition 10 and Eqs. (110)-(112), App. D.5", "With C = (1/p)[c_0 - (2S/lambda) int p dL], "
       "the stationary distribution of SGD is p", uses=["ziyin.eq51"])
def prop10():
    return Claim(
        statement=sp.Eq(C(w), C110), regime=P10_REGIME, symbols=D5_SYMBOLS, dynamics="SDE (43), Ito",
        observable="stationary density",
        notes=["int p dL is read from -oo to w (another lower limit shifts c_0). Where this C is >= 0: "
               "ziyin.eq114 and ziyin.prop6."],
        checks=[SymbolicEquality("zero flux (48) for p with this C, any L and p", lambda c: direct_flux(p(w), L(w),
                                                                                                    c.formula, w),
                                 sp.S.Zero, evidence="model"),
                WithStatementNoise("L = w^4/4, p = N(0, v), c_0 = 0: SDE (43) samples at tau = 20 against p",
                                   lambda c: instance(c.formula, gaussian(w, v0), w ** 4 / 4, 0), quartic_target_runs,
                                   gaussian(w, v0))])


# (113)-(114): the positivity of C. C p = c_0 - (2S/lambda) F(w), F(w) = int_{-oo}^w p dL, so C >= 0 everywhere iff
# c_0 >= (2S/lambda) sup_w F; (114) puts F(+oo) = E_p[L'] in place of the sup. The case: L = w^2/2 with Example 2's
# p = N(m, 1/2), where F decreases to w = 0 and then increases, so sup_w F = max(F(-oo), F(+oo)) = max(0, m).
SUP = sp.Function(r"\sup_w")
P2 = sp.exp(-(w - m) ** 2) / sp.sqrt(sp.pi)
EQ114_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 64, log=True), Param(m, -2, 2)), (),
                      "case: L = w^2/2, p = N(m, 1/2)")


def sup_partial(expr: sp.Expr) -> sp.Expr:
    """sup_w F(w) in the case above: F is unimodal-from-below, so its sup is the larger of its limits."""
    return expr.replace(SUP, lambda F: sp.Max(sp.limit(F, w, -sp.oo), sp.limit(F, w, sp.oo)))


def c0_threshold(point) -> list[float]:
    """(2S/lambda) sup_w int_{-oo}^w p L' computed numerically on a grid (quadrature of the case's p w)."""
    from scipy import integrate

    pm = point["m"]
    grid = np.linspace(-12 + min(pm, 0), 12 + max(pm, 0), 4001)
    dens = np.exp(-(grid - pm) ** 2) / math.sqrt(math.pi) * grid
    F = integrate.cumulative_trapezoid(dens, grid, initial=0.0)
    return [2 * point["S"] / point["lambda"] * float(max(F.max(), 0.0))]


def threshold_check():
    return ExactComparison("the smallest c_0 with C >= 0 everywhere, (2S/lambda) sup_w int_{-oo}^w p L' (numerical)",
                           c0_threshold, lambda pt, f: [f(**pt)], rtol=1e-6, evidence="derivation",
                           formula=lambda c: sup_partial(instance(c.formula, P2, w ** 2 / 2)),
                           perturbations=DEFAULT_PERTURBATIONS[:2])


@claim("ziyin.eq114", "Eqs. (113)-(114), App. D.5", "C of (110) is >= 0 everywhere if c_0 > (2S/lambda) E_p[L']",
       about="algebra", uses=["ziyin.prop10"])
def eq114():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"c_0^{\min}"), 2 * S / lam * PDL.subs(w, sp.oo)), regime=EQ114_REGIME,
        symbols=D5_SYMBOLS, dynamics="the noise (110)", observable="the smallest c_0 with C >= 0 everywhere",
        notes=["(113)-(114) as (110) scales c_0 (the paper absorbs 2S/lambda into c_0). Read with (113)'s integral up "
               "to w for every w, (113) is the right condition; its restatement (114) keeps only w = +oo. For m < 0, "
               "c_0 between 2 S m/lambda and 0 satisfies (114) yet C(w) -> c_0/p(w) < 0 as w -> -oo."],
        checks=[threshold_check()])


@claim("ziyin.eq114.corrected", "Eq. (114), corrected", "C of (110) is >= 0 everywhere iff c_0 >= (2S/lambda) sup_w "
       "int_{-oo}^w p dL", corrects="ziyin.eq114", about="algebra")
def eq114_corrected():
    return Claim(statement=sp.Eq(sp.Symbol(r"c_0^{\min}"), 2 * S / lam * SUP(PDL)), regime=EQ114_REGIME,
                 symbols=D5_SYMBOLS, dynamics="the noise (110)", observable="the smallest c_0 with C >= 0 everywhere",
                 checks=[threshold_check()])


# Proposition 6: for p and L meeting its conditions, is there a C >= 0 making p stationary? Every C that does solves
# (49): C p = c_0 + J_0' w - (2S/lambda) int_0^w p dL, and with F = int_0^w p dL even (p even, L' odd), the best
# J_0 is 0, so such a C exists iff sup_w F < oo. The cases (each a p meeting 0 < p < oo, with L and p even):
CASES6 = {"p = N(0, 1), L = w^2/2": (gaussian(w, 1), w ** 2 / 2),
          "p = N(0, 1), L = w^4/4": (gaussian(w, 1), w ** 4 / 4),
          "p Cauchy, L = ln(1 + w^2)/2": (1 / (sp.pi * (1 + w ** 2)), sp.log(1 + w ** 2) / 2),
          "p Cauchy, L = w^2/2": (1 / (sp.pi * (1 + w ** 2)), w ** 2 / 2)}


def case_facts(label: str) -> dict:
    """Prop. 6's condition lim_{w->oo} w L' p, whether E_p|L'| < oo, and sup_w F (symbolic limits)."""
    p_, L_ = CASES6[label]
    F = sp.integrate((p_ * sp.diff(L_, w)).subs(w, v), (v, 0, w))
    return {"case": label, "lim_w_Lprime_p": sp.limit(w * sp.diff(L_, w) * p_, w, sp.oo),
            "E_abs_Lprime_finite": bool(sp.integrate(sp.Abs(sp.diff(L_, w)) * p_, (w, -sp.oo, sp.oo)).is_finite),
            "sup_F": sp.limit(F, w, sp.oo)}


def count_without_noise(labels):
    """How many of the cases have no C >= 0 with p stationary (sup_w F = oo), from the stationary equation (49)."""
    def exact(point):
        rows = [case_facts(k) for k in labels]
        return [sum(1 for r in rows if r["sup_F"] is sp.oo)]
    return exact


PROP6_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 64, log=True)), (), "1-D")
ONE_MORE = ("plus one", lambda e: e + 1)


@claim("ziyin.prop6", "Proposition 6, Sec. 5.5 (proof: App. D.5)", "For any L and any p with 0 < p < oo and "
       "lim w L' p < oo some C makes p the stationary distribution of SGD", uses=["ziyin.prop10"])
def prop6():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\#\{(p, L)\text{ meeting the conditions, no } C \geq 0\}"), sp.S.Zero),
        regime=PROP6_REGIME, symbols=D5_SYMBOLS, dynamics="SDE (43) in 1-D", observable="existence of C >= 0",
        notes=["Encoded as a count over cases that meet the conditions (lim w L' p = 0 or 1/pi). For Cauchy p with "
               "L = w^2/2, F = ln(1 + w^2)/(2 pi) is unbounded: every stationary C p = c_0 + J_0' w - (S/(pi lambda)) "
               "ln(1 + w^2) is negative somewhere."],
        checks=[ExactComparison("cases with sup_w F = oo, from the stationary Fokker-Planck equation (49)",
                                count_without_noise(list(CASES6)), lambda pt, f: [f(**pt)], n_points=1,
                                perturbations=(ONE_MORE,))])


@claim("ziyin.prop6.corrected", "Proposition 6, corrected", "If moreover E_p|L'| < oo, some C >= 0 makes p the "
       "stationary distribution", corrects="ziyin.prop6", uses=["ziyin.prop10", "ziyin.eq114.corrected"])
def prop6_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\#\{(p, L),\ E_p|L'| < \infty,\text{ no } C \geq 0\}"), sp.S.Zero),
        regime=PROP6_REGIME, symbols=D5_SYMBOLS, dynamics="SDE (43) in 1-D", observable="existence of C >= 0",
        notes=["With int |p L'| < oo, F is bounded and c_0 = (2S/lambda) sup_w F gives C >= 0 (ziyin.eq114.corrected); "
               "ziyin.prop10's samples show such a C produce p."],
        checks=[ExactComparison("cases with E_p|L'| < oo and sup_w F = oo, from (49)",
                                count_without_noise([k for k in CASES6 if case_facts(k)["E_abs_Lprime_finite"]]),
                                lambda pt, f: [f(**pt)], n_points=1, perturbations=(ONE_MORE,))])


C_EX1 = c0 * wq ** (2 + 2 * S * a / lam) + wq ** 2
P_EX1 = wq ** (-2 - 2 * S * a / lam)
EX1_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 64, log=True), Param(a, -2, 2), Param(c0, 0, 2),
                     Param(wq, 0.1, 3)), (Sampling(sp.Abs(a) >= sp.Rational(1, 20), "a != 0"),), "Example 1")


@claim("ziyin.example1", "Example 1, App. D.5", "p ∝ w^(-2 - 2Sa/lambda), L = a w^2/2: (112) gives "
       "C = c_0 w^(2 + 2Sa/lambda) + w^2", uses=["ziyin.prop10", "ziyin.eq70"])
def example1():
    return Claim(
        statement=sp.Eq(C(wq), C_EX1), regime=EX1_REGIME, symbols=D5_SYMBOLS, dynamics="SDE (43)",
        observable="the noise that makes p stationary",
        notes=["'B(w) = w^2' at c_0 = 0 is this C."],
        checks=[SymbolicEquality("(112) with p = w^(-2-2Sa/lambda), L = a w^2/2 (indefinite integral, constant c_0)",
                                 lambda c: c.formula, (c0 - 2 * S / lam * sp.integrate(P_EX1 * a * wq, wq,
                                                                                       conds="none")) / P_EX1),
                SymbolicEquality("zero flux (48) for p with this C and L = a w^2/2", lambda c: direct_flux(
                    P_EX1, a * wq ** 2 / 2, c.formula, wq), sp.S.Zero, evidence="model")])


C_EX2 = sp.exp((w - w0) ** 2) * (c0 - 2 * S / lam * sp.Integral(v * sp.exp(-(v - w0) ** 2), (v, -sp.oo, w)))
EX2_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 64, log=True), Param(w0, -2, 2), Param(c0, 5, 20),
                     Param(w, -3, 3)), (), "Example 2")


@claim("ziyin.example2", "Example 2, App. D.5", "L = w^2/2 with Example 2's C has stationary p = "
                                                "exp(-(w-w_0)^2)/sqrt(pi)",
       uses=["ziyin.prop10"])
def example2():
    return Claim(
        statement=sp.Eq(p(w), sp.exp(-(w - w0) ** 2) / sp.sqrt(sp.pi)), regime=EX2_REGIME, symbols=D5_SYMBOLS,
        dynamics="SDE (43) with Example 2's C", observable="stationary density",
        notes=["C's integral read from -oo to w; the normalisation 1/sqrt(pi) of p is carried by c_0 as (110) writes "
               "it. Whether C >= 0 depends on c_0 (ziyin.eq114.corrected)."],
        checks=[SymbolicEquality("zero flux (48) with L = w^2/2 and Example 2's C", lambda c: direct_flux(
                    c.formula, w ** 2 / 2, C_EX2, w), sp.S.Zero, extra=[Param(w, -3, 3)], evidence="model"),
                TotalMass("total mass 1", lambda c: c.formula, w)])


# Proposition 7 with C = 0: SGD is the gradient flow dw/dt = -lambda L'(w), deterministic.
LOSSES7 = {"constant": sp.S.Zero, "w^2/2": w ** 2 / 2, "w^4/4": w ** 4 / 4, "-w^2/2 + w^4/4": -w ** 2 / 2 + w ** 4 / 4,
           "w": w}
P7 = gaussian(w, 1)


def invariant_count(point) -> list[int]:
    """Losses for which p = N(0, 1) is invariant under the flow: dp/dt = lambda (L' p)' vanishes for every w."""
    return [sum(1 for L_ in LOSSES7.values() if sp.simplify(sp.diff(sp.diff(L_, w) * P7, w)) == 0)]


def limit_count(point) -> list[int]:
    """Losses for which the law of w(t) from a point start tends to p: the flow carries a point to a point (variance
    0 at every t, computed from the solved flow), never to p's variance 1."""
    from scipy.integrate import solve_ivp

    hits = 0
    for L_ in LOSSES7.values():
        f = sp.lambdify(w, -point["lambda"] * sp.diff(L_, w), "numpy")
        ends = [solve_ivp(lambda _, y: [float(f(y[0]))], (0, 50), [w_start], rtol=1e-10).y[0, -1]
                for w_start in (0.3, 0.3)]                    # the same start twice: the law of a point start
        hits += bool(abs(np.var(ends) - 1.0) < 1e-6)
    return [hits]


PROP7_REGIME = Regime((Param(lam, 0.05, 0.9),), (), "C = 0, p = N(0, 1)")


def prop7_checks(which: str) -> list:
    pick = {"invariant": ("p invariant under the flow of each loss (exact: dp/dt = lambda (L' p)')", invariant_count),
            "limit": ("the law from a point start tends to p (the solved flow)", limit_count)}[which]
    return [ExactComparison(f"count of losses: {pick[0]}", pick[1], lambda pt, f: [f(**pt)], n_points=1,
                            perturbations=(ONE_MORE,))]


def prop7_claim(checks: list) -> Claim:
    return Claim(statement=sp.Eq(sp.Symbol(r"\#\{L : p_S = p\}"), sp.S.Zero), regime=PROP7_REGIME,
                 symbols=D5_SYMBOLS, dynamics="SDE (43) with C = 0: dw/dt = -lambda L'(w)",
                 observable="losses whose stationary distribution is the Gaussian p", checks=checks,
                 notes=["Checked over five losses (constant, w^2/2, w^4/4, a double well, w); one counterexample "
                        "refutes, and under the limit reading no loss can work (a point start stays a point)."])


@claim("ziyin.prop7", "Proposition 7, Sec. 5.5", "With C = 0 no loss has the Gaussian p as stationary distribution")
def prop7():
    from .experiment_checks import ByReading

    return prop7_claim([ByReading("by reading of 'stationary distribution'", {
        "limit from every start": prop7_checks("limit")[0], "invariant law": prop7_checks("invariant")[0]})])


@claim("ziyin.prop7.limit", "Proposition 7 (limit reading)", "With C = 0 the law from every start tends to p for no "
       "loss", reading_of="ziyin.prop7", reading="a stationary distribution is the limit of the law of w(t) from "
                                                 "every start (App. C.1: 'a single stationary distribution when t "
                                                 "-> oo'; the proof: 'converges to Dirac measures or does not "
                                                 "converge')", proof_reading=True)
def prop7_limit():
    return prop7_claim(prop7_checks("limit"))


@claim("ziyin.prop7.invariant", "Proposition 7 (invariance reading)", "With C = 0 no loss leaves p invariant",
       reading_of="ziyin.prop7", reading="a stationary distribution is an invariant one: started from p, the law "
                                         "stays p")
def prop7_invariant():
    return prop7_claim(prop7_checks("invariant"))


# --- App. C.1: Eqs. (43)-(51) -----------------------------------------------------------------------------------
C1_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 64, log=True), Param(w, -2, 2), Param(t, 0.1, 2)), (),
                   "any L and C > 0, 1-D")
PT = P(w, t)
FP46_RHS = (lam * sp.Derivative(sp.Derivative(L(w), w) * PT, w)
            + lam ** 2 / (2 * S) * sp.Derivative(C(w) * PT, w, 2))
FLUX48 = lam * sp.Derivative(L(w), w) * PT + lam ** 2 / (2 * S) * sp.Derivative(C(w) * PT, w)
ITO_RHS = fokker_planck_rhs(PT, w, -lam * sp.diff(L(w), w), lam ** 2 * C(w) / (2 * S))   # SDE (43), Ito


@claim("ziyin.eq46", "Eqs. (43)-(46), App. C.1", "Fokker-Planck equation of dw = -lambda L' dt + (lambda/sqrt S) "
       "sqrt(C) dW (Ito)")
def eq46():
    return Claim(
        statement=sp.Eq(sp.Derivative(PT, t), FP46_RHS), regime=C1_REGIME, symbols=SYMBOLS,
        dynamics="SDE (43), Ito", observable="density P(w, t)",
        notes=["(45) is the n-dimensional form (trace of the Hessian of C P); (46) is its 1-D case."],
        checks=[SymbolicEquality("(46) is the Ito forward equation of SDE (43)", lambda c: c.rhs.doit(), ITO_RHS,
                                 evidence="model")])


def flux_checks() -> list:
    return [SymbolicEquality("continuity (47), dP/dt = -dJ/dw, with the forward equation of SDE (43)",
                             lambda c: -sp.diff(c.rhs, w).doit(), ITO_RHS, evidence="model")]


@claim("ziyin.eq48", "Eqs. (47)-(48), App. C.1", "Probability flux J = lambda L' P + lambda^2/(2S) (C P)'",
       uses=["ziyin.eq46"])
def eq48():
    return Claim(
        statement=sp.Eq(sp.Symbol("J"), FLUX48), regime=C1_REGIME, symbols={**SYMBOLS, "J": "probability flux"},
        dynamics="SDE (43), Ito", observable="probability flux",
        notes=["With (47), dP/dt = -dJ/dw, the flux of (46) is minus the printed (48). Zero flux, all that (49)-(51) "
               "use, is the same either way; the sign of the stationary flow J_0 in (50) is what changes."],
        checks=flux_checks())


@claim("ziyin.eq48.corrected", "Eq. (48), corrected", "Probability flux J = -lambda L' P - lambda^2/(2S) (C P)'",
       corrects="ziyin.eq48", uses=["ziyin.eq46"])
def eq48_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol("J"), -FLUX48), regime=C1_REGIME, symbols={**SYMBOLS, "J": "probability flux"},
        dynamics="SDE (43), Ito", observable="probability flux", checks=flux_checks())


P51_UNNORMED = sp.exp(-2 * S / lam * sp.Integral(sp.Derivative(L(v), v) / C(v), (v, 0, w))) / C(w)
P51 = normalised(P51_UNNORMED, w)

# The family of App. C.2, used to instantiate the general (51): L = a w^2/2 + b w^4/4, C = w^2 + S sigma^2.
L52 = a * w ** 2 / 2 + b * w ** 4 / 4
C56 = w ** 2 + S * sigma ** 2
IN_RANGE = (Sampling(S ** 2 * b * sigma ** 2 / lam <= 20, "S^2 b sigma^2 / lambda <= 20 (keeps the power in (57) "
                                                            "within floating-point range)"),
            Sampling(S * sp.Abs(a) / lam <= 20, "S |a| / lambda <= 20 (same reason)"))
C2_REGIME = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 8, log=True), Param(a, -1, 1), Param(b, 0.5, 1.5),
                    Param(sigma, 0.1, 1, log=True)), IN_RANGE, "App. C.2: b > 0, sigma > 0 (batch sizes up to 8)")


def instance_c2(expr: sp.Expr) -> sp.Expr:
    """A density written for general L and C, in the model of App. C.2 (the inner integral done in closed form)."""
    e = expr.replace(L, sp.Lambda(v, L52.subs(w, v))).replace(C, sp.Lambda(v, C56.subs(w, v)))
    return e.replace(lambda x: isinstance(x, sp.Integral) and x.limits[0][1] == 0, lambda x: x.doit())


def c2_simulate(point, n_paths, rng):
    """SDE (55) in tau = lambda t from w_0 ~ U[-1, 1] (Figure 1's start) to tau = 30, Euler step 0.01."""
    al, bl, th, s2 = point["a"], point["b"], point["lambda"] / point["S"], point["S"] * point["sigma"] ** 2
    out, div = euler_paths(lambda x: -(al * x + bl * x ** 3), lambda x: np.sqrt(th * (x * x + s2)),
                           rng.uniform(-1, 1, n_paths), 30.0, 0.01, rng)
    return as_sample(out[30.0], div)


@claim("ziyin.eq51", "Eqs. (49)-(51), App. C.1", "Zero-flux stationary density P ∝ (1/C) exp[-(2S/lambda) int L'/C dw]",
       uses=["ziyin.eq48"])
def eq51():
    return Claim(
        statement=sp.Eq(P(w), P51), regime=C1_REGIME, symbols=SYMBOLS, dynamics="SDE (43), Ito",
        observable="stationary density",
        notes=["'∝' is encoded with its normalisation over the real line (the paper's J_0 = 0 and P(±oo) = 0 case), "
               "and the indefinite integral from 0 (another lower limit is a constant factor). Checked for general "
               "L and "
               "C (random test functions) and in the model of App. C.2."],
        checks=[zero_flux("zero flux (48) for any L and C", lambda c: c.formula, L(w), C(w), w),
                TotalMass("total mass 1 in the model of App. C.2", lambda c: instance_c2(c.formula), w,
                          extra=C2_REGIME.params),
                ])
