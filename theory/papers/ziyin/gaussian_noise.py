"""`ziyin`, App. B.2: Gaussian noise (Proposition 9, (35)-(41)); Proposition 8 (App. B.1) is in ``prop8.py``.

With x ~ N(-a, sigma^2) one SGD step on L = x w^2/2 multiplies w by 1 - lambda x = 1 + lambda a - lambda sigma eps
(eps ~ N(0, 1)), so ln|w_t/w_0| is a sum of t i.i.d. terms ln|c - s eps| (c = 1 + lambda a, s = lambda sigma) whose
mean mu and variance s_l^2 are computed by quadrature (the log singularity at eps = c/s split out). Its mean and
variance are t mu and t s_l^2 exactly at every t; the log-normal (40) is the large-t law.
"""
from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from checks.base import FormulaCheck, RunContext, scaled
from checks.montecarlo import with_power
from checks.result import FAIL, CheckResult
from checks.stats import ALPHA
from theory import Claim, Param, Regime, Sampling, claim

from .amsgrad_checks import FractionCheck, TotalMass

lam = sp.Symbol("lambda", positive=True)
a = sp.Symbol("a", positive=True)                    # x ~ N(-a, sigma^2): E x = -a < 0, a local maximum
sigma = sp.Symbol("sigma", positive=True)
eps = sp.Symbol("epsilon", real=True)                # standard normal
t = sp.Symbol("t", positive=True, integer=True)
mu = sp.Symbol("mu", real=True)                      # E ln|1 - lambda x|
s = sp.Symbol("s", positive=True)                    # its standard deviation
pq = sp.Symbol("p", positive=True)                   # a probability (quantile level)
wv = sp.Symbol("w", positive=True)                   # |w_t|
w0 = sp.Symbol("w_0", positive=True)                 # |w_0|
delta = sp.Symbol("delta", positive=True)
xp = sp.Symbol("x", positive=True)
SYMBOLS = {"lambda": "learning rate", "a": "x ~ N(-a, sigma^2)", "sigma": "standard deviation of x",
           "epsilon": "standard normal draw", "t": "time step", "mu": "E ln|1 - lambda x|",
           "s": "standard deviation of ln|1 - lambda x|", "p": "probability", "w": "|w_t|", "w_0": "|w_0|",
           "delta": "half-width of the neighbourhood of 0", "x": "integration variable"}


# --- the model ---------------------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def log_step_moments(c: float, sd: float) -> tuple[float, float]:
    """(mean, standard deviation) of ln|c - sd eps|, eps ~ N(0, 1), by quadrature split at the singularity."""
    with mpmath.workdps(20):
        cut = [-mpmath.inf, mpmath.mpf(c) / sd, mpmath.inf]
        m1 = mpmath.quad(lambda e: mpmath.log(abs(c - sd * e)) * mpmath.npdf(e), cut)
        m2 = mpmath.quad(lambda e: mpmath.log(abs(c - sd * e)) ** 2 * mpmath.npdf(e), cut)
        return float(m1), float(mpmath.sqrt(m2 - m1 * m1))


def model_moments(point) -> dict[str, float]:
    m, sd = log_step_moments(1 + point["lambda"] * point["a"], point["lambda"] * point["sigma"])
    return {"mu": m, "s": sd}


def log_growth(point, T: int, n: int, rng) -> np.ndarray:
    """ln|w_T/w_0| of n SGD runs on L = x w^2/2 with x ~ N(-a, sigma^2)."""
    c, sd = 1 + point["lambda"] * point["a"], point["lambda"] * point["sigma"]
    out = np.zeros(n)
    for _ in range(int(T)):
        out += np.log(np.abs(c - sd * rng.standard_normal(n)))
    return out


