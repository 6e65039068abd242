"""Reaching the detector inside a Pipeline or a fitted model search."""

from sklearn.pipeline import Pipeline

__all__ = ["final_step", "transform_to_final_step"]


def final_step(estimator):
    """The detector at the end of ``estimator``.

    Unwraps Pipelines (their last step) and fitted searches such as
    ``GridSearchCV`` (their ``best_estimator_``), at any depth.
    """
    while True:
        if isinstance(estimator, Pipeline):
            estimator = estimator[-1]
        elif hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        else:
            return estimator


def transform_to_final_step(estimator, X):
    """``(detector, X)`` with ``X`` passed through every step before the detector."""
    if hasattr(estimator, "best_estimator_"):
        return transform_to_final_step(estimator.best_estimator_, X)
    if isinstance(estimator, Pipeline):
        return transform_to_final_step(estimator[-1], estimator[:-1].transform(X))
    return estimator, X
