"""`ziyin`, Lemma 1 (App. B.1: Eqs. (20)-(23)) and the first steps of the proof of Proposition 2 (App. D.1:
Eqs. (72)-(74)): the limiting law of ln|w_t/w_0| for SGD on L = x w^2/2.

Statements about limits in distribution are encoded through their c.d.f.: "Y_t ->_d N(0, s^2)" is
lim_t P(Y_t <= z) = Phi(z/s) for every z. The checks compute P(Y_t <= z) exactly from the binomial law of the
two-point model, with Y_t read from the statement, along t = 100 ... 102400, against the Berry-Esseen envelope
|P(Y_t <= z) - Phi(z/s)| <= 0.4748 rho / (s^3 sqrt t) (Shevtsova 2011; rho = s^3 for a symmetric two-point step),
which the true limit law satisfies at every t: a claimed limit outside it is refuted by the exact law.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy import integrate

from checks import ExactComparison, FormulaCheck
from checks.base import SCALE_DOWN, scaled
from checks.result import CheckResult
from theory import Claim, Param, Regime, Sampling, claim

from .experiment_checks import ExactLimit, _passed
from .models import (
    LOGW,
    LOWER8,
    MU77,
    PHI_S,
    SYMBOLS,
    UPPER8,
    P,
    TwoPoint,
    a,
    eps,
    fixed_coins,
    lam,
    mu,
    s,
    sgd_steps,
    t,
    w0,
    z,
)

# --- the printed statements (each typed once) -----------------------------------------------------------------
Z_T = (LOGW - t * mu) / sp.sqrt(t)                      # (23), and z_t as defined under (72)
STD20 = (LOGW - mu) / sp.sqrt(t)                        # (20)
STD72 = Z_T / sp.sqrt(t)                                # (72)
DENS73 = sp.exp(-(LOGW - t * mu) ** 2 / (2 * t * s ** 2)) / sp.sqrt(2 * sp.pi * s ** 2)
LIMIT74 = sp.Piecewise((0, mu < 0), (1, mu > 0))
X, i = sp.Function("x"), sp.Symbol("i", positive=True, integer=True)
PROD21 = sp.Product(1 - lam * X(i), (i, 1, t)) * w0
SUM22 = sp.Sum(sp.log(sp.Abs(1 - lam * X(i))), (i, 1, t))
X_C = sp.Symbol("x_c", real=True)                      # where p(x) must be continuous


def limit_in_law(std: sp.Expr) -> sp.Eq:
    """'std ->_d N(0, s^2)' as lim_t P(std <= z) = Phi(z/s)."""
    return sp.Eq(sp.Limit(P(sp.Le(std, z)), t, sp.oo), PHI_S)


# --- regimes ----------------------------------------------------------------------------------------------------
P_lam, P_a = Param(lam, 0.05, 2.0, doc="learning rate"), Param(a, -4.0, -0.1, doc="a < 0")
NOT_ONE = Sampling(sp.Abs(lam - 1) >= sp.Rational(1, 50), "|lambda - 1| >= 0.02 (ln|1 - lambda| finite)")
MU_AWAY = Sampling(sp.Abs(MU77) >= sp.Rational(1, 50), "|mu| >= 0.02 (so t mu and mu differ visibly)")
LAW_REGIME = Regime((P_lam, P_a, Param(z, -2.0, 2.0, doc="argument of the c.d.f.")), (NOT_ONE, MU_AWAY),
                    "SGD on Eq. (4) with the two-point p(x) of Prop. 2 (the lemma's use in App. D.1)")
DYN = "SGD (2) on Eq. (4): w_t = prod (1 - lambda x_i) w_0, x = 1 or a - 1 with probability 1/2 each"
LADDER = [100 * 4 ** k for k in range(6)]
BERRY_ESSEEN = 0.4748                       # Shevtsova (2011), i.i.d. summands


def envelope(T) -> float:
    return BERRY_ESSEEN / math.sqrt(T)


def _model(p) -> TwoPoint:
    return TwoPoint(p["lambda"], p["a"])


def _claimed(expr, p, m: TwoPoint, T=None):
    """The statement's right side at the point, with mu and s of the model."""
    f = sp.lambdify((lam, a, z, s, mu, t), expr, "mpmath")
    with mpmath.workdps(20):
        v = f(p["lambda"], p["a"], p.get("z", 0.0), m.s, m.mu, T if T is not None else 1)
    return float(v) if mpmath.im(v) == 0 else float("nan")


