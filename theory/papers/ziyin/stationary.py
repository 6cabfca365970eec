"""`ziyin`, App. C.2-C.4: additive plus multiplicative noise ((52)-(59)), and the quartic and the quadratic loss with
multiplicative noise ((60)-(71)), where the
stationary solution (62) or (70) has a power of w at the origin and whether SGD collapses to w = 0 is decided by
that power.

Near w = 0 the SDEs (61) and (68) are geometric Brownian motion, d ln w = (-lambda a - lambda^2/(2S)) dt +
(lambda/sqrt S) dW exactly (Ito), so the exact solution decides collapse (the Lyapunov exponent
(lambda^2/S)(q - 1/2), q = -S a/lambda); SDE samples are drawn in y = ln w (additive noise), which, like the
continuous process, never crosses 0. Thresholds are read from the statement and tested just below and above.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import stats

from checks import MonteCarloMean, Sample, SymbolicEquality
from checks.base import DEFAULT_PERTURBATIONS, SCALE_DOWN, SCALE_UP, RunContext
from checks.montecarlo import with_power
from checks.result import FAIL, INCONCLUSIVE, CheckResult
from checks.stats import ALPHA
from theory import Claim, Param, Regime, Sampling, claim

from .amsgrad_checks import StationaryDensity, Threshold, TotalMass, as_sample, euler_paths
from .fokker_planck import C2_REGIME, C56, L52, SYMBOLS, C, S, a, b, c2_simulate, lam, normalised, sigma, w, zero_flux

wp = sp.Symbol("w", positive=True)                   # densities of |w| (the process never crosses 0)
w1 = sp.Symbol("w_1", positive=True)                 # reference point of a density given up to a factor
x = sp.Symbol("x", real=True)                        # zero-mean data noise in (60), (61)
q = sp.Symbol("q", positive=True)                    # q = -S a / lambda
Ex2 = sp.Symbol("E[x^2]", positive=True)
Sn = sp.Symbol("S", positive=True, integer=True)     # the batch size as a count (minibatch averages)
P = sp.Function("P")
Q_SYMBOLS = {**SYMBOLS, "q": "q = -S a / lambda", "w_1": "reference point of a density given up to a factor",
             "x": "zero-mean data noise"}

L_QUARTIC = a * wp ** 2 / 2 + b * wp ** 4 / 4
# d ln w/dt of (61) and (68) at w -> 0, by Ito's formula for drift -lambda a w and noise (lambda/sqrt S) w:
LYAPUNOV = sp.expand((-lam * a * wp) / wp - (lam * wp / sp.sqrt(S)) ** 2 / (2 * wp ** 2))


def a_of(q_value, point):
    """a for a given q = -S a/lambda at a point's lambda and S."""
    return -q_value * point["lambda"] / point["S"]


def power_at_zero(expr: sp.Expr, point: dict, q_value: float) -> float:
    """The power of w of ``expr`` at w -> 0+ (lim ln f / ln w) at a = a(q)."""
    vals = {lam: point["lambda"], S: point["S"], a: a_of(q_value, point), b: point.get("b", 1.0)}
    f = expr.subs({k: sp.Float(v, 30) for k, v in vals.items()})
    return float(sp.limit(sp.log(f) / sp.log(wp), wp, 0, "+"))


def collapses(point: dict, q_value: float) -> bool:
    """The exact solution of the linear SDE (68) (and (61) near 0): ln w drifts to -oo iff its exponent is < 0."""
    return float(LYAPUNOV.subs({lam: point["lambda"], S: point["S"], a: a_of(q_value, point)})) < 0


THETA = Sampling(sp.And(lam / S >= sp.Rational(1, 5), lam / S <= sp.Rational(9, 10)),
                 "0.2 <= lambda/S <= 0.9 (the noise temperature: keeps the sampled runs short)")
Q_REGIME = Regime((Param(lam, 0.2, 0.9), Param(S, 1, 4.5)), (THETA,), "lambda/S in [0.2, 0.9]")


