"""Exact expectations of SGD as power series in the learning rate eta.

SGD on a per-sample loss l_x(theta) with random data x: theta <- theta - eta * M * grad(mean of l_x over
a batch), M a constant preconditioner (identity by default). For fixed T the expectation of any smooth
function s(theta_T) is a power series in eta; its coefficients are computed here exactly, from the
Taylor coefficients of the loss at the initial point and the moments of the data:

- `expected_after`: one epoch, fresh batches of B points per step (the paper body's E = B = 1 SGD).
  With P the one-step operator (P f)(theta) = E f(theta - eta g(theta)) = sum_k eta^k P_k f, the
  expectation is P^T s, whose eta^d coefficient is sum_j binomial(T, j) sum over compositions
  (k_1..k_j) of d of P_{k_1}...P_{k_j} s: a polynomial of degree <= d in T, so T may be a symbol.
- `expected_after_epochs`: a finite training set of N points reused for several epochs (GD is
  B = N), the train loss and the generalization gap; T = epochs * N / B is numeric.
- `expected_after_flow`: the ODE d theta = -eta M G dt and the SDE with covariance eta^2 M C M^T / B
  per unit time (the per-step covariance of SGD), for comparisons with SGD.
- `stationary_expectation`: the eta-expansion of the expectation under SGD's stationary law near a
  non-degenerate minimum (the T -> infinity regime), solving the moment equations order by order.
- `landscape`: the paper's tensors G, H, J, C, S at a point.

Data laws: `Normal(mean, var)`, `Discrete(outcomes)` (exact probabilities), `Moments(k -> E x^k)`.
All arithmetic is exact (rationals and symbols).

>>> import sympy as sp
>>> th, x, T = sp.symbols("theta x T")
>>> series = expected_after((th - x)**2 / 2, {x: Normal(0, 1)}, T, 1, params=[th])
>>> sp.factor(series.coeff(ETA, 1))
-T*theta**2
"""
from __future__ import annotations

from .laws import ETA, MAX_ORDER, MAX_SCHEDULES, Discrete, Moments, Normal, SeriesError
from .sgd import expected_after, expected_after_epochs, expected_after_flow
from .stationary import landscape, stationary_expectation

__all__ = ["ETA", "MAX_ORDER", "MAX_SCHEDULES", "Discrete", "Moments", "Normal", "SeriesError", "expected_after",
           "expected_after_epochs", "expected_after_flow", "landscape", "stationary_expectation"]
