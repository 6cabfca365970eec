"""`adai`, App. E and Sec. 6: the local minimum d of the 1-D Styblinski-Tang function, and Figure 5's caption "Adai
may escape loss valleys slightly faster than Momentum", decided on App. E's experiment (escape_models) by a pooled
confidence interval of the escape-rate ratio.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import FormulaCheck, SymbolicEquality, Undecidable
from checks.result import FAIL, INCONCLUSIVE, PASS, CheckResult
from theory import Claim, Regime, claim

from .appendix_e import F_ST, ST_REGIME, u
from .escape_checks import _seed_key

# --- App. E: the 1-D Styblinski-Tang function's critical points -------------------------------------------------------
COUNTS = sp.Symbol(r"(\#\,\mathrm{global\ minima}, \#\,\mathrm{other\ local\ minima}, \#\,\mathrm{saddles})\ "
                   r"\mathrm{of}\ f_1")


def critical_points() -> list[tuple[float, float, float]]:
    """(theta, f, f'') at the real roots of f' for one coordinate f_1 = (u^4 - 16u^2 + 5u)/2, in increasing order."""
    fp, fpp = sp.diff(F_ST, u), sp.diff(F_ST, u, 2)
    return [(float(r), float(F_ST.subs(u, r).evalf(30)), float(fpp.subs(u, r).evalf(30)))
            for r in sp.Poly(fp, u).real_roots()]


def classified() -> sp.Matrix:
    pts = critical_points()
    minima = [f for _, f, c in pts if c > 0]
    lowest = min(minima)
    return sp.Matrix([sum(1 for f in minima if f == lowest), sum(1 for f in minima if f > lowest),
                      sum(1 for _, _, c in pts if c < 0)])


@claim("adai.appe.d", "App. E, test function", "The 1-D Styblinski-Tang function has one global minimum (a), one local "
       "minimum (d = 2.746803, computed) and one saddle (b)", about="algebra", uses=["adai.appe.f"])
def appe_d():
    return Claim(
        statement=sp.Eq(COUNTS, sp.Matrix([1, 1, 1]), evaluate=False), regime=ST_REGIME,
        symbols={"u": "one coordinate"},
        dynamics="f_1(u) = (u^4 - 16 u^2 + 5 u)/2", observable="critical points of one coordinate",
        notes=["d is not printed; computed: the largest root of f_1' = 2u^3 - 16u + 5/2, d = 2.746803 (f_1(d) = "
               "-25.0299 > f_1(a) = -39.1662), on the other side of b from a (Valley a_2). 'Saddle': b is a maximum "
               "of f_1 and a saddle of the n-D function."],
        checks=[SymbolicEquality("the real roots of f_1' classified by the sign of f_1'' and the value of f_1",
                                 lambda c: classified(), lambda c: sp.Matrix(list(c.formula))),
                SymbolicEquality("the local minimum lies past the saddle: the roots of f_1' in increasing order are a "
                                 "minimum, the saddle and the other minimum",
                                 lambda c: sp.Matrix([sp.sign(cv) for _, _, cv in critical_points()]),
                                 sp.Matrix([1, -1, 1]))])


# --- Figure 5's caption: Adai escapes slightly faster than Momentum ---------------------------------------------------
RATIO = sp.Symbol(r"\Gamma_{Adai} / \Gamma_{Momentum}", positive=True)
CAPTION_REGIME = Regime((), (), "App. E's 10-D Styblinski-Tang experiment at Figure 5's sharpness k = 2.5 ... 3.5, "
                        "Figure 5's optimizers and learning rates")
CAPTION_DYNAMICS = ("10-D Styblinski-Tang, 50,000 samples x ~ N(0, 4I), batch 10, L(theta) = f(sqrt(k) theta - x); "
                    "Momentum lr 1e-4 (beta 0.9), Adai lr 1e-3 (beta0 0.1, beta2 0.99, eps 1e-3); start at a/sqrt(k), "
                    "escape when some theta_i > b/sqrt(k) (escape_models.styblinski_tang_escapes)")


def relation_at(statement, value: float) -> bool:
    return bool(statement.subs(RATIO, value))