GAUSS_REGIME = Regime((Param(lam, 0.05, 2.0), Param(a, 0.001, 2.0, log=True), Param(sigma, 0.1, 20, log=True)),
                      (Sampling(lam * a <= sp.Rational(1, 5), "lambda a <= 0.2"),
                       Sampling(sp.And(lam * sigma >= sp.Rational(1, 4), lam * sigma <= sp.Rational(3, 5)),
                                "0.25 <= lambda sigma <= 0.6 (s far from 1, so sqrt(t) s and sqrt(t s) differ)")),
                      "x ~ N(-a, sigma^2)")


# --- Proposition 9: Eqs. (35)-(41) -------------------------------------------------------------------------------
FACTOR37 = 1 - lam * (a + sigma * eps)
FACTOR_TRUE = 1 - lam * (-a + sigma * eps)            # 1 - lambda x with x = -a + sigma eps, (35)-(36)


def one_step(point, n_paths, rng):
    """w_1/w_0 of one SGD step on (35) with x ~ N(-a, sigma^2), and its square."""
    xs = -point["a"] + point["sigma"] * rng.standard_normal(n_paths)
    f = 1 - point["lambda"] * xs
    return Sample(np.column_stack([f, f * f]), ["w_1/w_0", "(w_1/w_0)^2"])


def factor_moments(point, f):
    """Mean and second moment over eps ~ N(0, 1) of a factor linear in eps (f: the statement's factor)."""
    m = float(f(**point, epsilon=0.0))
    k = float(f(**point, epsilon=1.0)) - m
    return [m, m * m + k * k]


def factor_checks():
    return [SymbolicEquality("1 - lambda x with x = -a + sigma eps ((35)-(36)), in law (eps -> -eps allowed)",
                             lambda c: sp.expand(c.formula.subs(eps, 0)), sp.expand(FACTOR_TRUE.subs(eps, 0))),
            MonteCarloMean("one SGD step with x ~ N(-a, sigma^2): mean and second moment of w_1/w_0", one_step,
                           factor_moments, n_points=3,
                           n_paths=200_000, extra_symbols=(eps,))]


FACTOR_REGIME = Regime((Param(lam, 0.05, 2.0), Param(a, 0.05, 2.0), Param(sigma, 0.1, 2.0)), (), "x ~ N(-a, sigma^2)")


@claim("ziyin.eq37", "Eq. (37), App. B.2", "w_t = prod (1 - lambda (a + sigma eps_i)) w_0")
def eq37():
    return Claim(statement=sp.Eq(sp.Symbol("w_i/w_{i-1}"), FACTOR37), regime=FACTOR_REGIME, symbols=SYMBOLS,
                 dynamics="SGD on (35), x ~ N(-a, sigma^2)", observable="one step's factor",
                 notes=["(37) is the factor for x ~ N(a, sigma^2); (35) has N(-a, sigma^2), and (36) its -a w^2/2."],
                 checks=factor_checks())


@claim("ziyin.eq37.corrected", "Eq. (37), corrected", "w_t = prod (1 + lambda a - lambda sigma eps_i) w_0",
       corrects="ziyin.eq37")
def eq37_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("w_i/w_{i-1}"), 1 + lam * a - lam * sigma * eps), regime=FACTOR_REGIME,
                 symbols=SYMBOLS, dynamics="SGD on (35), x ~ N(-a, sigma^2)", observable="one step's factor",
                 checks=factor_checks())


LOGNORMAL40 = sp.exp(-(sp.log(wv / w0) - t * mu) ** 2 / (2 * t * s ** 2)) / (sp.sqrt(2 * sp.pi * t * s ** 2) * wv)
EXPONENT40_MIDDLE = -(sp.log(wv / w0) / sp.sqrt(t) - sp.sqrt(mu)) ** 2 / (2 * s ** 2)
EXPONENT40_LAST = -(sp.log(wv / w0) - t * mu) ** 2 / (2 * t * s ** 2)
LOG_REGIME = Regime((Param(t, 1, 20), Param(mu, -0.3, 0.3), Param(s, 0.3, 2.0), Param(w0, 0.1, 2.0),
                     Param(wv, 0.01, 5.0)), (), "the large-t law of (39)-(40) (moderate t, so quadrature sees the "
                                                "peak)")


