"""What every check shares: the run context (seeds, depth, comparison count) and the FormulaCheck base.

A check reads what it compares from the claim's statement (``claim.formula``, ``claim.lhs``, or a
function of the claim), so a typo in the statement changes its outcome. ``run`` never raises: a check
that raises, returns the wrong type or meets NaN becomes an ``error`` result naming the claim and the
check, and the run goes on.
"""
from __future__ import annotations

import hashlib
import sysconfig
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from theory.errors import TheoryCheckError

from .cache import symbolic_entry
from .dynamics.optimizers import CONVENTION
from .dynamics.optimizers import current_convention as optimizer_convention  # noqa: F401  (for claims)
from .dynamics.sample import Sample, SimulationError
from .result import ERROR, INCONCLUSIVE, CheckResult
from .stats import ComparisonCounter

DEFAULT_SEED = 20211123
# Code of the tool itself: an exception raised there is the tool's fault; elsewhere, a user's.
PACKAGE_ROOTS = tuple(Path(__file__).resolve().parent.parent / d for d in ("checks", "theory", "theorycheck"))
LIBRARY_ROOTS = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")})


def name_key(name: str) -> int:
    return zlib.crc32(name.encode())


@dataclass
class RunContext:
    seed: int = DEFAULT_SEED
    deep: bool = False
    at: dict[str, Any] | None = None            # a user-given parameter point for numeric checks
    counter: ComparisonCounter = field(default_factory=ComparisonCounter)
    cache: SimulationCache | None = None       # replays simulations exactly (mutant runs)
    convention: str = "paper"                    # optimizer convention the claims are checked under
    cache_symbolic: bool = True                  # replay symbolic results from the on-disk cache (checks.cache)

    def seed_sequence(self, claim_id: str, check_name: str | int) -> np.random.SeedSequence:
        """Independent, reproducible stream per (claim, check name): recorded in the evidence."""
        return np.random.SeedSequence(self.seed, spawn_key=(name_key(claim_id), name_key(str(check_name))))

    def seed_record(self, claim_id: str, check_name: str | int) -> dict[str, Any]:
        return {"entropy": self.seed, "spawn_key": [name_key(claim_id), name_key(str(check_name))]}


class SimulationCache:
    """Exact replay of simulations: keyed by the inputs and the generator's state before the call, it
    restores the state after the call, so a cached run is indistinguishable from running again."""

    def __init__(self) -> None:
        self._store: dict[str, tuple[Any, Any]] = {}

    @staticmethod
    def key(tag: str, args: Any, rng: np.random.Generator | None) -> str:
        state = repr(rng.bit_generator.state) if rng is not None else ""
        return hashlib.sha1(f"{tag}|{args!r}|{state}".encode()).hexdigest()

    def call(self, tag: str, fn: Callable, args: tuple, rng: np.random.Generator | None = None):
        k = self.key(tag, args, rng)
        if k in self._store:
            value, state = self._store[k]
            if rng is not None:
                rng.bit_generator.state = state
            return value
        value = fn(*args, rng) if rng is not None else fn(*args)
        self._store[k] = (value, rng.bit_generator.state if rng is not None else {})
        return value


class Undecidable(Exception):
    """Raised inside a check that cannot decide: it becomes an ``inconclusive`` result with the reason."""

    def __init__(self, reason: str, method: str = "", details: dict[str, Any] | None = None):
        super().__init__(reason)
        self.method = method
        self.details = details or {}


_Undecidable = Undecidable     # the name used by earlier claim modules


def resolve(expr_or_fn: Any, claim) -> Any:
    """Checks take expressions or functions of the claim (to refer to its own statement)."""
    if callable(expr_or_fn) and not isinstance(expr_or_fn, (sp.Basic, sp.MatrixBase)):
        return expr_or_fn(claim)
    return expr_or_fn


