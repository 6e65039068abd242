"""What a model of the benchmark is: how it is built, and under which protocols.

skfraud's detectors (``_models``) and their peers (``_peers``) are both lists
of :class:`ModelSpec`; a study script adds its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from skfraud.benchmark._protocols import PROTOCOLS

__all__ = ["FEW_LABEL", "LABEL_FREE", "ModelSpec"]

#: The protocols without labels: models learn from rows alone.
LABEL_FREE = frozenset({"unsupervised", "clean", "paper"})
#: The protocols that give models a few labelled anomalies (30, 5).
FEW_LABEL = frozenset(name for name, p in PROTOCOLS.items() if p.uses_labels)


@dataclass(frozen=True)
class ModelSpec:
    """How to build one model of the benchmark.

    Attributes
    ----------
    name : str
        The name in the results.
    family : {"skfraud", "peer"}
    build : callable
        ``build(random_state, n_features, protocol)`` returns an unfitted
        estimator with ``fit`` and ``score_samples`` (higher = more normal).
    protocols : frozenset of str
        The protocols it runs under.
    uses_labels : bool
        Whether ``fit`` receives the protocol's labels (y = 1: known anomaly).
    counterpart : str or None
        The peer that implements the same model (for skfraud's detectors).
    requires : str or None
        An optional package the model needs; without it the model is skipped.
    max_fit_rows : int or None
        Beyond this many training rows the model is skipped (it does not
        scale).
    epochs_param : str or None
        The parameter that ``max_epochs`` of a run overrides.
    details : callable or None
        ``details(fitted_model)`` returns a dict of further columns for the
        model's record, read off the fitted model (a composition's learnt
        member weights, say).
    """

    name: str
    family: str
    build: Callable
    protocols: frozenset = LABEL_FREE
    uses_labels: bool = False
    counterpart: str | None = None
    requires: str | None = None
    max_fit_rows: int | None = None
    epochs_param: str | None = "max_epochs"
    details: Callable | None = None
