"""Deep anomaly detectors for fraud and intrusion data, as scikit-learn estimators."""

__version__ = "0.1.0"