def y_sde(point, a_value: float, tau: float, n: int, rng, save=None, reflect=None, b_value=None):
    """ln w of SDE (61) (or (68) with b = 0) in tau = lambda t from |w_0| ~ U(0, 1] (Figure 1's start):
    dy = (-a - b e^{2y} - theta/2) dtau + sqrt(theta) dW, theta = lambda/S."""
    th, bb = point["lambda"] / point["S"], point.get("b", 0.0) if b_value is None else b_value
    y0 = np.log(rng.uniform(0, 1, n) + 1e-300)
    return euler_paths(lambda y: -a_value - bb * np.exp(2 * y) - th / 2, lambda y: math.sqrt(th), y0, tau, 0.01, rng,
                       save=save, reflect=reflect)


# --- App. C.2: Eqs. (52)-(59) -------------------------------------------------------------------------------------
DRIFT53 = -(lam * a * w + b * w ** 3)
DRIFT55 = -lam * (a * w + b * w ** 3)
EXP57 = -1 - S * a / lam + S ** 2 * b * sigma ** 2 / lam
P57 = normalised(C56 ** EXP57 * sp.exp(-S * b / lam * w ** 2), w)
WHAT59 = sp.Piecewise((0, a > -lam / S), (sp.sqrt(-lam / (S * b) - a / b), True))
C2_W = C2_REGIME.extended(Param(w, -2, 2))


@claim("ziyin.eq53", "Eq. (53), App. C.2", "Equation of motion with additive noise: drift -(lambda a w + b w^3)",
       about="algebra", uses=["ziyin.eq46"])
def eq53():
    return Claim(
        statement=sp.Eq(sp.Symbol("drift"), DRIFT53), regime=C2_W, symbols=SYMBOLS,
        dynamics="SDE (43) on the loss (52)", observable="drift of the equation of motion",
        notes=["(53) and (54) leave b w^3 outside the factor lambda; (55) and the density (57) have -lambda(a w + b "
               "w^3)."],
        checks=[SymbolicEquality("the drift of (43) for the loss (52), -lambda L'", lambda c: c.formula,
                                 -lam * sp.diff(L52, w))])


@claim("ziyin.eq53.corrected", "Eq. (53), corrected", "Drift -lambda (a w + b w^3)", corrects="ziyin.eq53",
       about="algebra")
def eq53_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol("drift"), DRIFT55), regime=C2_W, symbols=SYMBOLS,
        dynamics="SDE (43) on the loss (52)", observable="drift of the equation of motion",
        checks=[SymbolicEquality("the drift of (43) for the loss (52), -lambda L'", lambda c: c.formula,
                                 -lam * sp.diff(L52, w))])


@claim("ziyin.eq56", "Eqs. (54)-(56), App. C.2", "Multiplicative plus additive noise is (43) with C = w^2 + S sigma^2",
       about="algebra", uses=["ziyin.eq53.corrected"])
def eq56():
    return Claim(
        statement=sp.Eq(C(w), C56), regime=C2_W, symbols=SYMBOLS, dynamics="SDE (55)", observable="C(w)",
        checks=[SymbolicEquality("(lambda^2/S) C equals the variance lambda^2 (w^2/S + sigma^2) of the noise in (55)",
                                 lambda c: lam ** 2 / S * c.formula, lam ** 2 * (w ** 2 / S + sigma ** 2))])


@claim("ziyin.eq57", "Eq. (57), App. C.2", "P ∝ (w^2 + S sigma^2)^(-1 - Sa/lambda + S^2 b sigma^2/lambda) "
       "exp(-S b w^2/lambda)", uses=["ziyin.eq51", "ziyin.eq56"])
def eq57():
    return Claim(
        statement=sp.Eq(P(w), P57), regime=C2_REGIME, symbols=SYMBOLS,
        dynamics="SDE (55): dw = -lambda (a w + b w^3) dt + lambda sqrt(w^2/S + sigma^2) dW",
        observable="stationary density of w",
        notes=["'∝' encoded with its normalisation over the real line (the paper: 'has a well-defined value'). The "
               "intermediate lines between (56) and (57) are the same function rewritten."],
        checks=[zero_flux("zero flux (48) for L = a w^2/2 + b w^4/4, C = w^2 + S sigma^2", lambda c: c.formula, L52,
                          C56, w, extra=[Param(w, -2, 2)]),
                TotalMass("total mass 1", lambda c: c.formula, w),
                StationaryDensity("samples of SDE (55) at tau = lambda t = 30 (Euler-Maruyama, step 0.01)",
                                  c2_simulate, w)])


