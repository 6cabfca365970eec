"""Monte Carlo checks: simulated dynamics against a claimed formula, with real statistics.

Every comparison is a test at the run-wide per-comparison level (checks.stats), counted in the run
context, and every check carries a self-test: the same samples compared with deliberately wrong versions
of the formula must be rejected, on the observables each wrong version changes, or the check is
inconclusive (it had no power). The evidence reports the smallest relative error of the formula the check detects
with 90% power at the run-wide level.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from .base import DEFAULT_PERTURBATIONS, FormulaCheck, Perturbation, RunContext, Undecidable, check_sample
from .dynamics.sample import Sample
from .result import FAIL, INCONCLUSIVE, PASS, CheckResult
from .stats import ALPHA, FAMILY_ALPHA, Z_CRIT, Z_POWER_90, chi_square_gof, mean_estimate, weighted_slope, z_scores

__all__ = ["MonteCarloCheck", "MonteCarloDensity", "MonteCarloFraction", "MonteCarloMean", "MonteCarloOrder", "Sample"]


class MonteCarloCheck(FormulaCheck):
    """Shared set-up: the claimed expression, drawn points, sizes, simulation through the run's cache."""

    kind = "montecarlo"
    evidence = "model"

    def __init__(self, name: str, simulate: Callable[..., Sample], formula=None, n_points: int = 2,
                 n_paths: int = 20_000, deep_factor: int = 4,
                 perturbations: Sequence[Perturbation] = DEFAULT_PERTURBATIONS,
                 extra_symbols: Sequence[sp.Symbol] = (), fixed_setting: bool = False):
        # fixed_setting: the simulation reproduces one setting (a paper's experiment) and ignores the
        # regime point, so drawing points for it (property tests) adds nothing.
        self.name, self.simulate, self.formula, self.fixed_setting = name, simulate, formula, fixed_setting
        self.n_points, self.n_paths, self.deep_factor = n_points, n_paths, deep_factor
        self.perturbations, self.extra_symbols = tuple(perturbations), tuple(extra_symbols)

    def sizes(self, ctx: RunContext) -> tuple[int, int]:
        if ctx.deep:
            return self.n_points * 2, self.n_paths * self.deep_factor
        return self.n_points, self.n_paths

    def setup(self, claim, ctx: RunContext):
        """Independent streams for drawing points and for simulating, the sizes, the formula, the evidence header."""
        rng_points, rng_sim = (np.random.default_rng(s) for s in ctx.seed_sequence(claim.id, self.name).spawn(2))
        n_points, n_paths = self.sizes(ctx)
        points = self.points(claim, ctx, rng_points, n_points)
        details = {"seed": self.seed(claim, ctx), "n_paths": n_paths, "alpha_per_comparison": ALPHA,
                   "family_alpha": FAMILY_ALPHA, "z_critical": round(Z_CRIT, 3)}
        return points, rng_sim, n_paths, self.expression(claim), details

    def sample(self, claim, ctx: RunContext, point: dict, n_paths: int, rng) -> Sample:
        sample = self.cached(ctx, claim, "simulate", self.simulate, (dict(point), n_paths), rng)
        if isinstance(sample, Sample) and sample.diverged_fraction > 0:
            raise Undecidable(f"{sample.diverged_fraction:.2%} of paths diverged at {point}; the dynamics are not "
                              "stable there, so no average is taken", "divergence",
                              {"params": point, "diverged_fraction": sample.diverged_fraction})
        return check_sample(sample, claim, self.name)


_MonteCarlo = MonteCarloCheck     # the name used by earlier modules


def with_power(kind: str, name: str, method: str, details: dict, form: str = "") -> CheckResult:
    """A check that passes only counts if it rejected every deliberately wrong formula."""
    weak = [s["perturbation"] for s in details["self_test"] if not s["rejected"]]
    if weak:
        return CheckResult(kind, name, INCONCLUSIVE, method, details, form=form,
                           reason=f"self-test failed: the check did not reject the formula {', '.join(weak)} "
                                  "(underpowered at this point)")
    return CheckResult(kind, name, PASS, method, details, form=form)


_with_power = with_power


