"""Claims of `ziyin`: L. Ziyin, B. Li, M. Ueda, "SGD May Never Escape Saddle Points" (2021),
shared/papers/004_67796aff26107bba.txt.

This module holds the warm-up of Sec. 4 (Prop. 1, Eqs. (5)-(7)), Sec. 5.1 (Theorem 1, Prop. 2 with
Eq. (8) and its proof (72)-(81)), Lemma 1 (Eqs. (20)-(23)), Sec. 5.2 (Definition 2 / Eq. (9),
Theorem 2, Prop. 3 with (82)-(85)) and the experiments of Figures 1 and 2.

The model: the sampled loss L(w; x) = x w^2/2 (Eq. (4)) with x = 1 or x = a - 1 with probability 1/2
each (mean a/2; a < 0 makes w = 0 a local maximum). One SGD step is w_t = (1 - lambda x_t) w_{t-1},
so ln|w_t/w_0| is a sum of i.i.d. terms whose exact law is binomial
(checks.dynamics.multiplicative).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import MonteCarloMean, Sample, SymbolicEquality
from checks.base import Check, RunContext
from checks.curves import Curve
from checks.dynamics.multiplicative import exact_escape_fraction, exact_log_growth_distribution, log_abs_w
from checks.exact import ExactComparison
from checks.result import FAIL, INCONCLUSIVE, PASS, CheckResult
from checks.stats import Z_CRIT
from theory.claim import Claim, Condition, Param, Regime, Source

CITATION = ("L. Ziyin, B. Li, M. Ueda. SGD May Never Escape Saddle Points (2021). "
            "(shared/papers/004_67796aff26107bba.txt)")


def src(location: str) -> Source:
    return Source("ziyin", CITATION, location)


lam = sp.Symbol("lambda", positive=True)                # learning rate
a = sp.Symbol("a", negative=True)                      # curvature parameter (a < 0: local maximum)
t = sp.Symbol("t", positive=True, integer=True)        # time step
w0 = sp.Symbol("w_0", real=True, nonzero=True)
eps = sp.Symbol("epsilon", positive=True)
w = sp.Symbol("w", real=True)
SYMBOLS = {"lambda": "learning rate", "a": "curvature parameter: x = 1 or a - 1 (mean a/2)", "t": "time step",
           "w_0": "initial parameter", "epsilon": "target escape rate"}

mu = sp.log(sp.Abs((1 - lam) * (1 - lam * (a - 1)))) / 2           # E ln|1 - lambda x|, Eq. (77)
s2 = (sp.log(sp.Abs(1 - lam)) - sp.log(sp.Abs(1 - lam * (a - 1)))) ** 2 / 4   # Var ln|1 - lambda x|
lower8 = a / (a - 1)
upper8 = (a - sp.sqrt(a ** 2 - 8 * a + 8)) / (2 * (a - 1))
lam_star = a / (2 * (a - 1))
gamma_star = sp.log((2 - a) / (2 * sp.sqrt(1 - a)))
bound85 = 2 * sp.Abs(-sp.exp(eps) * sp.sqrt(sp.exp(2 * eps) - 1) - sp.exp(2 * eps) + 1)

P_a = Param(a, -4.0, -0.1, doc="curvature parameter (a < 0)")
P_t = Param(t, 1, 8, doc="time step")
P_w0 = Param(w0, 0.1, 2.0, doc="initial parameter")
NOT_ONE = Condition(sp.Abs(lam - 1) >= sp.Rational(1, 50), "lambda != 1 (kept 0.02 away: ln|1 - lambda| is finite)")
SGD_REGIME = Regime((Param(lam, 0.05, 2.0), P_a), (NOT_ONE,), "SGD on Eq. (4) with the two-point p(x)")


def runs(lam_v, a_v, T, n, rng, record=None):
    return log_abs_w(lam_v, a_v, T, n, rng, record=record)


# --- Sec. 4: the warm-up -------------------------------------------------------------------------------------------
def nonzero_simulate(point, n_paths, rng):
    logs = runs(1.0, point["a"], int(point["t"]), n_paths, rng)[int(point["t"])]
    return Sample(np.isfinite(logs)[:, None].astype(float), ["P(w_t != 0)"])


prop1 = Claim(
    id="ziyin.prop1", source=src("Proposition 1 and Eq. (5)"),
    title="lambda = 1, x in {1, a - 1}: w_t = 0 except with probability 2^-t, so w -> 0 with probability 1",
    statement=sp.Eq(sp.Symbol(r"P(w_t \neq 0)"), 2 ** -t),
    regime=Regime((P_a, P_t), (), "lambda = 1, a < 0, any w_0 != 0"), symbols=SYMBOLS,
    dynamics="SGD (2) on Eq. (4), lambda = 1", observable="probability that w_t is not 0",
    checks=[SymbolicEquality("Eq. (5): the step multiplies w by 1 - x: 0 for x = 1, 2 - a for x = a - 1",
                             sp.Matrix([1 - 1, 1 - (a - 1)]), sp.Matrix([0, 2 - a])),
            SymbolicEquality("the probability tends to 0", sp.limit(2 ** -t, t, sp.oo), sp.S.Zero),
            MonteCarloMean("SGD runs: fraction with w_t != 0", nonzero_simulate, lambda p, f: [f(**p)],
                           n_points=3, n_paths=50_000)])


def moment_simulate(power: int):
    def run(point, n_paths, rng):
        logs = runs(1.0, point["a"], int(point["t"]), n_paths, rng)[int(point["t"])]
        # w_0 > 0 and every factor (0 or 2 - a) is >= 0, so w_t = w_0 exp(ln|w_t/w_0|) or 0
        vals = np.where(np.isfinite(logs), np.exp(power * logs), 0.0) * point["w_0"] ** power
        return Sample(vals[:, None], [f"w_t^{power}"])
    return run


EW_PRINTED_STEP = a                                               # "E[w_t] = a E[w_{t-1}]"
EW_FACTOR = sp.Rational(1, 2) * (1 - 1) + sp.Rational(1, 2) * (1 - (a - 1))     # E[1 - x] at lambda = 1
W_REGIME = Regime((P_a, Param(t, 1, 6), P_w0), (), "lambda = 1, two-point p(x)")
eq6 = Claim(
    id="ziyin.eq6", source=src("Eq. (6)"), title="E[w_t] = (1 - a/2)^t w_0: exponential escape in expectation",
    statement=sp.Eq(sp.Symbol("E[w_t]"), (1 - a / 2) ** t * w0), regime=W_REGIME, symbols=SYMBOLS,
    dynamics="SGD (2) on Eq. (4), lambda = 1", observable="E[w_t]",
    notes=["The printed middle step reads E[w_t] = a E[w_(t-1)]; that step is checked as ziyin.eq6.step."],
    checks=[SymbolicEquality("E[w_t] = E[1 - x]^t w_0 with E[1 - x] = 1 - a/2", EW_FACTOR ** t * w0,
                             lambda c: c.formula),
            MonteCarloMean("SGD runs: mean of w_t", moment_simulate(1), lambda p, f: [f(**p)], n_points=3,
                           n_paths=200_000)])

eq6_step_corrected = Claim(
    id="ziyin.eq6.step.corrected", source=src("Eq. (6), middle step, corrected"),
    title="E[w_t] = (1 - a/2) E[w_(t-1)]", statement=sp.Eq(sp.Symbol(r"E[w_t] / E[w_{t-1}]"), 1 - a / 2),
    regime=Regime((P_a,), (), "lambda = 1, two-point p(x)"), symbols=SYMBOLS, dynamics="SGD (2), lambda = 1",
    observable="ratio of consecutive means",
    checks=[SymbolicEquality("E[1 - x] over x in {1, a - 1}", EW_FACTOR, lambda c: c.formula)])
eq6_step = Claim(
    id="ziyin.eq6.step", source=src("Eq. (6), middle step"), title="E[w_t] = a E[w_(t-1)]",
    statement=sp.Eq(sp.Symbol(r"E[w_t] / E[w_{t-1}]"), EW_PRINTED_STEP),
    regime=Regime((P_a,), (), "lambda = 1, two-point p(x)"), symbols=SYMBOLS, dynamics="SGD (2), lambda = 1",
    observable="ratio of consecutive means",
    notes=["With lambda = 1 the factor is E[1 - x] = 1 - a/2, which the right end of (6) uses. The text after "
           "(6) says ln(1 - a) is GD's escape time scale; that holds for a general p(x) with E[x] = a (Sec. 4's "
           "convention), while this p(x) has E[x] = a/2, so GD on its mean loss escapes at ln(1 - a/2)."],
    checks=[SymbolicEquality("E[1 - x] over x in {1, a - 1}", EW_FACTOR, lambda c: c.formula)],
    corrected=eq6_step_corrected)

w2_exact = 2 ** -t * (2 - a) ** (2 * t) * w0 ** 2
eq7_corrected = Claim(
    id="ziyin.eq7.corrected", source=src("Eq. (7), corrected"),
    title="E[w_t^2] = 2^-t (2 - a)^(2t) w_0^2 = w_0^2 exp(t ln((2 - a)^2 / 2))",
    statement=sp.Eq(sp.Symbol("E[w_t^2]"), w0 ** 2 * sp.exp(t * sp.log((2 - a) ** 2 / 2))), regime=W_REGIME,
    symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4), lambda = 1", observable="E[w_t^2]",
    checks=[SymbolicEquality("equals 2^-t (2 - a)^(2t) w_0^2, the first form of (7)", w2_exact, lambda c: c.formula),
            MonteCarloMean("SGD runs: mean of w_t^2", moment_simulate(2), lambda p, f: [f(**p)], n_points=3,
                           n_paths=400_000)])
eq7 = Claim(
    id="ziyin.eq7", source=src("Eq. (7)"), title="E[w_t^2] = w_0^2 exp(2t ln((2 - a)/2))",
    statement=sp.Eq(sp.Symbol("E[w_t^2]"), w0 ** 2 * sp.exp(2 * t * sp.log((2 - a) / 2))), regime=W_REGIME,
    symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4), lambda = 1", observable="E[w_t^2]",
    notes=["The first form 2^-t (2 - a)^(2t) w_0^2 is right; its rewriting as exp(2t ln((2-a)/2)) drops a "
           "factor 2^t (it should be exp(2t ln((2-a)/sqrt 2))). The sentence before (7) also says w_t = 0 with "
           "probability 1/(1 - 2^-t), which should read 1 - 2^-t (ziyin.prop1 checks 2^-t)."],
    checks=[SymbolicEquality("E[w_t^2] = E[(1 - x)^2]^t w_0^2", (sp.Rational(1, 2) * (2 - a) ** 2) ** t * w0 ** 2,
                             lambda c: c.formula),
            MonteCarloMean("SGD runs: mean of w_t^2", moment_simulate(2), lambda p, f: [f(**p)], n_points=3,
                           n_paths=400_000)],
    corrected=eq7_corrected, uses=["ziyin.prop1"])

# --- Lemma 1, Eqs. (20)-(23), and (72) -----------------------------------------------------------------------------
LOG_REGIME = Regime((Param(lam, 0.05, 2.0), P_a, Param(t, 50, 400, log=True)), (NOT_ONE,),
                    "SGD on Eq. (4), two-point p(x), t large")
k_draws = sp.Symbol("k", nonnegative=True, integer=True)


def standardized_simulate(center: str, scale_power: float):
    """Per-run (ln|w_t/w_0| - c)/t^p with c = mu (as printed in (20)) or t mu (as in (23))."""
    def run(point, n_paths, rng):
        T = int(point["t"])
        logs = runs(point["lambda"], point["a"], T, n_paths, rng)[T]
        m = float(mu.subs({lam: point["lambda"], a: point["a"]}))
        z = (logs - (m if center == "mu" else T * m)) / T ** scale_power
        return Sample(np.column_stack([z, z ** 2]), ["mean", "second moment"])
    return run


def normal_moments_predict(point, f):
    """The claimed limit N(0, s^2): mean 0, second moment s^2 (f is s^2 here)."""
    return [0.0, float(f(**point))]


eq23 = Claim(
    id="ziyin.eq23", source=src("Lemma 1, Eqs. (21)-(23)"),
    title="(ln|w_t/w_0| - t mu)/sqrt(t) -> N(0, s^2), mu = E ln|1 - lambda x|, s^2 = Var ln|1 - lambda x|",
    statement=sp.Eq(sp.Symbol(r"\mathrm{Var}\,\lim_t (\ln|w_t/w_0| - t\mu)/\sqrt{t}"), s2), regime=LOG_REGIME,
    symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4): w_t = prod (1 - lambda x_i) w_0 (Eq. (21))",
    observable="mean and second moment of the standardized log",
    notes=["The statement carries the limit's variance s^2; for the two-point p(x) it is "
           "(ln|1-lambda| - ln|1-lambda(a-1)|)^2/4. The standardized sum has mean 0 and variance s^2 at every t, "
           "and the terms are i.i.d. with finite moments, so the central limit theorem gives (23)."],
    checks=[SymbolicEquality("Var ln|1 - lambda x| over the two-point p(x)",
                             ((sp.log(sp.Abs(1 - lam)) - mu) ** 2 + (sp.log(sp.Abs(1 - lam * (a - 1))) - mu) ** 2) / 2,
                             lambda c: c.formula),
            MonteCarloMean("SGD runs: mean 0 and second moment s^2 of (ln|w_t/w_0| - t mu)/sqrt(t)",
                           standardized_simulate("t mu", 0.5), normal_moments_predict, n_points=2, n_paths=20_000,
                           perturbations=(("x1.5", lambda e: e * sp.Rational(3, 2)), ("x0.5", lambda e: e / 2)))])

eq20 = Claim(
    id="ziyin.eq20", source=src("Lemma 1, Eq. (20)"),
    title="(ln|w_t/w_0| - mu)/sqrt(t) -> N(0, s^2) (as printed: mu, not t mu)",
    statement=sp.Eq(sp.Symbol(r"\mathrm{Var}\,\lim_t (\ln|w_t/w_0| - \mu)/\sqrt{t}"), s2), regime=LOG_REGIME,
    symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4)", observable="mean and second moment of the standardized log",
    notes=["Encoded as printed. Its mean is (t - 1) mu/sqrt(t), which diverges unless mu = 0; the proof's own "
           "(23) subtracts t mu (ziyin.eq23)."],
    checks=[SymbolicEquality("E[(ln|w_t/w_0| - mu)/sqrt(t)] = (t - 1) mu/sqrt(t) is 0",
                             (t * mu - mu) / sp.sqrt(t), sp.S.Zero),
            MonteCarloMean("SGD runs: mean and second moment of (ln|w_t/w_0| - mu)/sqrt(t)",
                           standardized_simulate("mu", 0.5), normal_moments_predict, n_points=2, n_paths=20_000,
                           perturbations=(("x1.5", lambda e: e * sp.Rational(3, 2)), ("x0.5", lambda e: e / 2)))],
    uses=["ziyin.eq23"])

eq72 = Claim(
    id="ziyin.eq72", source=src("Eq. (72), App. D.1"),
    title="(1/sqrt(t)) z_t -> N(0, s^2) with z_t = (ln|w_t/w_0| - t mu)/sqrt(t)",
    statement=sp.Eq(sp.Symbol(r"\mathrm{Var}\,\lim_t z_t/\sqrt{t}"), s2), regime=LOG_REGIME, symbols=SYMBOLS,
    dynamics="SGD (2) on Eq. (4)", observable="second moment of z_t/sqrt(t)",
    notes=["z_t is already divided by sqrt(t), so z_t/sqrt(t) has variance s^2/t -> 0; (73)-(74) use z_t "
           "itself, which is the right statement (ziyin.eq23)."],
    checks=[SymbolicEquality("Var(z_t/sqrt(t)) = s^2/t equals s^2", s2 / t, lambda c: c.formula),
            MonteCarloMean("SGD runs: mean and second moment of z_t/sqrt(t)", standardized_simulate("t mu", 1.0),
                           normal_moments_predict, n_points=2, n_paths=20_000,
                           perturbations=(("x1.5", lambda e: e * sp.Rational(3, 2)), ("x0.5", lambda e: e / 2)))],
    uses=["ziyin.eq23"])

# --- Proposition 2 / Eq. (8), its proof (75)-(81), Theorem 1 ----------------------------------------------------------
def lyapunov_simulate(point, n_paths, rng):
    T = 200
    logs = runs(point["lambda"], point["a"], T, n_paths, rng)[T]
    return Sample((logs / T)[:, None], ["ln|w_T/w_0| / T"])


eq77 = Claim(
    id="ziyin.eq77", source=src("Eqs. (75)-(77), App. D.1"), title="mu = E ln|1 - lambda x| = 1/2 ln|(1-lambda)(1-lambda(a-1))|",
    statement=sp.Eq(sp.Symbol("mu"), mu), regime=SGD_REGIME, symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4)",
    observable="the Lyapunov exponent ln|w_T/w_0|/T",
    checks=[SymbolicEquality("(76) equals (77)", (sp.log(sp.Abs(1 - lam)) + sp.log(sp.Abs(1 - lam * (a - 1)))) / 2,
                             lambda c: c.formula),
            MonteCarloMean("SGD runs: ln|w_T/w_0|/T at T = 200", lyapunov_simulate, lambda p, f: [f(**p)],
                           n_points=3, n_paths=20_000)])

lam_in = sp.Symbol("u", positive=True)            # position inside the interval, 0 < u < 1
inside8 = lower8 + lam_in * (upper8 - lower8)
prop2 = Claim(
    id="ziyin.prop2", source=src("Proposition 2, Eq. (8), Eqs. (78)-(81)"),
    title="SGD converges to the local maximum in probability if a/(a-1) <= lambda <= (a - sqrt(a^2-8a+8))/(2(a-1))",
    statement=sp.Eq(sp.Symbol(r"\lambda_{\pm}"), sp.Tuple(lower8, upper8)),
    regime=Regime((P_a, Param(lam_in, 0.02, 0.98, doc="position inside the interval")), (), "a < 0, w_0 != 0"),
    symbols={**SYMBOLS, "u": "position inside the interval (0 < u < 1)"}, dynamics="SGD (2) on Eq. (4)",
    observable="sign of mu and convergence in probability",
    notes=["Converges in probability to w = 0 exactly when mu < 0 (Lemma 1): the checks confirm that the ends of "
           "(8) are the zeros of mu for lambda < 1 and lambda > 1, that mu < 0 strictly inside, and, by "
           "simulation, that ln|w_t| decreases at the rate mu inside. At the ends mu = 0 and w_t does not "
           "converge (ln|w_t/w_0| is a centred random walk): (8) holds with strict inequalities.",
           "The interval is non-empty only for lambda < sqrt(2) (its upper end rises to sqrt(2) as a -> 0-); "
           "Theorem 1's 'any lambda' needs the loss rescaled (ziyin.thm1)."],
    checks=[SymbolicEquality("the lower end solves (1-lambda)(1-lambda(a-1)) = 1 (lambda < 1)",
                             ((1 - lam) * (1 - lam * (a - 1))).subs(lam, lower8), sp.S.One),
            SymbolicEquality("the upper end solves -(1-lambda)(1-lambda(a-1)) = 1 (lambda > 1)",
                             (-(1 - lam) * (1 - lam * (a - 1))).subs(lam, upper8), sp.S.One),
            SymbolicEquality("mu < 0 inside the interval (sign)", sp.sign(mu.subs(lam, inside8)), -sp.S.One),
            SymbolicEquality("the upper end tends to sqrt(2) as a -> 0-", sp.limit(upper8, a, 0, "-"), sp.sqrt(2)),
            MonteCarloMean("SGD runs inside the interval: ln|w_T/w_0|/T at T = 200 against mu (< 0)",
                           lambda p, n, rng: lyapunov_simulate({"lambda": float(inside8.subs({a: p["a"], lam_in: p["u"]})),
                                                                "a": p["a"]}, n, rng),
                           lambda p, f: [f(**p)], formula=mu.subs(lam, inside8), n_points=3, n_paths=20_000)],
    uses=["ziyin.eq77", "ziyin.eq23"])

c_scale = sp.Symbol("c", positive=True)
thm1 = Claim(
    id="ziyin.thm1", source=src("Theorem 1"),
    title="For any learning rate, some loss makes SGD converge to a local maximum in probability",
    statement=sp.Eq(sp.Symbol(r"\mu(\lambda / c, a = -1)"), mu.subs({lam: sp.Rational(4, 5), a: -1})),
    regime=Regime((Param(lam, 0.01, 100.0, log=True),), (), "any fixed lambda > 0"),
    symbols=SYMBOLS, dynamics="SGD (2) on the rescaled loss x w^2/(2c) with c = lambda/0.8",
    observable="mu of the construction",
    notes=["Proposition 2's interval covers only lambda < sqrt(2). For any lambda, the loss x w^2/(2c) with "
           "c = lambda/0.8 has effective learning rate 0.8, inside (8) for a = -1, where mu = ln(0.52)/2 < 0. "
           "The checks confirm that construction."],
    checks=[SymbolicEquality("mu at effective rate lambda/c = 0.8, a = -1 is ln(0.52)/2 < 0",
                             mu.subs({lam: lam / (lam / sp.Rational(4, 5)), a: -1}), sp.log(sp.Rational(13, 25)) / 2),
            SymbolicEquality("0.8 lies inside (8) for a = -1", sp.Matrix([sp.sign(sp.Rational(4, 5) - lower8.subs(a, -1)),
                                                                     sp.sign(upper8.subs(a, -1) - sp.Rational(4, 5))]),
                             sp.Matrix([1, 1]))],
    uses=["ziyin.prop2"])

# --- Sec. 5.2: Definition 2 / Eq. (9), Proposition 3, Theorem 2 -----------------------------------------------------
def escape_rate_simulate(point, n_paths, rng):
    """Eq. (9)'s finite-time estimator: (1/tau) sum_i ln|w_i/w_(i-1)| over the first 50 steps, per run."""
    tau = 50
    logs = runs(point["lambda"], point["a"], tau, n_paths, rng)[tau]
    return Sample((logs / tau)[:, None], ["gamma-hat (50 steps)"])


