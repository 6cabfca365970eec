"""The claim model: one checkable statement from one paper, with its source and regime."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*\.[a-z]+[0-9]*[a-z0-9]*(\.[a-z0-9-]+)*$")


# An unevaluated Landau symbol for statements such as "sigma^2 = |H| eta^2 T / B + O(...)":
# it prints as O(...) and numeric checks drop it from the formula they compare.
BigO = sp.Function("O")


class TheoryCheckError(Exception):
    """A user mistake that the tool reports in words, not as a traceback."""


class RegimeError(TheoryCheckError, ValueError):
    """Parameters that lie outside the regime in which a paper states its claim."""


class UnknownClaimError(TheoryCheckError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class Source:
    paper: str          # paper key from shared/papers/README.md, e.g. "adai"
    citation: str       # full citation
    location: str       # "Theorem 1", "Eq. (21)", "App. A.1"


@dataclass(frozen=True)
class Param:
    """A parameter of a claim: its symbol (with SymPy assumptions) and the box it is drawn from.

    The validity domain comes from the symbol's assumptions (positive, integer, nonzero) and the
    regime's conditions; ``low``/``high`` only bound where checks sample.
    """

    symbol: sp.Symbol
    low: float
    high: float
    log: bool = False
    doc: str = ""

    @property
    def name(self) -> str:
        return self.symbol.name

    @property
    def integer(self) -> bool:
        return bool(self.symbol.is_integer)

    def assumption_violated(self, value: float) -> str | None:
        s = self.symbol
        if not math.isfinite(value):
            return "finite value"
        if s.is_integer and float(value) != int(value):
            return f"{s.name} is an integer"
        if s.is_positive and not value > 0:
            return f"{s.name} > 0"
        if s.is_nonnegative and not value >= 0:
            return f"{s.name} >= 0"
        if s.is_negative and not value < 0:
            return f"{s.name} < 0"
        if s.is_nonzero and value == 0:
            return f"{s.name} != 0"
        return None

    def draw(self, rng: np.random.Generator) -> float:
        if self.log:
            v = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        else:
            v = rng.uniform(self.low, self.high)
        return float(round(v)) if self.integer else float(v)

    def strategy(self):
        from hypothesis import strategies as st

        if self.integer:
            return st.integers(int(math.ceil(self.low)), int(math.floor(self.high))).map(float)
        if self.log:
            return st.floats(math.log(self.low), math.log(self.high)).map(math.exp)
        return st.floats(self.low, self.high, allow_nan=False, allow_infinity=False)


@dataclass(frozen=True)
class Condition:
    """A relation the paper assumes, with the paper's words for it ("|H| eta T << 1")."""

    relation: sp.Basic
    text: str

    def holds(self, values: dict[sp.Symbol, float]) -> bool:
        return bool(self.relation.subs(values))