class MonteCarloMean(MonteCarloCheck):
    """E[observable] from simulation against the claimed value, z-tested per observable and point.

    ``predict(point, f)`` maps a numeric formula f(**params) to claimed values for the sample's labels.
    """

    form = "z-test"

    def __init__(self, name, simulate, predict: Callable[[dict, Callable], Any],
                 start: Callable[[dict], dict] | None = None, **kw):
        super().__init__(name, simulate, **kw)
        self.predict = predict
        self.start = start          # moves a drawn point (e.g. to where an effect is resolvable)

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng_sim, n_paths, expr, details = self.setup(claim, ctx)
        if self.start is not None:
            points = [self.start(p) for p in points]
        f = self.lambdified(claim, expr)
        samples = []
        for point in points:
            sample = self.sample(claim, ctx, point, n_paths, rng_sim)
            samples.append((point, sample, mean_estimate(sample.values)))
        rows, worst, mdes = [], None, []
        for point, sample, est in samples:
            claimed = self._claimed(point, f, sample)
            z = z_scores(est, claimed)
            ctx.counter.add(z.size)
            for j, label in enumerate(sample.labels):
                row = {"params": point, "observable": label, "claimed": float(claimed[j]),
                       "observed": float(est.mean[j]), "se": float(est.se[j]), "z": float(z[j])}
                for key, vals in sample.info.items():
                    row[key] = float(np.asarray(vals).ravel()[j]) if np.size(vals) > j else None
                rows.append(row)
                if claimed[j] != 0:       # a relative error r of the formula moves this mean by r |claimed|
                    mdes.append((Z_CRIT + Z_POWER_90) * float(est.se[j]) / abs(float(claimed[j])))
                if abs(z[j]) > Z_CRIT and (worst is None or abs(z[j]) > abs(worst["z"])):
                    worst = row
        details["rows"] = rows
        if mdes:      # an error of the whole formula is found by the best-resolved mean; the weakest is shown too
            details["min_detectable_relative_error"] = min(mdes)
            details["least_resolved_relative_error"] = max(mdes)
        details["self_test"] = self._self_test(claim, expr, samples)
        method = f"z-test per observable, |z| <= {Z_CRIT:.2f}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, dict(worst))
        return with_power(self.kind, self.name, method, details)

    def _claimed(self, point, f, sample) -> np.ndarray:
        claimed = np.asarray(self.predict(point, f), dtype=float).ravel()
        if claimed.size != len(sample.labels):
            raise ValueError(f"predict gave {claimed.size} values for {len(sample.labels)} observables")
        if not np.all(np.isfinite(claimed)):
            raise Undecidable(f"the formula is not finite at {point}: {claimed.tolist()}", "formula")
        return claimed

    def _self_test(self, claim, expr, samples) -> list[dict[str, Any]]:
        """Each wrong formula must be rejected on every observable whose claimed value it changes."""
        f = self.lambdified(claim, expr)
        out = []
        for label, perturb in self.perturbations:
            g = self.lambdified(claim, perturb(expr))
            zmin, changed = np.inf, 0
            for p, sample, est in samples:
                right, wrong = self._claimed(p, f, sample), self._claimed(p, g, sample)
                moved = np.abs(wrong - right) > 1e-12 * np.maximum(np.abs(right), 1e-300)
                if moved.any():
                    changed += int(moved.sum())
                    zmin = min(zmin, float(np.min(np.abs(z_scores(est, wrong))[moved])))
            out.append({"perturbation": label, "min_abs_z_on_changed": zmin if changed else None,
                        "observables_changed": changed, "rejected": bool(changed and zmin > Z_CRIT)})
        return out


