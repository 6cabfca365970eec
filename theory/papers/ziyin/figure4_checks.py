"""AMSGrad and Adam on Eq. (4) with w kept in [-1, 1] (Prop. 5, Sec. 6.4): the runs, the certificate of
convergence and the check kinds of Figure 4 (limits, speed, share of runs)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import stats

from checks.base import (
    FormulaCheck,
    RunContext,
    Undecidable,
)
from checks.dynamics.loop import run
from checks.montecarlo import with_power
from checks.result import FAIL, CheckResult
from checks.stats import ALPHA

from .amsgrad_checks import UNDECIDED, FractionCheck


# --- AMSGrad and Adam on Eq. (4), w kept in [-1, 1] (Prop. 5, Sec. 6.4) -----------------------------------------------
class ClippedAdaptiveStep:
    """One step of an adaptive optimizer on x w^2/2 (x = 1 or a - 1) with w kept in [-1, 1] (Prop. 5's w_t in [-1, 1]);
    records the largest |g_t| seen per path."""

    def __init__(self, opt, a_value: float):
        self.opt, self.a, self.gmax = opt, a_value, None

    def __call__(self, w, rng):
        g = np.where(rng.random(w.shape) < 0.5, 1.0, self.a - 1.0) * w
        self.gmax = np.abs(g) if self.gmax is None else np.maximum(self.gmax, np.abs(g))
        return np.clip(self.opt.step(w, g), -1.0, 1.0)

    def keep(self, mask):
        self.opt.keep(mask)
        self.gmax = self.gmax[mask]


CURVE_STEPS = tuple(range(1, 1001)) + tuple(range(1100, 50_001, 100))
_RUNS: dict = {}


def adaptive_runs(kind: dict, a_value: float, lam_value: float, T: int, n: int, rng, curve: bool = False) -> dict:
    """n runs of AMSGrad/Adam (checks.dynamics.optimizers.AMSGrad: no bias correction, eps = 0; ``kind`` gives beta1 and
    amsgrad) from w_0 ~ U[-1, 1] for T steps. Returns |w| at T/5 and T, the final v-hat, the largest |g| per run, and
    with ``curve`` the mean and standard error of |w_t| at CURVE_STEPS. Memoised per generator state, so the claims
    about one experiment share its runs."""
    from checks.dynamics.optimizers import AMSGrad

    key = (tuple(sorted(kind.items())), a_value, lam_value, T, n, curve, repr(rng.bit_generator.state))
    if key not in _RUNS:
        step = ClippedAdaptiveStep(AMSGrad(lam_value, beta2=0.999, **kind), a_value)
        saves = tuple(sorted({T // 5, T} | ({s for s in CURVE_STEPS if s <= T} if curve else set())))
        traj = run(step, rng.uniform(-1, 1, (n, 1)), T, rng, save=saves)
        out = {"w_early": np.abs(traj.saved[T // 5][:, 0]), "w_end": np.abs(traj.saved[T][:, 0]),
               "v_hat": step.opt.v_hat[:, 0].copy(), "g_max": step.gmax[:, 0].copy(), "diverged": traj.diverged}
        if curve:
            steps = [s for s in CURVE_STEPS if s <= T]
            arr = np.array([np.abs(traj.saved[s][:, 0]) for s in steps])
            out.update(steps=np.array(steps), mean=arr.mean(axis=1), se=arr.std(axis=1, ddof=1) / math.sqrt(n))
        _RUNS[key] = out
    return _RUNS[key]


def frozen_rate(lp: np.ndarray, a_value: float, beta1: float, rng, steps: int = 20_000, reps: int = 8):
    """Top Lyapunov exponent (mean, standard error) of the adaptive step with v-hat frozen,
    lambda' = lambda/sqrt(v-hat):
    w' = w - lambda' m', m' = beta1 m + (1 - beta1) x w (a product of random 2 x 2 matrices, renormalised each step).
    With beta1 = 0 it is the exact E ln|1 - lambda' x| (no sampling)."""
    lp = np.asarray(lp, dtype=float)
    if beta1 == 0:
        with np.errstate(divide="ignore"):
            m = (np.log(np.abs(1 - lp)) + np.log(np.abs(1 - lp * (a_value - 1)))) / 2
        return m, np.zeros_like(m)
    L = lp[:, None] * np.ones((1, reps))
    w, m, acc = np.ones_like(L), np.zeros_like(L), np.zeros_like(L)
    for _ in range(steps):
        x = np.where(rng.random(L.shape) < 0.5, 1.0, a_value - 1.0)
        m = beta1 * m + (1 - beta1) * x * w
        w = w - L * m
        norm = np.sqrt(w * w + m * m)
        acc += np.log(norm)
        w, m = w / norm, m / norm
    g = acc / steps
    return g.mean(axis=1), g.std(axis=1, ddof=1) / math.sqrt(reps)


def certify(lam_value: float, a_value: float, beta1: float, v_hat: np.ndarray, rng) -> tuple[np.ndarray, dict]:
    """Per run of AMSGrad at its end: 1 if it converges to 0 for sure, 0 if it cannot, -1 if undecided. v-hat only
    grows and v <= max g^2 <= (1 - a)^2, so lambda' = lambda/sqrt(v-hat) stays in [lambda/(1 - a), lambda'_T]; with
    v-hat frozen the step is a linear random recursion, which converges iff its top Lyapunov exponent is < 0. Certified
    1: the exponent is < 0 (upper confidence bound, at ALPHA) over that whole range; certified 0: > 0 over it (w is
    driven to the clip and v-hat can only lower lambda' further)."""
    from .models import LOWER8, UPPER8
    from .models import a as a_sym

    lp_end = lam_value / np.sqrt(v_hat)
    lp_min = lam_value / (1 - a_value)
    grid = np.linspace(lp_min, max(float(lp_end.max()), lp_min) * 1.001, 60)
    g, se = frozen_rate(grid, a_value, beta1, rng)
    z = float(stats.norm.isf(ALPHA / 2))
    neg, pos = g + z * se < 0, g - z * se > 0
    if beta1 == 0:                                        # exact: also at each run's own lambda'
        g_end, _ = frozen_rate(lp_end, a_value, 0.0, rng)
    out = np.full(v_hat.size, UNDECIDED)
    for i, lp in enumerate(lp_end):
        k = int(np.searchsorted(grid, lp))                 # the grid point at or above lambda'_T (the exponent rises
        span = slice(0, min(k + 1, grid.size))             # towards the upper end of the stable range)
        end_neg = g_end[i] < 0 if beta1 == 0 else True
        end_pos = g_end[i] > 0 if beta1 == 0 else True
        if neg[span].all() and end_neg:
            out[i] = 1.0
        elif pos[span].all() and end_pos:
            out[i] = 0.0
    ends = [float(e.subs(a_sym, a_value)) for e in (LOWER8, UPPER8)]
    return out, {"lambda_prime_quartiles": np.quantile(lp_end, [0, 0.25, 0.5, 0.75, 1]).tolist(),
                 "interval_109": ends, "lambda_prime_min_reachable": lp_min}


# --- Figure 4 / Sec. 6.4: a = -0.1, lambda = 0.2, beta_2 = 0.999, 2000 runs x 5 x 10^4 steps --------------------------
FIG4 = {"AMSGrad": {"beta1": 0.0}, "Adam": {"beta1": 0.0, "amsgrad": False},
        "AMSGrad, beta_1 = 0.9": {"beta1": 0.9}, "Adam, beta_1 = 0.9": {"beta1": 0.9, "amsgrad": False}}
FIG4_A, FIG4_LAM, FIG4_T, FIG4_N, BALL, CURVE_LEVEL = -0.1, 0.2, 50_000, 2000, 1e-3, 0.1


def fig4_runs(ctx: RunContext, name: str) -> dict:
    """The Sec. 6.4 runs of one optimizer, shared by every claim about the experiment (one seed per optimizer)."""
    seq = ctx.seed_sequence("ziyin.fig4", f"Sec. 6.4 runs: {name}")
    return adaptive_runs(FIG4[name], FIG4_A, FIG4_LAM, FIG4_T, FIG4_N, np.random.default_rng(seq), curve=True)


def limit_outcome(ctx, name: str, claimed: float, record: bool) -> dict:
    """lim P(|w_t| < 1e-3) for one optimizer against a claimed value. AMSGrad: each run certified (``certify``), the
    decided runs tested exactly. Adam (no such certificate): the fraction at the end is tested exactly, and a
    rejection counts only if the fraction has stopped rising (the runs entering the ball between T/5 and T do not
    significantly outnumber those leaving it: exact binomial test of the discordant pairs)."""
    r = fig4_runs(ctx, name)
    kind = FIG4[name]
    row = {"optimizer": name, "claimed": claimed}
    if kind.get("amsgrad", True):
        cert, info = certify(FIG4_LAM, FIG4_A, kind["beta1"], r["v_hat"],
                             np.random.default_rng(ctx.seed_sequence("ziyin.fig4", f"frozen rate: {name}")))
        row.update(FractionCheck.test(cert, claimed), **info, certificate="v-hat frozen: top Lyapunov exponent")
        row["settled"] = True
    else:
        inside_end, inside_early = r["w_end"] < BALL, r["w_early"] < BALL
        row.update(FractionCheck.test(inside_end.astype(float), claimed),
                   fraction_at_T_over_5=float(inside_early.mean()))
        gained, lost = int((inside_end & ~inside_early).sum()), int((~inside_end & inside_early).sum())
        rising = gained + lost > 0 and stats.binomtest(gained, gained + lost, 0.5, alternative="greater").pvalue < ALPHA
        row.update(entered=gained, left=lost, settled=not rising)
    if record:
        ctx.counter.add(1 if row["p_value"] is not None else 0)
    return row


class Figure4Limits(FormulaCheck):
    """The statement is a Matrix of claimed limits lim P(|w_t| < 1e-3), one per optimizer in ``names``."""

    kind, evidence, form = "montecarlo", "model", "fraction"
    fixed_setting = True

    def __init__(self, name: str, names: tuple[str, ...]):
        self.name, self.names = name, tuple(names)

    def _judge(self, ctx, values, record):
        rows, failure, open_ = [], None, []
        for nm, p0 in zip(self.names, values):
            row = limit_outcome(ctx, nm, float(p0), record)
            rows.append(row)
            if row["p_value"] is None:
                open_.append(f"{nm}: every run undecided")
            elif row["p_value"] < ALPHA and row["settled"] and failure is None:
                failure = dict(row)
            elif row["p_value"] < ALPHA:
                open_.append(f"{nm}: the fraction is still rising")
        return rows, failure, open_

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        values = [float(v) for v in np.ravel(np.asarray(claim.rhs.evalf(), dtype=float))]
        rows, failure, open_ = self._judge(ctx, values, True)
        self_test = [{"perturbation": "x0.5", "rejected": self._judge(ctx, [v / 2 for v in values], False)[1]
                      is not None}]
        details = {"rows": rows, "self_test": self_test, "T": FIG4_T, "runs": FIG4_N, "ball": BALL}
        method = "exact binomial tests of the limit per optimizer (AMSGrad: certified runs; Adam: settled fraction)"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        if open_:
            raise Undecidable("; ".join(open_), method, details)
        return with_power(self.kind, self.name, method, details)


def crossing(curve: dict, level: float, z: float) -> tuple[float, float]:
    """(earliest, latest) first step at which the mean |w_t| curve falls below ``level`` and stays below it to the end,
    over the band mean -/+ z se (inf when the band's upper edge does not stay below)."""
    steps, mean, se = curve["steps"], curve["mean"], curve["se"]

    def first_staying(values):
        above = np.flatnonzero(values >= level)
        if above.size and above[-1] == values.size - 1:
            return math.inf
        return float(steps[above[-1] + 1]) if above.size else float(steps[0])
    return first_staying(mean - z * se), first_staying(mean + z * se)


class Figure4Speed(FormulaCheck):
    """The statement is a relation on |ln(t_Adam / t_AMSGrad)|, t the first step at which the mean |w_t| over the runs
    (the plotted curve) falls below CURVE_LEVEL and stays below it to the end. The crossing steps are bracketed by
    the curves mean -/+ Z_CRIT se, so the relation is decided on the whole bracket: passed if it holds at both ends of
    the bracket, failed if at neither, undecided otherwise. Self-test: the reversed relation must fail."""

    kind, evidence, form = "montecarlo", "model", "relation"
    fixed_setting = True

    def __init__(self, name: str, statement=None):
        self.name, self.fixed_statement = name, statement

    @staticmethod
    def _decide(rel, lo, hi) -> str:
        bound = float(rel.rhs)
        upper = isinstance(rel, (sp.LessThan, sp.StrictLessThan))
        holds = [(v <= bound if upper else v >= bound) for v in (lo, hi)]
        return "pass" if all(holds) else "fail" if not any(holds) else "open"

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        from checks.stats import Z_CRIT

        rel = self.fixed_statement if self.fixed_statement is not None else claim.statement
        t_ams = crossing(fig4_runs(ctx, "AMSGrad"), CURVE_LEVEL, Z_CRIT)
        t_adam = crossing(fig4_runs(ctx, "Adam"), CURVE_LEVEL, Z_CRIT)
        ctx.counter.add(2)
        ratios = [abs(math.log(ta / tm)) if math.isfinite(ta) and math.isfinite(tm) else math.inf
                  for ta in t_adam for tm in t_ams]
        lo, hi = min(ratios), max(ratios)
        outcome = self._decide(rel, lo, hi)
        rev = {sp.LessThan: sp.GreaterThan, sp.StrictLessThan: sp.StrictGreaterThan, sp.GreaterThan: sp.LessThan,
               sp.StrictGreaterThan: sp.StrictLessThan}[type(rel)]
        flipped = self._decide(rev(rel.lhs, rel.rhs, evaluate=False), lo, hi)
        details = {"crossing_AMSGrad": list(t_ams), "crossing_Adam": list(t_adam), "abs_log_ratio": [lo, hi],
                   "level": CURVE_LEVEL, "z": Z_CRIT,
                   "mean_abs_w_at_end": {n: float(fig4_runs(ctx, n)["mean"][-1]) for n in ("AMSGrad", "Adam")},
                   "self_test": [{"perturbation": "relation reversed", "rejected": flipped == "fail"}]}
        method = f"first step the mean |w_t| stays below {CURVE_LEVEL}, bracketed by mean -/+ {Z_CRIT:.2f} se"
        if outcome == "fail":
            return CheckResult(self.kind, self.name, FAIL, method, details, {"abs_log_ratio": [lo, hi]})
        if outcome == "open":
            raise Undecidable("the bracket of the crossing steps straddles the bound", method, details)
        return with_power(self.kind, self.name, method, details)


class Figure4Share(FormulaCheck):
    """The statement bounds the probability of being near w = 0 (|w| < 1e-3) and near the clip (|w| > 0.99) for Adam
    with momentum at the end of the runs: one-sided exact binomial tests of each against the statement's bound
    (refuted if either share is significantly above it at ALPHA); self-test: the reversed bound must be rejected."""

    kind, evidence, form = "montecarlo", "model", "fraction"
    fixed_setting = True

    def __init__(self, name: str):
        self.name = name

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        r = fig4_runs(ctx, "Adam, beta_1 = 0.9")
        bound = float(claim.rhs)
        n = r["w_end"].size
        upper = isinstance(claim.statement, (sp.LessThan, sp.StrictLessThan))   # max(shares) <= bound, or >=
        rows, failure, power = [], None, []
        for label, hits in (("|w_T| < 1e-3", r["w_end"] < BALL), ("|w_T| > 0.99", r["w_end"] > 0.99)):
            k = int(hits.sum())
            p_above = float(stats.binomtest(k, n, min(max(bound, 0), 1), alternative="greater").pvalue) \
                if 0 <= bound <= 1 else 0.0
            p_below = float(stats.binomtest(k, n, min(max(bound, 0), 1), alternative="less").pvalue) \
                if 0 <= bound <= 1 else 0.0
            ctx.counter.add(1)
            rows.append({"share": label, "count": k, "n": n, "observed": k / n, "bound": bound,
                         "p_value_above_bound": p_above, "p_value_below_bound": p_below})
            power.append((p_below if upper else p_above) < ALPHA)
            if upper and p_above < ALPHA and failure is None:
                failure = dict(rows[-1])           # max <= bound fails if either share is significantly above
        if not upper and all(row["p_value_below_bound"] < ALPHA for row in rows):
            failure = {"rows": rows}               # max >= bound fails if both shares are significantly below
        details = {"rows": rows, "relation": "max <= bound" if upper else "max >= bound",
                   "self_test": [{"perturbation": "reversed relation",
                                  "rejected": all(power) if upper else any(power)}]}
        method = "one-sided exact binomial tests of the shares near 0 and near the clip against the bound"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)
