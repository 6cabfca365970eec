"""Mutants of a statement: small deliberate errors that a claim's checks must notice.

A check that never reads the statement cannot tell a typo from the printed formula. Running every check
against these mutants, with the same seeds, shows which checks read the statement: a mutant is killed
when the claim's verdict is no longer ``verified``.

Kinds (applied to the side that carries the formula; for ``lhs = 0`` the left side):
- ``scale``: the formula times 1.05 and times 1.2 (for an inequality: the bound tightened by 5% / 20%);
- ``sign``: the sign of one term of a sum flipped (every sum in the expression tree);
- ``exponent``: a numeric exponent p changed to p + 1;
- ``swap``: a symbol exchanged with its neighbour of the same kind (same assumptions);
- ``direction``: an inequality reversed (for ``a != b``: the negation ``a = b``, the one mutant counted, since
  a scaled, sign-flipped or swapped side differs too).
A mutant equal to the original (numerically, at random points) is ``equivalent`` and is not counted.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from .model import BigO, Regime, drop_big_o

MAX_PER_KIND = {"sign": 8, "exponent": 6, "swap": 4}


@dataclass
class Mutant:
    label: str
    kind: str
    statement: Any
    required: bool = True          # counted in the kill rate (tightening a loose bound is not)
    equivalent: bool = False


def _side(statement) -> tuple[str, Any, Callable[[Any], Any]]:
    """(which side, the expression, a function rebuilding the statement from a new expression)."""
    if isinstance(statement, (sp.Equality, sp.Rel)):
        lhs, rhs = statement.lhs, statement.rhs
        rel = type(statement)

        def rebuild_rhs(e):
            return rel(lhs, e, evaluate=False)

        def rebuild_lhs(e):
            return rel(e, rhs, evaluate=False)

        rhs_zero = _is_zero(rhs)
        if rhs_zero and not _is_zero(lhs):
            return "lhs", lhs, rebuild_lhs
        return "rhs", rhs, rebuild_rhs
    return "statement", statement, lambda e: e


def _is_zero(e) -> bool:
    if isinstance(e, sp.MatrixBase):
        return all(x == 0 for x in e)
    return e == 0


def _with_o(expr, build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Mutate the formula, keep the O(...) term as printed."""
    if not isinstance(expr, sp.Basic) or not expr.atoms(BigO):
        return build
    o_terms = sp.Add(*[a for a in sp.Add.make_args(expr) if a.has(BigO)])
    return lambda e: build(e + o_terms)


def mutants(statement: Any, regime: Regime | None = None, extra_symbols: tuple = (),
            identities: dict | None = None, symmetric: tuple = ()) -> list[Mutant]:
    """Mutants of the statement; ``identities`` (substitutions the text itself makes, such as dt = eta) and
    ``symmetric`` (symbols whose sign leaves the law unchanged, such as a Brownian increment dW) mark mutants
    that only restate the same thing as equivalent."""
    if isinstance(statement, (sp.And, sp.Or)):
        return _boolean_mutants(statement, regime, extra_symbols, identities, symmetric)
    side, expr, rebuild = _side(statement)
    build = _with_o(expr, rebuild)
    core = drop_big_o(expr)
    out: list[Mutant] = []
    inequality = isinstance(statement, sp.Rel) and not isinstance(statement, (sp.Equality, sp.Unequality))
    if inequality:
        out += _inequality_mutants(statement)
    elif isinstance(statement, sp.Unequality):
        # "a != b" says only that they differ: a scaled side differs too, so the mutant that must be killed is
        # the negation "a = b"; scaling is tried but not counted
        out.append(Mutant("= for !=", "direction", sp.Eq(statement.lhs, statement.rhs, evaluate=False)))
        out += [Mutant(f"x{f}", "scale", build(core * sp.nsimplify(f)), required=False) for f in ("1.05", "1.2")]
    elif side == "lhs":
        # lhs = 0: scaling the left side cannot change the truth of the statement
        out += [Mutant(f"x{f}", "scale", build(core * sp.nsimplify(f)), equivalent=True) for f in ("1.05", "1.2")]
    else:
        out += [Mutant(f"x{f}", "scale", build(core * sp.nsimplify(f))) for f in ("1.05", "1.2")]
    out += _sign_mutants(core, build)
    out += _exponent_mutants(core, build)
    out += _swap_mutants(core, build, statement, regime, extra_symbols)
    _mark_equivalent(out, core, build, regime, identities or {}, tuple(symmetric), side == "lhs")
    if isinstance(statement, sp.Unequality):       # any changed side still differs: only the negation counts
        for m in out:
            m.required = m.kind == "direction"
    return out


