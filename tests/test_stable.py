"""The SaS sampler, its constants and the exact big-jump sampler, against scipy and exact laws.

Every comparison is an exact test (binomial counts, Poisson counts, chi-square of a Gaussian variance) at the
suite's per-comparison level ALPHA, with recorded seeds; each sampler check also rejects a deliberately wrong
constant or law on the same draws, so none of them can pass vacuously.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from checks.dynamics.levy import (
    AdaptiveLevySDE,
    BiasCorrectedMomentum,
    LevySDE,
    MinOfParabolas,
    NoisyGradient,
    Quadratic,
    SasNoise,
    _max_over_ball,
    adam_eps_outside,
    discrete,
    exit_times,
)
from checks.dynamics.stable import (
    BigJumps,
    StableError,
    big_jumps,
    check_alpha,
    isotropic_tail_mass,
    jump_intensity,
    levy_constant,
    positive_stable,
    sas,
    sas_isotropic,
    tail_constant,
)
from checks.stats import ALPHA, Z_CRIT

PROBS = np.array([0.01, 0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.99])


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(20240611, spawn_key=key))


def _binom_p(k: int, n: int, p: float) -> float:
    return float(stats.binomtest(int(k), int(n), p).pvalue)


def _quantile_pvalues(x: np.ndarray, claimed: np.ndarray, probs: np.ndarray = PROBS) -> np.ndarray:
    """Exact binomial p-value of #(X <= claimed_j) against n probs_j, per probability."""
    x = np.sort(x)
    return np.array([_binom_p(np.searchsorted(x, c, side="right"), x.size, p) for c, p in zip(claimed, probs)])


@pytest.mark.parametrize("alpha", [0.6, 1.0, 1.5, 1.9])
def test_quantiles_match_scipy_levy_stable(alpha):
    sigma = 1.7
    x = sas(alpha, 200_000, _rng(1, int(alpha * 100)), sigma)
    claimed = stats.levy_stable.ppf(PROBS, alpha, 0.0, scale=sigma)
    assert _quantile_pvalues(x, claimed).min() > ALPHA
    # self-test: the quantiles of a scale 10% off are rejected on the same draws
    assert _quantile_pvalues(x, claimed * 1.1).min() < ALPHA


def test_alpha_one_is_cauchy_and_continuous_through_it():
    x = sas(1.0, 200_000, _rng(2), 0.5)
    assert _quantile_pvalues(x, stats.cauchy.ppf(PROBS, scale=0.5)).min() > ALPHA
    # CMS has no singularity at alpha = 1 in the symmetric case: neighbours on the same draws agree closely
    near = [sas(a, 20_000, _rng(3)) for a in (1 - 1e-7, 1.0, 1 + 1e-7)]
    body = np.abs(near[1]) < 1e3
    assert np.max(np.abs(near[0][body] - near[1][body])) < 1e-3
    assert np.max(np.abs(near[2][body] - near[1][body])) < 1e-3


def test_alpha_two_is_gaussian_with_variance_two_sigma_squared():
    sigma, n = 0.8, 100_000
    x = sas(2.0, n, _rng(4), sigma)
    chi2 = (n - 1) * x.var(ddof=1) / (2 * sigma ** 2)          # exact chi2(n-1) under N(0, 2 sigma^2)
    p = 2 * min(stats.chi2.cdf(chi2, n - 1), stats.chi2.sf(chi2, n - 1))
    assert p > ALPHA
    wrong = (n - 1) * x.var(ddof=1) / sigma ** 2              # variance sigma^2: rejected
    assert 2 * min(stats.chi2.cdf(wrong, n - 1), stats.chi2.sf(wrong, n - 1)) < ALPHA
    assert _quantile_pvalues(x, stats.norm.ppf(PROBS, scale=math.sqrt(2) * sigma)).min() > ALPHA


def test_near_two_approaches_the_gaussian_in_the_body():
    x = sas(1.999, 100_000, _rng(5))
    core = stats.norm.ppf(PROBS[2:-2], scale=math.sqrt(2))
    assert _quantile_pvalues(x, core, PROBS[2:-2]).min() > ALPHA


