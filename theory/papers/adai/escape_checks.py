"""Check kinds of the `adai` sections on escaping minima.

- ``ladder``: ExactOrder of a mean-escape-time formula against an exact model as the temperature goes to 0
  (eta halved per rung from DeltaL / T_a = 2): a formula that is off by a constant factor keeps a constant
  relative error and fails.
- ``PathParameterBand``: the reading "s is some path-dependent number in (0, 1)": at low temperature the exact
  log tau must lie between the formula's values at s = 0 and s = 1 (an exact check, no sampling error).
- ``Figure5``: Figure 5 reproduced, and its reading tested by nested likelihood-ratio tests at the suite's
  per-comparison level (checks.stats.ALPHA).
Every check derives what it compares from the claim's statement, and never raises on a mutated statement: a
formula that is not a finite positive number where it is evaluated is reported as such.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from checks import ExactOrder, FormulaCheck, MonteCarloMean, SymbolicEquality
from checks.result import FAIL, INCONCLUSIVE, PASS, CheckResult

from .escape_models import (
    LADDER_START,
    H_be,
    M,
    chain_start,
    double_well,
    eta,
    gamma,
    momentum_exact,
    momentum_iterations,
    momentum_setting,
    momentum_T,
    on_valley,
    sgd_chain_exact,
    sgd_escape_time,
    sgd_exact,
    sgd_T,
    valley_of,
)


def ladder(name: str, exact: Callable[[dict], float], kind: str, T_over_eta, rungs: int = 5, n_points: int = 2,
           start: Callable[[dict], dict] | None = None) -> ExactOrder:
    """The formula against ``exact`` on a model valley (``kind``), eta halved per rung from DeltaL/T_a = 2, so
    the temperature falls to DeltaL/64: Kramers' corrections are O(T/DeltaL), so the relative error of a right
    formula shrinks at order 1 in eta."""
    first = start or (lambda p: on_valley(p, kind, T_over_eta))
    return ExactOrder(name, exact, small=eta, order=1.0, rungs=rungs, factor=2.0, n_points=n_points, start=first)


def sgd_ladders(label: str, kinds=("cosine",)) -> list:
    """The statement against SGD's exact escape times as the temperature falls: SDE (1) on the cosine valley (s
    drops out), discrete SGD itself there, and (1) on the double well whose noise switches at s."""
    out = []
    if "cosine" in kinds:
        out.append(ladder(f"{label}against the exact escape time of SDE (1) on the cosine valley (s drops out)",
                          sgd_exact("cosine"), "cosine", sgd_T))
    if "chain" in kinds:
        out.append(ladder(f"{label}against discrete SGD's exact mean exit steps on the cosine valley (Nystrom), "
                          "eta H = 0.1 / 2^k", sgd_chain_exact, "cosine", sgd_T, start=chain_start, rungs=4,
                          n_points=1))
    if "switch" in kinds:
        out.append(ladder(f"{label}against the exact escape time of SDE (1) (Ito) on the double well whose noise "
                          "switches from H_a/B to |H_b|/B at s", sgd_exact("double-well"), "double-well", sgd_T))
    return out


def finite_positive(value: Any) -> float | None:
    """A formula's value as a float when it is a finite positive real number; None otherwise (a mutated
    statement can be complex, negative, infinite or raise)."""
    try:
        z = complex(value)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None
    if not (math.isfinite(z.real) and abs(z.imag) <= 1e-12 * max(abs(z.real), 1e-300) and z.real > 0):
        return None
    return float(z.real)


class PathParameterBand(FormulaCheck):
    """Reading "s is some path-dependent number in (0, 1)": on the double well whose gradient noise switches
    from H_a/B to |H_b|/B where L = L(a) + s_switch DeltaL (the proof's picture), at each low-temperature rung
    (DeltaL/T_a >= ``low``) the exact log tau must lie between log tau(s = 0) and log tau(s = 1) of the
    statement; the s that matches it is reported (it approaches s_switch when the prefactor is right).

    Exact on both sides (quadrature), so no comparison enters the false-alarm budget. Self-test: the statement
    with B x 2 and B x 0.5 (its exponent doubled or halved) must leave the band on some rung."""

    kind = "exact"
    evidence = "model"
    form = "band"

    def __init__(self, name: str, exact: Callable[[dict], float], T_over_eta, switches=(0.3, 0.5, 0.7),
                 ratios=(4.0, 8.0, 16.0, 32.0), low: float = 8.0, prepare: Callable[[dict], dict] | None = None):
        self.name, self.exact, self.T_over_eta = name, exact, T_over_eta
        self.switches, self.ratios, self.low = tuple(switches), tuple(ratios), low
        self.prepare = prepare or (lambda p: p)

    def _rungs(self, claim, ctx, base: dict) -> list[dict]:
        out = []
        for s_sw in self.switches:
            p0 = on_valley({**base, "s": s_sw}, "double-well", self.T_over_eta)
            for R in self.ratios:
                p = {**p0, "eta": p0["eta"] * LADDER_START / R}
                out.append({"s_switch": s_sw, "DeltaL_over_Ta": R, "point": p,
                            "log_tau_exact": math.log(self.cached(ctx, claim, "exact", self.exact, (dict(p),)))})
        return out

    def _judge(self, f, rungs: list[dict], b_scale: float = 1.0):
        rows, ok = [], True
        for r in rungs:
            p = {**r["point"], "B": r["point"]["B"] * b_scale}
            lo, hi = (finite_positive(_call(f, {**p, "s": sv})) for sv in (0.0, 1.0))
            row = {"switch_theta": double_well(p["H_ae"], p[r"\Delta L"], r["s_switch"]).switch,
                   "s_of_switch": r["s_switch"], "DeltaL_over_Ta": r["DeltaL_over_Ta"],
                   "log_tau_exact": r["log_tau_exact"], "log_tau_s0": None, "log_tau_s1": None, "fitted_s": None,
                   "inside_band": False}
            if lo is not None and hi is not None:
                l0, l1 = math.log(lo), math.log(hi)
                row.update(log_tau_s0=l0, log_tau_s1=l1, inside_band=min(l0, l1) <= r["log_tau_exact"] <= max(l0, l1))
                row["fitted_s"] = _solve_s(f, p, r["log_tau_exact"]) if row["inside_band"] else None
            if r["DeltaL_over_Ta"] >= self.low and not row["inside_band"]:
                ok = False
            rows.append(row)
        return ok, rows

    def _run(self, claim, ctx) -> CheckResult:
        method = (f"exact Ito first passage (quadrature) on the double well whose noise switches at s; band "
                  f"[tau(s=0), tau(s=1)] at DeltaL/T_a >= {self.low:g}")
        try:
            f = self.lambdified(claim, self.expression(claim))
        except Exception as e:
            return CheckResult(self.kind, self.name, FAIL, method, {"seed": self.seed(claim, ctx)},
                               {"statement": str(self.expression(claim)), "note": f"not a number anywhere "
                                f"({type(e).__name__}), while the exact escape time is finite"})
        base = self.prepare(claim.regime.sample(self.rng(claim, ctx), 1)[0] if ctx.at is None else
                            claim.regime.validate(ctx.at, claim.id))
        rungs = self._rungs(claim, ctx, base)
        ok, rows = self._judge(f, rungs)
        self_test = []
        for label, scale in (("B x 2 (exponent doubled)", 2.0), ("B x 0.5 (exponent halved)", 0.5)):
            bad_ok, _ = self._judge(f, rungs, scale)
            self_test.append({"perturbation": label, "rejected": not bad_ok})
        summary = [{"switch_theta": rows[i]["switch_theta"], "s_of_switch": rows[i]["s_of_switch"],
                    "fitted_s_last": rows[i + len(self.ratios) - 1]["fitted_s"],
                    "ok": all(x["inside_band"] for x in rows[i:i + len(self.ratios)]
                              if x["DeltaL_over_Ta"] >= self.low)}
                   for i in range(0, len(rows), len(self.ratios))]
        ladders = [rows[i:i + len(self.ratios)] for i in range(0, len(rows), len(self.ratios))]
        details = {"rows": summary, "ladders": ladders, "self_test": self_test, "low_temperature": self.low,
                   "params": base, "seed": self.seed(claim, ctx)}
        if not ok:
            bad = next(r for r in rows if r["DeltaL_over_Ta"] >= self.low and not r["inside_band"])
            return CheckResult(self.kind, self.name, FAIL, method, details, {"params": base, **bad})
        weak = [t["perturbation"] for t in self_test if not t["rejected"]]
        if weak:
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="self-test failed: the band did not reject " + ", ".join(weak))
        return CheckResult(self.kind, self.name, PASS, method, details)


def _call(f, p: dict):
    try:
        with np.errstate(all="ignore"):
            return f(**p)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _solve_s(f, p: dict, target: float) -> float | None:
    """The s in [0, 1] at which the statement's log tau equals target (None when the formula misbehaves)."""
    def gap(sv):
        v = finite_positive(_call(f, {**p, "s": sv}))
        return math.nan if v is None else math.log(v) - target
    g0, g1 = gap(0.0), gap(1.0)
    if not (math.isfinite(g0) and math.isfinite(g1)) or g0 * g1 > 0:
        return None
    if g0 == 0 or g1 == 0:
        return 0.0 if g0 == 0 else 1.0
    try:
        return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-10))
    except (ValueError, RuntimeError):
        return None