EST_REGIME = Regime((Param(lam, 0.05, 0.98), P_a), (NOT_ONE,), "lambda < 1 (Theorem 2's assumption)")
eq9 = Claim(
    id="ziyin.eq9", source=src("Definition 2 and Eq. (9)"),
    title="Escape rate gamma = lim E ln|w_t|/t, estimated by (1/tau) sum_i E ln|w_i/w_(i-1)|",
    statement=sp.Eq(sp.Symbol("gamma"), mu), regime=EST_REGIME, symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4)",
    observable="the finite-time estimator of Eq. (9) with tau = 50 (as in Sec. 6.2)",
    notes=["For i.i.d. multiplicative noise the estimator is unbiased at every tau: E ln|w_i/w_(i-1)| = mu for "
           "each i. The statement is the escape rate of this model, gamma = mu."],
    checks=[SymbolicEquality("E ln|w_i/w_(i-1)| = E ln|1 - lambda x| (one step)", mu, lambda c: c.formula),
            MonteCarloMean("2000 runs x 50 steps: mean of the estimator", escape_rate_simulate, lambda p, f: [f(**p)],
                           n_points=3, n_paths=2_000)],
    uses=["ziyin.eq77"])

mu_lt1 = sp.log((1 - lam) * (1 - lam * (a - 1))) / 2          # (82), lambda < 1
prop3 = Claim(
    id="ziyin.prop3", source=src("Proposition 3, Eqs. (82)-(84)"),
    title="gamma* = ln((2-a)/(2 sqrt(1-a))) at lambda* = a/(2(a-1))",
    statement=sp.Eq(sp.Symbol(r"\gamma^{*}"), gamma_star), regime=Regime((P_a,), (), "lambda <= 1"),
    symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4)", observable="the best escape rate over lambda <= 1",
    notes=["The proof calls mu convex in lambda; it is concave (its second derivative is negative), which is what "
           "makes lambda* the maximum."],
    checks=[SymbolicEquality("d mu/d lambda = 0 at lambda* (83)", sp.diff(mu_lt1, lam).subs(lam, lam_star), sp.S.Zero),
            SymbolicEquality("d^2 mu/d lambda^2 < 0 at lambda* (a maximum)", sp.sign(sp.diff(mu_lt1, lam, 2).subs(lam, lam_star)),
                             -sp.S.One),
            SymbolicEquality("mu(lambda*) equals (84)", mu_lt1.subs(lam, lam_star), lambda c: c.formula),
            MonteCarloMean("2000 runs x 50 steps at lambda*: the escape-rate estimator",
                           lambda p, n, rng: escape_rate_simulate({"lambda": float(lam_star.subs(a, p["a"])), "a": p["a"]}, n, rng),
                           lambda p, f: [f(**p)], n_points=3, n_paths=2_000)],
    uses=["ziyin.eq9"])

