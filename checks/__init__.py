"""The numeric side of theorycheck: Monte Carlo kernels, statistics, symbolic checks, the verdict engine.

Public API for attaching checks to claims:
    SymbolicEquality, AsymptoticOrder, NotCheckable          (symbolic / exact)
    MonteCarloMean, MonteCarloDensity, MonteCarloOrder, Sample (simulation)
    RunContext, run_claim                                      (running them)
"""
__version__ = "0.1.0"

from .base import DEFAULT_PERTURBATIONS, SCALE_DOWN, SCALE_UP, SIGN_FLIP, RunContext, stretched_density
from .engine import run_claim
from .montecarlo import MonteCarloDensity, MonteCarloMean, MonteCarloOrder, Sample
from .symbolic import AsymptoticOrder, NotCheckable, SymbolicEquality

__all__ = ["AsymptoticOrder", "DEFAULT_PERTURBATIONS", "MonteCarloDensity", "MonteCarloMean", "MonteCarloOrder",
           "NotCheckable", "RunContext", "SCALE_DOWN", "SCALE_UP", "SIGN_FLIP", "Sample", "SymbolicEquality",
           "run_claim", "stretched_density"]