# --- Figure 5 -------------------------------------------------------------------------------------------------------
def weighted_fit(x, y, se, *more):
    """y = a + b x (+ c more...) by weighted least squares: (coefficients, their standard errors, chi-square, rank).
    Rank-deficient designs (a mutated power of 0 makes x constant) are solved by least squares on their rank."""
    w = 1 / np.asarray(se, dtype=float)
    A = np.column_stack([np.ones_like(x), x, *more])
    coef, _, rank, _ = np.linalg.lstsq(A * w[:, None], np.asarray(y) * w, rcond=None)
    chi2 = float(np.sum((w * (np.asarray(y) - A @ coef)) ** 2))
    cov = np.linalg.pinv((A * w[:, None]).T @ (A * w[:, None]))
    return coef, np.sqrt(np.abs(np.diag(cov))), chi2, int(rank)


def model_comparison(ks, y, se, p_claimed: float, p_other: float, alpha: float, prefactor: bool = False) -> dict:
    """Fits -log Gamma = a + b k^-p (+ c log k, a power of k in front, when ``prefactor``) for the claimed and the other
    power and the nested fit with both powers. A model is rejected at level alpha by its chi-square goodness of fit,
    or by the likelihood-ratio test against the nested fit (Delta chi-square ~ chi2(1) when it holds, se known)."""
    from scipy import stats

    ks = np.asarray(ks, dtype=float)
    extra = (np.log(ks),) if prefactor else ()
    _, _, chi_full, rank_full = weighted_fit(ks ** -p_claimed, y, se, *extra, ks ** -p_other)
    threshold = float(stats.chi2.isf(alpha, 1))
    fits = {}
    for p in (p_claimed, p_other):
        coef, err, chi2, rank = weighted_fit(ks ** -p, y, se, *extra)
        dof = len(ks) - rank
        lr = chi2 - chi_full if rank_full > rank else 0.0
        p_gof = float(stats.chi2.sf(chi2, dof)) if dof > 0 else 1.0
        fits[p] = {"power": p, "intercept": float(coef[0]), "slope": float(coef[1]) if coef.size > 1 else 0.0,
                   "se_intercept": float(err[0]), "se_slope": float(err[1]) if err.size > 1 else 0.0,
                   "log_k_coefficient": float(coef[2]) if prefactor and coef.size > 2 else None, "chi2": chi2,
                   "dof": dof, "p_value": p_gof, "lr_against_both_terms": lr, "lr_threshold": threshold,
                   "rejected": bool(p_gof < alpha or lr > threshold)}
    return fits


