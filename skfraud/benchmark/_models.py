"""The models of the benchmark: how each is built, and under which protocols."""

from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline

from skfraud.benchmark._peers import ClassifierAsDetector
from skfraud.benchmark._spec import FEW_LABEL, ModelSpec
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
from skfraud.ensemble import FewLabelDetector, bagged_gradient_boosting
from skfraud.preprocessing import DetectorScores

__all__ = [
    "RANK_AVERAGE",
    "SKFRAUD_MODELS",
    "detector_scores",
    "xgbod",
]

#: The few-label ensemble: PReNet, Deep SAD, XGBOD and gradient boosting
#: (both bagged), ranks averaged.
RANK_AVERAGE = "PReNet + DeepSAD + XGBOD + HGB (rank average)"


def _unsupervised(detector_class):
    # Built as a user builds it, with default parameters: under the clean
    # protocol it is fitted on the genuine rows alone, as IsolationForest is,
    # and is not told that they are genuine (a variant with train_on=normal
    # measures that).
    def build(random_state, n_features, protocol):
        return detector_class(random_state=random_state)

    return build


def _devnet(random_state, n_features, protocol):
    return DevNetDetector(random_state=random_state)


def _deep_sad(random_state, n_features, protocol):
    # Trained on every row; the protocol's known anomalies enter Deep SAD's
    # term, the other rows are unlabelled.
    return DeepSVDDDetector(random_state=random_state)


def _prenet(random_state, n_features, protocol):
    return PReNetDetector(random_state=random_state)


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
        listed = None if detectors is None else detectors(random_state)
        return ClassifierAsDetector(xgbod(random_state, listed, bagged))

    return build


def xgbod(random_state, detectors=None, bagged=False):
    """The XGBOD pipeline: :class:`~skfraud.preprocessing.DetectorScores`,
    then gradient boosting on the scores and the features.

    Parameters
    ----------
    random_state : int
        Seed of the detectors and of the classifier.
    detectors : list of (str, estimator) tuples, default=None
        ``DetectorScores``' ``detectors``; None: its default list.
    bagged : bool, default=False
        Whether the classifier is :func:`bagged_gradient_boosting` rather
        than one HistGradientBoostingClassifier.

    Returns
    -------
    pipeline : Pipeline
        A classifier (``predict_proba``), unfitted.
    """
    if bagged:
        classifier = bagged_gradient_boosting(random_state)
    else:
        classifier = HistGradientBoostingClassifier(random_state=random_state)
    return make_pipeline(
        DetectorScores(detectors, random_state=random_state), classifier
    )


def _rank_average(random_state, n_features, protocol):
    # skfraud.ensemble.FewLabelDetector: the two best few-label networks and
    # two bagged tree models, XGBOD and the classifier on the features alone,
    # their ranks averaged.
    return FewLabelDetector(random_state=random_state)


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