def cdf_cases(c, expr, rng, n=4):
    """P(Y_t <= z) of the exact law, Y_t the statement's left side (affine in ln|w_t/w_0|)."""
    rel = c.lhs.args[0].args[0]
    std = rel.lhs
    slope, intercept = sp.diff(std, LOGW), std.subs(LOGW, 0)
    out = []
    for p in c.regime.sample(rng, n):
        m = _model(p)

        def exact(T, p=p, m=m):
            A, B = (float(e.subs({t: T, mu: m.mu})) for e in (slope, intercept))
            return m.cdf(T, (p["z"] - B) / A)[0]
        out.append({"point": p, "ladder": LADDER, "exact": exact, "envelope": envelope,
                    "claimed": lambda T, p=p, m=m: _claimed(expr, p, m)})
    return out


def law_claim(std: sp.Expr, **kw) -> Claim:
    return Claim(statement=limit_in_law(std), regime=LAW_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="the c.d.f. of the standardized ln|w_t/w_0| as t -> oo",
                 checks=[ExactLimit("exact law: P(left side <= z) -> Phi(z/s)", cdf_cases)], **kw)


# --- Lemma 1: the proof's steps (21)-(23) --------------------------------------------------------------------------
COINS = fixed_coins(12)


def along_coins(expr: sp.Expr) -> sp.Expr:
    """The statement for t = 12 steps with the data x_i of a fixed sequence of coins (1: x = 1, 0: x = a - 1)."""
    return expr.subs(t, len(COINS)).doit().subs({X(k + 1): (1 if c else a - 1) for k, c in enumerate(COINS)})


STEP_REGIME = Regime((P_lam, P_a, Param(w0, 0.1, 2.0)), (NOT_ONE,), "one sequence of 12 data points")


@claim("ziyin.eq21", "Lemma 1, Eq. (21)", "w_t = prod_i (1 - lambda x_i) w_0")
def eq21():
    return Claim(statement=sp.Eq(sp.Symbol("w_t", real=True), PROD21), regime=STEP_REGIME, symbols=SYMBOLS,
                 dynamics=DYN, observable="w_t for a given sequence x_1..x_t",
                 checks=[ExactComparison("SGD (2) stepped on a fixed sequence of 12 data points",
                                         lambda p: [sgd_steps(p["lambda"], p["a"], COINS, p["w_0"])],
                                         lambda p, f: [f(**p)], formula=lambda c: along_coins(c.formula))])


@claim("ziyin.eq22", "Lemma 1, Eq. (22)", "ln|w_t/w_0| = sum_i ln|1 - lambda x_i|", uses=["ziyin.eq21"])
def eq22():
    return Claim(statement=sp.Eq(LOGW, SUM22), regime=STEP_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="ln|w_t/w_0| for a given sequence x_1..x_t",
                 checks=[ExactComparison("SGD (2) stepped on a fixed sequence of 12 data points",
                                         lambda p: [math.log(abs(sgd_steps(p["lambda"], p["a"], COINS, p["w_0"])
                                                                 / p["w_0"]))],
                                         lambda p, f: [f(**p)], formula=lambda c: along_coins(c.formula))])


@claim("ziyin.eq23", "Lemma 1, Eq. (23)", "(ln|w_t/w_0| - t mu)/sqrt(t) ->_d N(0, s^2)", uses=["ziyin.eq22"])
def eq23():
    return law_claim(Z_T)


@claim("ziyin.eq20", "Lemma 1, Eq. (20)", "(ln|w_t/w_0| - mu)/sqrt(t) ->_d N(0, s^2)", uses=["ziyin.eq23"])
def eq20():
    return law_claim(STD20, notes=["Encoded as printed (mu, not t mu, is subtracted). The lemma's own proof ends "
                                   "with (23), which subtracts t mu."])


@claim("ziyin.eq20.corrected", "Lemma 1, Eq. (20), corrected", "(ln|w_t/w_0| - t mu)/sqrt(t) ->_d N(0, s^2), "
       "as the proof's (23)", corrects="ziyin.eq20")
def eq20_corrected():
    return law_claim(Z_T)