def judge(fits: dict, p_claimed: float, p_other: float) -> str:
    """fail: the claimed power is rejected; pass: it is not, and the other is (the data tell them apart);
    inconclusive otherwise."""
    if fits[p_claimed]["rejected"]:
        return FAIL
    return PASS if fits[p_other]["rejected"] else INCONCLUSIVE


def claimed_power(claim) -> float:
    """p of the statement's O(k^-p)."""
    from checks import Undecidable

    bound = claim.remainder_bound
    base, exp = (bound.as_base_exp() if bound is not None else (None, None))
    if bound is None or not base.is_Symbol or not exp.is_number:
        raise Undecidable(f"the statement's O(...) is not a power of k: {bound}", "model comparison")
    return float(-exp)


class Figure5(FormulaCheck):
    """Figure 5 reproduced: each optimizer of ``optimizers`` escapes the 10-D Styblinski-Tang valley ``repeats`` times
    at each sharpness k (App. E's setting, escape_models.styblinski_tang_escapes); -log Gamma-hat (119) with its
    standard error by the delta method (sample coefficient of variation / sqrt(escapes)); then the model comparison
    of ``model_comparison`` between the statement's power and ``other_power`` (with a free power of k in front when
    ``prefactor``), at checks.stats.ALPHA (4 tests per optimizer, counted). The escapes are one experiment, seeded by
    ``experiment``: every reading judges the same runs. Self-test: the data with the two powers swapped must not pass.

    k runs over slow escapes only (App. B: Kramers' picture is for 50 to 100,000 iterations): 2.5 ... 3.5 (mean
    escapes of about 75 to 800 iterations), --deep 1.75 ... 3.5 with 400 escapes each."""

    kind = "montecarlo"
    evidence = "model"
    form = "model comparison"
    fixed_setting = True

    def __init__(self, name: str, optimizers: dict, other_power: float, prefactor: bool = False,
                 experiment: str = "adai.fig5", ks=(2.5, 2.75, 3.0, 3.25, 3.5), repeats: int = 100,
                 deep_ks=(1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5), deep_repeats: int = 400,
                 max_steps: int = 10 ** 6):
        self.name, self.optimizers, self.other_power = name, dict(optimizers), other_power
        self.prefactor, self.experiment = prefactor, experiment
        self.ks, self.repeats, self.deep_ks, self.deep_repeats = tuple(ks), repeats, tuple(deep_ks), deep_repeats
        self.max_steps = max_steps

    def _run(self, claim, ctx) -> CheckResult:
        from checks import Undecidable
        from checks.stats import ALPHA

        from .escape_models import FIG5_OPTIMIZERS, figure5_escapes

        p_c, p_o = claimed_power(claim), self.other_power
        ks, repeats = (self.deep_ks, self.deep_repeats) if ctx.deep else (self.ks, self.repeats)
        data_seed, *run_seeds = ctx.seed_sequence(self.experiment, "Styblinski-Tang escapes").spawn(
            1 + len(FIG5_OPTIMIZERS))
        seeds = dict(zip(FIG5_OPTIMIZERS, run_seeds))
        rows, work = [], 0
        for name, spec in self.optimizers.items():
            runs = figure5_escapes(spec, ks, repeats, _seed_key(data_seed), _seed_key(seeds[name]), self.max_steps,
                                   ctx.convention)
            points = []
            for k, (times, censored, diverged, total) in zip(ks, runs):
                if diverged or len(times) < 10:
                    raise Undecidable(f"{name} at k = {k}: {diverged} runs diverged, {len(times)} escaped of {repeats}",
                                      "escape-time simulation", {"rows": rows})
                gamma_hat = (len(times) - 2) / total                           # (119), censored time included
                cv = float(np.std(times, ddof=1) / np.mean(times))
                points.append({"optimizer": name, "k": k, "escapes": len(times), "censored": censored,
                               "diverged": diverged, "mean_escape_steps": float(np.mean(times)), "Gamma_hat": gamma_hat,
                               "minus_log_Gamma": -math.log(gamma_hat), "se": cv / math.sqrt(len(times))})
                work += int(total)
            if p_c == p_o:
                raise Undecidable(f"the statement's power {p_c:g} is the alternative's: nothing to compare",
                                  "model comparison", {"rows": rows})
            fits = model_comparison(ks, [q["minus_log_Gamma"] for q in points], [q["se"] for q in points], p_c, p_o,
                                    ALPHA, self.prefactor)
            ctx.counter.add(4)
            preferred = min(fits, key=lambda p: fits[p]["chi2"])
            rows.append({"optimizer": name, "claimed_power": p_c, "preferred_power": preferred,
                         "fits": list(fits.values()), "points": points, "status": judge(fits, p_c, p_o),
                         "swapped_claim_status": judge(fits, p_o, p_c)})
        details = {"rows": rows, "ks": list(ks), "repeats": repeats, "alpha_per_comparison": ALPHA,
                   "prefactor_term": self.prefactor, "path_steps": work,
                   "seed": ctx.seed_record(self.experiment, "Styblinski-Tang escapes"),
                   "self_test": [{"perturbation": f"claimed and other power swapped ({r['optimizer']})",
                                  "rejected": r["swapped_claim_status"] != PASS} for r in rows]}
        method = (f"-log Gamma-hat (119) at k in {list(ks)}, {repeats} escapes each; fits in k^-{p_c:g} and "
                  f"k^-{p_o:g}{' with c log k' if self.prefactor else ''}, each rejected by chi-square goodness of "
                  "fit or a likelihood-ratio test against both terms, at ALPHA")
        failed = [r for r in rows if r["status"] == FAIL]
        if failed:
            r = failed[0]
            return CheckResult(self.kind, self.name, FAIL, method, details,
                               {"optimizer": r["optimizer"], "claimed_power": p_c, "fits": r["fits"]})
        if any(r["status"] == INCONCLUSIVE for r in rows):
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="the data do not tell k^-1 from k^-1/2 apart at this level for "
                                      + ", ".join(r["optimizer"] for r in rows if r["status"] == INCONCLUSIVE))
        return CheckResult(self.kind, self.name, PASS, method, details)


