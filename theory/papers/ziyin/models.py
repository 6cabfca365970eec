"""`ziyin`, shared by Secs. 4-5.2 and their experiments: the symbols, the printed expressions (each typed
once), the two-point noise model of Eq. (4) and its exact law, and the simulators.

The model: SGD (2) on the sampled loss L(w; x) = x w^2/2 (Eq. (4)) with x = 1 or x = a - 1, probability 1/2
each (mean a/2; a < 0 makes w = 0 a local maximum). One step is w_t = (1 - lambda x_t) w_{t-1}, so with
l1 = ln|1 - lambda|, l2 = ln|1 - lambda (a - 1)| and k ~ Binomial(t, 1/2) draws of x = 1,
ln|w_t/w_0| = k l1 + (t - k) l2 exactly. Every probability below is a binomial tail (O(1) at any t).
Nothing here runs at import time beyond building SymPy expressions.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy import optimize, stats

from checks import Sample
from checks.dynamics.loop import run
from checks.dynamics.multiplicative import log_abs_w, two_point_curvatures
from checks.stats import ALPHA

# --- symbols, with the assumptions the paper makes ------------------------------------------------------
lam = sp.Symbol("lambda", positive=True)             # learning rate
a = sp.Symbol("a", negative=True)                    # x = 1 or a - 1 (a < 0: w = 0 is a local maximum)
t = sp.Symbol("t", positive=True, integer=True)      # time step
w0 = sp.Symbol("w_0", real=True, nonzero=True)       # initial parameter
eps = sp.Symbol("epsilon", positive=True)            # a ball around w = 0, or Prop. 3's target rate
x = sp.Symbol("x", real=True)                        # the data point (the curvature) of one step
z = sp.Symbol("z", real=True)                        # where a limiting c.d.f. is evaluated
mu = sp.Symbol("mu", real=True)                      # mu = E ln|1 - lambda x| (Lemma 1)
s = sp.Symbol("s", positive=True)                    # s^2 = Var ln|1 - lambda x| (Lemma 1)
LOGW = sp.Symbol(r"\ln|w_t/w_0|")                    # no assumptions: never swapped with z by a mutant
P = sp.Function("P")

SYMBOLS = {"lambda": "learning rate", "a": "x = 1 or x = a - 1 with probability 1/2 each (mean a/2)",
           "t": "time step", "w_0": "initial parameter", "epsilon": "radius of a ball around w = 0",
           "mu": "E ln|1 - lambda x|", "s": "standard deviation of ln|1 - lambda x|",
           "z": "argument of a limiting c.d.f."}


def two_point(expr: sp.Expr) -> sp.Expr:
    """E over p(x) = delta(x - 1)/2 + delta(x - a + 1)/2 (Prop. 1, Prop. 2, Sec. 6.1)."""
    return (expr.subs(x, 1) + expr.subs(x, a - 1)) / 2


# --- the printed expressions (each typed once) ---------------------------------------------------------------
MU76 = sp.log(sp.Abs(1 - lam)) / 2 + sp.log(sp.Abs(1 - lam * (a - 1))) / 2
MU77 = sp.log(sp.Abs((1 - lam) * (1 - lam * (a - 1)))) / 2
MU82 = sp.log((1 - lam) * (1 - lam * (a - 1))) / 2                  # lambda < 1
PRODUCT78 = (1 - lam) * (1 - lam * (a - 1))
LOWER8 = a / (a - 1)
UPPER8 = (a - sp.sqrt(a ** 2 - 8 * a + 8)) / (2 * (a - 1))
LAM_STAR = a / (2 * (a - 1))
GAMMA84 = sp.log((2 - a) ** 2 / (4 * (1 - a))) / 2
GAMMA_STAR = sp.log((2 - a) / (2 * sp.sqrt(1 - a)))
BOUND85 = 2 * sp.Abs(-sp.exp(eps) * sp.sqrt(sp.exp(2 * eps) - 1) - sp.exp(2 * eps) + 1)
PHI_S = (1 + sp.erf(z / (s * sp.sqrt(2)))) / 2                      # the c.d.f. of N(0, s^2) at z
LOG_STEP = sp.log(sp.Abs(1 - lam * x))                               # ln|1 - lambda x|, one step


def ends(matrix, a_value) -> tuple[sp.Expr, sp.Expr]:
    """The two ends of an interval printed as Matrix([lower, upper]), at a rational a (exact)."""
    av = sp.nsimplify(a_value, rational=True)
    return tuple(sp.sympify(e).subs(a, av) for e in matrix)


# --- the exact law -----------------------------------------------------------------------------------------
class TwoPoint:
    """ln|w_t/w_0| = k l1 + (t - k) l2, k ~ Binomial(t, 1/2). ``lam`` may be a SymPy number (an end of (8)
    given exactly): l1, l2 and mu are then computed to 60 digits, so mu = 0 at an exact end is seen as 0."""

    ZERO = mpmath.mpf("1e-40")

    def __init__(self, lam_value, a_value, scale: float = 1.0):
        with mpmath.workdps(60):
            lv = mpmath.mpf(sp.N(sp.sympify(lam_value) * sp.nsimplify(scale, rational=True), 70))
            av = mpmath.mpf(sp.N(sp.sympify(a_value), 70))
            self.l1_mp, self.l2_mp = mpmath.log(abs(1 - lv)), mpmath.log(abs(1 - lv * (av - 1)))
            self.mu_mp = (self.l1_mp + self.l2_mp) / 2
        self.l1, self.l2 = float(self.l1_mp), float(self.l2_mp)
        self.lam, self.a = float(lv), float(av)
        self.mu = 0.0 if abs(self.mu_mp) < self.ZERO else float(self.mu_mp)
        self.s = abs(self.l1 - self.l2) / 2                     # the standard deviation of one log-step
        self.d = abs(self.l1 - self.l2)                         # the range of one log-step (Hoeffding)

    def cdf(self, T: int, y: float, strict: bool = False) -> tuple[float, float]:
        """(P(L_T <= y), P(L_T > y)), or with < and >= when strict; each side computed from its own tail."""
        with mpmath.workdps(60):
            lo, hi = sorted((self.l1_mp, self.l2_mp))
            j = (mpmath.mpf(y) - T * lo) / (hi - lo)                  # in units of k, the draws of the larger
            k = int(mpmath.ceil(j) - 1) if strict else int(mpmath.floor(j))
        k = min(max(k, -1), T)
        return float(stats.binom.cdf(k, T, 0.5)), float(stats.binom.sf(k, T, 0.5))

    def p_inside(self, T: int, epsilon: float, w_start: float) -> tuple[float, float]:
        """(P(|w_T| < epsilon), P(|w_T| >= epsilon)) from w_0 = w_start."""
        return self.cdf(T, math.log(epsilon / abs(w_start)), strict=True)

    def hoeffding(self, T: int, c: float) -> float:
        """Bound on P(L_T >= c) when mu < 0 (Hoeffding: steps in an interval of length d)."""
        gap = c - T * self.mu
        return 1.0 if gap <= 0 else math.exp(-2 * gap * gap / (T * self.d ** 2))

    def horizon(self, c: float, tol: float, cap: int = 10 ** 7) -> int | None:
        """The smallest T with P(L_T >= c) <= tol by Hoeffding (mu < 0), or None beyond cap."""
        if self.mu >= 0:
            return None
        T = max(1, int(2 * abs(c) / -self.mu))
        while self.hoeffding(T, c) > tol:
            T = int(T * 1.25) + 1
            if cap < T:
                return None
        return T


def exact_rate(lam_value: float, a_value: float) -> float:
    """lim_t E ln|w_t| / t of the exact law: the mean of one log-step (the binomial mean k = t/2)."""
    return TwoPoint(lam_value, a_value).mu


def sup_rate(a_value, upper: float = 1.0, dps: int = 60) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(sup over 0 < lambda < upper of the exact rate, its argmax) by golden-section search at dps digits;
    the rate (ln|1 - lambda| + ln|1 - lambda (a - 1)|)/2 is the exact law's, not the paper's (82)-(84)."""
    with mpmath.workdps(dps):
        av = mpmath.mpf(sp.N(sp.sympify(a_value), dps + 10))

        def rate(v):
            return (mpmath.log(abs(1 - v)) + mpmath.log(abs(1 - v * (av - 1)))) / 2

        lo, hi = mpmath.mpf("1e-30"), mpmath.mpf(upper) - mpmath.mpf("1e-30")
        g = (mpmath.sqrt(5) - 1) / 2
        c, d = hi - g * (hi - lo), lo + g * (hi - lo)
        for _ in range(4 * dps):
            if rate(c) > rate(d):
                hi, d = d, c
                c = hi - g * (hi - lo)
            else:
                lo, c = c, d
                d = lo + g * (hi - lo)
        best = (lo + hi) / 2
        return rate(best), best


