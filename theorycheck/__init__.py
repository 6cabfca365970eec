"""theorycheck: a symbolic-numeric verifier for published theorems about the training dynamics of SGD,
momentum, Adam, AMSGrad and Adai.

The public API, in one place (names load on first use, so ``import theorycheck`` is instant):

    from theorycheck import claim, Claim, Param, Regime, Condition, Source, BigO
    from theorycheck import SymbolicEquality, MonteCarloMean, ExactComparison, Sample, RunContext, run_claim
    from theorycheck import for_convention          # optimizers as printed, or as torch.optim runs them
    from theorycheck import printed_agreement       # does a claim's printed LaTeX say what its statement says?
    from theorycheck import expected_after          # exact power series in eta of SGD's expectations

The command line is ``theorycheck`` (or ``python -m theorycheck``); the pytest plugin collects claim files.
"""
from __future__ import annotations

import importlib

from theory.errors import RegimeError, TheoryCheckError, UnknownClaimError
from theory.version import __version__

_LAZY = {
    **{n: "theory.model" for n in ("BigO", "Claim", "ClaimSpec", "Condition", "Param", "Regime", "Sampling",
                                   "Source", "claim")},
    **{n: "checks" for n in ("FormulaCheck", "RunContext", "Undecidable", "DEFAULT_PERTURBATIONS", "scaled",
                             "stretched_density", "CheckResult", "SymbolicEquality", "AsymptoticOrder",
                             "NotCheckable", "ExactComparison", "ExactOrder", "MonteCarloCheck", "MonteCarloMean",
                             "MonteCarloDensity", "MonteCarloOrder", "MonteCarloFraction", "BoundCheck", "Sample",
                             "run_claim", "run_claims", "Curve")},
    **{n: "checks.dynamics.optimizers" for n in ("for_convention", "current_convention")},
    **{n: "theory.texfmt" for n in ("printed_agreement", "statement_tex")},
    **{n: "theory.series" for n in ("expected_after", "expected_after_epochs", "expected_after_flow",
                                    "stationary_expectation")},
    "Registry": "theory.registry", "load_file": "theory.registry",
}

__all__ = sorted(_LAZY) + ["RegimeError", "TheoryCheckError", "UnknownClaimError", "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'theorycheck' has no attribute {name!r}")