# --- Lemma 1's hypothesis: where p(x) must be continuous ------------------------------------------------------------
class ContinuityPoint(FormulaCheck):
    """The hypothesis 'p(x) is continuous in a delta-neighbourhood of x = x_c' (x_c read from the statement) must
    make ln|1 - lambda x| square-integrable, as the proof's appeal to Proposition 8 needs. Where x_c != 1/lambda,
    p(x) = delta(x - 1/lambda)/2 + N(2a - 1/lambda, 1)/2 meets the hypothesis (delta = |x_c - 1/lambda|/2, mean a,
    finite variance), yet every draw x = 1/lambda sends w to 0: exactly P(w_t != 0) = 2^-t, ln|w_t/w_0| = -oo with
    probability 1 - 2^-t and mu = -oo, so no normal limit exists. Where x_c = 1/lambda, the worst p(x) the
    hypothesis allows (the atom moved to 1/lambda + delta) has a finite E ln^2|1 - lambda x| (quadrature)."""

    kind, evidence, form = "exact", "model", "counterexample"

    def __init__(self, name: str, n_points: int = 4):
        self.name, self.n_points = name, n_points

    @staticmethod
    def runs(p, atom, rng, n=2000, T=30) -> str:
        """SGD (2) on x w^2/2 with the counterexample's p(x): how many of n runs sit at w = 0 after T steps."""
        w = np.ones(n)
        for _ in range(T):
            xs = np.where(rng.random(n) < 0.5, atom, rng.normal(2 * p["a"] - atom, 1.0, n))
            w = w - p["lambda"] * xs * w
        return f"{int((np.abs(w) < 1e-12).sum())} of {n}"

    def _judge(self, claim, expr, points, rng):
        rows, failure = [], None
        for p in points:
            xc, atom = float(expr.subs({lam: p["lambda"], a: p["a"]})), 1 / p["lambda"]
            gap = abs(xc - atom)
            if gap > 1e-9 * max(1.0, atom):
                T, runs = 30, self.runs(p, atom, rng)
                row = {"params": p, "x_c": xc, "atom_at": atom, "delta": gap / 2, "t": T,
                       "exact P(w_t != 0)": 2.0 ** -T, "simulated runs at w_t = 0 (to rounding)": runs,
                       "mu": "-oo", "conclusion": "no normal limit: ln|w_t/w_0| = -oo with probability 1 - 2^-t"}
                failure = failure or row
            else:
                delta, m = 0.05 * atom, 2 * p["a"] - atom - 0.05 * atom
                second = 0.5 * math.log(p["lambda"] * delta) ** 2 + 0.5 * float(mpmath.quad(
                    lambda u: mpmath.log(abs(1 - p["lambda"] * u)) ** 2 * mpmath.npdf(u, m, 1),
                    [-mpmath.inf, m, atom, mpmath.inf]))
                row = {"params": p, "x_c": xc, "atom_at": atom + delta, "E ln^2|1 - lambda x|": second}
            rows.append(row)
        return rows, failure

    def _run(self, claim, ctx) -> CheckResult:
        points = claim.regime.sample(self.rng(claim, ctx), self.n_points)
        expr = self.expression(claim)
        rows, failure = self._judge(claim, expr, points, self.rng(claim, ctx))
        self_test = [{"perturbation": lab, "rejected": self._judge(claim, f(expr), points, self.rng(claim, ctx))[1]
                      is not None}
                     for lab, f in (scaled(1.05), SCALE_DOWN)]
        method = "the worst p(x) the hypothesis admits: an atom where 1 - lambda x = 0, exact law of w_t"
        return _passed(self.kind, self.name, method, {"rows": rows}, failure, [], self_test)


HYP_REGIME = Regime((Param(lam, 0.2, 3.0, doc="learning rate"), Param(a, -3.0, -0.1, doc="a < 0")),
                    (Sampling(sp.Abs(lam - 1) >= sp.Rational(1, 20), "lambda != 1 (at lambda = 1 both agree)"),),
                    "Lemma 1's hypotheses: E x = a < 0, Var x finite, p continuous near x_c")


def _hyp_claim(point) -> Claim:
    return Claim(statement=sp.Eq(X_C, point), regime=HYP_REGIME, symbols={**SYMBOLS, "x_c": "where p is continuous"},
                 dynamics=DYN.replace("x = 1 or a - 1 with probability 1/2 each", "x ~ p(x)"),
                 observable="E ln^2|1 - lambda x| and P(w_t = 0)", checks=[ContinuityPoint("the worst admitted p(x)")])


@claim("ziyin.lemma1.hyp", "Lemma 1, hypothesis", "p(x) continuous in a delta-neighbourhood of x = 1 makes "
       "ln|1 - lambda x| square-integrable (so the CLT applies)")
def lemma1_hyp():
    return _hyp_claim(sp.S.One)


@claim("ziyin.lemma1.hyp.corrected", "Lemma 1, hypothesis, corrected", "p(x) must be continuous near x = 1/lambda, "
       "where 1 - lambda x = 0", corrects="ziyin.lemma1.hyp")
def lemma1_hyp_corrected():
    return _hyp_claim(1 / lam)


# --- App. D.1: (72)-(74) -------------------------------------------------------------------------------------------
@claim("ziyin.eq72", "Eq. (72), App. D.1", "(1/sqrt(t)) z_t ->_d N(0, s^2), z_t = (ln|w_t/w_0| - t mu)/sqrt(t)",
       uses=["ziyin.eq23"])
def eq72():
    return law_claim(STD72, notes=["z_t is already divided by sqrt(t); (73)-(74) use z_t itself."])


@claim("ziyin.eq72.corrected", "Eq. (72), corrected", "z_t ->_d N(0, s^2)", corrects="ziyin.eq72")
def eq72_corrected():
    return law_claim(Z_T)


