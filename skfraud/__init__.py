"""Deep anomaly detectors for fraud and intrusion data, as scikit-learn estimators."""

from skfraud.detectors import (
    AutoEncoderDetector,
    DAGMMDetector,
    DevNetDetector,
    MemAEDetector,
    PReNetDetector,
    VAEDetector,
)

__version__ = "0.1.0"

__all__ = [
    "AutoEncoderDetector",
    "DAGMMDetector",
    "DevNetDetector",
    "MemAEDetector",
    "PReNetDetector",
    "VAEDetector",
]