@pytest.mark.parametrize("alpha", [0.4, 0.5, 0.7, 1.2, 1.5, 1.8])
def test_fast_path_agrees_with_float64_on_the_same_draws(alpha):
    fast = sas(alpha, 100_000, _rng(6, int(alpha * 10)))
    exact = sas(alpha, 100_000, _rng(6, int(alpha * 10)), precise=True)
    assert np.max(np.abs(fast / exact - 1)) < 1e-5


@pytest.mark.parametrize("alpha", [0.8, 1.5, 1.9])
def test_density_tail_constant_is_c_alpha(alpha):
    """x^(1+alpha) f(x) -> c_alpha = Gamma(1+alpha) sin(pi alpha/2)/pi (scipy's density, far in the tail)."""
    x = 1e4
    ratio = x ** (1 + alpha) * float(stats.levy_stable.pdf(x, alpha, 0.0))
    assert abs(ratio / levy_constant(alpha) - 1) < 0.02               # the next term is O(x^-alpha)
    assert abs(ratio - 1.0) > 0.5                                     # the unit-constant measure is not it


@pytest.mark.parametrize("alpha", [1.2, 1.5, 1.8])
def test_survival_tail_constant_of_samples(alpha):
    """P(X > x) = (c_alpha/alpha) x^-alpha (1 + O(x^-alpha)): exact binomial test of the sampled exceedances at
    an x where the correction is far below the sampling error; the unit-constant tail (1/alpha) x^-alpha fails."""
    n, x_far = 2_000_000, 40.0
    x = sas(alpha, n, _rng(7, int(alpha * 10)))
    k = int(np.count_nonzero(x > x_far))
    exact = float(stats.levy_stable.sf(x_far, alpha, 0.0))
    claimed = tail_constant(alpha) * x_far ** -alpha
    assert abs(claimed / exact - 1) < 0.02                          # the asymptote is already close at x_far
    assert _binom_p(k, n, exact) > ALPHA
    assert _binom_p(k, n, x_far ** -alpha / alpha) < ALPHA


def test_levy_constant_values():
    assert levy_constant(1.0) == pytest.approx(1 / math.pi, rel=1e-14)
    assert levy_constant(2.0) == 0.0
    for alpha in (0.5, 1.3, 1.7):      # alpha / (2 Gamma(1-alpha) cos(pi alpha/2)), the un-reflected form
        direct = alpha / (2 * math.gamma(1 - alpha) * math.cos(math.pi * alpha / 2))
        assert levy_constant(alpha) == pytest.approx(direct, rel=1e-12)
    # the isotropic tail mass in 1-D is the 1-D tail mass
    for alpha in (0.5, 1.0, 1.5):
        assert isotropic_tail_mass(alpha, 1) == pytest.approx(2 * levy_constant(alpha) / alpha, rel=1e-12)


def test_positive_stable_laplace_transform():
    rng = _rng(8)
    for a in (0.4, 0.75):
        A = positive_stable(a, 400_000, rng)
        for s in (0.3, 1.0, 3.0):
            v = np.exp(-s * A)                              # bounded in [0, 1]: its variance exists
            z = (v.mean() - math.exp(-s ** a)) / (v.std(ddof=1) / math.sqrt(v.size))
            assert abs(z) < Z_CRIT
            z_wrong = (v.mean() - math.exp(-s ** (a * 1.1))) / (v.std(ddof=1) / math.sqrt(v.size))
            assert abs(z_wrong) > Z_CRIT or s == 1.0        # s = 1 cannot tell a from 1.1 a