def log_p57_max(point) -> float:
    """max over w >= 0 of ln P57 (unnormalised), numerically: a grid refined by a bounded scalar search."""
    from scipy.optimize import minimize_scalar

    f = sp.lambdify(w, (EXP57 * sp.log(C56) - S * b / lam * w ** 2).subs({s: point[s.name] for s in
                                                                            (lam, S, a, b, sigma)}), "numpy")
    grid = np.linspace(0, 6, 6001)
    k = int(np.argmax(f(grid)))
    res = minimize_scalar(lambda x: -f(x), bounds=(grid[max(k - 1, 0)], grid[min(k + 1, 6000)]), method="bounded",
                          options={"xatol": 1e-12})
    return float(max(f(0.0), -res.fun))


@claim("ziyin.eq59", "Eqs. (58)-(59), App. C.2", "Most probable w: 0 for a > -lambda/S, ±sqrt(-lambda/(Sb) - a/b) "
       "for a < -lambda/S", about="algebra", uses=["ziyin.eq57"])
def eq59():
    from checks import ExactComparison

    regime = Regime((Param(lam, 0.05, 0.9), Param(S, 1, 8, log=True), Param(a, -3, 1), Param(b, 0.5, 1.5),
                     Param(sigma, 0.1, 1, log=True)), (), "App. C.2")
    ln_p = EXP57 * sp.log(C56) - S * b / lam * w ** 2
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\hat{w}"), WHAT59), regime=regime, symbols=SYMBOLS,
        dynamics="the stationary density (57)", observable="maximiser of P (w >= 0)",
        checks=[SymbolicEquality("d ln P/dw = 0 at w-hat (58)", lambda c: sp.diff(ln_p, w).subs(w, c.formula),
                                 sp.S.Zero),
                ExactComparison("ln P at w-hat is the maximum of ln P over w >= 0 (numerical search)",
                                lambda p: [log_p57_max(p)],
                                lambda p, f: [float(ln_p.subs({w: float(f(**p)), **{s: p[s.name] for s in
                                                                                   (lam, S, a, b, sigma)}}))],
                                rtol=1e-9, perturbations=DEFAULT_PERTURBATIONS[:2])])


# --- App. C.3: Eqs. (60)-(63) ---------------------------------------------------------------------------------------
L60 = a * wp ** 2 / 2 + x * wp ** 2 / 2 + b * wp ** 2 / 4
L60_CORRECTED = a * wp ** 2 / 2 + x * wp ** 2 / 2 + b * wp ** 4 / 4
DRIFT61 = a * wp + x * wp + b * wp ** 3              # (61): drift lambda (a w + b w^3), noise lambda x w
L60_REGIME = Regime((Param(a, -2, 2), Param(b, 0.1, 2), Param(x, -2, 2), Param(wp, 0.05, 2)), (), "App. C.3")


def gradient_is_61():
    return [SymbolicEquality("its gradient is a w + x w + b w^3: the drift and the noise of (61)",
                             lambda c: sp.diff(c.formula, wp), DRIFT61)]


@claim("ziyin.eq60", "Eq. (60), App. C.3", "Quartic loss L = a w^2/2 + x w^2/2 + b w^2/4 (as printed)", about="algebra")
def eq60():
    return Claim(statement=sp.Eq(sp.Symbol("L"), L60), regime=L60_REGIME, symbols=Q_SYMBOLS,
                 dynamics="SDE (61)", observable="the loss",
                 notes=["The section is the '4-th order potential'; (61) and (62) use b "
                        "w^4/4."], checks=gradient_is_61())


@claim("ziyin.eq60.corrected", "Eq. (60), corrected", "L = a w^2/2 + x w^2/2 + b w^4/4", corrects="ziyin.eq60",
       about="algebra")
def eq60_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("L"), L60_CORRECTED), regime=L60_REGIME, symbols=Q_SYMBOLS,
                 dynamics="SDE (61)", observable="the loss", checks=gradient_is_61())