def density_cases(c, expr, rng, n=4):
    """The c.d.f. of (1/sqrt t) ln|w_t/w_0| at y = sqrt(t) mu + z s (exact law) against the integral of the
    statement's density in y (with ln|w_t/w_0| = sqrt(t) y)."""
    y_sym = sp.Symbol("y", real=True)
    dens = sp.lambdify((y_sym, lam, a, s, mu, t), expr.subs(LOGW, sp.sqrt(t) * y_sym), "numpy")
    out = []
    for p in c.regime.sample(rng, n):
        m = _model(p)

        def claimed(T, p=p, m=m):
            centre, y = math.sqrt(T) * m.mu, math.sqrt(T) * m.mu + p["z"] * m.s
            with np.errstate(all="ignore"):
                g = lambda u: float(np.real_if_close(dens(u, p["lambda"], p["a"], m.s, m.mu, T)))
                try:
                    left = integrate.quad(g, -np.inf, centre - 8 * m.s)[0] + integrate.quad(g, centre - 8 * m.s,
                                                                                           centre)[0]
                    return left + integrate.quad(g, centre, y)[0]
                except (TypeError, ValueError):
                    return float("nan")
        out.append({"point": p, "ladder": LADDER, "claimed": claimed, "envelope": envelope,
                    "exact": lambda T, p=p, m=m: m.cdf(T, T * m.mu + p["z"] * m.s * math.sqrt(T))[0]})
    return out


@claim("ziyin.eq73", "Eq. (73), App. D.1", "For large t the density of (1/sqrt t) ln|w_t/w_0| is "
       "exp[-(ln|w_t/w_0| - t mu)^2/(2 t s^2)] / sqrt(2 pi s^2)", uses=["ziyin.eq72.corrected"],
       quantified="'lim p(.) = lim (density)' (both sides depend on t) read as: the c.d.f. of (1/sqrt t) ln|w_t/w_0| "
                  "minus the integral of the printed density tends to 0, at y = sqrt(t) mu + z s")
def eq73():
    return Claim(
        statement=sp.Eq(sp.Function("p")(LOGW / sp.sqrt(t)), DENS73), regime=LAW_REGIME, symbols=SYMBOLS,
        dynamics=DYN, observable="the law of (1/sqrt t) ln|w_t/w_0| for large t",
        printed=r"\lim_{t\to\infty} p\left(\tfrac{1}{\sqrt t}\ln|w_t/w_0|\right) = \lim_{t\to\infty} "
                r"\tfrac{1}{\sqrt{2\pi s^2}} \exp\left[-\tfrac{1}{2ts^2}(\ln|w_t/w_0| - t\mu)^2\right]",
        checks=[ExactLimit("exact law: c.d.f. against the printed density's integral", density_cases)])


LIMIT_REGIME = Regime((P_a, Param(eps, 1e-4, 0.5, log=True, doc="radius of the ball"),
                       Param(w0, 0.05, 2.0, doc="initial parameter")), (), "Prop. 2's model, any epsilon > 0")


def limit_cases(c, expr, rng, n=3):
    """P(|w_t| > epsilon) of the exact law, inside (8) (mu < 0) and beyond its upper end (mu > 0)."""
    f = sp.lambdify(mu, expr, "math")
    out = []
    for p in c.regime.sample(rng, n):
        lo, hi = (float(e.subs(a, p["a"])) for e in (LOWER8, UPPER8))
        for lam_v in ((lo + hi) / 2, 1.2 * hi):
            m = TwoPoint(lam_v, p["a"])
            top = 10 ** math.ceil(math.log10(200 * m.s ** 2 / m.mu ** 2 + 1000))
            out.append({"point": {**p, "lambda": lam_v, "mu": m.mu},
                        "ladder": [top // 4 ** k for k in range(5, -1, -1)],
                        "exact": lambda T, m=m, p=p: m.p_inside(T, p["epsilon"], p["w_0"])[1],
                        "claimed": lambda T, m=m: f(m.mu)})
    return out


@claim("ziyin.eq74", "Eq. (74), App. D.1", "lim P(|w_t| > epsilon) = 0 if mu < 0 and 1 if mu > 0",
       uses=["ziyin.eq73"])
def eq74():
    return Claim(statement=sp.Eq(sp.Limit(sp.Symbol(r"P(|w_t|>\epsilon)"), t, sp.oo), LIMIT74), regime=LIMIT_REGIME,
                 symbols=SYMBOLS, dynamics=DYN, observable="P(|w_t| > epsilon) as t -> oo",
                 checks=[ExactLimit("exact law: P(|w_t| > epsilon) at mu < 0 and mu > 0", limit_cases,
                                    perturbations=(SCALE_DOWN, ("1 - limit", lambda e: 1 - e)))])