def test_isotropic_marginals_projections_and_norm_tail():
    alpha, sigma, d, n = 1.4, 0.6, 2, 200_000
    X = sas_isotropic(alpha, n, d, _rng(9), sigma)
    claimed = stats.levy_stable.ppf(PROBS, alpha, 0.0, scale=sigma)
    u = np.array([math.cos(0.7), math.sin(0.7)])
    for col in (X[:, 0], X[:, 1], X @ u):                   # every projection on a unit vector is SaS(sigma)
        assert _quantile_pvalues(col, claimed).min() > ALPHA
    # independent coordinates are not rotation invariant: the projection on (1,1)/sqrt2 has scale 2^(1/alpha - 1/2)
    Y = sas(alpha, (n, d), _rng(10), sigma)
    diag = Y @ np.array([1, 1]) / math.sqrt(2)
    assert _quantile_pvalues(diag, claimed).min() < ALPHA
    # P(|X| > r) ~ nu{|y| >= r} for large r (one big jump): the isotropic tail mass in 2-D, not the unit constant
    r = 60.0
    k = int(np.count_nonzero(np.linalg.norm(X, axis=1) > r))
    assert _binom_p(k, n, jump_intensity(alpha, r, sigma, dim=2, isotropic=True)) > ALPHA
    assert _binom_p(k, n, 2 * (2 / alpha) * (r / sigma) ** -alpha) < ALPHA


def test_big_jump_counts_gaps_and_sizes_are_the_compound_poisson_law():
    alpha, r, t, n = 1.5, 2.0, 50.0, 20_000
    J = big_jumps(alpha, r, t, n, _rng(11))
    rate = 2 * levy_constant(alpha) / alpha * r ** -alpha
    assert J.rate == pytest.approx(rate, rel=1e-12)
    total = int(J.counts.sum())                              # Poisson(n rate t), exactly
    p = 2 * min(stats.poisson.cdf(total, n * rate * t), stats.poisson.sf(total - 1, n * rate * t))
    assert p > ALPHA
    wrong = n * (2 / alpha) * r ** -alpha * t                # the unit-constant intensity: rejected
    assert 2 * min(stats.poisson.cdf(total, wrong), stats.poisson.sf(total - 1, wrong)) < ALPHA
    # jump sizes: P(|y| > x) = (r/x)^alpha; signs balanced
    size = np.abs(J.sizes[:, 0])
    for x in (3.0, 6.0, 20.0):
        assert _binom_p(np.count_nonzero(size > x), size.size, (r / x) ** alpha) > ALPHA
    assert _binom_p(np.count_nonzero(J.sizes[:, 0] > 0), size.size, 0.5) > ALPHA
    # first jump time: P(sigma_1 > x) = exp(-rate x) (censored at t)
    first = J.first_time()
    for x in (5.0, 20.0):
        assert _binom_p(np.count_nonzero(first > x), n, math.exp(-rate * x)) > ALPHA
    gaps = J.gaps()
    assert np.all(gaps >= 0) and np.all(J.times < t)
    np.testing.assert_allclose(J.total().sum(), J.sizes.sum())


def test_big_jump_rate_equals_euler_increment_exceedances():
    """The decomposition, tested directly: increments h^(1/alpha) xi of the Euler scheme exceed r at rate
    nu{|y| >= r} (1 + O(h r^-alpha)) per unit time."""
    alpha, r, h, steps = 1.3, 1.0, 1e-3, 4_000_000
    inc = sas(alpha, steps, _rng(12)) * h ** (1 / alpha)
    k = int(np.count_nonzero(np.abs(inc) >= r))
    exact_per_step = 2 * float(stats.levy_stable.sf(r * h ** (-1 / alpha), alpha, 0.0))
    assert abs(exact_per_step / (jump_intensity(alpha, r) * h) - 1) < 0.01
    assert _binom_p(k, steps, jump_intensity(alpha, r) * h) > ALPHA
    assert _binom_p(k, steps, (2 / alpha) * r ** -alpha * h) < ALPHA


def test_independent_coordinates_jump_one_axis_at_a_time():
    J = big_jumps(1.2, 1.0, 10.0, 2000, _rng(13), dim=3)
    assert J.rate == pytest.approx(3 * jump_intensity(1.2, 1.0), rel=1e-12)
    assert np.all(np.count_nonzero(J.sizes, axis=1) == 1)
    K = big_jumps(1.2, 1.0, 10.0, 2000, _rng(14), dim=3, isotropic=True)
    np.testing.assert_allclose(np.linalg.norm(K.sizes, axis=1) >= 1.0, True)
    assert isinstance(K, BigJumps) and K.rate == pytest.approx(isotropic_tail_mass(1.2, 3), rel=1e-12)