F62 = wp ** (-2 - 2 * S * a / lam) * sp.exp(-S * b / lam * wp ** 2)
Q62 = Sampling(sp.And(-S * a / lam >= 1, -S * a / lam <= sp.Rational(5, 2)), "1 <= -S a/lambda <= 2.5 (normalisable; "
               "ziyin.eq63.normalization.corrected)")
REGIME62 = Regime((Param(lam, 0.2, 0.9), Param(S, 1, 4.5), Param(a, -2.3, -0.04), Param(b, 0.5, 1.5)), (THETA, Q62),
                  "SDE (61), a < 0, where (62) is normalisable")


def q62_simulate(point, n_paths, rng):
    """w = e^y of SDE (61) at tau = lambda t = 40 (Euler step 0.01 in y)."""
    out, div = y_sde(point, point["a"], 40.0, n_paths, rng)
    return as_sample(np.exp(out[40.0]), div)


@claim("ziyin.eq62", "Eqs. (61)-(62), App. C.3", "Stationary density P ∝ w^(-2 - 2Sa/lambda) exp(-S b w^2/lambda)",
       uses=["ziyin.eq51", "ziyin.eq60.corrected"])
def eq62():
    return Claim(
        statement=sp.Eq(P(wp), normalised(F62, wp, 0, sp.oo)), regime=REGIME62, symbols=Q_SYMBOLS,
        dynamics="SDE (61): dw = -lambda (a w + b w^3) dt + (lambda/sqrt S) w dW", observable="stationary density "
                                                                                              "of |w|",
        notes=["'∝' encoded with its normalisation over w > 0 (the law of |w|; the process keeps its sign), where it "
               "exists: -S a/lambda > 1/2 (ziyin.eq63.normalization.corrected). Samples for 1 <= q <= 2.5."],
        checks=[zero_flux("zero flux (48) for L = a w^2/2 + b w^4/4, C = w^2", lambda c: c.formula, L_QUARTIC,
                          wp ** 2, wp, extra=[Param(wp, 0.05, 3)]),
                TotalMass("total mass 1 on w > 0", lambda c: c.formula, wp, lower=sp.S.Zero),
                StationaryDensity("samples of SDE (61) at tau = lambda t = 40 (Euler in ln w, step 0.01)", q62_simulate,
                                  wp, support=(0.0, math.inf))])


def pole(claim_or_expr):
    return lambda point, qv: power_at_zero(F62, point, qv) < 0


@claim("ziyin.eq63", "Eq. (63), App. C.3", "When -S a/lambda < 1, P of (62) diverges at w = 0", about="algebra",
       uses=["ziyin.eq62"])
def eq63():
    return Claim(
        statement=sp.Eq(sp.Symbol("q_c"), sp.S.One), regime=Q_REGIME, symbols=Q_SYMBOLS, dynamics="the density (62)",
        observable="critical q = -S a/lambda below which P(0+) = oo",
        checks=[Threshold("(62) has a negative power of w at 0 just below q_c and not just above",
                          lambda p, qv: power_at_zero(F62, p, qv) < 0, what="P(w -> 0) = oo", evidence="derivation")])


def normalisation_diverges(point, qv) -> bool:
    return power_at_zero(F62, point, qv) <= -1


@claim("ziyin.eq63.normalization", "Eq. (63), App. C.3 (the sentence after it)",
       "When -S a/lambda < 1 the normalisation of (62) diverges", about="algebra", uses=["ziyin.eq62"])
def eq63_normalization():
    return Claim(
        statement=sp.Eq(sp.Symbol("q_c"), sp.S.One), regime=Q_REGIME, symbols=Q_SYMBOLS,
        dynamics="the density (62)", observable="critical q below which int_0 P dw = oo",
        notes=["Near 0, (62) is w^(2q - 2): integrable iff 2q - 2 > -1."],
        checks=[Threshold("int_0 P dw diverges just below q_c and not just above", normalisation_diverges,
                          what="the normalisation of (62) diverges", evidence="derivation")])