eq85 = Claim(
    id="ziyin.eq85", source=src("Proposition 3, Eq. (85)"),
    title="gamma* < epsilon if |a| <= 2|-e^eps sqrt(e^(2 eps) - 1) - e^(2 eps) + 1|",
    statement=sp.Eq(sp.Symbol(r"|a|_{\max}"), bound85), regime=Regime((Param(eps, 1e-3, 2.0, log=True),), (),
                                                                       "any epsilon > 0"),
    symbols=SYMBOLS, dynamics="Proposition 3", observable="the largest |a| with gamma* <= epsilon",
    notes=["gamma* increases with |a|, so the bound is the |a| where gamma* = epsilon; at equality gamma* = "
           "epsilon, so '<' needs |a| strictly below the bound."],
    checks=[SymbolicEquality("gamma*(a = -bound) = epsilon", gamma_star.subs(a, -bound85), eps),
            SymbolicEquality("gamma* increases with |a| (d gamma*/d|a| > 0)",
                             sp.sign(-sp.diff(gamma_star, a).subs(a, -bound85)), sp.S.One)],
    uses=["ziyin.prop3"])

thm2 = Claim(
    id="ziyin.thm2", source=src("Theorem 2"), title="For any epsilon > 0 some loss has sup_lambda gamma(lambda) < epsilon",
    statement=sp.Eq(sp.Symbol(r"\gamma^{*}(a = -\mathrm{bound}/2) < \epsilon"), sp.S.true),
    regime=Regime((Param(eps, 1e-3, 2.0, log=True),), (), "lambda <= 1"), symbols=SYMBOLS,
    dynamics="Proposition 3's construction", observable="gamma*",
    checks=[SymbolicEquality("with a = -bound/2, gamma* < epsilon (sign of epsilon - gamma*)",
                             sp.sign(eps - gamma_star.subs(a, -bound85 / 2)), sp.S.One)],
    uses=["ziyin.prop3", "ziyin.eq85"])


