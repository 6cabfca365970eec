"""What a simulation hands back to a check: per-path observables, with divergence reported apart."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


class SimulationError(ValueError):
    """A simulator that returned something a check cannot use (wrong type, NaN not flagged as divergence)."""


@dataclass
class Sample:
    """Per-path observables from one simulation: values[path, j] is observable labels[j].

    ``diverged_fraction`` is the share of paths that overflowed (never averaged in); ``censored_fraction``
    the share that had not reached the event a check waits for; ``info`` carries side results such as the
    discretization bias or the exact values of the simulated model."""

    values: np.ndarray
    labels: list[str]
    diverged_fraction: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)
    censored_fraction: float = 0.0

    def __post_init__(self):
        self.values = np.asarray(self.values, dtype=float)
        if self.values.ndim == 1:
            self.values = self.values[:, None]
        if self.values.ndim != 2:
            raise SimulationError(f"Sample.values must be (paths, observables), got shape {self.values.shape}")
        if len(self.labels) != self.values.shape[1]:
            raise SimulationError(f"Sample has {self.values.shape[1]} observables but {len(self.labels)} labels")
