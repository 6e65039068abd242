"""The models of the benchmark: how each is built, and under which protocols."""

from collections.abc import Callable
from dataclasses import dataclass

from sklearn.ensemble import BaggingClassifier, HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline

from skfraud._detector_scores import DetectorScores
from skfraud._rank_average import RankAverageDetector
from skfraud.benchmark._protocols import PROTOCOLS
from skfraud.detectors import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    MemAEDetector,
    PReNetDetector,
    VAEDetector,
)

__all__ = [
    "FEW_LABEL",
    "LABEL_FREE",
    "RANK_AVERAGE",
    "SKFRAUD_MODELS",
    "ModelSpec",
    "bagged_gradient_boosting",
    "detector_scores",
]

LABEL_FREE = frozenset({"unsupervised", "clean", "paper"})
#: The protocols that give models a few labelled anomalies (30, 5).
FEW_LABEL = frozenset(name for name, p in PROTOCOLS.items() if p.uses_labels)
#: The few-label ensemble: PReNet, Deep SAD, XGBOD and gradient boosting
#: (both bagged), ranks averaged.
RANK_AVERAGE = "PReNet + DeepSAD + XGBOD + HGB (rank average)"


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


def _unsupervised(detector_class):
    def build(random_state, n_features, protocol):
        train_on = "normal" if protocol == "clean" else "all"
        return detector_class(random_state=random_state, train_on=train_on)

    return build


def _devnet(random_state, n_features, protocol):
    return DevNetDetector(random_state=random_state)


def _deep_sad(random_state, n_features, protocol):
    # Trained on every row; the protocol's known anomalies enter Deep SAD's
    # term, the other rows are unlabelled.
    return DeepSVDDDetector(random_state=random_state)


def _prenet(random_state, n_features, protocol):
    return PReNetDetector(random_state=random_state)


def bagged_gradient_boosting(random_state):
    """Ten HistGradientBoostingClassifier, each fitted on a bootstrap sample
    of the rows, their fraud probabilities averaged.

    With a few labelled frauds one classifier's trees follow the handful of
    positives it drew; the average over bootstrap samples is steadier
    (``benchmarks/results/few_label_bagged.md``).
    """
    return BaggingClassifier(
        HistGradientBoostingClassifier(random_state=random_state),
        n_estimators=10,
        random_state=random_state,
    )


def detector_scores(detectors=None, bagged=False):
    """``build`` of a :class:`~skfraud.preprocessing.DetectorScores` +
    gradient-boosting pipeline (XGBOD), scored as a detector.

    Parameters
    ----------
    detectors : callable, default=None
        ``detectors(random_state)`` returns the ``detectors`` list; None:
        ``DetectorScores``' default list.
    bagged : bool, default=False
        Whether the classifier is :func:`bagged_gradient_boosting` rather
        than one HistGradientBoostingClassifier.

    Returns
    -------
    build : callable
    """

    def build(random_state, n_features, protocol):
        from skfraud.benchmark._peers import ClassifierAsDetector

        listed = None if detectors is None else detectors(random_state)
        return ClassifierAsDetector(_xgbod(random_state, listed, bagged))

    return build


def _xgbod(random_state, detectors=None, bagged=False):
    if bagged:
        classifier = bagged_gradient_boosting(random_state)
    else:
        classifier = HistGradientBoostingClassifier(random_state=random_state)
    return make_pipeline(
        DetectorScores(detectors, random_state=random_state), classifier
    )


def _rank_average(random_state, n_features, protocol):
    # The two best few-label networks and two bagged tree models, XGBOD and
    # the classifier on the features alone, their ranks averaged.
    return RankAverageDetector(
        [
            ("prenet", _prenet(random_state, n_features, protocol)),
            ("deep_sad", _deep_sad(random_state, n_features, protocol)),
            ("xgbod", _xgbod(random_state, bagged=True)),
            ("trees", bagged_gradient_boosting(random_state)),
        ]
    )


SKFRAUD_MODELS = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "AutoEncoderDetector",
            "skfraud",
            _unsupervised(AutoEncoderDetector),
            counterpart="PyOD AutoEncoder",
        ),
        ModelSpec(
            "VAEDetector",
            "skfraud",
            _unsupervised(VAEDetector),
            counterpart="PyOD VAE",
        ),
        ModelSpec("MemAEDetector", "skfraud", _unsupervised(MemAEDetector)),
        ModelSpec("DAGMMDetector", "skfraud", _unsupervised(DAGMMDetector)),
        ModelSpec(
            "DevNetDetector",
            "skfraud",
            _devnet,
            protocols=FEW_LABEL,
            uses_labels=True,
            counterpart="PyOD DevNet",
        ),
        ModelSpec("DTEDetector", "skfraud", _unsupervised(DTEDetector)),
        ModelSpec(
            "DeepSVDDDetector",
            "skfraud",
            _unsupervised(DeepSVDDDetector),
            counterpart="PyOD DeepSVDD",
        ),
        ModelSpec(
            "DeepSAD",
            "skfraud",
            _deep_sad,
            protocols=FEW_LABEL,
            uses_labels=True,
        ),
        ModelSpec(
            "PReNetDetector",
            "skfraud",
            _prenet,
            protocols=FEW_LABEL,
            uses_labels=True,
        ),
        ModelSpec(
            "DetectorScores + HGB",
            "skfraud",
            detector_scores(),
            protocols=FEW_LABEL,
            uses_labels=True,
            epochs_param=None,
        ),
        ModelSpec(
            "DetectorScores + bagged HGB",
            "skfraud",
            detector_scores(bagged=True),
            protocols=FEW_LABEL,
            uses_labels=True,
            epochs_param=None,
        ),
        ModelSpec(
            RANK_AVERAGE,
            "skfraud",
            _rank_average,
            protocols=FEW_LABEL,
            uses_labels=True,
            epochs_param=None,
        ),
    )
}
