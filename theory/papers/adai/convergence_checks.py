"""Checks for Theorem 4 of `adai` and its proof: an exact replay of a process against an equality, and worst-case
searches (checks.bounds.BoundCheck) over the problem instances of convergence_models.

``Replay``: both sides of a printed equality evaluated on the recorded states of a run (an update rule, a
rewriting of one); exact up to rounding, with the usual self-test (the formula x1.5, x0.5, sign flipped must be
rejected).

``process_bound``: a BoundCheck whose points are instances -- a loss family and its shape, theta_0, a beta
schedule, eta calL, the noise -- and whose derived symbols (calL, G, L*, delta, eta, the weights q, the process's
expectations) are computed from the instance. Three exact modes: a noise-free run (any family), every sign pattern of
two-point noise (any family, t <= 6), and the Huber loss with two-point noise as linear forms (any t).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from checks import BoundCheck
from checks.base import DEFAULT_PERTURBATIONS, FormulaCheck, RunContext, Undecidable
from checks.bounds import lambdify_bound
from checks.montecarlo import with_power
from checks.result import FAIL, CheckResult
from theory import Param

from . import convergence_models as cm


# --- exact replay -----------------------------------------------------------------------------------------------
class Replay(FormulaCheck):
    """``record(point, rng) -> [values, ...]``: states of a run (dicts symbol name -> number or array over paths,
    arrays for IndexedBase symbols); at each, the statement's two sides must agree within ``rtol`` (relative to
    the larger of the two and ``floor`` times the state's scale)."""

    kind, evidence, form = "exact", "model", "exact"

    def __init__(
        self,
        name: str,
        record: Callable[[dict, Any], list[dict]],
        symbols: Sequence[Any],
        n_points: int = 4,
        rtol: float = 1e-9,
        perturbations=DEFAULT_PERTURBATIONS,
        lhs: Callable[[Any, dict], Any] | None = None,
    ):
        self.name, self.record, self.n_points, self.rtol = name, record, n_points, rtol
        self.lhs_fn = lhs  # the left side's value from the claim and a state (a derivative, say)
        self.symbols = tuple(getattr(s, "label", s) for s in symbols)
        self.perturbations = tuple(perturbations)

    def _sides(self, claim, rhs=None):
        syms = list(claim.regime.symbols) + [s for s in self.symbols if s not in claim.regime.symbols]
        names = [s.name for s in syms]
        self._integer = {s.name for s in syms if getattr(s, "is_integer", False)}
        if self.lhs_fn is not None:
            f_l = _KeepValues(lambda values: self.lhs_fn(claim, values))
        else:
            f_l = lambdify_bound(syms, claim.lhs)
        f_r = lambdify_bound(syms, claim.formula if rhs is None else rhs)
        return names, f_l, f_r

    def _gap(self, f_l, f_r, names, values):
        args = [int(values[n]) if n in self._integer else values[n] for n in names]
        a = np.asarray(f_l.on(values) if isinstance(f_l, _KeepValues) else f_l(*args), dtype=float)
        b = np.asarray(f_r(*args), dtype=float)
        scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), values.get("_scale", 0.0))
        return a, b, np.where(scale > 0, np.abs(a - b) / np.where(scale > 0, scale, 1), 0.0)

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        rng = self.rng(claim, ctx)
        points = self.points(claim, ctx, rng, self.n_points)
        states = [
            (p, {**p, **v}) for p in points for v in self.cached(ctx, claim, "record", self.record, (dict(p),), rng)
        ]
        names, f_l, f_r = self._sides(claim)
        worst, rows = None, []
        for p, v in states:
            a, b, rel = self._gap(f_l, f_r, names, v)
            at = int(np.argmax(rel)) if rel.size else 0
            row = {
                "params": p,
                "state": _brief(v, p, at, rel.shape),
                "lhs": float(np.ravel(a)[at] if a.size > 1 else a),
                "rhs": float(np.ravel(b)[at] if b.size > 1 else b),
                "max_relative_difference": float(rel.max()),
            }
            rows.append(row)
            if rel.max() > self.rtol and (worst is None or rel.max() > worst["max_relative_difference"]):
                worst = row
        self_test = []
        for label, perturb in self.perturbations:
            _, _, f_w = self._sides(claim, perturb(claim.formula))
            rels = [float(self._gap(f_l, f_w, names, v)[2].max()) for _, v in states]
            self_test.append(
                {"perturbation": label, "max_relative_difference": max(rels), "rejected": max(rels) > self.rtol}
            )
        details = {
            "states_compared": len(states),
            "rtol": self.rtol,
            "rows": rows[:12],
            "self_test": self_test,
            "seed": self.seed(claim, ctx),
        }
        method = f"exact replay of {len(states)} recorded states, relative tolerance {self.rtol:g}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, worst)
        return with_power(self.kind, self.name, method, details)