@claim("ziyin.eq40", "Eq. (40), App. B.2", "Limit law of |w_t|: log-normal, ln|w_t/w_0| ~ N(t mu, t s^2)",
       about="algebra")
def eq40():
    return Claim(
        statement=sp.Eq(sp.Symbol("P(|w_t|)"), LOGNORMAL40), regime=LOG_REGIME, symbols=SYMBOLS,
        dynamics="(39): the central limit of ln|w_t/w_0|", observable="density of |w_t| (last line of (40))",
        notes=["The last line of (40); its middle line and the sentence after it are ziyin.eq40.middle and "
               "ziyin.eq40.moments. Sampled at moderate t and |mu| (the formula is the same at any t)."],
        checks=[SymbolicEquality("the density of |w_0| e^Y with Y ~ N(t mu, t s^2) (change of variables)",
                                 lambda c: c.formula,
                                 sp.exp(-(sp.log(wv / w0) - t * mu) ** 2 / (2 * t * s ** 2))
                                 / sp.sqrt(2 * sp.pi * t * s ** 2) * sp.diff(sp.log(wv / w0), wv)),
                TotalMass("total mass 1 over |w| > 0", lambda c: c.formula, wv, lower=sp.S.Zero)])


def same_exponent():
    return [SymbolicEquality("the exponent equals the last line's", lambda c: c.formula, EXPONENT40_LAST)]


@claim("ziyin.eq40.middle", "Eq. (40), middle line", "Exponent -(ln|w_t/w_0|/sqrt(t) - sqrt(mu))^2/(2 s^2)",
       about="algebra")
def eq40_middle():
    return Claim(statement=sp.Eq(sp.Symbol("exponent"), EXPONENT40_MIDDLE), regime=LOG_REGIME, symbols=SYMBOLS,
                 dynamics="(39)-(40)", observable="the exponent of the density", checks=same_exponent())


@claim("ziyin.eq40.middle.corrected", "Eq. (40), middle line, corrected", "Exponent -(ln|w_t/w_0|/sqrt(t) - "
       "sqrt(t) mu)^2/(2 s^2)", corrects="ziyin.eq40.middle", about="algebra")
def eq40_middle_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("exponent"), -(sp.log(wv / w0) / sp.sqrt(t) - sp.sqrt(t) * mu) ** 2
                                 / (2 * s ** 2)), regime=LOG_REGIME, symbols=SYMBOLS, dynamics="(39)-(40)",
                 observable="the exponent of the density", checks=same_exponent())


MOMENT_REGIME = GAUSS_REGIME.extended(Param(t, 20, 200))


def growth_samples(point, n_paths, rng):
    y = log_growth(point, int(point["t"]), n_paths, rng)
    return Sample(np.column_stack([y, y * y]), ["ln|w_t/w_0|", "ln|w_t/w_0|^2"])


def moment_checks():
    return [MonteCarloMean("SGD runs with Gaussian x: mean and second moment of ln|w_t/w_0| (exact at every t)",
                           growth_samples, lambda p, f: (lambda m, sd: [m, m * m + sd * sd])(
                               *np.asarray(f(**p, **model_moments(p)), dtype=float).ravel()),
                           n_points=3, n_paths=4000, extra_symbols=(mu, s))]


@claim("ziyin.eq40.moments", "App. B.2, after Eq. (40)", "The log-normal has mean sqrt(t) mu and standard deviation "
       "sqrt(t s)")
def eq40_moments():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("mean"), sp.Symbol("sd")]),
                                 sp.Matrix([sp.sqrt(t) * mu, sp.sqrt(t * s)])),
                 regime=MOMENT_REGIME, symbols=SYMBOLS, dynamics="SGD on (35)", observable="mean and sd of ln|w_t/w_0|",
                 notes=["'mean' and 'standard deviation' read as those of ln|w_t/w_0| (the log-normal's parameters)."],
                 checks=moment_checks())


