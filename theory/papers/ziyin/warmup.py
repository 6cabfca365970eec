"""`ziyin`, Sec. 4 (the warm-up): Proposition 1 and its proof (5), the moments (6) and (7) and the sentences
around them, for SGD with lambda = 1 on L = x w^2/2, x = 1 or x = a - 1 with probability 1/2 each.

The dynamics have an exact law (w_t = (2 - a)^t w_0 if no draw was x = 1, else 0): checks compare the statements
with it, with simulated runs and, for proof steps, with the algebra.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from theory import Claim, Param, Regime, Sampling, claim

from .experiment_checks import BinomialTest, ByReading, ExactLimit
from .models import SYMBOLS, a, sgd_w_unit_rate, t, two_point, unit_rate_law, unit_rate_moment, w0, x

# --- the printed expressions (each typed once) ---------------------------------------------------------------
E_X, E_W, E_W_PREV, E_W2 = sp.symbols("E[x] E[w_t] E[w_{t-1}] E[w_t^2]")
P_ZERO, P_NONZERO, P_GROWN = sp.symbols(r"P(w_t=0) P(w_t\neq0) P(w_t=(2-a)^tw_0)")
STEP5 = sp.Matrix([0, (2 - a) * sp.Symbol("w_t", real=True)])          # (5): x = 1, x = a - 1
NONZERO = 2 ** -t                                                     # proof of Prop. 1
EW_FACTOR = 1 - a / 2                                                 # (6)
EW6 = EW_FACTOR ** t * w0
EW6_EXP = w0 * sp.exp(sp.log(1 - a / 2) * t)
EW2_FIRST = 2 ** -t * (2 - a) ** (2 * t) * w0 ** 2                     # (7), first form
EW2_LAST = w0 ** 2 * sp.exp(2 * t * sp.log((2 - a) / 2))                # (7), last form
GD_RATE = sp.log(1 - a)                                               # "ln(1 - a) is ... GD's time scale"


def exact_moment(power: int) -> sp.Expr:
    """E[w_t^power] of the model: the steps are independent, so it is E[(1 - x)^power]^t w_0^power (lambda = 1)."""
    return two_point((1 - x) ** power) ** t * w0 ** power


# --- regimes ----------------------------------------------------------------------------------------------------
P_a = Param(a, -4.0, -0.1, doc="a < 0")
P_w0 = Param(w0, -2.0, 2.0, doc="initial parameter")
AWAY = Sampling(sp.Abs(w0) >= sp.Rational(1, 10), "|w_0| >= 0.1 (w_0 != 0 is assumed)")
W_REGIME = Regime((P_a, Param(t, 1, 6, doc="time step"), P_w0), (AWAY,), "lambda = 1, Prop. 1's p(x)")
A_REGIME = Regime((P_a,), (), "Prop. 1's p(x)")
LIMIT_REGIME = Regime((P_a, P_w0), (AWAY,), "lambda = 1, Prop. 1's p(x), any w_0 != 0")
DYN = "SGD (2) with lambda = 1 on Eq. (4), x = 1 or a - 1 with probability 1/2 each"


# --- simulations ---------------------------------------------------------------------------------------------------
def moment_runs(power: int):
    def simulate(point, n_paths, rng):
        w = sgd_w_unit_rate(point["a"], int(point["t"]), n_paths, rng, point["w_0"])
        return Sample((w ** power)[:, None], [f"w_t^{power}"])
    return simulate


def moment_exact(power: int):
    return lambda p: [unit_rate_moment(p["a"], int(p["t"]), p["w_0"], power)]


def zero_runs(point, n_paths, rng):
    w = sgd_w_unit_rate(point["a"], int(point["t"]), n_paths, rng, point.get("w_0", 1.0))
    return Sample(np.column_stack([w == 0, w != 0]).astype(float), ["w_t = 0", "w_t != 0"])


def moment_checks(power: int, n_paths: int) -> list:
    return [ExactComparison(f"exact law of w_t: E[w_t^{power}]", moment_exact(power), lambda p, f: [f(**p)]),
            MonteCarloMean(f"SGD runs: mean of w_t^{power}", moment_runs(power), lambda p, f: [f(**p)], n_points=3,
                           n_paths=n_paths)]


# --- the convention of Sec. 4 -----------------------------------------------------------------------------------
def _mean_claim(value) -> Claim:
    return Claim(
        statement=sp.Eq(E_X, value), regime=A_REGIME, symbols=SYMBOLS, about="algebra",
        dynamics="the data distribution p(x) of Prop. 1", observable="E[x]",
        checks=[SymbolicEquality("E[x] over Prop. 1's p(x)", two_point(x), lambda c: c.formula),
                MonteCarloMean("draws of x from Prop. 1's p(x)",
                               lambda p, n, rng: Sample(np.where(rng.random(n) < 0.5, 1.0, p["a"] - 1.0)[:, None],
                                                        ["x"]), lambda p, f: [f(**p)], n_points=3, n_paths=20_000)])


@claim("ziyin.sec4.mean", "Sec. 4 and Proposition 1", "Sec. 4 lets E[x] = a; Prop. 1's p(x) is meant to follow it")
def sec4_mean():
    return _mean_claim(a)


@claim("ziyin.sec4.mean.corrected", "Proposition 1, corrected", "Prop. 1's p(x) has E[x] = a/2",
       corrects="ziyin.sec4.mean")
def sec4_mean_corrected():
    return _mean_claim(a / 2)


# --- Proposition 1 and its proof -------------------------------------------------------------------------------
@claim("ziyin.eq5", "Eq. (5), proof of Proposition 1", "lambda = 1: w_(t+1) = 0 (x = 1) or (2 - a) w_t (x = a - 1)")
def eq5():
    w_t = sp.Symbol("w_t", real=True)
    step = sp.Matrix([w_t - 1 * (xv * w_t) for xv in (1, a - 1)])          # (2) with the gradient x w of (4)
    return Claim(
        statement=sp.Eq(sp.Matrix(sp.symbols("w_{t+1}|x=1 w_{t+1}|x=a-1")), STEP5),
        regime=Regime((P_a, Param(w_t, -2.0, 2.0)), (), "lambda = 1"), symbols=SYMBOLS, dynamics=DYN,
        observable="w_(t+1) for each value of x",
        checks=[SymbolicEquality("one step of (2) on (4) for x = 1 and x = a - 1", step, lambda c: c.formula),
                ExactComparison("one SGD step computed numerically",
                                lambda p: [p["w_t"] - (xv * p["w_t"]) for xv in (1.0, p["a"] - 1.0)],
                                lambda p, f: np.ravel(f(**p)))])


@claim("ziyin.prop1.step", "Proposition 1, proof", "After t steps w_t is non-zero with probability 2^-t",
       uses=["ziyin.eq5"])
def prop1_step():
    return Claim(
        statement=sp.Eq(P_NONZERO, NONZERO), regime=Regime((P_a, Param(t, 1, 8)), (), "lambda = 1"),
        symbols=SYMBOLS, dynamics=DYN, observable="P(w_t != 0)",
        notes=["The proof says 'at most 2^-t'; the value is exactly 2^-t, encoded as the equality (which implies "
               "the printed bound and is what the proof derives from (5))."],
        checks=[ExactComparison("exact law: P(no draw of x = 1 in t steps)",
                                lambda p: [unit_rate_law(p["a"], int(p["t"]))[1]], lambda p, f: [f(**p)]),
                BinomialTest("SGD runs: fraction with w_t != 0",
                             lambda p, n, rng: Sample(zero_runs(p, n, rng).values[:, 1:], ["w_t != 0"]),
                             lambda c, e, p: [float(e.subs(t, int(p["t"])))], n_points=3, n_paths=20_000)])


def _horizon_unit(n_paths: int) -> int:
    """The smallest T with n_paths x 2^-T <= ALPHA / 10: at that horizon a probability-1 claim allows 0 misses."""
    from checks.stats import ALPHA

    return int(np.ceil(np.log2(10 * n_paths / ALPHA)))


PROP1_PATHS = 100_000


@claim("ziyin.prop1", "Proposition 1", "lambda = 1: w converges to 0 with probability 1, from any w_0",
       uses=["ziyin.prop1.step"])
def prop1():
    T = _horizon_unit(PROP1_PATHS)
    return Claim(
        statement=sp.Eq(sp.Limit(P_ZERO, t, sp.oo), 1), regime=LIMIT_REGIME, symbols=SYMBOLS, dynamics=DYN,
        observable="P(w_t = 0) as t -> oo",
        notes=["w = 0 is absorbing, so convergence with probability 1 is lim P(w_t = 0) = 1.",
               f"The simulated horizon T = {T} makes the finite-time miss probability 2^-T (Eq. (5)) at most "
               f"ALPHA/10 over {PROP1_PATHS} runs, so the binomial test allows 0 runs with w_T != 0."],
        checks=[ExactLimit("exact law: P(w_t = 0) -> the statement's limit",
                           lambda c, e, rng: [{"point": p, "ladder": [4, 8, 16, 32, 64],
                                               "exact": lambda T, p=p: unit_rate_law(p["a"], T)[0],
                                               "claimed": lambda T, e=e: float(e)}
                                              for p in c.regime.sample(rng, 3)]),
                BinomialTest(f"{PROP1_PATHS} SGD runs from the drawn w_0: fraction with w_T = 0 at T = {T}",
                             lambda p, n, rng: Sample(zero_runs({**p, "t": T}, n, rng).values[:, :1], ["w_T = 0"]),
                             lambda c, e, p: [float(e)], tolerance=lambda p: 2.0 ** -T, n_points=2,
                             n_paths=PROP1_PATHS)])


# --- Eq. (6): the mean escapes -----------------------------------------------------------------------------------
@claim("ziyin.eq6", "Eq. (6)", "E[w_t] = (1 - a/2)^t w_0", uses=["ziyin.eq5"])
def eq6():
    return Claim(
        statement=sp.Eq(E_W, EW6), regime=W_REGIME, symbols=SYMBOLS, dynamics=DYN, observable="E[w_t]",
        checks=[SymbolicEquality("the exact law: E[w_t] = E[1 - x]^t w_0", exact_moment(1), lambda c: c.formula,
                                 evidence="model")] + moment_checks(1, 200_000))


def _step_claim(factor) -> Claim:
    prev = exact_moment(1).subs(t, t - 1)
    formula = (lambda c: c.formula.subs({E_W_PREV: prev, E_W: exact_moment(1)}))
    return Claim(
        statement=sp.Eq(E_W, factor * E_W_PREV), regime=W_REGIME, symbols=SYMBOLS, dynamics=DYN,
        observable="E[w_t] given E[w_(t-1)] of the exact law",
        checks=[ExactComparison("exact law: E[w_t] against the statement with the exact E[w_(t-1)]", moment_exact(1),
                                lambda p, f: [f(**p)], formula=formula),
                MonteCarloMean("SGD runs: mean of w_t against the statement with the exact E[w_(t-1)]",
                               moment_runs(1), lambda p, f: [f(**p)], formula=formula, n_points=3, n_paths=200_000)])


@claim("ziyin.eq6.step", "Eq. (6), middle step", "E[w_t] = a E[w_(t-1)]", uses=["ziyin.eq5"])
def eq6_step():
    return _step_claim(a)


@claim("ziyin.eq6.step.corrected", "Eq. (6), middle step, corrected", "E[w_t] = (1 - a/2) E[w_(t-1)]",
       corrects="ziyin.eq6.step")
def eq6_step_corrected():
    return _step_claim(EW_FACTOR)


@claim("ziyin.eq6.exp", "Eq. (6), last form", "(1 - a/2)^t w_0 = w_0 exp(t ln(1 - a/2))", about="algebra")
def eq6_exp():
    return Claim(statement=sp.Eq(EW6, EW6_EXP), regime=W_REGIME, symbols=SYMBOLS, dynamics="-",
                 observable="a rewriting", checks=[SymbolicEquality("the two forms", lambda c: c.lhs, lambda c: c.rhs)])


# --- "ln(1 - a) is exactly the escape time scale of the GD algorithm" -------------------------------------------------
def gd_check(mean_of_x, label: str) -> ExactLimit:
    """GD with lambda = 1 on E[L] = E[x] w^2/2, iterated numerically: its rate ln|w_t/w_0|/t against the statement."""
    def gd_rate(a_value: float, T: int) -> float:
        m, w = float(mean_of_x.subs(a, a_value)), 1.0
        for _ in range(T):
            w = w - m * w
        return float(np.log(abs(w)) / T)

    def cases(c, e, rng):
        f = c.numeric(e)
        return [{"point": p, "ladder": [5, 10, 20], "exact": lambda T, p=p: gd_rate(p["a"], T),
                 "claimed": lambda T, p=p: f(**p)} for p in c.regime.sample(rng, 6)]
    return ExactLimit(f"GD with lambda = 1 on {label}: ln|w_t/w_0|/t", cases, atol=1e-9)


GD_EXAMPLE = gd_check(two_point(x), "the expected loss of Prop. 1's p(x) (E[x] = a/2)")
GD_GENERAL = gd_check(a, "L = a w^2/2 (Sec. 4's convention E[x] = a)")


def _gd_claim(checks, rate=GD_RATE) -> Claim:
    return Claim(statement=sp.Eq(sp.Symbol(r"\gamma_{GD}"), rate), regime=A_REGIME, symbols=SYMBOLS,
                 dynamics="GD with lambda = 1 on the expected loss", observable="escape rate of GD", checks=checks)


@claim("ziyin.eq6.gd", "Sec. 4, after Eq. (6)", "ln(1 - a) is exactly the escape time scale of GD")
def eq6_gd():
    return _gd_claim([ByReading("GD's escape rate under each reading of E[x]",
                                {"Prop. 1's p(x)": GD_EXAMPLE, "E[x] = a": GD_GENERAL})])


@claim("ziyin.eq6.gd.example", "Sec. 4, after Eq. (6)", "GD's escape rate on the example's mean loss is ln(1 - a)",
       reading_of="ziyin.eq6.gd", proof_reading=True,
       reading="GD on the mean loss of the example just computed (Prop. 1's p(x), E[x] = a/2), whose mean E[w_t] "
               "(6) it is compared with")
def eq6_gd_example():
    return _gd_claim([GD_EXAMPLE])


@claim("ziyin.eq6.gd.example.corrected", "Sec. 4, after Eq. (6), corrected",
       "GD's escape rate on the example's mean loss is ln(1 - a/2), the rate of E[w_t] in (6)",
       corrects="ziyin.eq6.gd.example")
def eq6_gd_example_corrected():
    return _gd_claim([GD_EXAMPLE], sp.log(EW_FACTOR))


@claim("ziyin.eq6.gd.general", "Sec. 4, after Eq. (6)", "GD's escape rate on L = a w^2/2 is ln(1 - a)",
       reading_of="ziyin.eq6.gd", reading="GD on a loss with E[x] = a, the convention stated at the start of Sec. 4")
def eq6_gd_general():
    return _gd_claim([GD_GENERAL])


# --- Eq. (7) and the sentence before it ------------------------------------------------------------------------
def _prob_claim(p_zero) -> Claim:
    return Claim(
        statement=sp.Eq(sp.Matrix([P_ZERO, P_GROWN]), sp.Matrix([p_zero, NONZERO])),
        regime=Regime((P_a, Param(t, 1, 8)), (), "lambda = 1"), symbols=SYMBOLS, dynamics=DYN,
        observable="P(w_t = 0) and P(w_t = (2 - a)^t w_0)",
        checks=[ExactComparison("exact law of w_t", lambda p: list(unit_rate_law(p["a"], int(p["t"]))),
                                lambda p, f: np.ravel(f(**p))),
                BinomialTest("SGD runs: fractions with w_t = 0 and w_t != 0", zero_runs,
                             lambda c, e, p: np.ravel(c.numeric(e)(**p)).astype(float), n_points=3,
                             n_paths=20_000)])


@claim("ziyin.eq7.prob", "Sec. 4, before Eq. (7)", "w_t = 0 with probability 1/(1 - 2^-t), (2 - a)^t w_0 with 2^-t",
       uses=["ziyin.prop1.step"])
def eq7_prob():
    return _prob_claim(1 / (1 - NONZERO))


@claim("ziyin.eq7.prob.corrected", "Sec. 4, before Eq. (7), corrected",
       "w_t = 0 with probability 1 - 2^-t, (2 - a)^t w_0 with 2^-t", corrects="ziyin.eq7.prob")
def eq7_prob_corrected():
    return _prob_claim(1 - NONZERO)


def _w2_claim(rhs) -> Claim:
    return Claim(statement=sp.Eq(E_W2, rhs), regime=W_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="E[w_t^2]",
                 checks=[SymbolicEquality("the exact law: E[w_t^2] = E[(1 - x)^2]^t w_0^2", exact_moment(2),
                                          lambda c: c.formula, evidence="model")] + moment_checks(2, 400_000))


@claim("ziyin.eq7.first", "Eq. (7), first form", "E[w_t^2] = 2^-t (2 - a)^(2t) w_0^2", uses=["ziyin.eq7.prob"])
def eq7_first():
    return _w2_claim(EW2_FIRST)


@claim("ziyin.eq7", "Eq. (7)", "E[w_t^2] = w_0^2 exp(2t ln((2 - a)/2))", uses=["ziyin.eq7.first"])
def eq7():
    return _w2_claim(EW2_LAST)


@claim("ziyin.eq7.corrected", "Eq. (7), corrected", "E[w_t^2] = w_0^2 exp(2t ln((2 - a)/sqrt 2))",
       corrects="ziyin.eq7")
def eq7_corrected():
    return _w2_claim(w0 ** 2 * sp.exp(2 * t * sp.log((2 - a) / sp.sqrt(2))))


# --- "the local minimum" for w = 0 -----------------------------------------------------------------------------------
W = sp.Symbol("w", real=True)
CURVATURE = sp.Symbol(r"\mathrm{sign}\, L''(0)")


def gd_curvature_sign(p) -> list:
    """The curvature's sign as gradient descent (lambda = 0.1) on the mean loss sees it: |w| grows at a maximum."""
    m, w = float(two_point(x).subs(a, p["a"])), 1e-3
    for _ in range(10):
        w = w - 0.1 * m * w
    return [-float(np.sign(np.log(abs(w) / 1e-3)))]