# --- simulators (the printed dynamics) ----------------------------------------------------------------------
def sgd_log(lam_value: float, a_value: float, T: int, n: int, rng, log_start=0.0, record=None):
    """ln|w| of n SGD runs (2) on Eq. (4), two-point x, step by step in the log domain."""
    return log_abs_w(lam_value, a_value, int(T), n, rng, record=record, log_w0=log_start)


def sgd_w_unit_rate(a_value: float, T: int, n: int, rng, w_start: float) -> np.ndarray:
    """w_T of SGD with lambda = 1 (every factor 1 - x is 0 or 2 - a > 0, so w_T keeps w_0's sign or is 0)."""
    logs = sgd_log(1.0, a_value, T, n, rng)[int(T)]
    return np.where(np.isfinite(logs), np.exp(logs), 0.0) * w_start


def sgd_steps(lam_value: float, a_value: float, coins, w_start: float) -> float:
    """w_T of SGD (2) on Eq. (4) for a given sequence of coins (1: x = 1, 0: x = a - 1), one step at a time."""
    w = w_start
    for c in coins:
        x_value = 1.0 if c else a_value - 1.0
        w = w - lam_value * (x_value * w)          # the gradient of x w^2 / 2 is x w
    return w


def fixed_coins(n: int, seed: int = 7) -> list[int]:
    return [int(v) for v in np.random.default_rng(seed).integers(0, 2, n)]