@claim("ziyin.eq63.normalization.corrected", "Eq. (63), corrected", "The normalisation of (62) diverges iff "
       "-S a/lambda <= 1/2", corrects="ziyin.eq63.normalization", about="algebra")
def eq63_normalization_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol("q_c"), sp.Rational(1, 2)), regime=Q_REGIME, symbols=Q_SYMBOLS,
        dynamics="the density (62); SDE (61)", observable="critical q below which int_0 P dw = oo",
        checks=[Threshold("int_0 P dw diverges just below q_c and not just above", normalisation_diverges,
                          what="the normalisation of (62) diverges", evidence="derivation"),
                Threshold("the exact solution near w = 0 collapses (ln w -> -oo) just below q_c and not just above",
                          collapses, what="ln w -> -oo for the exact solution of (61) linearised at 0")])


EPS = 1e-3


def ball_fractions(point, n_paths, rng):
    """Fractions of SDE (61) runs with w < 1e-3 at tau = 150 and 300 (two independent sets of runs)."""
    r1, r2 = rng.spawn(2)
    f1 = y_sde(point, point["a"], 150.0, n_paths, r1)[0][150.0]
    f2 = y_sde(point, point["a"], 300.0, n_paths, r2)[0][300.0]
    return Sample(np.column_stack([f1 < math.log(EPS), f2 < math.log(EPS)]).astype(float),
                  ["P(w < 1e-3), tau = 150", "P(w < 1e-3), tau = 300"])


class SettledFraction(MonteCarloMean):
    """The probability of the ball w < 1e-3 in the limit t -> oo, claimed by the statement, against runs at two
    horizons (independent): an exact two-sided binomial test at each; the law has settled if the two fractions do
    not differ (Fisher's exact test). Refuted only when both horizons reject the claim and the fractions agree."""

    form = "fraction"

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng, n_paths, expr, details = self.setup(claim, ctx)
        f = self.lambdified(claim, expr)
        rows, failure = [], None
        for point in points:
            s = self.sample(claim, ctx, point, n_paths, rng)
            k = s.values.sum(axis=0).astype(int)
            n = s.values.shape[0]
            p0 = min(max(float(f(**point)), 0.0), 1.0)
            pv = [float(stats.binomtest(int(kk), n, p0).pvalue) for kk in k]
            settled = float(stats.fisher_exact([[k[0], n - k[0]], [k[1], n - k[1]]]).pvalue)
            ctx.counter.add(3)
            rows.append({"params": point, "claimed": float(f(**point)), "counts": k.tolist(), "n": n,
                         "fractions": (k / n).tolist(), "p_values": pv, "p_settled": settled})
            if failure is None and max(pv) < ALPHA and settled >= ALPHA:
                failure = dict(rows[-1])
        details["rows"] = rows
        details["self_test"] = [{"perturbation": "claimed probability = the observed fraction at tau = 300 +- 0.1",
                                 "rejected": all(stats.binomtest(int(r["counts"][1]), r["n"],
                                                                 min(1, max(0, r["fractions"][1] + d))).pvalue < ALPHA
                                                 for r in rows for d in (-0.1, 0.1))}]
        method = "exact binomial tests at two horizons, Fisher's exact test that they agree"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        if any(max(r["p_values"]) < ALPHA for r in rows):
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="the law had not settled between the two horizons")
        return with_power(self.kind, self.name, method, details)




DELTA_REGIME = Regime((Param(lam, 0.2, 0.9), Param(S, 1, 4.5), Param(a, -0.85, -0.1), Param(b, 0.5, 1.5)),
                      (THETA, Sampling(sp.And(-S * a / lam >= sp.Rational(7, 10), -S * a / lam <= sp.Rational(19, 20)),
                                       "0.7 <= -S a/lambda <= 0.95: where (63) holds and the readings 1 and 1/2 "
                                       "differ")),
                      "SDE (61) under condition (63)")


@claim("ziyin.eq63.delta", "App. C.3, after Eq. (63)", "Under (63) the stationary distribution of (61) is a Dirac "
       "delta at w = 0", uses=["ziyin.eq62"])