class MonteCarloDensity(MonteCarloCheck):
    """Simulated samples of a scalar against a claimed density, by a chi-square goodness-of-fit test.

    The formula is a density in ``x`` (an extra symbol); claimed cell masses are its integrals over
    cells whose edges are quantiles of a separate pilot sample (so the cells do not depend on the
    tested data). Tails are cells too, so a density with the wrong total mass fails.
    """

    form = "density"

    def __init__(self, name, simulate, x: sp.Symbol, n_cells: int = 24, support: tuple = (-np.inf, np.inf), **kw):
        super().__init__(name, simulate, extra_symbols=(x,), **kw)
        self.x, self.n_cells = x, n_cells
        self.support = (float(support[0]), float(support[1]))   # the outer cells end where the density does

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng_sim, n_paths, expr, details = self.setup(claim, ctx)
        cases = []
        for point in points:
            pilot = self.sample(claim, ctx, point, max(2000, n_paths // 10), rng_sim)
            sample = self.sample(claim, ctx, point, n_paths, rng_sim)
            for j, label in enumerate(sample.labels):
                edges = np.quantile(pilot.values[:, j], np.linspace(0, 1, self.n_cells + 1)[1:-1])
                counts = np.bincount(np.searchsorted(edges, sample.values[:, j]), minlength=self.n_cells)
                cases.append((point, label, edges, counts))
        rows, worst = [], None
        for point, label, edges, counts in cases:
            row = self._compare(claim, expr, point, label, edges, counts)
            ctx.counter.add(1)
            rows.append(row)
            if row["p_value"] < ALPHA and (worst is None or row["p_value"] < worst["p_value"]):
                worst = row
        details["rows"] = rows
        details["self_test"] = []
        for plabel, perturb in self.perturbations:
            pmax = max(self._compare(claim, perturb(expr), p, lab, e, c)["p_value"] for p, lab, e, c in cases)
            details["self_test"].append({"perturbation": plabel, "max_p_value": pmax, "rejected": pmax < ALPHA})
        method = f"chi-square goodness of fit, {self.n_cells} cells, p >= {ALPHA:.1e}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, dict(worst))
        return with_power(self.kind, self.name, method, details)

    def _compare(self, claim, expr, point, label, edges, counts) -> dict[str, Any]:
        density = self.lambdified(claim, expr)

        def pdf(x):
            return float(density(**point, **{self.x.name: x}))

        from scipy import integrate

        lo, hi = self.support
        bounds = np.concatenate([[lo], np.clip(edges, lo, hi), [hi]])
        masses = np.array([integrate.quad(pdf, a, b, limit=200)[0] for a, b in zip(bounds[:-1], bounds[1:])])
        if not np.all(np.isfinite(masses)):
            raise Undecidable(f"the claimed density does not integrate to finite cell masses at {point}", "density")
        n = counts.sum()
        stat, p = chi_square_gof(counts, n * masses)
        k = int(np.argmax(np.abs(counts / n - masses)))
        return {"params": point, "observable": label, "chi2": stat, "p_value": p,
                "cells": {"inner_edges": [float(e) for e in edges], "observed_fraction": (counts / n).tolist(),
                          "claimed_mass": masses.tolist(), "n": int(n)},
                "claimed_total_mass": float(masses.sum()),
                "worst_cell": [float(bounds[k]), float(bounds[k + 1])],
                "claimed": float(masses[k]), "observed": float(counts[k] / n),
                "se": float(np.sqrt(max(masses[k], 1e-300) * (1 - min(masses[k], 1)) / n))}


class MonteCarloOrder(MonteCarloCheck):
    """An asymptotic claim 'observable = formula + O(small^p relative)' checked by the rate at which the
    relative error shrinks: along a ladder small_k = small_0 / 2^k, the Monte Carlo relative deviation
    d_k = mean_k / formula_k - 1 is fitted as log|d| ~ q log(small) + c; the claim fails if
    q + z*se(q) < p. Only rungs where d_k stands clear of sampling noise (|d| > 4 se) enter the fit.

    ``start(point)`` moves a drawn point to the ladder's first rung (for example the edge of the regime).
    ``exact(point)``, when given, is the exact mean of the simulated model: the gap between it and the
    formula is the discretization/model gap, reported apart from the sampling error.
    """

    form = "order"

    def __init__(self, name, simulate, small: sp.Symbol, order: float, rungs: int = 4,
                 exact: Callable[[dict], float] | None = None, start: Callable[[dict], dict] | None = None, **kw):
        super().__init__(name, simulate, **kw)
        self.small, self.order, self.rungs, self.exact = small, order, rungs, exact
        self.start = start or (lambda point: point)

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng_sim, n_paths, expr, details = self.setup(claim, ctx)
        details["ladder_parameter"] = self.small.name
        ladders = []
        for point in points:
            point = self.start(point)
            ladder = []
            for k in range(self.rungs):
                p = {**point, self.small.name: point[self.small.name] / 2 ** k}
                sample = self.sample(claim, ctx, p, n_paths, rng_sim)
                est = mean_estimate(sample.values[:, :1])
                ladder.append((p, float(est.mean[0]), float(est.se[0])))
            ladders.append(ladder)
        rows, failure = self._fit_all(claim, expr, ladders, ctx, record=True)
        details["rows"] = rows
        details["self_test"] = []
        for plabel, perturb in self.perturbations:
            _, bad = self._fit_all(claim, perturb(expr), ladders, ctx, record=False)
            details["self_test"].append({"perturbation": plabel, "rejected": bad is not None})
        method = f"fitted order of the relative error in {self.small.name}, one-sided z <= {Z_CRIT:.2f}"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        if any(r.get("order") is None for r in rows):
            raise Undecidable("the remainder is below Monte Carlo resolution on too many rungs", method, details)
        # power by design: the order deficit detected with 90% power at the family-wise level; a fit that could
        # not tell the claimed order from no convergence at all (deficit = the whole order) decides nothing
        mde = max((Z_CRIT + Z_POWER_90) * r["order_se"] for r in rows)
        details["min_detectable_order_deficit"] = mde
        if mde > self.order:
            raise Undecidable(f"underpowered: the fitted order's standard error lets it detect only a deficit of "
                              f"{mde:.2f} (90% power), more than the claimed order {self.order:g}", method, details)
        return with_power(self.kind, self.name, method, details)

    def _fit_all(self, claim, expr, ladders, ctx, record: bool):
        f = self.lambdified(claim, expr)
        rows, failure = [], None
        for ladder in ladders:
            smalls, d, se_d, rungs = [], [], [], []
            for p, mean, se in ladder:
                claimed = float(f(**p))
                dev, sd = mean / claimed - 1, se / abs(claimed)
                rung = {"params": p, "claimed": claimed, "observed": mean, "se": se, "relative_deviation": dev}
                if self.exact is not None:
                    ex = float(self.exact(p))
                    rung.update(exact=ex, model_gap=ex / claimed - 1, sampling_z=(mean - ex) / se)
                rungs.append(rung)
                if abs(dev) > 4 * sd:
                    smalls.append(np.log(p[self.small.name]))
                    d.append(np.log(abs(dev)))
                    se_d.append(sd / abs(dev))
            row: dict[str, Any] = {"params": ladder[0][0], "rungs": rungs, "claimed_order": self.order,
                                   "order": None}
            if len(d) >= 3:
                logs = np.array(smalls)
                correction = (np.exp(logs),) if len(d) >= 4 else ()
                q, se_q = weighted_slope(logs, np.array(d), np.array(se_d), *correction)
                if record:
                    ctx.counter.add(1)
                row.update(order=q, order_se=se_q)
                if q + Z_CRIT * se_q < self.order and failure is None:
                    failure = {"params": ladder[0][0], "claimed_order": self.order, "observed_order": q,
                               "se": se_q, "rungs": rungs}
            rows.append(row)
        return rows, failure


class MonteCarloFraction(MonteCarloCheck):
    """Probabilities: the fraction of paths where an event happened against the claimed probability, by an
    exact binomial test per observable and point (no normal approximation, so claims of probability 0 or 1
    and small counts are tested correctly). ``simulate`` returns 0/1 indicators per path; ``predict(point, f)``
    the claimed probabilities. A claimed probability of exactly 0 or 1 allows no miss at all; the evidence
    states the smallest difference in probability the check could detect."""

    form = "fraction"

    def __init__(self, name, simulate, predict: Callable[[dict, Callable], Any], **kw):
        super().__init__(name, simulate, **kw)
        self.predict = predict

    def _claimed(self, point, f, labels) -> np.ndarray:
        p = np.asarray(self.predict(point, f), dtype=float).ravel()
        if p.size != len(labels):
            raise ValueError(f"predict gave {p.size} probabilities for {len(labels)} events")
        return p

    @staticmethod
    def _p_value(k: int, n: int, p: float) -> float:
        if not 0 <= p <= 1 or not np.isfinite(p):
            return 0.0                                   # not a probability: rejected outright
        from scipy.stats import binomtest

        return float(binomtest(int(k), int(n), float(p)).pvalue)

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng_sim, n_paths, expr, details = self.setup(claim, ctx)
        f = self.lambdified(claim, expr)
        cases = []
        for point in points:
            sample = self.sample(claim, ctx, point, n_paths, rng_sim)
            v = sample.values
            if not np.all((v == 0) | (v == 1)):
                raise ValueError("a fraction check needs 0/1 indicators per path")
            cases.append((point, sample.labels, v.sum(axis=0).astype(int), v.shape[0]))
        rows, worst = [], None
        for point, labels, ks, n in cases:
            claimed = self._claimed(point, f, labels)
            for j, label in enumerate(labels):
                p = self._p_value(ks[j], n, claimed[j])
                ctx.counter.add(1)
                row = {"params": point, "observable": label, "claimed": float(claimed[j]),
                       "observed": float(ks[j] / n), "k": int(ks[j]), "n": int(n), "p_value": p,
                       "misses_allowed": 0 if claimed[j] in (0.0, 1.0) else None}
                rows.append(row)
                if p < ALPHA and (worst is None or p < worst["p_value"]):
                    worst = row
        details["rows"] = rows
        # the smallest shift of a probability near 1/2 the test would see at this n (normal approximation)
        n_min = min(n for _, _, _, n in cases)
        details["min_detectable_difference"] = float(Z_CRIT * 0.5 / np.sqrt(n_min))
        details["self_test"] = []
        for plabel, perturb in self.perturbations:
            g = self.lambdified(claim, perturb(expr))
            pmax = 0.0
            for point, labels, ks, n in cases:
                right, wrong = self._claimed(point, f, labels), self._claimed(point, g, labels)
                for j in range(len(labels)):
                    if abs(wrong[j] - right[j]) > 1e-12:
                        pmax = max(pmax, self._p_value(ks[j], n, wrong[j]))
            details["self_test"].append({"perturbation": plabel, "max_p_value": pmax, "rejected": pmax < ALPHA})
        method = f"exact binomial test per event, p >= {ALPHA:.1e}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, dict(worst))
        return with_power(self.kind, self.name, method, details)