def _seed_key(seq: np.random.SeedSequence) -> tuple:
    """A SeedSequence as a hashable key (the simulations are memoized on it)."""
    return (int(seq.entropy), tuple(int(v) for v in seq.spawn_key))


# --- Theorem 3's checks ----------------------------------------------------------------------------------------------
def momentum_predict(point, f) -> list:
    """Momentum's iterations = [the statement's tau / its own SGD limit at the same temperature (gamma M = 1,
    gamma^2 M -> oo, eta / (gamma M))] x SGD's exact escape time there (finite-temperature corrections
    included) / eta_M / 2 exits."""
    p = momentum_setting()
    eta_sgd = p["eta"] / (p["gamma"] * p["M"])
    limit = {**p, "gamma": 1e9, "M": 1e-9, "eta": eta_sgd}
    tau_sgd = sgd_escape_time(valley_of(p, "cosine"), eta_sgd, p["B"])
    return [float(f(**p)) / float(f(**limit)) * tau_sgd / p["eta"] / 2]


# The check compares the statement with its own SGD limit, so it sees how tau depends on gamma M, not its scale.
GAMMA_M_PERTURBATIONS = (("x (gamma M)^(1/2)", lambda e: e * sp.sqrt(gamma * M)),
                         ("x (gamma M)^(-1/2)", lambda e: e / sp.sqrt(gamma * M)))