def quartic_runs(lam_value: float, a_value: float, T: int, n: int, rng, w_start=None):
    """SGD on x w^2/2 + w^4/4 (Sec. 6.1), two-point x, from w_0 ~ U[-1, 1] (or w_start): (w_T, escaped).
    A run is stopped once |w| >= R with lambda R^2 = 3 - lambda (a - 1): there every step multiplies |w| by
    |1 - lambda x - lambda w^2| >= 2, so the run diverges (it is recorded as escaped, not averaged)."""
    radius = math.sqrt((3 - lam_value * (a_value - 1)) / lam_value)
    start = rng.uniform(-1, 1, (n, 1)) if w_start is None else np.full((n, 1), float(w_start))

    def step(w, rng):
        xs = two_point_curvatures(a_value, rng, w.shape)
        return w - lam_value * (xs * w + w ** 3)

    traj = run(step, start, int(T), rng, save=(int(T),), stop=lambda w: np.abs(w[:, 0]) >= radius)
    escaped = (traj.exit_step > 0) | traj.diverged
    return traj.saved[int(T)][:, 0], escaped, radius


def additive_runs(lam_value: float, a_value: float, sigma: float, steps, n: int, rng) -> dict[int, np.ndarray]:
    """Figure 7: SGD with gradient x w + sigma xi (xi ~ N(0, 1)) from w_0 ~ U[-1, 1]; w at the saved steps."""
    start = rng.uniform(-1, 1, (n, 1))

    def step(w, rng):
        xs = two_point_curvatures(a_value, rng, w.shape)
        return w - lam_value * (xs * w + sigma * rng.standard_normal(w.shape))

    traj = run(step, start, int(max(steps)), rng, save=tuple(steps))
    if traj.diverged.any():
        return {k: None for k in steps}
    return {k: traj.saved[k][:, 0] for k in steps}


def indicator(values, label: str) -> Sample:
    return Sample(np.asarray(values, dtype=float)[:, None], [label])


def unit_rate_law(a_value: float, T: int) -> tuple[float, float]:
    """lambda = 1: (P(w_T = 0), P(w_T != 0)) exactly; w_T != 0 needs T draws of x = a - 1 (binomial k = 0)."""
    alive = float(stats.binom.pmf(0, int(T), 0.5))
    return 1.0 - alive, alive


def unit_rate_moment(a_value: float, T: int, w_start: float, power: int) -> float:
    """lambda = 1: E[w_T^power] exactly (w_T = (2 - a)^T w_0 on the one path without x = 1, else 0)."""
    return unit_rate_law(a_value, T)[1] * ((2 - a_value) ** T * w_start) ** power