def eq63_delta():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\lim_{t\to\infty} P(|w_t| < \epsilon)"), sp.S.One), regime=DELTA_REGIME,
        symbols=Q_SYMBOLS, dynamics="SDE (61)", observable="probability of |w| < 1e-3 after a long run",
        notes=["'P(w) becomes a Dirac delta function' under (63), -S a/lambda < 1; sampled where 1/2 < q < 1, the "
               "range "
               "in which the exact solution near 0 (ziyin.eq63.delta.corrected) says the runs do not collapse."],
        checks=[SettledFraction("runs of SDE (61) at tau = 150 and 300 (Euler in ln w)", ball_fractions,
                                lambda p, f: [f(**p)] * 2, n_points=2, n_paths=4000)])


@claim("ziyin.eq63.delta.corrected", "App. C.3, corrected", "SDE (61) collapses to w = 0 iff -S a/lambda <= 1/2",
       corrects="ziyin.eq63.delta")
def eq63_delta_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol("q_c"), sp.Rational(1, 2)), regime=Q_REGIME, symbols=Q_SYMBOLS, dynamics="SDE (61)",
        observable="critical q = -S a/lambda below which w -> 0",
        checks=[Threshold("the exact solution near w = 0 collapses just below q_c and not just above", collapses,
                          what="ln w -> -oo for the exact solution of (61) linearised at 0")])


# --- App. C.4: Eqs. (64)-(71) ----------------------------------------------------------------------------------
wr = sp.Symbol("w", real=True)
C65 = (Ex2 * wr ** 2 + a ** 2 * wr ** 2) / Sn
C65_FIRST = (Ex2 * wr ** 2 - (a * wr) ** 2) / Sn            # (65)'s first form: (1/S)(E[g g] - E[g] E[g])
C43 = (Ex2 - a ** 2) * wr ** 2                              # the per-sample variance that (43) divides by S
REGIME65 = Regime((Param(Ex2, 1.0, 4.0), Param(a, -0.9, -0.1), Param(Sn, 1, 16), Param(wr, -2, 2),
                   Param(lam, 0.05, 0.9)),
                  (), "L = x w^2/2 with E x = a (App. C.4); x sampled from a two-point law with these moments")


def minibatch(point, n_paths, rng):
    """One minibatch of S draws x ~ N(a, E[x^2] - a^2) (their mean is drawn exactly, N(a, (E[x^2] - a^2)/S)): per run
    the squared deviation of the minibatch gradient from its mean, of one per-sample gradient, and of one SGD step."""
    av, sd, S_, wv, lv = point["a"], math.sqrt(point["E[x^2]"] - point["a"] ** 2), int(point["S"]), point["w"], \
        point["lambda"]
    xbar = av + sd * rng.standard_normal(n_paths) / math.sqrt(S_)
    x1 = av + sd * rng.standard_normal(n_paths)
    step = -lv * xbar * wv
    return Sample(np.column_stack([((xbar - av) * wv) ** 2, ((x1 - av) * wv) ** 2, (step + lv * av * wv) ** 2]),
                  ["(g_S - E g)^2", "(g_1 - E g)^2", "(Delta w - E Delta w)^2"])


def c65_checks():
    return [SymbolicEquality("the first form of (65), (1/S)(E[(x w)^2] - (a w)^2)", lambda c: c.formula, C65_FIRST),
            MonteCarloMean("per-sample gradient variance (E[x^2] - a^2) w^2 = S C and minibatch variance C, sampled",
                           minibatch, lambda p, f: [f(**p), f(**p) * p["S"], f(**p) * p["lambda"] ** 2],
                           n_points=3, n_paths=100_000)]


@claim("ziyin.eq65", "Eq. (65), App. C.4", "Gradient-noise variance C(w) = (E[x^2] w^2 + a^2 w^2)/S")
def eq65():
    return Claim(statement=sp.Eq(sp.Symbol("C(w)"), C65), regime=REGIME65,
                 symbols={**Q_SYMBOLS, "E[x^2]": "second moment of x", "S": "batch size"},
                 dynamics="minibatch gradients of L = x w^2/2, E x = a", observable="variance of the minibatch "
                                                                                    "gradient",
                 notes=["The first form in (65) is the minibatch covariance; the last form adds a^2 instead of "
                        "subtracting it. The Monte Carlo observables: minibatch variance C, one sample's variance S C, "
                        "one SGD step's variance lambda^2 C."],
                 checks=c65_checks())