K_ = sp.Symbol("K", positive=True)


def moderate_friction_check() -> SymbolicEquality:
    """The statement over its own Smoluchowski limit (gamma -> K gamma, M -> M/K, K -> oo: gamma M fixed) against
    Kramers' (1940) moderate-friction factor omega_b^2/(lambda_b gamma), lambda_b = sqrt(gamma^2/4 + omega_b^2)
    - gamma/2, omega_b^2 = |H_be|/M: the inertia term, which the exact references (its x -> 0 limit) cannot see."""
    omega2 = sp.Abs(H_be) / M
    kramers_factor = omega2 / ((sp.sqrt(gamma ** 2 / 4 + omega2) - gamma / 2) * gamma)
    return SymbolicEquality("the statement over its gamma^2 M -> oo limit (gamma M fixed) is Kramers' "
                            "moderate-friction factor omega_b^2/(lambda_b gamma)",
                            lambda c: c.formula / sp.limit(c.formula.subs({gamma: gamma * K_, M: M / K_},
                                                                          simultaneous=True), K_, sp.oo),
                            kramers_factor)


def thm3_checks() -> list:
    """Theorem 3 (and its corrected form) against Kramers' moderate-friction factor, the exact Smoluchowski limit of (7)
    on both valleys, and Monte Carlo of SGD-style Momentum."""
    return [moderate_friction_check(),
            ladder("against the exact one-exit escape time of (7)'s Smoluchowski limit on the cosine valley",
                   momentum_exact("cosine"), "cosine", momentum_T),
            ladder("against the exact escape time of (7)'s Smoluchowski limit on the double well whose noise switches "
                   "at s", momentum_exact("double-well"), "double-well", momentum_T),
            MonteCarloMean("SGD-style Momentum (beta1 = 0.9, eta = 0.001, 1000 runs) on the cosine valley at "
                           "DeltaL/T = 2.5: escape iterations against the statement's Momentum/SGD ratio x SGD's exact "
                           "escape time", momentum_iterations, momentum_predict, n_points=1, n_paths=1000,
                           fixed_setting=True, perturbations=GAMMA_M_PERTURBATIONS)]
