"""The claim model: one checkable statement from one paper, with its source and regime.

A claim is declared once, in the paper's section module, as a function decorated with ``@claim``:

    @claim("adai.eq20", "Eq. (20), App. A.1", "Solution of (19) with sigma^2(0) = 0", uses=["adai.eq19"])
    def eq20():
        return Claim(statement=sp.Eq(sigma2(t), D / H * (1 - sp.exp(-2 * H * t))), regime=..., checks=[...])

The decorator's arguments are literals, so the registry lists every claim without importing SymPy; the
body runs only when the claim is needed. Every check derives what it compares from ``statement``.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import sympy as sp

from .errors import RegimeError, TheoryCheckError, UnknownClaimError  # noqa: F401  (re-exported)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*\.[a-z]+[0-9]*[a-z0-9-]*(\.[a-z0-9-]+)*$")

# What a claim is about decides what may refute it: a statement about a process (a diffusion, an escape
# time, an optimizer's trajectory) is refuted only by evidence from that process; a statement about algebra
# (a proof step, a rewriting) or about text may be refuted by a derivation.
ABOUT = ("process", "algebra", "text")

# An unevaluated Landau symbol for statements such as "sigma^2 = |H| eta^2 T / B + O(...)":
# it prints as O(...) and numeric checks drop it from the formula they compare.
BigO = sp.Function("O")


@dataclass(frozen=True)
class Source:
    paper: str          # paper key from shared/papers/README.md, e.g. "adai"
    citation: str       # full citation (filled from the paper's metadata when empty)
    location: str       # "Theorem 1", "Eq. (21)", "App. A.1"


_TEX_NAME = re.compile(r"\\([A-Za-z]+)|[{}\s^]")


def ascii_name(name: str) -> str:
    r"""A name a shell can type for a symbol named in TeX: \bar{v} -> vbar, \hat{\eta} -> etahat,
    \Delta L -> DeltaL, P(a) -> Pa. Accents move behind the letter they decorate."""
    accents = {"bar", "hat", "tilde", "dot", "ddot", "vec"}
    out, pending = [], []
    for token in re.findall(r"\\[A-Za-z]+|[A-Za-z0-9_]+|.", name):
        word = token[1:] if token.startswith("\\") else token
        if word in accents:
            pending.append(word)
        elif re.fullmatch(r"[A-Za-z0-9_]+", word):
            out.append(word + "".join(reversed(pending)))
            pending = []
    return "".join(out) or name


@dataclass(frozen=True)
class Param:
    """A parameter of a claim: its symbol (with SymPy assumptions) and the box checks draw it from.

    What the paper assumes comes from the symbol's assumptions (positive, integer, nonzero) and the
    regime's conditions; ``low``/``high`` only bound where checks sample and are never enforced on a
    point a user gives.
    """

    symbol: sp.Symbol
    low: float
    high: float
    log: bool = False
    doc: str = ""

    def __post_init__(self):
        name = getattr(self.symbol, "name", repr(self.symbol))
        try:
            low, high = float(self.low), float(self.high)
        except (TypeError, ValueError):
            raise TheoryCheckError(f"Param {name}: the sampling range [{self.low!r}, {self.high!r}] is not "
                                   "two numbers") from None
        if not (math.isfinite(low) and math.isfinite(high)) or low > high:
            raise TheoryCheckError(f"Param {name}: the sampling range needs finite low <= high, got "
                                   f"[{self.low}, {self.high}]")
        if self.log and low <= 0:
            raise TheoryCheckError(f"Param {name}: a log-uniform range needs low > 0, got low = {self.low}")
        if not isinstance(self.symbol, sp.Symbol):
            raise TheoryCheckError(f"Param {name}: expected a sympy Symbol, got {type(self.symbol).__name__}")

    @property
    def name(self) -> str:
        return self.symbol.name

    @property
    def ascii(self) -> str:
        return ascii_name(self.name)

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
        if s.is_nonpositive and not value <= 0:
            return f"{s.name} <= 0"
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
    """A relation the paper assumes, with the paper's words for it ("|H| eta T << 1").

    ``sampling=True`` marks a restriction of where checks draw points that the paper does not assume
    (keeping growth moderate, staying away from a singular point): it is not enforced on a user's point.
    """

    relation: sp.Basic
    text: str
    sampling: bool = False

    def holds(self, values: dict[str, float]) -> bool:
        return bool(_compiled_relation(self.relation)(values))


def Sampling(relation: sp.Basic, text: str) -> Condition:
    """A restriction of the sampling box only (see Condition)."""
    return Condition(relation, text, sampling=True)


_RELATION_CACHE: dict[sp.Basic, Callable[[dict[str, float]], bool]] = {}


def _compiled_relation(relation: sp.Basic) -> Callable[[dict[str, float]], bool]:
    """A relation lambdified once (SymPy's subs at every sampled point is slow)."""
    f = _RELATION_CACHE.get(relation)
    if f is None:
        symbols = sorted(relation.free_symbols, key=lambda s: s.name)
        g = sp.lambdify(symbols, relation, modules="math")
        names = [s.name for s in symbols]

        def f(values, g=g, names=names):
            return bool(g(*(values[n] for n in names)))

        _RELATION_CACHE[relation] = f
    return f


@dataclass(frozen=True)
class Regime:
    """Where the paper says a claim holds: parameters, their assumptions and conditions."""

    params: tuple[Param, ...]
    conditions: tuple[Condition, ...] = ()
    description: str = ""

    def __post_init__(self):
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "conditions", tuple(self.conditions))
        names = [p.name for p in self.params]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise TheoryCheckError(f"regime: parameter(s) {', '.join(twice)} listed twice")

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(p.symbol for p in self.params)

    def param(self, name: str) -> Param:
        for p in self.params:
            if name in (p.name, p.ascii):
                return p
        raise KeyError(name)

    def extended(self, *params: Param, conditions: Sequence[Condition] = ()) -> Regime:
        known = {p.name for p in self.params}
        new = tuple(p for p in params if p.name not in known)
        return Regime(self.params + new, self.conditions + tuple(conditions), self.description)

    def canonical(self, values: dict[str, Any], claim_id: str = "?") -> dict[str, Any]:
        """Map names typed as TeX (\\bar{v}) or ASCII (vbar) to the parameters' names; unknown names are an error."""
        out: dict[str, Any] = {}
        for key, v in values.items():
            try:
                out[self.param(key).name] = v
            except KeyError:
                known = ", ".join(f"{p.ascii}" + (f" ({p.name})" if p.ascii != p.name else "") for p in self.params)
                raise RegimeError(f"{claim_id}: unknown parameter {key!r}; this claim's parameters are "
                                  f"{known or 'none'}") from None
        return out

    def validate(self, values: dict[str, Any], claim_id: str = "?", require_all: bool = True) -> dict[str, float]:
        """Return the values as floats by parameter name, or raise RegimeError naming claim, parameter and
        assumption. Only what the paper assumes is enforced; sampling ranges are not."""
        values = self.canonical(values, claim_id)
        out: dict[str, float] = {}
        for p in self.params:
            if p.name not in values:
                if require_all:
                    raise RegimeError(f"{claim_id}: parameter {p.ascii} is missing ({p.doc or 'no default'})")
                continue
            try:
                v = float(values[p.name])
            except (TypeError, ValueError):
                raise RegimeError(f"{claim_id}: parameter {p.ascii}={values[p.name]!r} is not a number") from None
            broken = p.assumption_violated(v)
            if broken:
                raise RegimeError(f"{claim_id}: parameter {p.ascii}={v:g} breaks the assumption '{broken}'"
                                  + (f" ({p.doc})" if p.doc else ""))
            out[p.name] = v
        if len(out) == len(self.params):
            for c in self.conditions:
                if not c.sampling and not c.holds(out):
                    names = sorted(s.name for s in c.relation.free_symbols)
                    shown = ", ".join(f"{n}={out[n]:g}" for n in names if n in out)
                    raise RegimeError(f"{claim_id}: parameters {shown} break the assumption "
                                      f"'{c.text}' (encoded as {c.relation})")
        return out

    def admits(self, point: dict[str, float]) -> bool:
        return all(c.holds(point) for c in self.conditions)

    def sample(self, rng: np.random.Generator, n: int = 1, max_tries: int = 10_000) -> list[dict[str, float]]:
        """Draw n parameter points uniformly (or log-uniformly) from the box, kept if the conditions hold."""
        points: list[dict[str, float]] = []
        for _ in range(max_tries):
            if len(points) == n:
                return points
            point = {p.name: p.draw(rng) for p in self.params}
            if self.admits(point):
                points.append(point)
        if len(points) == n:
            return points
        raise TheoryCheckError(f"regime too narrow: found {len(points)} of {n} points in {max_tries} draws "
                               f"({'; '.join(c.text for c in self.conditions)})")

    def strategy(self):
        """A hypothesis strategy drawing points of this regime (dict name -> float)."""
        from hypothesis import strategies as st

        base = st.fixed_dictionaries({p.name: p.strategy() for p in self.params})
        return base.filter(self.admits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "params": [{"name": p.name, "ascii": p.ascii, "assumptions": _assumptions(p.symbol),
                        "range": [p.low, p.high], "log": p.log, "doc": p.doc} for p in self.params],
            "conditions": [{"text": c.text, "relation": str(c.relation), "sampling": c.sampling}
                           for c in self.conditions],
        }