@claim("ziyin.eq40.moments.corrected", "App. B.2, corrected", "ln|w_t/w_0| has mean t mu and standard deviation "
       "sqrt(t) s", corrects="ziyin.eq40.moments")
def eq40_moments_corrected():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("mean"), sp.Symbol("sd")]),
                                 sp.Matrix([t * mu, sp.sqrt(t) * s])),
                 regime=MOMENT_REGIME, symbols=SYMBOLS, dynamics="SGD on (35)", observable="mean and sd of ln|w_t/w_0|",
                 checks=moment_checks())


class QuantileCheck(FormulaCheck):
    """The statement's p-quantile of |w_t/w_0| against SGD runs with Gaussian x: #(ln|w_t/w_0| <= ln q) ~
    Binomial(n, p) under the claim (exact two-sided test, checks.heavytail.quantile_test). Self-test: the log-quantile
    moved by -/+ 0.5 sqrt(t) s (half a standard deviation of the law) must be rejected."""

    kind, evidence, form = "montecarlo", "model", "quantile"

    def __init__(self, name: str, n_points: int = 3, n_paths: int = 4000):
        self.name, self.n_points, self.n_paths = name, n_points, n_paths

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        from checks.heavytail import quantile_test

        regime = GAUSS_REGIME.extended(Param(pq, 0.02, 0.98), Param(t, 100, 300),
                                       conditions=[Sampling(sp.Abs(pq - sp.Rational(1, 2)) >= sp.Rational(3, 10),
                                                            "p away from 1/2, where the readings differ")])
        rng_p, rng_s = (np.random.default_rng(q) for q in ctx.seed_sequence(claim.id, self.name).spawn(2))
        f = sp.lambdify([pq, t, mu, s], claim.formula, ["numpy", "scipy"])
        rows, failure, self_test = [], None, []
        for point in regime.sample(rng_p, self.n_points):
            y = self.cached(ctx, claim, "runs", log_growth, (dict(point), int(point["t"]), self.n_paths), rng_s)
            mm = model_moments(point)
            with np.errstate(all="ignore"):
                q = float(np.real_if_close(np.log(f(point["p"], int(point["t"]), mm["mu"], mm["s"]))))
            if not math.isfinite(q):            # a claimed quantile that is not a positive real number
                failure = failure or {"params": point, "claimed_log_quantile": q, "reason": "not a real quantile"}
                continue
            r = quantile_test(y, point["p"], q, counter=ctx.counter)
            half = 0.5 * math.sqrt(point["t"]) * mm["s"]
            self_test += [r.retest(q - half).reject, r.retest(q + half).reject]
            rows.append({"params": point, **mm, "claimed_log_quantile": q, "below": r.details["below"],
                         "n": self.n_paths, "p_value": r.p_value, "interval": list(r.interval)})
            if r.p_value < ALPHA and failure is None:
                failure = dict(rows[-1])
        details = {"rows": rows, "seed": self.seed(claim, ctx),
                   "self_test": [{"perturbation": "log-quantile -/+ 0.5 sqrt(t) s",
                                  "rejected": bool(self_test) and all(self_test)}]}
        method = f"exact binomial test of the claimed quantile, {self.n_paths} runs per point, p >= {ALPHA:.1e}"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)


QUANTILE_REGIME = Regime((Param(pq, 0.02, 0.98), Param(t, 1, 400), Param(mu, -1.0, 1.0), Param(s, 0.1, 2.0)), (),
                         "log-normal limit")


def quantile_checks():
    return [SymbolicEquality("the p-quantile of the log-normal (40): t mu + sqrt(t) s Phi^-1(p), in logs",
                             lambda c: sp.log(c.formula), t * mu + sp.sqrt(t) * s * sp.sqrt(2) * sp.erfinv(2 * pq - 1)),
            QuantileCheck("SGD runs with Gaussian x at t = 100..300")]