def _curvature_claim(sign) -> Claim:
    return Claim(statement=sp.Eq(CURVATURE, sign), regime=A_REGIME, symbols=SYMBOLS, about="text",
                 dynamics="the mean loss E[x] w^2/2 of Prop. 1's p(x)", observable="the kind of stationary point w = 0",
                 notes=["The words: after (7) 'probability for SGD to escape the local minimum', before Prop. 2 'SGD "
                        "cannot escape the local minimum', after (81) 'SGD cannot escape the local minimum'; Sec. 4 "
                        "itself says that for a < 0 the point w = 0 is a local maximum."],
                 checks=[SymbolicEquality("sign of the second derivative of the mean loss at w = 0",
                                          sp.sign(sp.diff(two_point(x * W ** 2 / 2), W, 2)), lambda c: c.formula),
                         ExactComparison("gradient descent on the mean loss near w = 0", gd_curvature_sign,
                                         lambda p, f: [f(**p)])])


@claim("ziyin.sec4.minimum", "Sec. 4 after (7); Sec. 5.1 before Prop. 2; App. D.1 after (81)",
       "The point w = 0 that SGD cannot escape is called the local minimum")
def sec4_minimum():
    return _curvature_claim(sp.S.One)


@claim("ziyin.sec4.minimum.corrected", "Sec. 4, Sec. 5.1, App. D.1, corrected", "w = 0 is the local maximum",
       corrects="ziyin.sec4.minimum")
def sec4_minimum_corrected():
    return _curvature_claim(-sp.S.One)