# --- Figures 1 and 2 ----------------------------------------------------------------------------------------------------
FIG1_LAM, FIG1_A, FIG1_RUNS, FIG1_BALL = 0.8, -1.0, 2000, 1e-3


def fig1_exact_inside(T: int) -> float:
    """P(|w_T| < 1e-3) with w_0 ~ U[-1, 1], exactly: average the binomial law of ln|w_T/w_0| over ln|w_0|."""
    values, probs = exact_log_growth_distribution(FIG1_LAM, FIG1_A, T)
    # |w_T| < eps  <=>  ln|w_0| < ln eps - v;  P(ln|w_0| < y) = min(1, e^y) for |w_0| ~ U[0, 1]
    return float(np.sum(probs * np.minimum(1.0, np.exp(np.log(FIG1_BALL) - values))))


def fig1_simulate(point, n_paths, rng):
    T = int(point["t"])
    w0s = rng.uniform(-1, 1, n_paths)
    logs = log_abs_w(FIG1_LAM, FIG1_A, T, n_paths, rng, log_w0=np.log(np.abs(w0s)))[T]
    return Sample((logs < np.log(FIG1_BALL))[:, None].astype(float), ["P(|w_t| < 1e-3)"],
                  info={"exact": [fig1_exact_inside(T)]})


