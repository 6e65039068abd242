"""Every public detector, with parameters small enough for contract tests.

The contract tests in ``tests/test_common.py`` and ``tests/test_base.py`` run
over :data:`DETECTORS`; a new detector joins them by adding one entry here.
"""

from dataclasses import dataclass, field

import numpy as np

from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    MemAEDetector,
    PReNetDetector,
    VAEDetector,
)


@dataclass(frozen=True)
class DetectorCase:
    """A detector class, its fast parameters and how ``fit`` must be called.

    ``needs_y``: ``fit`` requires labels (1 = known anomaly, 0 = unlabelled).
    ``learns_from_y``: labelled anomalies given to ``fit`` change the model
    even with the default ``train_on``. The others learn from ``X`` alone and
    read ``y`` only with ``train_on="normal"``.
    """

    cls: type
    params: dict = field(default_factory=dict)
    needs_y: bool = False
    learns_from_y: bool = False

    @property
    def name(self):
        return self.cls.__name__

    def make(self, **overrides):
        return self.cls(**{**self.params, **overrides})


_SMALL = {"hidden_dims": (8,), "latent_dim": 2, "max_epochs": 3, "random_state": 0}

DETECTORS = [
    DetectorCase(AutoEncoderDetector, _SMALL),
    DetectorCase(VAEDetector, {**_SMALL, "n_draws": 3}),
    DetectorCase(MemAEDetector, {**_SMALL, "n_slots": 10}),
    DetectorCase(
        DAGMMDetector,
        {
            **_SMALL,
            "estimation_hidden_dims": (4,),
            "n_components": 2,
            "batch_size": 64,
        },
    ),
    DetectorCase(
        DTEDetector,
        {
            "hidden_dims": (8,),
            "max_epochs": 3,
            "n_steps": 20,
            "n_bins": 4,
            "random_state": 0,
        },
    ),
    DetectorCase(DeepSVDDDetector, _SMALL, learns_from_y=True),
    DetectorCase(
        DevNetDetector,
        {
            "hidden_dims": (8,),
            "max_epochs": 3,
            "n_batches_per_epoch": 2,
            "batch_size": 32,
            "random_state": 0,
        },
        needs_y=True,
    ),
    DetectorCase(
        PReNetDetector,
        {
            "hidden_dims": (8,),
            "max_epochs": 3,
            "n_batches_per_epoch": 2,
            "batch_size": 32,
            "n_reference": 5,
            "random_state": 0,
        },
        needs_y=True,
    ),
]


def labels_for(X):
    """y for ``X``: the first tenth of the rows are anomalies (1), the rest 0.

    Every detector accepts it: the deviation network needs labelled
    anomalies, ``train_on="normal"`` needs normal rows, and the other
    detectors ignore ``y``.
    """
    y = np.zeros(X.shape[0], dtype=int)
    y[: max(1, X.shape[0] // 10)] = 1
    return y


def ids(cases):
    return [case.name for case in cases]