class _KeepValues:
    """A side computed from the whole state (not lambdified)."""

    def __init__(self, fn):
        self.on = fn


def complex_step(expr, symbols: Sequence[Any], values: dict, index: int, base=None) -> float:
    """d expr / d beta_{1,index} at the state, by a complex step (exact to rounding for the polynomials of a
    beta sequence); ``base`` is the IndexedBase differentiated (beta by default)."""
    base = base if base is not None else cm.beta
    syms = [getattr(s, "label", s) for s in symbols]
    f = _lambdified(expr, tuple(syms))
    h = 1e-30
    arr = np.asarray(values[base.label.name], dtype=complex).copy()
    arr[index] += 1j * h
    vals = {**values, base.label.name: arr}
    args = [int(vals[s.name]) if getattr(s, "is_integer", False) else vals[s.name] for s in syms]
    return float(np.imag(f(*args)) / h)


_LAMBDA_CACHE: dict = {}


def _lambdified(expr, syms):
    key = (expr, syms)
    if key not in _LAMBDA_CACHE:
        _LAMBDA_CACHE[key] = lambdify_bound(list(syms), expr)
    return _LAMBDA_CACHE[key]


def _brief(values: dict, point: dict, at: int = 0, shape=()) -> dict:
    """The state's entries at the compared element ``at`` (arrays of the compared shape), others summarised."""
    out: dict[str, Any] = {"step": values.get("_step")} if "_step" in values else {}
    for key, v in values.items():
        if key in point or key.startswith("_"):
            continue
        arr = np.asarray(v)
        if arr.size == 1:
            out[key] = float(arr.ravel()[0])
        elif arr.shape == tuple(shape):
            out[key] = float(arr.ravel()[at])
        else:
            out[key] = f"array of {arr.size}"
    return out


# --- instances searched over ----------------------------------------------------------------------------------------
def _p(name, low, high, log=False, doc="", **assume):
    return Param(sp.Symbol(name, **assume), low, high, log=log, doc=doc)


FAMILY = _p(
    "family", 0, 3, doc="0 cosine valley, 1 log-cosh, 2 Huber, 3 two Gaussian wells", integer=True, nonnegative=True
)
SIGMA = _p("sigma", 0.01, 100.0, log=True, doc="height of the loss (its curvature scale)", positive=True)
SHAPE_A = _p("a", 0.2, 3.0, doc="Huber radius / depth of the second well", positive=True)
SHAPE_B = _p("b", 0.0, 1.0, doc="position of the second well", nonnegative=True)
THETA0 = _p("theta_0", -3.0, 3.0, doc="initial point", real=True)
SCHEDULE = _p(
    "schedule",
    0,
    4,
    doc="beta sequence: 0 constant, 1 alternating, 2 switch-on, 3 ramp, 4 pseudo-random",
    integer=True,
    nonnegative=True,
)
SHAPE_S = _p("s", 0.0, 1.0, doc="shape of the beta sequence", nonnegative=True)
ETA_CALL = _p("eta_calL", 0.01, 3.0, log=True, doc="eta times calL", positive=True)
NOISE_D = _p("d", 0.0, 2.0, doc="noise size delta relative to sigma", nonnegative=True)

MODES = {
    "noise-free": (FAMILY, SIGMA, SHAPE_A, SHAPE_B, THETA0, SCHEDULE, SHAPE_S),
    "two-point": (FAMILY, SIGMA, SHAPE_A, SHAPE_B, THETA0, SCHEDULE, SHAPE_S, NOISE_D),
    "quadratic": (SIGMA, THETA0, SCHEDULE, SHAPE_S, NOISE_D),
}
MODE_TEXT = {
    "noise-free": "noise-free runs (exact) of four loss families",
    "two-point": "two-point noise, every sign sequence (exact), four loss families",
    "quadratic": "Huber loss with two-point noise, exact moments of the linear process",
}