@claim("ziyin.eq65.corrected", "Eq. (65), corrected", "C(w) = (E[x^2] - a^2) w^2 / S", corrects="ziyin.eq65")
def eq65_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("C(w)"), (Ex2 - a ** 2) * wr ** 2 / Sn), regime=REGIME65,
                 symbols={**Q_SYMBOLS, "E[x^2]": "second moment of x", "S": "batch size"},
                 dynamics="minibatch gradients of L = x w^2/2, E x = a", observable="variance of the minibatch "
                                                                                    "gradient",
                 checks=c65_checks())


DW67 = -lam * a * wr - lam * x * wr
REGIME67 = Regime((Param(lam, 0.05, 0.9), Param(a, -1, -0.05), Param(x, -2, 2), Param(wr, -2, 2)), (), "App. C.4")


def step_of_64():
    return [SymbolicEquality("-lambda dL/dw for the sampled loss (64), L = x w^2/2 (E x = a)", lambda c: c.formula,
                             -lam * sp.diff(x * wr ** 2 / 2, wr))]


@claim("ziyin.eq67", "Eqs. (66)-(67), App. C.4", "SGD step Delta w = -lambda a w - lambda x w", about="algebra")
def eq67():
    return Claim(statement=sp.Eq(sp.Symbol(r"\Delta w"), DW67), regime=REGIME67, symbols=Q_SYMBOLS,
                 dynamics="SGD on (64)", observable="one step",
                 notes=["(64) defines x with mean a; (67) is right if x there denotes the fluctuation x - a (as in "
                        "(60))."],
                 checks=step_of_64())


@claim("ziyin.eq67.corrected", "Eq. (67), corrected", "Delta w = -lambda a w - lambda (x - a) w", corrects="ziyin.eq67",
       about="algebra")
def eq67_corrected():
    return Claim(statement=sp.Eq(sp.Symbol(r"\Delta w"), -lam * a * wr - lam * (x - a) * wr), regime=REGIME67,
                 symbols=Q_SYMBOLS, dynamics="SGD on (64)", observable="one step", checks=step_of_64())


NOISE68 = lam * wp / sp.sqrt(Sn)
REGIME68 = Regime((Param(lam, 0.05, 0.9), Param(a, -0.9, -0.1), Param(Sn, 1, 16), Param(wp, 0.1, 2)), (),
                  "App. C.4 with Var x = 1 (E[x^2] = 1 + a^2), as (68) takes it")


def increment(point, n_paths, rng):
    p = {"E[x^2]": 1 + point["a"] ** 2, "a": point["a"], "S": point["S"], "w": point["w"], "lambda": point["lambda"]}
    return Sample(minibatch(p, n_paths, rng).values[:, 2:], ["(Delta w - E Delta w)^2"])


@claim("ziyin.eq68", "Eq. (68), App. C.4", "Continuous approximation dw = -lambda a w dt + (lambda/sqrt S) w dW",
       uses=["ziyin.eq65.corrected", "ziyin.eq46"])
def eq68():
    return Claim(
        statement=sp.Eq(sp.Symbol("noise coefficient"), NOISE68), regime=REGIME68, symbols=Q_SYMBOLS,
        dynamics="minibatch SGD on (64), one step = dt", observable="standard deviation of one step",
        notes=["(43) multiplies sqrt(C) by lambda/sqrt(S), so its C is the per-sample variance (E[x^2] - a^2) w^2, "
               "which (68) takes as w^2 (Var x = 1); (65)'s C, already divided by S, would give lambda w / S."],
        checks=[SymbolicEquality("(43)'s noise (lambda/sqrt S) sqrt(C) with the per-sample C = (E[x^2] - a^2) w^2",
                                 lambda c: c.formula, lam / sp.sqrt(Sn) * sp.sqrt(C43.subs({Ex2: 1 + a ** 2, wr: wp}))),
                MonteCarloMean("variance of one minibatch SGD step, sampled", increment,
                               lambda p, f: [f(**p) ** 2], n_points=3, n_paths=100_000,
                               perturbations=(SCALE_UP, SCALE_DOWN))])