@dataclass(frozen=True)
class Regime:
    """Where the paper says a claim holds: parameters, their assumptions and conditions."""

    params: tuple[Param, ...]
    conditions: tuple[Condition, ...] = ()
    description: str = ""

    def __post_init__(self):
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "conditions", tuple(self.conditions))

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(p.symbol for p in self.params)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def extended(self, *params: Param, conditions: Sequence[Condition] = ()) -> "Regime":
        return Regime(self.params + tuple(params), self.conditions + tuple(conditions), self.description)

    def validate(self, values: dict[str, float], claim_id: str = "?", require_all: bool = True) -> dict[str, float]:
        """Return the values as floats, or raise RegimeError naming claim, parameter and assumption."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise RegimeError(
                f"{claim_id}: unknown parameter(s) {', '.join(unknown)}; "
                f"this claim's parameters are {', '.join(sorted(known))}")
        out: dict[str, float] = {}
        for p in self.params:
            if p.name not in values:
                if require_all:
                    raise RegimeError(f"{claim_id}: parameter {p.name} is missing ({p.doc or 'no default'})")
                continue
            try:
                v = float(values[p.name])
            except (TypeError, ValueError):
                raise RegimeError(f"{claim_id}: parameter {p.name}={values[p.name]!r} is not a number") from None
            broken = p.assumption_violated(v)
            if broken:
                raise RegimeError(f"{claim_id}: parameter {p.name}={v:g} breaks the assumption '{broken}'"
                                  + (f" ({p.doc})" if p.doc else ""))
            out[p.name] = v
        if len(out) == len(self.params):
            subs = {p.symbol: out[p.name] for p in self.params}
            for c in self.conditions:
                if not c.holds(subs):
                    names = sorted(s.name for s in c.relation.free_symbols)
                    shown = ", ".join(f"{n}={out[n]:g}" for n in names if n in out)
                    raise RegimeError(f"{claim_id}: parameters {shown} break the assumption "
                                      f"'{c.text}' (encoded as {c.relation})")
        return out

    def sample(self, rng: np.random.Generator, n: int = 1, max_tries: int = 10_000) -> list[dict[str, float]]:
        """Draw n parameter points uniformly (or log-uniformly) from the box, kept if the conditions hold."""
        points: list[dict[str, float]] = []
        for _ in range(max_tries):
            if len(points) == n:
                return points
            point = {p.name: p.draw(rng) for p in self.params}
            subs = {p.symbol: point[p.name] for p in self.params}
            if all(c.holds(subs) for c in self.conditions):
                points.append(point)
        raise RuntimeError(f"regime too narrow: found {len(points)} of {n} points in {max_tries} draws")

    def strategy(self):
        """A hypothesis strategy drawing points of this regime (dict name -> float)."""
        from hypothesis import strategies as st

        base = st.fixed_dictionaries({p.name: p.strategy() for p in self.params})

        def ok(point):
            subs = {p.symbol: point[p.name] for p in self.params}
            return all(c.holds(subs) for c in self.conditions)

        return base.filter(ok)

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "params": [{"name": p.name, "assumptions": _assumptions(p.symbol), "range": [p.low, p.high],
                        "log": p.log, "doc": p.doc} for p in self.params],
            "conditions": [{"text": c.text, "relation": str(c.relation)} for c in self.conditions],
        }


def _assumptions(s: sp.Symbol) -> list[str]:
    keys = ("positive", "negative", "nonnegative", "nonzero", "integer", "real")
    return [k for k in keys if s.assumptions0.get(k)]


@dataclass
class Claim:
    """One checkable statement from one paper, encoded as printed.

    ``statement`` is a SymPy relation (usually ``Eq(lhs, rhs)``); numeric checks use ``rhs`` as the
    claimed formula. ``corrected`` holds a derived statement where the printed one is refuted; it
    is a Claim of its own and is checked like any other.
    """

    id: str
    source: Source
    title: str
    statement: sp.Basic
    regime: Regime
    symbols: dict[str, str] = field(default_factory=dict)
    dynamics: str = ""
    observable: str = ""
    notes: list[str] = field(default_factory=list)
    checks: list[Any] = field(default_factory=list)
    corrected: "Claim | None" = None
    uses: list[str] = field(default_factory=list)
    corrects: str | None = None   # set on a corrected form: the id of the printed claim
    curves: list[Any] = field(default_factory=list)   # plot-ready tables (checks.curves.Curve)

    def __post_init__(self):
        if not ID_PATTERN.match(self.id):
            raise TheoryCheckError(f"claim id {self.id!r} is not of the form <paper>.<kind><number>[.<part>]")
        if self.corrected is not None:
            self.corrected.corrects = self.id

    @property
    def paper(self) -> str:
        return self.source.paper

    @property
    def formula(self) -> sp.Expr:
        """The claimed right-hand side without its O(...) term, which numeric checks compare."""
        rhs = self.statement.rhs if isinstance(self.statement, sp.Equality) else self.statement
        return rhs.replace(lambda e: isinstance(e, BigO), lambda e: sp.S.Zero)

    @property
    def remainder_bound(self) -> sp.Expr | None:
        """The argument of the statement's O(...) term, if it has one."""
        terms = list(self.statement.atoms(BigO))
        return terms[0].args[0] if terms else None

    def numeric(self, expr: sp.Expr | None = None) -> Callable[..., Any]:
        """The formula (or ``expr``) as a numpy function of the regime's parameters by name."""
        expr = self.formula if expr is None else expr
        f = sp.lambdify(self.regime.symbols, expr, modules="numpy")
        names = [p.name for p in self.regime.params]

        def call(**values):
            return f(*(values[n] for n in names))

        return call

    def evaluate(self, values: dict[str, float]) -> float:
        v = self.regime.validate(values, self.id)
        return float(self.numeric()(**v))

    def latex(self) -> str:
        return sp.latex(self.statement)

    def all_claims(self) -> list["Claim"]:
        return [self] + ([self.corrected] if self.corrected is not None else [])