# --- the exact law and runs as the checks of Secs. 5.1-5.2 use them ------------------------------------------------
BALL, START = 1e-3, 1.0                   # convergence in probability is tested on |w_t| < 1e-3 from w_0 = 1
LAMBDA0, A0 = 0.8, -1.0                   # Theorem 1's construction: k x w^2/2 with k = 0.8/lambda, a = -1
RUNS = 1000                               # runs per point of Prop. 2's binomial test
ELNW, ESTEP = sp.Function(r"E\ln|w|"), sp.Function(r"E\ln|w_i/w_{i-1}|")
ELNW0, i = sp.Symbol(r"E\ln|w_0|"), sp.Symbol("i", positive=True, integer=True)
A_POINTS = (sp.Rational(-1, 4), sp.Rational(-1), sp.Rational(-7, 2))


def at(expr, u, a_v):
    """lambda at position u of the interval Matrix([lower, upper]) read from the statement, at rational a."""
    lo, hi = (sp.sympify(e).subs(a, a_v) for e in expr)
    return lo if u == 0 else hi if u == 1 else sp.N(lo + sp.Rational(u) * (hi - lo), 40)


def exact_mean_rate(p, T: int = 64) -> float:
    """E ln|w_T/w_0| / T computed from the binomial law (the mean of k l1 + (T - k) l2)."""
    m = TwoPoint(p["lambda"], p["a"])
    k = np.arange(T + 1)
    return float(np.sum(stats.binom.pmf(k, T, 0.5) * (k * m.l1 + (T - k) * m.l2)) / T)


def log_rate_runs(T: int):
    def simulate(p, n, rng):
        return Sample((sgd_log(p["lambda"], p["a"], T, n, rng)[T] / T)[:, None], [f"ln|w_T/w_0|/T, T = {T}"])
    return simulate