def fig1_build(point, rng):
    steps = [1, 2, 5, 10, 20, 50, 100, 200, 400]
    frac, se, ex = [], [], []
    w0s = rng.uniform(-1, 1, FIG1_RUNS)
    logs = log_abs_w(FIG1_LAM, FIG1_A, steps[-1], FIG1_RUNS, rng, record=tuple(steps), log_w0=np.log(np.abs(w0s)))
    for s_ in steps:
        inside = (logs[s_] < np.log(FIG1_BALL)).astype(float)
        frac.append(inside.mean())
        se.append(inside.std(ddof=1) / math.sqrt(FIG1_RUNS))
        ex.append(fig1_exact_inside(s_))
    return ({"t": steps, "exact P(|w_t| < 1e-3)": ex, "2000 SGD runs": frac, "2000 SGD runs_se": se},
            {"exact P(|w_t| < 1e-3)": "exact", "2000 SGD runs": "simulated"})


fig1 = Claim(
    id="ziyin.fig1", source=src("Figure 1 (left), Sec. 6.1"),
    title="lambda = 0.8, a = -1: the distribution of w converges to the local maximum w = 0",
    statement=sp.Eq(sp.Symbol(r"\lim_t P(|w_t| < \epsilon)"), 1),
    regime=Regime((Param(t, 50, 50),), (), "lambda = 0.8, a = -1, w_0 ~ U[-1, 1], 2000 runs"),
    symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4)", observable="fraction of runs within 1e-3 of w = 0",
    notes=["The paper shows histograms; the check follows the fraction of runs inside |w| < 1e-3 over time, "
           "exactly (binomial law averaged over w_0) and by 2000 runs, as in the paper (plot table)."],
    checks=[ExactComparison("exact P(|w_t| < 1e-3) at t = 400 equals 1 to 1e-3", lambda p: [fig1_exact_inside(400)],
                            lambda p, f: [f(**p)], n_points=1, rtol=1e-3),
            MonteCarloMean("2000 runs at t = 50 against the exact fraction", fig1_simulate,
                           lambda p, f: [fig1_exact_inside(int(p["t"])) * float(f(**p))], n_points=1, n_paths=2000,
                           perturbations=(("x0.5", lambda e: e / 2), ("sign flipped", lambda e: -e)),
                           fixed_setting=True)],
    uses=["ziyin.prop2"])