def _assumptions(s: sp.Symbol) -> list[str]:
    keys = ("positive", "negative", "nonnegative", "nonzero", "integer", "real")
    return [k for k in keys if s.assumptions0.get(k)]


NO_REGIME = Regime(())


@dataclass(kw_only=True, eq=False)
class Claim:
    """One checkable statement from one paper, encoded as printed.

    ``statement`` is a SymPy relation (usually ``Eq(lhs, rhs)``); numeric checks compare ``formula``,
    the right-hand side without its O(...) term. A corrected form is a claim of its own that names the
    printed claim in ``corrects``; a reading of an ambiguous statement names it in ``reading_of``.
    """

    statement: Any
    id: str = ""
    source: Source | None = None
    title: str = ""
    regime: Regime = NO_REGIME
    symbols: dict[str, str] = field(default_factory=dict)
    dynamics: str = ""
    observable: str = ""
    about: str = "process"
    notes: list[str] = field(default_factory=list)
    checks: list[Any] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)
    corrects: str | None = None      # on a corrected form: the id of the printed claim
    corrected: Claim | None = None  # the corrected form, when declared inline (claim files)
    reading_of: str | None = None    # on a reading: the id of the claim whose text it reads
    reading: str = ""                # on a reading: which reading of the text this is
    proof_reading: bool = False      # on a reading: the one the paper's own proof uses
    quantified: str = ""             # vague words ("almost the same speed") and the quantitative reading encoded
    printed: str = ""                # the statement's LaTeX as the paper prints it, when SymPy's form differs
    curves: list[Any] = field(default_factory=list)   # plot-ready tables (checks.curves.Curve)
    identities: dict[Any, Any] = field(default_factory=dict)   # substitutions the text makes (dt = eta): a
    symmetric: tuple[Any, ...] = ()  # symbols whose sign leaves the law unchanged (dW); both mark equal mutants
    origin: str = ""                 # "builtin" or the claim file it came from
    defined_in: str = ""             # the source file that declares it (keys the cache of symbolic results)

    def __setattr__(self, name: str, value: Any) -> None:
        # Checks, the ledger and saved runs all read the one statement; a variant is another claim object.
        if name == "statement" and "statement" in self.__dict__:
            raise TheoryCheckError(f"claim {self.id or '?'}: the statement is set once; build a variant with "
                                   "claim.with_statement(...) instead of assigning to claim.statement")
        object.__setattr__(self, name, value)

    def __post_init__(self):
        if self.id:
            self.validate_id()
        if isinstance(self.statement, (bool, sp.logic.boolalg.BooleanAtom)):
            raise TheoryCheckError(f"claim {self.id or '?'}: the statement evaluated to {self.statement}; build "
                                   "it with sp.Eq(lhs, rhs, evaluate=False) so it stays as printed")
        if self.about not in ABOUT:
            raise TheoryCheckError(f"claim {self.id or '?'}: about={self.about!r}, expected one of {ABOUT}")
        names = [getattr(c, "name", "?") for c in self.checks]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise TheoryCheckError(f"claim {self.id or '?'}: check name(s) {twice} used twice; seeds and the ledger "
                                   "are keyed by check name")
        if self.corrected is not None:
            self.corrected.corrects = self.id

    def validate_id(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise TheoryCheckError(f"claim id {self.id!r} is not of the form <paper>.<kind><number>[.<part>]")

    @property
    def paper(self) -> str:
        return self.source.paper if self.source is not None else self.id.split(".")[0]

    @property
    def location(self) -> str:
        return self.source.location if self.source is not None else ""

    # --- the statement's parts: what checks read -----------------------------------------------------
    @property
    def lhs(self) -> Any:
        return getattr(self.statement, "lhs", None)

    @property
    def rhs(self) -> Any:
        return getattr(self.statement, "rhs", self.statement)

    @property
    def formula(self) -> Any:
        """The claimed right-hand side without its O(...) term, which numeric checks compare."""
        return drop_big_o(self.rhs)

    @property
    def remainder_bound(self) -> sp.Expr | None:
        """The argument of the statement's O(...) term, if it has one."""
        terms = list(sp.sympify(self.statement).atoms(BigO)) if isinstance(self.statement, sp.Basic) else []
        return terms[0].args[0] if terms else None

    def with_statement(self, statement: Any) -> Claim:
        """The same claim (same id, so the same seeds) with another statement: what a mutant is."""
        return replace(self, statement=statement, corrected=None)

    def numeric(self, expr: sp.Expr | None = None) -> Callable[..., Any]:
        """The formula (or ``expr``) as a numpy function of the regime's parameters by name."""
        expr = self.formula if expr is None else expr
        f = sp.lambdify(self.regime.symbols, expr, modules=["numpy", "scipy"])
        names = [p.name for p in self.regime.params]

        def call(**values):
            return f(*(values[n] for n in names))

        return call

    def evaluate(self, values: dict[str, Any]) -> Any:
        v = self.regime.validate(values, self.id)
        out = self.numeric()(**v)
        return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=float)

    def latex(self) -> str:
        """The printed LaTeX, else the statement's, with every name valid TeX (``theory.texfmt``)."""
        from .texfmt import statement_tex

        return statement_tex(self)

    def all_claims(self) -> list[Claim]:
        return [self] + ([self.corrected] if self.corrected is not None else [])