W_LO, W_HI = 0.2, 5.0
F70 = (wp / w1) ** (-2 - 2 * S * a / lam)
REGIME70 = Regime((Param(lam, 0.2, 0.9), Param(S, 1, 4.5), Param(a, -1, 1), Param(w1, 0.5, 2)), (THETA,),
                  "SDE (68), any a")


def reflected_simulate(point, n_paths, rng):
    """w = e^y of SDE (68) reflected into [0.2, 5] (so that a stationary law exists), tau = lambda t = 60."""
    out, div = y_sde(point, point["a"], 60.0, n_paths, rng, reflect=(math.log(W_LO), math.log(W_HI)), b_value=0.0)
    return as_sample(np.exp(out[60.0]), div)


@claim("ziyin.eq70", "Eqs. (69)-(70), App. C.4, and Example 1", "Quadratic loss, C = w^2: P ∝ w^(-2 - 2Sa/lambda)",
       uses=["ziyin.eq51", "ziyin.eq68"])
def eq70():
    return Claim(
        statement=sp.Eq(P(wp) / P(w1), F70), regime=REGIME70, symbols=Q_SYMBOLS, dynamics="SDE (68)",
        observable="stationary density of |w| up to a factor",
        notes=["Normalisable for no a, so '∝' is encoded as the ratio P(w)/P(w_1). A stationary law exists when the "
               "process is reflected into an interval: the zero-flux solution restricted to it, which the samples "
               "test."],
        checks=[zero_flux("zero flux (48) for L = a w^2/2, C = w^2", lambda c: c.formula, a * wp ** 2 / 2, wp ** 2, wp,
                          extra=[Param(wp, 0.05, 3)]),
                SymbolicEquality("the ratio is 1 at w = w_1", lambda c: c.formula.subs(wp, w1), sp.S.One),
                StationaryDensity("samples of SDE (68) reflected into [0.2, 5] at tau = 60 (Euler in ln w, step 0.01)",
                                  reflected_simulate, wp, support=(W_LO, W_HI),
                                  formula=lambda c: normalised(c.formula, wp, W_LO, W_HI))])


def escapes(point, qv) -> bool:
    return not collapses(point, qv)


@claim("ziyin.eq71", "Eq. (71), App. C.4", "Escaping w = 0 requires -S a/lambda > 1", uses=["ziyin.eq68"])
def eq71():
    return Claim(
        statement=sp.Eq(sp.Symbol("q_c"), sp.S.One), regime=Q_REGIME, symbols=Q_SYMBOLS,
        dynamics="SDE (68): dw = -lambda a w dt + (lambda/sqrt S) w dW", observable="critical q = -S a/lambda",
        notes=["Exact solution (Ito): ln w(t) = ln w(0) + (-lambda a - lambda^2/(2S)) t + (lambda/sqrt S) W(t), so "
               "P(|w(t)| > |w(0)|) -> 1 iff the drift (lambda^2/S)(q - 1/2) is positive."],
        checks=[Threshold("the exact solution escapes just above q_c and not just below", escapes, below=False,
                          what="ln w -> +oo for the exact solution of (68)")])


@claim("ziyin.eq71.corrected", "Eq. (71), corrected", "SDE (68) escapes w = 0 iff -S a/lambda > 1/2",
       corrects="ziyin.eq71")
def eq71_corrected():
    return Claim(
        statement=sp.Eq(sp.Symbol("q_c"), sp.Rational(1, 2)), regime=Q_REGIME, symbols=Q_SYMBOLS,
        dynamics="SDE (68)", observable="critical q = -S a/lambda",
        notes=["Figure 2's lower branch a/(a-1) ~ -a as a -> 0 is the same line: its two-point x has mean a/2 and "
               "variance ((2 - a)/2)^2 -> 1, so -S (a/2)/lambda > 1/2 with S = 1 reads lambda < -a."],
        checks=[Threshold("the exact solution escapes just above q_c and not just below", escapes, below=False,
                          what="ln w -> +oo for the exact solution of (68)")])