def build(point: dict, mode: str, steps: int, eta_of: Callable[[dict, dict], float] | None = None):
    """(expectations of (74) over ``steps`` steps, the instance's constants) for a searched point."""
    betas = cm.beta_schedule(int(point["schedule"]), point[cm.beta_max.name], point["s"], steps + 1)
    if mode == "quadratic":
        h, x0 = point["sigma"], point["theta_0"]
        delta = point["d"] * h
        nominal = {"calL": h, "G": h * abs(x0) + delta, "delta": delta, "L0": h * x0 * x0 / 2, "Lstar": 0.0}
        eta, more = _eta(eta_of, point, nominal, h)
        E, reach = cm.quadratic_exact(h, x0, eta, betas, steps, delta)
        if reach <= 0:
            raise Undecidable("the process never leaves the minimum: no instance", "instance")
        loss = cm.Loss((cm.Loss1D(2, h, reach, 0.5),))
    else:
        loss = cm.loss_from(point)
        calL_, G_, Ls = loss.constants()
        delta = point["d"] * point["sigma"] if mode == "two-point" else 0.0
        L0_ = float(loss.loss(np.array([point["theta_0"]])))
        nominal = {"calL": calL_, "G": G_, "delta": delta, "L0": L0_, "Lstar": Ls}
        eta, more = _eta(eta_of, point, nominal, calL_)
        if mode == "two-point":
            E = cm.two_point_exact(loss, [point["theta_0"]], eta, betas, steps, delta)
        else:
            E = cm.noise_free(loss, [point["theta_0"]], eta, betas, steps)
    calL_, G_, Ls = loss.constants()
    L0_ = float(loss.loss(np.array([point["theta_0"]])))
    values = {
        cm.eta.name: eta,
        cm.calL.name: calL_,
        cm.G.name: G_,
        cm.delta.name: delta,
        cm.L0.name: L0_,
        cm.Lstar.name: Ls,
        cm.beta.label.name: betas,
        **more,
        "_atol": atol(L0_, Ls, G_, delta, calL_, eta),
    }
    return E, values


def atol(l0, lstar, gmax, noise, smooth, lr) -> float:
    """The instance's rounding allowance: 1e-11 of its natural scales of loss and squared gradient (a difference
    below it is floating-point noise, not a violation)."""
    energy = (gmax**2 + noise**2) * (1 / smooth + lr + lr * lr * smooth)
    return 1e-11 * (abs(l0) + abs(lstar) + energy + gmax**2 + noise**2)


def _eta(eta_of, point, nominal, curvature) -> tuple[float, dict]:
    """The learning rate (and any constant it is built from, such as C) for a point."""
    if eta_of is None:
        return point["eta_calL"] / curvature, {}
    out = eta_of(point, nominal)
    return out if isinstance(out, tuple) else (out, {})


def statement_symbols(statement, regime) -> list:
    """The statement's symbols the regime does not list (IndexedBase symbols by their base): the derived ones."""
    known = set(regime.symbols)
    out = []
    for s in statement.free_symbols:
        if isinstance(s, sp.Indexed) or s in known:
            continue
        out.append(s)
    return sorted(out, key=lambda s: s.name if hasattr(s, "name") else str(s))


def process_bound(
    name: str,
    statement,
    regime,
    terms: Callable[[Any, int, dict], dict],
    mode: str,
    *,
    steps_of: Callable[[int], int] = lambda tt: tt + 1,
    eta_of=None,
    scale=None,
    extra: Sequence = (),
    maxiter: int = 4,
    popsize: int = 5,
    hypothesis_examples: int = 10,
    narrow: dict | None = None,
    polish: int = 30,
) -> BoundCheck:
    """A worst-case search of ``statement`` over ``mode``'s instances; ``terms(E, t, values)`` gives the
    process's expectations the statement names. The two-point mode enumerates 2^(t+1) noise sequences: its t is
    searched up to 6."""
    derived = statement_symbols(statement, regime)
    need_q = any(getattr(s, "name", "") in (cm.q.label.name, cm.S.name) for s in derived)

    def derive(point):
        tt = int(point["t"])
        E, values = build(point, mode, steps_of(tt), eta_of)
        if need_q:
            values[cm.q.label.name] = cm.q_weights(values[cm.beta.label.name], tt + 1)
        values.update(terms(E, tt, values))
        return values

    if mode == "two-point":
        narrow = {"t": (0, 6), **(narrow or {})}
    own_eta = () if eta_of is not None else (ETA_CALL,)
    return BoundCheck(
        f"{name}: {MODE_TEXT[mode]}",
        instances=MODES[mode] + own_eta + tuple(extra),
        derive=derive,
        derived=derived,
        evidence="model",
        scale=scale,
        maxiter=maxiter,
        narrow=narrow,
        polish=polish,
        popsize=popsize,
        hypothesis_examples=hypothesis_examples,
        deep_factor=4.0,
        self_test="replay",
    )