fig1.curves = [Curve("Figure 1: fraction of runs within 1e-3 of the local maximum", "t",
                     {"lambda": FIG1_LAM, "a": FIG1_A}, fig1_build, ylabel="P(|w_t| < 1e-3)", log=False)]


class BoundaryAtHalf(Check):
    """Figure 2 (left): on the printed phase boundary lambda_b(a), the escape fraction P(|w_T| > |w_0|) at odd T
    must be 1/2 (there mu = 0 and ln|w_T/w_0| is a centred lattice walk). Simulated runs at lambda_b(a) are
    z-tested against 1/2; the self-test moves the boundary by +-5% and must be rejected. The evidence also
    locates the empirical boundary from a grid of learning rates (linear interpolation of the fraction
    through 1/2, with its standard error)."""

    kind = "montecarlo"
    fixed_setting = True

    def __init__(self, name: str, which: str, a_values=(-0.5, -1.0, -2.0, -4.0), T: int = 101, n_paths: int = 4000):
        self.name, self.which, self.a_values, self.T, self.n_paths = name, which, a_values, T, n_paths

    def _fraction(self, lam_v, a_v, rng):
        logs = runs(lam_v, a_v, self.T, self.n_paths, rng)[self.T]
        p = float((logs > 0).mean())
        return p, math.sqrt(max(p * (1 - p), 1e-12) / self.n_paths)

    def _run(self, claim, ctx: RunContext, index: int) -> CheckResult:
        rng = np.random.default_rng(ctx.seed_sequence(claim.id, index))
        edge = lower8 if self.which == "lower" else upper8
        rows, worst, self_test = [], None, {"x0.95": [], "x1.05": []}
        for a_v in self.a_values:
            lb = float(edge.subs(a, a_v))
            p, se = self._fraction(lb, a_v, rng)
            z = (p - 0.5) / se
            ctx.counter.add(1)
            grid = np.linspace(lb * 0.9, lb * 1.1, 9)
            fr = [self._fraction(g, a_v, rng) for g in grid]
            emp = _crossing(grid, fr)
            row = {"a": a_v, "lambda_boundary_printed": lb, "fraction_at_boundary": p, "se": se, "z": z,
                   "exact_fraction_at_boundary": exact_escape_fraction(lb, a_v, self.T),
                   "empirical_boundary": emp[0], "empirical_boundary_se": emp[1]}
            rows.append(row)
            if abs(z) > Z_CRIT and (worst is None or abs(z) > abs(worst["z"])):
                worst = row
            for label, factor in (("x0.95", 0.95), ("x1.05", 1.05)):
                q, qse = self._fraction(lb * factor, a_v, rng)
                self_test[label].append(abs(q - 0.5) / qse)
        details = {"rows": rows, "T": self.T, "n_paths": self.n_paths, "seed": ctx.seed_record(claim.id, index),
                   "self_test": [{"perturbation": k, "max_abs_z": max(v), "rejected": max(v) > Z_CRIT}
                                 for k, v in self_test.items()]}
        method = f"z-test of the escape fraction against 1/2 on the printed boundary, T = {self.T}, |z| <= {Z_CRIT:.2f}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, worst)
        if not all(s["rejected"] for s in details["self_test"]):
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="self-test failed: a boundary moved by 5% was not rejected")
        return CheckResult(self.kind, self.name, PASS, method, details)