def _boolean_mutants(statement, regime, extra_symbols, identities, symmetric) -> list[Mutant]:
    """A conjunction (or disjunction) of relations: each part mutated on its own, the others kept as printed."""
    parts = list(statement.args)
    out: list[Mutant] = []
    for k, part in enumerate(parts):
        for mu in mutants(part, regime, extra_symbols, identities, symmetric):
            whole = type(statement)(*[mu.statement if j == k else p for j, p in enumerate(parts)], evaluate=False)
            out.append(Mutant(f"part {k + 1}: {mu.label}", mu.kind, whole, mu.required, mu.equivalent))
    return out


def _inequality_mutants(statement) -> list[Mutant]:
    lhs, rhs = statement.lhs, statement.rhs
    upper = isinstance(statement, (sp.StrictLessThan, sp.LessThan))
    reverse = {sp.LessThan: sp.GreaterThan, sp.StrictLessThan: sp.StrictGreaterThan,
               sp.GreaterThan: sp.LessThan, sp.StrictGreaterThan: sp.StrictLessThan}[type(statement)]
    out = [Mutant("direction reversed", "direction", reverse(lhs, rhs, evaluate=False))]
    for f in ("0.05", "0.2"):
        shift = sp.nsimplify(f) * sp.Abs(drop_big_o(rhs))
        tighter = rhs - shift if upper else rhs + shift
        out.append(Mutant(f"bound tightened by {int(float(f) * 100)}%", "scale",
                          type(statement)(lhs, tighter, evaluate=False), required=False))
    return out


def _nodes(expr) -> list[Any]:
    if isinstance(expr, sp.MatrixBase):
        return [n for e in expr for n in sp.preorder_traversal(e)]
    return list(sp.preorder_traversal(expr)) if isinstance(expr, sp.Basic) else []


def _replace_node(expr, node, new):
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: e.xreplace({node: new}))
    return expr.xreplace({node: new})


def _sign_mutants(core, build) -> list[Mutant]:
    out: list[Mutant] = []
    seen: set = set()
    adds = [n for n in _nodes(core) if isinstance(n, sp.Add)]
    if not adds and not isinstance(core, sp.MatrixBase) and core != 0:
        return [Mutant("sign of the formula flipped", "sign", build(-core))]
    for node in adds:
        for term in node.args:
            if len(out) >= MAX_PER_KIND["sign"] or (node, term) in seen or term.has(BigO):
                continue
            seen.add((node, term))
            new = sp.Add(*[(-a if a == term else a) for a in node.args], evaluate=False)
            out.append(Mutant(f"sign of {sp.sstr(term)[:40]} flipped", "sign", build(_replace_node(core, node, new))))
    return out


def _exponent_mutants(core, build) -> list[Mutant]:
    out: list[Mutant] = []
    for node in _nodes(core):
        if len(out) >= MAX_PER_KIND["exponent"]:
            break
        if isinstance(node, sp.Pow) and node.exp.is_Rational and not node.has(BigO):
            new = sp.Pow(node.base, node.exp + 1, evaluate=False)
            out.append(Mutant(f"exponent {node.exp} -> {node.exp + 1} in {sp.sstr(node)[:40]}", "exponent",
                              build(_replace_node(core, node, new))))
    return out


def _kind(s: sp.Symbol) -> tuple:
    return tuple(sorted((k, v) for k, v in s.assumptions0.items() if v is not None))


def _swap_mutants(core, build, statement, regime, extra_symbols) -> list[Mutant]:
    if not isinstance(core, sp.Basic) and not isinstance(core, sp.MatrixBase):
        return []
    free = sorted(core.free_symbols, key=lambda s: s.name)
    found = set(free) | set(getattr(statement, "free_symbols", set())) | set(extra_symbols)
    if regime is not None:
        found |= set(regime.symbols)
    pool = sorted(found, key=lambda s: s.name)
    out: list[Mutant] = []
    for s in free:
        same = [p for p in pool if p != s and _kind(p) == _kind(s)]
        if not same or len(out) >= MAX_PER_KIND["swap"]:
            continue
        # the neighbour: the next symbol of the same kind in alphabetical order (cyclic)
        later = [p for p in same if p.name > s.name]
        n = later[0] if later else same[0]
        swapped = core.xreplace({s: n, n: s}) if not isinstance(core, sp.MatrixBase) else \
            core.applyfunc(lambda e: e.xreplace({s: n, n: s}))
        out.append(Mutant(f"{s.name} <-> {n.name}", "swap", build(swapped)))
    return out