def drop_big_o(expr: Any) -> Any:
    if not isinstance(expr, sp.Basic):
        return expr
    return expr.replace(lambda e: isinstance(e, BigO), lambda e: sp.S.Zero)


# --- declaring claims ------------------------------------------------------------------------------------
@dataclass
class ClaimSpec:
    """A declared claim: its literal metadata, and the function that builds it when it is needed."""

    id: str
    location: str
    title: str
    build_fn: Callable[[], Claim]
    meta: dict[str, Any]
    module: str
    _claim: Claim | None = None

    def build(self) -> Claim:
        if self._claim is None:
            c = self.build_fn()
            if not isinstance(c, Claim):
                raise TheoryCheckError(f"{self.module}.{self.build_fn.__name__} for claim {self.id} returned "
                                       f"{type(c).__name__}, expected a Claim")
            c.id = self.id
            c.validate_id()
            source = getattr(getattr(self.build_fn, "__code__", None), "co_filename", "")
            for x in c.all_claims():
                x.defined_in = x.defined_in or (os.path.abspath(source) if source else "")
            c.title = self.title or c.title
            paper = self.id.split(".")[0]
            citation = c.source.citation if c.source is not None else self.meta.get("citation", "")
            c.source = Source(paper, citation, self.location)      # the index shows this location: one source
            for key in ("uses", "corrects", "reading_of", "reading", "proof_reading", "about", "quantified"):
                if key in self.meta:
                    setattr(c, key, list(self.meta[key]) if key == "uses" else self.meta[key])
            self._claim = c
        return self._claim

    def __call__(self) -> Claim:
        return self.build()


def claim(id: str, location: str, title: str, **meta: Any) -> Callable[[Callable[[], Claim]], ClaimSpec]:
    """Declare a claim: ``@claim(id, location, title, uses=[...], corrects=..., reading_of=..., about=...)``
    on a function that returns the Claim (statement, regime, checks). Arguments must be literals: the
    registry reads them without running the module."""
    if not ID_PATTERN.match(id):
        raise TheoryCheckError(f"claim id {id!r} is not of the form <paper>.<kind><number>[.<part>]")

    def wrap(fn: Callable[[], Claim]) -> ClaimSpec:
        return ClaimSpec(id, location, title, fn, dict(meta), fn.__module__)

    return wrap