class FormulaCheck:
    """The base of every check kind.

    kind      symbolic | exact | montecarlo | bound
    evidence  "derivation" (follows from the paper's own equations) or "model" (compared with the process
              itself: a simulation, an exact solution, the equation the process satisfies). A claim about a
              process is refuted only by a failing check with evidence "model".
    form      what the evidence is (equality, limit, order, z-test, density, exact, bound, fraction, ...)
    """

    kind = "symbolic"
    evidence = "derivation"
    form = "check"
    name = "check"

    def run(self, claim, ctx: RunContext, index: int | None = None) -> CheckResult:
        start = time.perf_counter()
        stored = symbolic_entry(self, claim, ctx)        # symbolic results are computed once (checks.cache)
        if stored is not None and (hit := stored.load(ctx)) is not None:
            hit.seconds = time.perf_counter() - start
            return hit
        before = ctx.counter.count
        convention = CONVENTION.set(ctx.convention)     # optimizers built via for_convention follow the run
        try:
            result = self._run(claim, ctx)
            if not isinstance(result, CheckResult):
                raise TypeError(f"the check returned {type(result).__name__}, not a CheckResult")
        except Undecidable as e:
            result = CheckResult(self.kind, self.name, INCONCLUSIVE, e.method, dict(e.details), reason=str(e))
        except KeyboardInterrupt:
            raise
        except (SimulationError, TheoryCheckError) as e:
            result = self.error(claim, e, user=True)
        except Exception as e:
            result = self.error(claim, e, user=False)
        finally:
            CONVENTION.reset(convention)
        result.form = result.form or self.form
        result.evidence = self.evidence
        if stored is not None:
            stored.save(result, ctx.counter.count - before)
        result.seconds = time.perf_counter() - start
        return result

    def error(self, claim, e: BaseException, user: bool) -> CheckResult:
        """An error result; ``fault`` says whose: the tool's own code, or a user's claim file or simulator."""
        frames = traceback.extract_tb(e.__traceback__) if e.__traceback__ else []
        # the innermost frame that is neither the standard library nor an installed package decides whose
        # code raised: the tool's own (checks, theory, theorycheck) or a user's claim file or simulator
        package = tuple(str(r) for r in PACKAGE_ROOTS)
        ours = [f for f in frames if f.filename.startswith(package) or not f.filename.startswith(LIBRARY_ROOTS)]
        where = ours[-1] if ours else (frames[-1] if frames else None)
        location = f" ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where and not user else ""
        inside = where is not None and where.filename.startswith(package)
        fault = "tool" if inside and not user else "user"
        return CheckResult(self.kind, self.name, ERROR, "error", {"exception": type(e).__name__, "fault": fault},
                           reason=f"{claim.id}: check '{self.name}': {type(e).__name__}: {e}{location}")

    def _run(self, claim, ctx: RunContext) -> CheckResult:  # pragma: no cover
        raise NotImplementedError

    # --- helpers shared by numeric checks ---------------------------------------------------------------
    formula: Any = None                 # an expression or function of the claim; default: the claim's formula
    extra_symbols: tuple = ()

    def expression(self, claim) -> Any:
        """What the check compares: the statement's formula unless the check names a function of the claim."""
        return resolve(self.formula, claim) if self.formula is not None else claim.formula

    def lambdified(self, claim, expr: Any) -> Callable[..., Any]:
        """expr as a numpy function of the regime's parameters (and the check's extra symbols) by name."""
        symbols = list(claim.regime.symbols) + list(self.extra_symbols)
        f = sp.lambdify(symbols, expr, modules=["numpy", "scipy"])
        names = [s.name for s in symbols]
        return lambda **kw: f(*(kw[n] for n in names))

    def rng(self, claim, ctx: RunContext) -> np.random.Generator:
        return np.random.default_rng(ctx.seed_sequence(claim.id, self.name))

    def seed(self, claim, ctx: RunContext) -> dict[str, Any]:
        return ctx.seed_record(claim.id, self.name)

    def points(self, claim, ctx: RunContext, rng, n: int) -> list[dict[str, float]]:
        """The user's point (--at) or n points drawn from the regime."""
        if ctx.at is not None:
            return [claim.regime.validate(ctx.at, claim.id)]
        return claim.regime.sample(rng, n)

    def cached(self, ctx: RunContext, claim, tag: str, fn: Callable, args: tuple, rng=None):
        """Run fn(*args[, rng]) through the run's simulation cache, if it has one."""
        if ctx.cache is None:
            return fn(*args, rng) if rng is not None else fn(*args)
        return ctx.cache.call(f"{claim.id}|{self.name}|{tag}", fn, args, rng)


# Deliberately wrong versions of a formula; a numeric check must reject every one of them.
Perturbation = tuple[str, Callable[[Any], Any]]

SCALE_UP: Perturbation = ("x1.5", lambda e: sp.Rational(3, 2) * e)
SCALE_DOWN: Perturbation = ("x0.5", lambda e: sp.Rational(1, 2) * e)
SIGN_FLIP: Perturbation = ("sign flipped", lambda e: -e)
DEFAULT_PERTURBATIONS: tuple[Perturbation, ...] = (SCALE_UP, SCALE_DOWN, SIGN_FLIP)


def scaled(factor: float) -> Perturbation:
    f = sp.nsimplify(factor)
    return (f"x{factor:g}", lambda e: f * e)


def stretched_density(x: sp.Symbol, factor) -> Perturbation:
    """A density widened (factor > 1) or narrowed in x, still normalised: variance x factor^2."""
    f = sp.nsimplify(factor)
    return (f"width x{factor}", lambda e: e.subs(x, x / f) / f)


Check = FormulaCheck        # the name used by earlier claim modules


def check_sample(sample: Any, claim, check_name: str) -> Sample:
    """A simulator's output, or an error that names the claim, the check and what is wrong with it."""
    if not isinstance(sample, Sample):
        raise SimulationError(f"simulate returned {type(sample).__name__}, expected a Sample(values, labels)")
    values = np.asarray(sample.values, dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        rows = int(bad.any(axis=tuple(range(1, values.ndim))).sum()) if values.ndim > 1 else int(bad.sum())
        raise SimulationError(f"simulate returned NaN or inf in {rows} of {values.shape[0]} paths (not flagged as "
                              "diverged): the simulator is broken there, so no verdict is drawn")
    return sample
