"""Statistics for Monte Carlo comparisons, with false alarms controlled over the whole suite.

Family-wise control is Bonferroni over a fixed cap on the number of comparisons a full run may
make: each comparison is tested at FAMILY_ALPHA / MAX_COMPARISONS, so a run making at most
MAX_COMPARISONS comparisons rejects a true claim with probability at most FAMILY_ALPHA. The
engine counts comparisons and the test suite asserts the cap holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

FAMILY_ALPHA = 1e-3
MAX_COMPARISONS = 20_000
ALPHA = FAMILY_ALPHA / MAX_COMPARISONS          # per comparison: 5e-8
Z_CRIT = NormalDist().inv_cdf(1 - ALPHA / 2)   # two-sided: about 5.45 standard errors (no scipy at import)
Z_POWER_90 = NormalDist().inv_cdf(0.9)         # an effect this many se beyond Z_CRIT is found 90% of the time


class ComparisonCounter:
    """Counts comparisons made in one run so the family-wise bound can be stated and enforced.
    Every counter also adds to PROCESS_TOTAL, which a test session checks against the cap."""

    def __init__(self, process: bool = True) -> None:
        self.count = 0
        self.process = process          # False: self-test comparisons (mutant runs) outside the budget

    def add(self, n: int) -> None:
        self.count += int(n)
        if self.process and self is not PROCESS_TOTAL:
            PROCESS_TOTAL.add(n)

    @property
    def over_budget(self) -> bool:
        return self.count > MAX_COMPARISONS

    @property
    def family_bound(self) -> float:
        return self.count * ALPHA


PROCESS_TOTAL = ComparisonCounter()


@dataclass
class MeanEstimate:
    mean: np.ndarray
    se: np.ndarray
    n: int


def mean_estimate(values: np.ndarray) -> MeanEstimate:
    """Per-column sample mean and its standard error (values: paths x observables)."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    n = values.shape[0]
    return MeanEstimate(values.mean(axis=0), values.std(axis=0, ddof=1) / np.sqrt(n), n)


def z_scores(est: MeanEstimate, claimed: np.ndarray) -> np.ndarray:
    claimed = np.broadcast_to(np.asarray(claimed, dtype=float), est.mean.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (est.mean - claimed) / est.se
    # A claimed value that differs from an exactly known mean (se = 0) is infinitely far.
    return np.where(np.isnan(z), np.where(est.mean == claimed, 0.0, np.inf), z)


def chi_square_gof(observed: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """Pearson statistic and p-value; ``expected`` comes from the claim (it need not sum to n)."""
    observed = np.asarray(observed, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if np.any(expected <= 0):
        return float("inf"), 0.0
    stat = float(np.sum((observed - expected) ** 2 / expected))
    # When the claimed masses are normalised one degree of freedom is lost to the total.
    df = len(observed) - 1 if np.isclose(expected.sum(), observed.sum(), rtol=1e-9) else len(observed)
    from scipy import stats

    return stat, float(stats.chi2.sf(stat, df))


def weighted_slope(x: np.ndarray, y: np.ndarray, se_y: np.ndarray, *covariates: np.ndarray) -> tuple[float, float]:
    """Weighted least-squares slope of y on x (with optional extra covariates) and its standard error."""
    w = 1.0 / np.asarray(se_y, dtype=float) ** 2
    X = np.column_stack([np.ones_like(x), x, *covariates])
    cov = np.linalg.inv(X.T @ (X * w[:, None]))
    beta = cov @ (X.T @ (w * y))
    return float(beta[1]), float(np.sqrt(cov[1, 1]))