class PooledRateRatio(FormulaCheck):
    """Both optimizers escape ``repeats`` times at each k of Figure 5 on the same data set; per k the log ratio of the
    escape rates log(mean T_Momentum / mean T_Adai) with its delta-method standard error (sample coefficients of
    variation); pooled with inverse-variance weights; the interval exp(pooled +- Z_CRIT se) (one comparison at ALPHA,
    counted). The statement (a relation in the ratio) must hold at both ends of the interval to pass and fail at both
    to fail. Self-test: the reversed relation must fail on the same runs."""

    kind = "montecarlo"
    evidence = "model"
    form = "confidence interval"
    fixed_setting = True

    def __init__(self, name: str, ks=(2.5, 2.75, 3.0, 3.25, 3.5), repeats: int = 3500, deep_repeats: int = 8000,
                 max_steps: int = 10 ** 6):
        self.name, self.ks, self.repeats, self.deep_repeats, self.max_steps = name, tuple(ks), repeats, deep_repeats, \
            max_steps

    def estimate(self, ctx) -> tuple[float, float, list]:
        from .escape_models import FIG5_OPTIMIZERS, figure5_escapes

        repeats = self.deep_repeats if ctx.deep else self.repeats
        data_seed, *run_seeds = ctx.seed_sequence("adai.fig5.caption", "Styblinski-Tang escapes").spawn(3)
        runs = {name: figure5_escapes(FIG5_OPTIMIZERS[name], self.ks, repeats, _seed_key(data_seed), _seed_key(seed),
                                      self.max_steps, ctx.convention)
                for name, seed in zip(("Momentum", "Adai"), run_seeds)}
        rows, logs, weights = [], [], []
        for i, k in enumerate(self.ks):
            (tm, cm, dm, _), (ta, ca, da, _) = runs["Momentum"][i], runs["Adai"][i]
            if cm or dm or ca or da or len(tm) < 10 or len(ta) < 10:
                raise Undecidable(f"at k = {k}: censored or diverged runs (Momentum {cm}/{dm}, Adai {ca}/{da})",
                                  "escape-time simulation", {"rows": rows})
            lr = math.log(tm.mean() / ta.mean())
            se = math.sqrt(sum(np.var(x, ddof=1) / x.mean() ** 2 / len(x) for x in (tm, ta)))
            rows.append({"k": k, "escapes": len(tm), "mean_steps_momentum": float(tm.mean()),
                         "mean_steps_adai": float(ta.mean()), "rate_ratio": math.exp(lr), "log_ratio_se": se})
            logs.append(lr)
            weights.append(1 / se ** 2)
        w = np.asarray(weights)
        return float(np.dot(w, logs) / w.sum()), float(1 / math.sqrt(w.sum())), rows

    def _run(self, claim, ctx) -> CheckResult:
        from checks.stats import ALPHA, Z_CRIT

        est, se, rows = self.estimate(ctx)
        ctx.counter.add(1)
        lo, hi = math.exp(est - Z_CRIT * se), math.exp(est + Z_CRIT * se)
        st = claim.statement
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(st)]
        reversed_ = rev(st.lhs, st.rhs, evaluate=False)

        def verdict(relation):
            ends = (relation_at(relation, lo), relation_at(relation, hi))
            return PASS if all(ends) else FAIL if not any(ends) else INCONCLUSIVE
        details = {"rows": rows, "pooled_rate_ratio": math.exp(est), "interval": [lo, hi], "alpha": ALPHA,
                   "z_critical": Z_CRIT, "self_test": [{"perturbation": "relation reversed",
                                                        "rejected": verdict(reversed_) == FAIL}],
                   "seed": self.seed(claim, ctx)}
        method = f"pooled escape-rate ratio over k = {self.ks[0]:g} ... {self.ks[-1]:g}, interval at ALPHA {ALPHA:.1e}"
        status = verdict(st)
        if status == FAIL:
            return CheckResult(self.kind, self.name, FAIL, method, details,
                               {"pooled_rate_ratio": math.exp(est), "interval": [lo, hi]})
        if status == INCONCLUSIVE or not details["self_test"][0]["rejected"]:
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="the interval contains the statement's bound (underpowered)")
        return CheckResult(self.kind, self.name, PASS, method, details)


def caption_claim(statement) -> Claim:
    return Claim(statement=statement, regime=CAPTION_REGIME, symbols={r"\Gamma_{Adai} / \Gamma_{Momentum}": "escape "
                 "rate ratio, pooled (geometric mean) over Figure 5's k"},
                 dynamics=CAPTION_DYNAMICS, observable="escape rates (119) of Adai and Momentum",
                 checks=[PooledRateRatio("App. E's experiment, 3500 escapes per optimizer and k (8000 with --deep): "
                                         "pooled escape-rate ratio Adai/Momentum")])


@claim("adai.fig5.caption", "Figure 5, caption", "Adai may escape loss valleys slightly faster than Momentum",
       uses=["adai.fig5"],
       quantified="'may escape faster' read as: the escape-rate ratio Gamma_Adai/Gamma_Momentum, pooled over Figure "
                  "5's k (2.5 ... 3.5), exceeds 1; 'slightly' is adai.fig5.caption.slightly")
def fig5_caption():
    return caption_claim(sp.StrictGreaterThan(sp.log(RATIO), 0))


@claim("adai.fig5.caption.slightly", "Figure 5, caption ('slightly')", "Adai's escape rate is less than twice "
       "Momentum's", uses=["adai.fig5.caption"],
       quantified="'slightly faster' read as: the pooled escape-rate ratio Gamma_Adai/Gamma_Momentum is below 2")
def fig5_caption_slightly():
    return caption_claim(sp.StrictLessThan(sp.log(RATIO), sp.log(2)))