@pytest.mark.parametrize("bad", [0.0, -1.0, 2.5, float("nan")])
def test_bad_alpha_is_named(bad):
    with pytest.raises(StableError, match="alpha"):
        check_alpha(bad)
    with pytest.raises(StableError, match="alpha"):
        sas(bad, 10, _rng(15))


def test_bad_scale_and_threshold_are_named():
    with pytest.raises(StableError, match="sigma"):
        sas(1.5, 10, _rng(16), sigma=-1.0)
    with pytest.raises(StableError, match="r="):
        jump_intensity(1.5, 0.0)
    with pytest.raises(StableError, match="dim"):
        sas_isotropic(1.5, 10, 0, _rng(17))


# --- the Euler schemes and the exit kernel that run on the sampler --------------------------------------------


def test_euler_scheme_of_eq4_is_sgd_with_stable_gradient_noise():
    """h = eta and eps = eta^((alpha-1)/alpha) make eps h^(1/alpha) = eta: on the same draws, the Euler path of (4)
    and SGD (2) fed u = Sigma xi coincide."""
    alpha, eta = 1.4, 0.01
    basin = Quadratic(np.diag([1.0, 3.0]), 0.5)
    sigma = np.array([[1.0, 0.3], [0.3, 0.5]])
    sde = LevySDE(basin.grad, SasNoise(alpha, 2, sigma), eta ** ((alpha - 1) / alpha), eta)
    sgd = NoisyGradient(discrete("sgd", eta), basin.grad, SasNoise(alpha, 2, sigma))
    x1 = x2 = np.full((64, 2), 0.1)
    r1, r2 = _rng(20), _rng(20)
    for _ in range(200):
        x1, x2 = sde(x1, r1), sgd(x2, r2)
    np.testing.assert_allclose(x1, x2, rtol=1e-9, atol=1e-12)