def _mark_equivalent(out: list[Mutant], core, build, regime: Regime | None, identities: dict,
                     symmetric: tuple, zero_side: bool) -> None:
    """A mutant whose formula equals the original everywhere (up to the statement's own identities, the sign
    of symmetric symbols, or the sign of a side that equals 0) cannot be killed: mark it equivalent."""
    def same(x, y):
        return x is not None and y is not None and _same_function(_ident(x, identities), _ident(y, identities), regime)

    original = _formula_side(build(core))
    for m in out:
        if m.equivalent or m.kind == "direction":
            continue
        mutated = _formula_side(m.statement)
        m.equivalent = (same(original, mutated)
                        or any(same(original.subs(s, -s), mutated) for s in symmetric)
                        or (zero_side and same(-original, mutated)))


def _pairs(sides, others, subs) -> list:
    """Both formulas at one point. An integral is done by mpmath's quadrature at 20 digits (SymPy's own evalf of
    an integral at 30 digits can run for minutes); everything else by evalf at 30 digits."""
    out = []
    for x, y in zip(sides, others):
        x, y = sp.sympify(x).subs(subs), sp.sympify(y).subs(subs)
        if x.has(sp.Integral) or y.has(sp.Integral):
            with mpmath.workdps(20):
                out.append(tuple(sp.Float(mpmath.mpmathify(sp.lambdify((), e, "mpmath")()), 20) for e in (x, y)))
        else:
            out.append((sp.N(x, 30), sp.N(y, 30)))
    return out


def _ident(e, identities: dict):
    return e.subs(identities) if identities and isinstance(e, (sp.Basic, sp.MatrixBase)) else e


def _formula_side(statement):
    _, expr, _ = _side(statement)
    return drop_big_o(expr)


def _same_function(a, b, regime: Regime | None, n: int = 6) -> bool:
    if isinstance(a, sp.Basic) and isinstance(b, sp.Basic):
        try:                 # limits, sums and infinities evaluated first: oo * 1.05 is oo, -0 is 0 (not integrals:
            if not (a.has(sp.Integral) or b.has(sp.Integral)):      # SymPy's integrate can run for minutes)
                a, b = a.doit(), b.doit()
        except Exception:  # noqa: BLE001 - an expression SymPy cannot evaluate is compared as it stands
            pass
        if a == b or (a.is_infinite and b.is_infinite and a == b):
            return True
    try:
        diff = sp.Matrix(a) - sp.Matrix(b) if isinstance(a, sp.MatrixBase) else sp.sympify(a - b)
    except (TypeError, ValueError, sp.SympifyError):
        return False
    entries = list(diff) if isinstance(diff, sp.MatrixBase) else [diff]
    if all(sp.expand(e) == 0 for e in entries):
        return True
    free = set().union(*(e.free_symbols for e in entries))
    if any(e.atoms(sp.core.function.AppliedUndef) or e.atoms(sp.Derivative) for e in entries):
        try:
            return all(sp.simplify(e) == 0 for e in entries)
        except Exception:
            return False
    boxes = {p.symbol: p for p in regime.params} if regime is not None else {}
    rnd = random.Random(12345)
    sides = list(sp.Matrix(a)) if isinstance(a, sp.MatrixBase) else [a]
    others = list(sp.Matrix(b)) if isinstance(b, sp.MatrixBase) else [b]
    evaluated = 0
    quadrature = any(x.has(sp.Integral) for x in sides + others if isinstance(x, sp.Basic))
    tol = sp.Float("1e-9" if quadrature else "1e-20", 30)
    for _ in range(3 * n):
        subs = {}
        for s in free | set().union(*(sp.sympify(x).free_symbols for x in sides + others)):
            p = boxes.get(s)
            v = rnd.uniform(p.low, p.high) if p is not None else rnd.uniform(0.3, 1.7)
            if p is None and (s.is_negative or s.is_nonpositive):
                v = -v
            if s.is_integer:
                v = max(1, round(v * 3))
            subs[s] = sp.Float(v, 30)
        try:        # mpmath at 30 digits: no float overflow, so exp(700) * 1.05 is told from exp(700)
            pairs = _pairs(sides, others, subs)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if not all(v.is_finite for pair in pairs for v in pair if v.is_number) or \
                not all(v.is_number for pair in pairs for v in pair):
            continue                                  # a point where either side is not finite decides nothing
        evaluated += 1
        for x, y in pairs:
            scale = max(abs(x), abs(y))
            if scale != 0 and abs(x - y) / scale > tol:
                return False
        if evaluated >= n:
            return True
    return evaluated > 0
