"""The statistics the checks rest on: calibrated z-tests, a working goodness-of-fit test, the budget."""
from __future__ import annotations

import numpy as np
from scipy import stats

from checks.stats import ALPHA, FAMILY_ALPHA, MAX_COMPARISONS, Z_CRIT, chi_square_gof, mean_estimate, z_scores


def test_per_comparison_level_holds_the_family_level():
    assert ALPHA * MAX_COMPARISONS <= FAMILY_ALPHA * (1 + 1e-12)
    assert abs(2 * stats.norm.sf(Z_CRIT) - ALPHA) < 1e-12


def test_z_test_false_alarm_rate_is_calibrated():
    """Squared Gaussians (skewed, like the MSD observables): at a 5% level about 5% of 400 true nulls reject."""
    rng = np.random.default_rng(np.random.SeedSequence(11))
    z = np.array([z_scores(mean_estimate(rng.standard_normal(5000) ** 2), 1.0)[0] for _ in range(400)])
    rate = np.mean(np.abs(z) > stats.norm.isf(0.025))
    assert 0.02 < rate < 0.09          # binomial(400, 0.05): 99.9% interval about [0.023, 0.088]


def test_chi_square_accepts_true_and_rejects_wrong_density():
    rng = np.random.default_rng(np.random.SeedSequence(12))
    x = rng.standard_normal(20_000)
    edges = stats.norm.ppf(np.linspace(0, 1, 21)[1:-1])
    counts = np.bincount(np.searchsorted(edges, x), minlength=20)
    cdf = np.concatenate([[0], stats.norm.cdf(edges), [1]])
    _, p_true = chi_square_gof(counts, len(x) * np.diff(cdf))
    cdf_wide = np.concatenate([[0], stats.norm.cdf(edges / 1.2), [1]])
    _, p_wide = chi_square_gof(counts, len(x) * np.diff(cdf_wide))
    assert p_true > ALPHA and p_wide < ALPHA