def test_exit_kernel_drops_paths_without_changing_them():
    """One noise block covers the run, so a reference loop that never drops a path sees the same draws: the
    exit steps, exit positions and censoring must agree exactly, with per-path parameters (a, eps) kept in step."""
    n, steps, alpha, h = 60, 800, 1.2, 1e-4
    a = np.repeat([1e5, 500.0, 150.0], n // 3)
    eps = np.linspace(0.02, 0.2, n)
    f = MinOfParabolas(a)
    e = exit_times(LevySDE(f.grad, SasNoise(alpha, 1), eps, h), [1.0], f.in_branch, n, steps, _rng(21), dt=h)
    ref = MinOfParabolas(a)
    noise = SasNoise(alpha, 1)
    x = np.ones((n, 1))
    kick = eps[:, None] * h ** (1 / alpha)
    first = np.full(n, -1)
    where = np.full((n, 1), np.nan)
    rng = _rng(21)
    for k in range(1, steps + 1):
        x = x - h * ref.grad(x) + kick * noise(n, rng)
        out = ~ref.in_branch(x) & (first < 0)
        first[out], where[out] = k, x[out]
    assert e.exited.any() and e.censored.any()
    np.testing.assert_array_equal(e.exited, first > 0)
    np.testing.assert_array_equal(e.steps[e.exited], first[first > 0])
    np.testing.assert_array_equal(e.exit_state[e.exited], where[first > 0])
    assert e.path_steps == int(np.where(first > 0, first, steps).sum())


def test_exit_kernel_reports_divergence_apart():
    f = Quadratic([[10.0]], 1.0)
    e = exit_times(LevySDE(f.grad, SasNoise(1.5, 1), 0.01, 0.5), [1.0], lambda x: np.ones(len(x), bool), 20, 50,
                   _rng(22), blowup=1e6)                     # 1 - h H = -4: the Euler step is unstable
    assert e.diverged.all() and not e.exited.any() and e.censored_fraction == 0.0


def test_disc_inside_an_ellipse_matches_brute_force():
    H = np.array([[2.0, 0.6], [0.6, 0.5]])
    basin = Quadratic(H, 1.0, center=[0.3, -0.2])
    rng = _rng(23)
    pts = rng.uniform(-2, 2, (400, 2)) + basin.c
    r = 0.15
    angles = np.linspace(0, 2 * np.pi, 4001)
    circle = r * np.column_stack([np.cos(angles), np.sin(angles)])
    brute = np.array([np.all(basin.inside(p + circle)) for p in pts])
    fast = basin.inside(pts, margin=r)
    disagree = brute != fast                       # only where the disc grazes the boundary (grid resolution)
    assert disagree.sum() <= 2
    y = (pts - basin.c) @ basin.U
    exact = _max_over_ball(y, basin.eig, r)
    dense = np.array([((p + circle - basin.c) @ basin.U) ** 2 @ basin.eig for p in pts]).max(axis=1)
    np.testing.assert_allclose(exact, dense, rtol=1e-5)
    assert _max_over_ball(np.zeros((1, 2)), basin.eig, r)[0] == pytest.approx(basin.eig.max() * r * r)
    # 1-D: the interval shrinks by the margin
    line = Quadratic([[4.0]], 0.5)                 # |x| <= 0.5
    np.testing.assert_array_equal(line.inside(np.array([[0.39], [0.41], [-0.41]]), margin=0.1), [True, False, False])


def test_min_of_parabolas_basin():
    f = MinOfParabolas([1e5, 500.0, 150.0])
    left, right = f.left[:, 0], f.right[:, 0]
    np.testing.assert_allclose(left ** 2, [1e5, 500, 150] * (left - 1) ** 2, rtol=1e-12)   # the branches meet
    np.testing.assert_allclose(right ** 2, [1e5, 500, 150] * (right - 1) ** 2, rtol=1e-12)
    assert np.all(np.diff(right - left) > 0)                 # basin width grows from A to C
    x = np.array([[0.999], [1.2], [0.5]])
    np.testing.assert_allclose(f.grad(x)[:, 0], [2e5 * -0.001, 2 * 1.2, 2 * 0.5])
    with pytest.raises(ValueError, match="a > 1"):
        MinOfParabolas(0.5)


def test_adam_as_zhou_eq3_and_the_momentum_of_sde9():
    g = np.array([[0.3, -2.0]])
    adam = adam_eps_outside(0.1, 0.9, 0.999, 1e-3)
    step = adam.update(g)
    m_hat, v_hat = g, g * g                                   # after one step the bias corrections are exact
    np.testing.assert_allclose(step, -0.1 * m_hat / (np.sqrt(v_hat) + 1e-3))
    sgdm = BiasCorrectedMomentum(0.1, 0.9)
    np.testing.assert_allclose(sgdm.update(g), -0.1 * g)
    np.testing.assert_allclose(sgdm.update(2 * g), -0.1 * (0.9 * 0.1 * g + 0.1 * 2 * g) / (1 - 0.81))


def test_adaptive_sde_validates_and_identity_ignores_v():
    basin = Quadratic([[1.0]], 0.5)
    with pytest.raises(ValueError, match="preconditioner"):
        AdaptiveLevySDE(basin.grad, SasNoise(1.5, 1), 0.1, 0.01, 1.0, 1.0, preconditioner="rms")
    with pytest.raises(ValueError, match="beta1"):
        AdaptiveLevySDE(basin.grad, SasNoise(1.5, 1), 0.1, 0.01, 0.0, 1.0)
    sgdm = AdaptiveLevySDE(basin.grad, SasNoise(1.5, 1), 0.0, 0.01, 5.0, 1.0, preconditioner="identity")
    x = np.full((3, 1), 0.5)
    x1 = sgdm(x, _rng(24))                                    # no noise: m = h beta1 grad, mu at t = h
    mu = 1 / -np.expm1(-5.0 * 0.01)
    np.testing.assert_allclose(x1, 0.5 - 0.01 * mu * 0.01 * 5.0 * 0.5)


@pytest.mark.parametrize("alpha", [0.7, 1.3, 1.5, 1.9])
def test_fused_block_draws_the_same_values_as_the_numpy_block(alpha, monkeypatch):
    """The compiled path (numba) fuses only the arithmetic: same draws, same values to float32 rounding."""
    from checks.dynamics import stable as st
    fused = sas(alpha, 5000, _rng(31))
    monkeypatch.setattr(st, "_compiled", lambda: False)
    plain = sas(alpha, 5000, _rng(31))
    np.testing.assert_allclose(fused, plain, rtol=2e-6)