def positive_parts(*names: str) -> Callable[[dict], float]:
    """A scale for a bound whose terms may change sign: the sum of the named terms' absolute values."""

    def scale(values):
        return float(sum(abs(values[n]) for n in names)) or math.nan

    return scale


def abs_terms(statement) -> Callable[[dict], float]:
    """A scale for a bound whose terms may change sign: |left side| plus the absolute values of the bound's
    additive terms, each evaluated from the statement (so 1 + gap / scale lies in [0, 2])."""
    from checks.bounds import on_values

    syms = sorted(
        statement.free_symbols - {s for s in statement.free_symbols if isinstance(s, sp.Indexed)},
        key=lambda s: getattr(s, "name", str(s)),
    )
    syms = [getattr(s, "label", s) for s in syms]
    parts = [on_values(syms, statement.lhs)] + [on_values(syms, a) for a in sp.Add.make_args(statement.rhs)]

    def scale(values):
        total = float(sum(abs(float(f(values))) for f in parts))
        # an instance where every term is at rounding level (a run that has converged) decides nothing
        return total if total > 1e3 * values.get("_atol", 0.0) and total > 0 else math.nan

    return scale


def expectation_terms(E, tt, values) -> dict:
    return cm.expectations(E, tt, values.get(cm.q.label.name))


def _plain(base, index) -> sp.Symbol:
    return sp.Symbol(f"{base.label.name}_{{{index}}}", real=True)


def expand_at(expr, tv: int, bases: Sequence) -> sp.Expr:
    """expr at t = tv with its sums written out and base[i] replaced by plain symbols (for a symbolic check)."""
    e = sp.sympify(expr).subs(cm.t, tv).doit()
    return e.replace(
        lambda a: isinstance(a, sp.Indexed) and a.base in bases and a.indices[0].is_Integer,
        lambda a: _plain(a.base, int(a.indices[0])),
    )


def identity_for_small_t(
    name: str, left, right, bases: Sequence, t_max: int = 5, evidence: str = "derivation", extra: Sequence = ()
):
    """left == right for t = 0..t_max, sums written out (an identity between expressions over sequences)."""
    from checks import SymbolicEquality

    extra = [Param(_plain(b, n), -2.0, 2.0) for b in bases for n in range(t_max + 2)] + list(extra)
    return SymbolicEquality(
        name,
        lambda c: sp.Matrix([expand_at(left(c), tv, bases) for tv in range(t_max + 1)]),
        lambda c: sp.Matrix([expand_at(right(c), tv, bases) for tv in range(t_max + 1)]),
        extra=extra,
        evidence=evidence,
        n_points=10,
    )


class DeepOnly(FormulaCheck):
    """A check that runs only with --deep (a further exact mode of a search): in a default run it is
    not-checkable, which leaves the verdict to the checks that ran."""

    def __init__(self, check):
        self.check = check
        self.name, self.kind, self.evidence, self.form = check.name, check.kind, check.evidence, check.form

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        if not ctx.deep:
            from checks.result import NOT_CHECKABLE

            return CheckResult(self.kind, self.name, NOT_CHECKABLE, "none", reason="runs with --deep")
        return self.check._run(claim, ctx)


def modes(name: str, statement, regime, terms, default: Sequence[str], deep: Sequence[str] = (), **kw) -> list:
    """The searches of a claim: ``default`` modes in every run, ``deep`` ones with --deep only."""
    out = [process_bound(name, statement, regime, terms, m, **kw) for m in default]
    return out + [DeepOnly(process_bound(name, statement, regime, terms, m, **kw)) for m in deep]