def _crossing(grid, fractions) -> tuple[float | None, float | None]:
    """Where the fraction crosses 1/2 (linear interpolation between the bracketing grid points)."""
    for i in range(len(grid) - 1):
        (p0, s0), (p1, s1) = fractions[i], fractions[i + 1]
        if (p0 - 0.5) * (p1 - 0.5) <= 0 and p0 != p1:
            x = grid[i] + (0.5 - p0) * (grid[i + 1] - grid[i]) / (p1 - p0)
            slope = (p1 - p0) / (grid[i + 1] - grid[i])
            return float(x), float(math.hypot(s0, s1) / 2 / abs(slope))
    return None, None


fig2_left = Claim(
    id="ziyin.fig2.left", source=src("Figure 2 (left), Sec. 6.1"),
    title="The empirical phase boundary of the escape fraction is the curve of Eq. (8)",
    statement=sp.Eq(sp.Symbol(r"\lambda_{\pm}(a)"), sp.Tuple(lower8, upper8)),
    regime=Regime((P_a,), (), "a < 0, T = 101 steps"), symbols=SYMBOLS, dynamics="SGD (2) on Eq. (4)",
    observable="escape fraction P(|w_T| > |w_0|) at the printed boundary",
    notes=["The paper's escape criterion ('escapes the two central bins') and its binning are not printed; the "
           "check uses P(|w_T| > |w_0|) at odd T = 101, whose 1/2 level is exactly the curve mu = 0."],
    checks=[BoundaryAtHalf("lower branch a/(a-1): escape fraction 1/2", "lower"),
            BoundaryAtHalf("upper branch: escape fraction 1/2", "upper")],
    uses=["ziyin.prop2"])