@claim("ziyin.eq41", "Eq. (41), App. B.2", "p-quantile of |w_t/w_0|: exp[t mu + sqrt(2 t s) erf^-1(2p - 1)]",
       uses=["ziyin.eq40"])
def eq41():
    return Claim(statement=sp.Eq(sp.Symbol("q_p"), sp.exp(t * mu + sp.sqrt(2 * t * s) * sp.erfinv(2 * pq - 1))),
                 regime=QUANTILE_REGIME, symbols=SYMBOLS, dynamics="SGD on (35) at large t", observable="quantile",
                 notes=["As printed, s stands under the root (as in 'sqrt(ts)' before it); with s the standard "
                        "deviation the quantile has sqrt(2t) s (ziyin.eq41.corrected)."],
                 checks=quantile_checks())


@claim("ziyin.eq41.corrected", "Eq. (41), corrected", "p-quantile exp[t mu + sqrt(2t) s erf^-1(2p - 1)]",
       corrects="ziyin.eq41", uses=["ziyin.eq40"])
def eq41_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("q_p"), sp.exp(t * mu + sp.sqrt(2 * t) * s * sp.erfinv(2 * pq - 1))),
                 regime=QUANTILE_REGIME, symbols=SYMBOLS, dynamics="SGD on (35) at large t", observable="quantile",
                 checks=quantile_checks())


# Proposition 9's construction: lambda a = 0.01 and lambda sigma = 0.5 for the given lambda, so the step factor is
# 1.01 - 0.5 eps whatever lambda is, and mu = E ln|1.01 - 0.5 eps| < 0.
PROP9_REGIME = Regime((Param(lam, 0.01, 100.0, log=True),), (), "any fixed lambda > 0; a = 0.01/lambda, "
                      "sigma = 0.5/lambda")


def construction(point) -> dict:
    return {"lambda": point["lambda"], "a": 0.01 / point["lambda"], "sigma": 0.5 / point["lambda"]}


def prop9_limit(point) -> list[float]:
    """lim P(|w_t| < epsilon) by the strong law: 1 if mu < 0 (ln|w_t| / t -> mu a.s.), 0 if mu > 0."""
    m = model_moments(construction(point))["mu"]
    return [1.0 if m < 0 else 0.0]


def prop9_runs(point, n_paths, rng):
    """|w_T| < 1e-3 after T = 5000 steps from w_0 ~ U[-1, 1] (ln|w_T| has mean about -800 and sd about 50)."""
    y = log_growth(construction(point), 5000, n_paths, rng) + np.log(rng.uniform(0, 1, n_paths))
    return Sample((y < math.log(1e-3))[:, None].astype(float), ["P(|w_T| < 1e-3), T = 5000"])


@claim("ziyin.prop9", "Proposition 9, App. B.2", "For any lambda > 0, with Gaussian x some loss x w^2/2 makes SGD "
       "converge to the local maximum with probability 1", uses=["ziyin.eq40"])
def prop9():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\lim_t P(|w_t| < \epsilon)"), sp.S.One), regime=PROP9_REGIME, symbols=SYMBOLS,
        dynamics="SGD on (35) with x ~ N(-a, sigma^2)", observable="probability of |w_t| < epsilon",
        notes=["Construction (any lambda): lambda a = 0.01 and lambda sigma = 0.5, so every step multiplies w by "
               "1.01 - 0.5 eps and mu = E ln|1.01 - 0.5 eps| = -0.16 < 0 (quadrature)."],
        checks=[ExactComparison("the strong law with mu by quadrature", prop9_limit, lambda p, f: [f(**p)], n_points=3,
                                perturbations=(scaled(0.5),)),
                FractionCheck("2000 SGD runs of 5000 steps: fraction with |w_T| < 1e-3", prop9_runs,
                              lambda p, f: [f(**p)], n_points=2, n_paths=2000)])
