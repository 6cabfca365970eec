"""Deciding symbolic equality: numbers first (mpmath at high precision over the regime), then a proof.

1. Both sides are evaluated at random points of the regime at two working precisions. A point where they
   differ by more than the rounding both precisions reveal, and by more than 10^-(digits-8) relative to the
   larger side, is a counterexample once a third, much higher precision confirms the gap; the tolerance is
   relative to both sides' magnitude, never absolute.
2. Where the numbers agree, cheap rewrites (expand, cancel) and, for small expressions, simplify try to
   prove the identity; the method says which decided.
Too few points that evaluate (every point raising, say) is undecided, never "equal".
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from theory.model import Regime

DEFAULT_POINTS = 24      # the safety net evaluates at least 20 random points of the regime
DEFAULT_DIGITS = 30      # ... with at least 30 significant digits
MIN_POINTS = 8           # fewer evaluable points than this decide nothing
SIMPLIFY_MAX_OPS = 150   # beyond this, simplify is slow and rarely decisive


@dataclass
class Decision:
    equal: bool | None              # None: undecided
    method: str                      # "simplify", "rewrite" or "mpmath (24 points, 30 digits)"
    details: dict[str, Any] = field(default_factory=dict)
    counterexample: dict[str, Any] | None = None


def _proves_zero(diff: sp.Expr, allow_simplify: bool = True) -> str | None:
    """'rewrite' or 'simplify' when diff is provably 0; None otherwise."""
    try:
        e = sp.expand(diff)
        if e == 0:
            return "rewrite"
        if sp.cancel(sp.together(sp.expand(sp.powsimp(e)))) == 0:
            return "rewrite"
        if allow_simplify and sp.count_ops(e) <= SIMPLIFY_MAX_OPS and sp.simplify(e) == 0:
            return "simplify"
    except (TypeError, NotImplementedError, RecursionError, ValueError, AttributeError, sp.PolynomialError):
        return None
    return None


def _mp_function(expr: sp.Expr, symbols: list[sp.Symbol]):
    return sp.lambdify(symbols, sp.sympify(expr).doit(), modules="mpmath", dummify=True)


def decide_equal(lhs: Any, rhs: Any, regime: Regime, rng: np.random.Generator,
                 n_points: int = DEFAULT_POINTS, digits: int = DEFAULT_DIGITS,
                 try_simplify: bool = True) -> Decision:
    """Is ``lhs == rhs`` on the whole regime? (see the module docstring)"""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return _decide_entries(lhs, rhs, regime, rng, n_points, digits, try_simplify)
    diff = (lhs - rhs).doit()
    if diff == 0:
        return Decision(True, "rewrite", {"simplified": "0"})
    if diff.atoms(AppliedUndef):
        how = _proves_zero(diff, try_simplify)
        if how:
            return Decision(True, how, {"simplified": "0"})
        return _with_test_functions(lhs, rhs, regime, rng, n_points, digits)
    numeric = _numeric(lhs, rhs, diff, regime, rng, n_points, digits)
    if numeric.equal is not True:
        return numeric
    how = _proves_zero(diff, try_simplify)
    if how:
        return Decision(True, how, {"simplified": "0", "numeric": numeric.details})
    return numeric


N_TEST_FUNCTIONS = 3     # an identity in undefined functions is tested with this many random concrete ones


def _test_function(args: tuple, rng: np.random.Generator) -> sp.Expr:
    """A smooth, positive function of args with random rational coefficients (a Gaussian bump with a tilt
    and a wiggle): rich enough that a wrong identity in f and its derivatives fails at random points."""
    def r(lo, hi):
        return sp.Rational(int(rng.integers(int(lo * 100), int(hi * 100))), 100)
    quad = sum(r(0.2, 0.9) * a ** 2 for a in args)
    lin = sum(r(-1, 1) * a for a in args)
    wig = sum(r(0.5, 2) * a for a in args)
    return sp.exp(-quad / 2 + lin) * (2 + sp.sin(wig))


def _with_test_functions(lhs, rhs, regime, rng, n_points, digits) -> Decision:
    """An identity that holds for every function holds for concrete ones: replace each undefined function by
    random smooth test functions and compare numerically. A difference is a counterexample (with the
    functions named); agreement for every test function is numeric evidence, not a proof."""
    funcs = sorted({type(f) for e in (lhs, rhs) for f in sp.sympify(e).atoms(AppliedUndef)}, key=str)
    used = []
    for _ in range(N_TEST_FUNCTIONS):
        repl, shown = {}, {}
        for F in funcs:
            nargs = max(len(a.args) for e in (lhs, rhs) for a in sp.sympify(e).atoms(AppliedUndef) if type(a) is F)
            xs = sp.symbols(f"x0:{nargs}", real=True)
            body = _test_function(xs, rng)
            repl[F] = sp.Lambda(xs, body)
            shown[str(F)] = sp.sstr(body)
        l2, r2 = (sp.sympify(e).replace(lambda a: isinstance(a, AppliedUndef),
                                        lambda a: repl[type(a)](*a.args)).doit() for e in (lhs, rhs))
        d = _numeric(l2, r2, (l2 - r2), regime, rng, max(MIN_POINTS, n_points // N_TEST_FUNCTIONS), digits)
        used.append(shown)
        if d.equal is False:
            d.counterexample = {**(d.counterexample or {}), "functions": shown}
            d.method = f"test functions + {d.method}"
            return d
        if d.equal is None:
            return Decision(None, d.method, {**d.details, "functions": shown})
    return Decision(True, f"test functions ({N_TEST_FUNCTIONS} random) + mpmath",
                    {"functions": used, "note": "no rewrite proved the identity; it holds for every random test "
                     "function at every sampled point"})


def _numeric(lhs, rhs, diff, regime, rng, n_points, digits) -> Decision:
    free = diff.free_symbols | lhs.free_symbols | rhs.free_symbols
    by_name = {p.name: p for p in regime.params}
    missing = sorted(s.name for s in free if s.name not in by_name)
    if missing:
        return Decision(None, "mpmath", {"note": f"symbols {missing} have no range in the regime; cannot evaluate "
                                         "numerically and no rewrite proved the identity"})
    points = regime.sample(rng, n_points)
    symbols = sorted(free, key=lambda s: s.name)
    f_lhs, f_rhs = _mp_function(lhs, symbols), _mp_function(rhs, symbols)
    method = f"mpmath ({n_points} points, {digits} digits)"
    tol = mpmath.mpf(10) ** (-(digits - 8))
    worst, evaluated, raised = 0.0, 0, []
    for point in points:
        try:
            low = _values(f_lhs, f_rhs, point, symbols, digits + 10)
            high = _values(f_lhs, f_rhs, point, symbols, 2 * digits + 20)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError) as e:
            raised.append(f"{type(e).__name__}: {e}"[:120])
            continue
        (l1, r1), (l2, r2) = low, high
        with mpmath.workdps(2 * digits + 20):
            if not all(mpmath.isfinite(v) for v in (l2, r2)):
                raised.append("not finite")
                continue
            evaluated += 1
            scale = max(abs(l2), abs(r2))
            rounding = abs(l2 - l1) + abs(r2 - r1)          # what the lower precision got wrong
            gap = abs(l2 - r2)
            if gap == 0:
                continue
            rel = gap / scale
            worst = max(worst, float(rel))
            if rel > tol and gap > 100 * rounding:
                confirmed = _confirmed_gap(f_lhs, f_rhs, point, symbols, 4 * digits + 40, tol)
                if confirmed is None:     # two precisions agreed on a cancellation only a third one undoes
                    continue
                l3, r3, rel3 = confirmed
                return Decision(False, method, {"points_checked": evaluated, "relative_difference": float(rel3)},
                                counterexample={"params": {k: point[k] for k in sorted(point)},
                                                "lhs": _num(l3), "rhs": _num(r3)})
    if evaluated < min(MIN_POINTS, n_points):
        return Decision(None, method, {"points_checked": evaluated, "points_raised": len(raised),
                                       "note": f"only {evaluated} of {len(points)} points could be evaluated "
                                       f"({'; '.join(sorted(set(raised))[:3])}): nothing is decided"})
    return Decision(True, method, {"points_checked": evaluated, "points_raised": len(raised),
                                   "max_relative_difference": worst,
                                   "note": "no rewrite proved the identity; both sides agree at every sampled point"})


def _confirmed_gap(f_lhs, f_rhs, point, symbols, dps, tol):
    """(lhs, rhs, relative gap) when two much higher precisions (dps and 2 dps) find the same gap, or None: a
    cancellation between terms of huge size (w^-110 against w^110, say) can fool two precisions alike, and
    then the gap moves with the precision instead of staying put."""
    try:
        l3, r3 = _values(f_lhs, f_rhs, point, symbols, dps)
        l4, r4 = _values(f_lhs, f_rhs, point, symbols, 2 * dps)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    with mpmath.workdps(2 * dps):
        if not all(mpmath.isfinite(v) for v in (l3, r3, l4, r4)):
            return None
        gap3, gap4 = l3 - r3, l4 - r4
        if gap4 == 0 or abs(gap3 - gap4) > abs(gap4) / 100:
            return None
        scale = max(abs(l4), abs(r4))
        rel = abs(gap4) / scale
        return (l4, r4, rel) if rel > tol else None


def _values(f_lhs, f_rhs, point, symbols, dps):
    with mpmath.workdps(dps):
        args = [mpmath.mpf(point[s.name]) for s in symbols]
        lv, rv = f_lhs(*args), f_rhs(*args)
        return mpmath.mpmathify(lv), mpmath.mpmathify(rv)


def _decide_entries(lhs, rhs, regime, rng, n_points, digits, try_simplify) -> Decision:
    """Matrices and vectors: every entry must be equal; the first unequal entry is the counterexample."""
    lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
    if lhs.shape != rhs.shape:
        return Decision(False, "shape", {"note": f"shapes differ: {lhs.shape} and {rhs.shape}"},
                        counterexample={"lhs_shape": list(lhs.shape), "rhs_shape": list(rhs.shape)})
    methods = []
    for k, (a, b) in enumerate(zip(lhs, rhs)):
        d = decide_equal(a, b, regime, rng, n_points, digits, try_simplify)
        methods.append(d.method)
        if d.equal is not True:
            entry = {"entry": k, **d.details}
            ce = None if d.counterexample is None else {**d.counterexample, "entry": k}
            return Decision(d.equal, d.method, entry, counterexample=ce)
    proofs = ("rewrite", "simplify")
    method = "simplify" if all(m in proofs for m in methods) else next(m for m in methods if m not in proofs)
    return Decision(True, method, {"entries": len(methods), "methods": sorted(set(methods))})


def _num(v) -> float | str:
    try:
        x = float(v)
    except TypeError:
        return str(complex(v))
    return x if math.isfinite(x) else mpmath.nstr(v, 12)      # beyond float range: keep the digits