def convergence_case(lam_v, a_v, point):
    """Exact P(|w_t| < 1e-3) from w_0 = 1 along a ladder reaching far past the law's time scale s^2/mu^2."""
    if not (lam_v.is_real and lam_v > 0):
        return {"point": point, "invalid": "an end of the interval is not a learning rate (lambda > 0)"}
    m = TwoPoint(lam_v, a_v)
    if m.mu == 0:
        ladder = [10 ** k for k in range(2, 8)]
    else:
        top = 10 ** math.ceil(math.log10(400 * m.s ** 2 / m.mu ** 2 + 1000))
        if top > 10 ** 10:
            return {"point": point, "undecided": f"the time scale s^2/mu^2 at {point} is beyond 1e10 steps"}
        ladder = [top // 4 ** k for k in range(5, -1, -1)]
    return {"point": {**point, "mu": m.mu}, "ladder": ladder,
            "exact": lambda T: m.p_inside(T, BALL, START)[0]}


def interval_cases(positions):
    def cases(c, expr, rng):
        out = []
        for a_v in A_POINTS:
            for u in positions:
                case = convergence_case(at(expr, u, a_v), a_v, {"a": float(a_v), "u": u,
                                                                "lambda": float(sp.re(at(expr, u, a_v)))})
                out.append({**case, "claimed": lambda T: 1.0})
        return out
    return cases


def interval_runs(point, n, rng):
    logs = sgd_log(point["lambda"], point["a"], point["T"], n, rng)[point["T"]]
    return Sample((logs < math.log(BALL / START))[:, None].astype(float), [f"|w_T| < {BALL:g}"])



def mc_points(expr):
    """Runs at u = 1/4, 1/2, 3/4 of the interval for two a; the horizon T makes Hoeffding's bound on a miss at most
    ALPHA / (10 runs), so the test allows 0 misses."""
    out = []
    for a_v in (sp.Rational(-1, 2), sp.Rational(-2)):
        for u in ("1/4", "1/2", "3/4"):
            lam_v = at(expr, u, a_v)
            if not (lam_v.is_real and lam_v > 0):
                continue
            m = TwoPoint(lam_v, a_v)
            T = m.horizon(math.log(BALL / START), ALPHA / (10 * RUNS), cap=6000) or 6000
            out.append({"lambda": float(lam_v), "a": float(a_v), "T": T})
    return out


def hoeffding_tolerance(p) -> float:
    m = TwoPoint(p["lambda"], p["a"])
    return m.hoeffding(p["T"], math.log(BALL / START)) if m.mu < 0 else 0.0



def thm1_cases(c, expr, rng):
    m = TwoPoint(LAMBDA0, A0)
    return [{"point": p, "ladder": [25, 50, 100, 200, 400, 800], "exact": lambda T: m.p_inside(T, BALL, START)[0],
             "claimed": lambda T: float(expr)} for p in c.regime.sample(rng, 3)]


def thm1_runs(point, n, rng):
    k = LAMBDA0 / point["lambda"]                          # SGD with rate lambda on k x w^2/2: factor 1 - lambda k x
    m = TwoPoint(point["lambda"] * k, A0)
    T = m.horizon(math.log(BALL / START), ALPHA / (10 * n))
    logs = sgd_log(point["lambda"] * k, A0, T, n, rng)[T]
    return Sample((logs < math.log(BALL / START))[:, None].astype(float), [f"|w_T| < {BALL:g}, T = {T}"],
                  info={"T": [T], "hoeffding_bound": [m.hoeffding(T, math.log(BALL / START))]})



def rate_cases(c, expr, rng):
    """E ln|w_T| / T of the exact law against the statement with the model's E ln|w_t| = ln|w_0| + t mu (and the
    steps' E ln|w_i/w_(i-1)| = mu) substituted, its limit taken; the substituted statement is in the evidence."""
    out = []
    for p in c.regime.sample(rng, 3):
        m = TwoPoint(p["lambda"], p["a"])
        lw0 = math.log(p["w_0"])
        filled = expr.replace(ELNW, sp.Lambda(t, lw0 + t * m.mu)).replace(ESTEP, sp.Lambda(i, m.mu))
        filled = filled.subs(ELNW0, lw0)
        p = {**p, "statement_on_the_model": sp.sstr(filled)}
        filled = filled.doit()

        def claimed(T, filled=filled):
            v = complex(sp.N(filled.subs(t, T)))
            return v.real if v.imag == 0 else float("nan")
        out.append({"point": p, "ladder": [10, 100, 1000, 10 ** 4], "claimed": claimed,
                    "exact": lambda T, m=m, lw0=lw0: (lw0 + T * m.mu) / T})
    return out


def argmax_exact(p) -> list:
    return [float(sup_rate(p["a"], 1.0, 40)[1])]



def second_difference(p) -> float:
    """The exact law's escape rate: (r(lambda + h) - 2 r(lambda) + r(lambda - h)) / h^2 at h = 1e-4."""
    h = 1e-4
    return sum(w_ * exact_rate(p["lambda"] + d_ * h, p["a"]) for w_, d_ in ((1, 1), (-2, 0), (1, -1))) / h ** 2



def sup_exact(p) -> list:
    return [float(sup_rate(p["a"], 1.0, 40)[0])]



def estimator_at_best(p, n, rng):
    """Eq. (9)'s estimator over tau = 50 steps (Sec. 6.2) at the exact law's best lambda < 1."""
    lam_v = argmax_exact(p)[0]
    return Sample((sgd_log(lam_v, p["a"], 50, n, rng)[50] / 50)[:, None], ["estimator (9), tau = 50"])


def sup_all_cases(c, expr, rng):
    """sup over 0 < lambda <= L of the exact rate as L grows (for lambda > 1 the rate increases with lambda)."""
    f = c.numeric(expr)
    return [{"point": p, "ladder": [2, 8, 32, 128],
             "exact": lambda L, p=p: max(float(sup_rate(p["a"], 1.0, 30)[0]), exact_rate(L, p["a"])),
             "claimed": lambda L, p=p: f(**p)} for p in c.regime.sample(rng, 3)]



def abs_a_max(p) -> list:
    """The largest |a| with sup_(lambda < 1) rate <= epsilon, by root-finding on the exact law's sup."""
    g = lambda b: float(sup_rate(-b, 1.0, 30)[0]) - p["epsilon"]
    return [optimize.brentq(g, 1e-12, 1e9, xtol=1e-14, rtol=1e-13)]



def best_rate_below(claim, p, value):
    """Theorem 2's conclusion sup_(lambda < 1) gamma < epsilon at |a| = value, the sup taken at 60 digits."""
    with mpmath.workdps(60):
        best = sup_rate(-value, 1.0, 60)[0]
        holds = mpmath.mpf(p["epsilon"]) - best > mpmath.mpf("1e-40")           # strict, beyond rounding
        return holds, {"gamma*": float(best), "gamma* - epsilon": float(best - mpmath.mpf(p["epsilon"]))}




def rates(lam_value: float, a_values: np.ndarray) -> np.ndarray:
    """The exact escape rate (mean log-step) at one lambda for many a, vectorized."""
    return 0.5 * (np.log(abs(1 - lam_value)) + np.log(np.abs(1 - lam_value * (a_values - 1))))