def fig2_right_build(point, rng):
    lams = np.round(np.linspace(0.05, 0.95, 19), 3)
    cols, kinds = {"lambda": lams.tolist()}, {}
    for a_v in (-0.25, -1.0, -4.0):
        est, se = [], []
        for l_ in lams:
            s_ = escape_rate_simulate({"lambda": float(l_), "a": a_v}, 2000, rng).values[:, 0]
            est.append(s_.mean())
            se.append(s_.std(ddof=1) / math.sqrt(s_.size))
        name = f"a = {a_v:g}"
        cols[f"(82), {name}"] = [float(mu_lt1.subs({lam: float(l_), a: a_v})) for l_ in lams]
        cols[f"simulated, {name}"] = est
        cols[f"simulated, {name}_se"] = se
        kinds[f"(82), {name}"] = "formula"
        kinds[f"simulated, {name}"] = "simulated"
    return cols, kinds


eq9.curves = [Curve("Figure 2 (right): escape rate against the learning rate", "lambda", {"tau": 50, "runs": 2000},
                    fig2_right_build, "Estimator (9) over the first 50 steps of 2000 runs, as in Sec. 6.2.",
                    ylabel="escape rate gamma", log=False)]

CLAIMS = [prop1, eq6, eq6_step, eq7, eq23, eq20, eq72, eq77, prop2, thm1, eq9, prop3, eq85, thm2, fig1, fig2_left]
