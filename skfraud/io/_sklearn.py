"""The scikit-learn part of a model file: skops with an explicit trust list.

A Pipeline or composition is stored by skops with each skfraud detector
replaced by ``"passthrough"``; the detectors are stored apart (see
``_detector`` and ``_members``) and put back after loading.
"""

import zipfile

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

__all__ = ["TRUSTED_TYPES", "read_skops", "write_skops"]

#: Types that skops does not trust by default and that a model file may hold
#: on top of them. skops already trusts scikit-learn's estimators and NumPy's
#: and SciPy's plain types; these are what ``make_preprocessor``, an
#: ``IsolationForest``, a ``HistGradientBoostingClassifier``, a
#: ``KNNDetector`` and skfraud's compositions hold besides.
TRUSTED_TYPES = (
    # make_preprocessor selects columns by dtype, and ``object`` is one of
    # the dtypes it names.
    "builtins.object",
    "sklearn.compose._column_transformer.make_column_selector",
    # The fitted trees of IsolationForest.
    "sklearn.tree._tree.Tree",
    # The fitted trees of HistGradientBoostingClassifier, the classifier of
    # XGBOD (DetectorScores in front of it).
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    # ... and its binning and loss, which skops 0.11 does not trust by
    # default (later releases do).
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    # KNNDetector and the neighbour index it holds.
    "skfraud.detectors._knn.KNNDetector",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    # The compositions: their deep detectors are stored apart, the rest
    # (classifiers, IsolationForest, reference scores) by skops.
    "skfraud._rank_average.RankAverageDetector",
    "skfraud._detector_scores.DetectorScores",
    "skfraud._subsample_ensemble.SubsampleEnsembleDetector",
    # make_preprocessor's column selectors, and the step that turns pandas'
    # missing markers into NaN before imputation.
    "skfraud.preprocessing._ColumnsByDtype",
    "skfraud.preprocessing._ListedColumns",
    "skfraud.preprocessing._missing_as_nan",
    # The dtype an encoder or imputer is told to output.
    "numpy.dtype",
)


def write_skops(skeleton, where):
    """skops bytes of ``skeleton``, refused if loading it would need more trust."""
    try:
        # skops' JSON schema is verbose and compresses about tenfold.
        data = sio.dumps(skeleton, compression=zipfile.ZIP_DEFLATED)
    except Exception as error:
        raise TypeError(
            f"{where}: skops cannot store the {type(skeleton).__name__}: {error}"
        ) from error
    untrusted = sorted(set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES))
    if untrusted:
        raise TypeError(
            f"{where} holds types that a skfraud model file does not trust: "
            f"{untrusted}. It stores skfraud detectors (alone, as Pipeline "
            "steps or in skfraud's compositions) and scikit-learn's "
            "preprocessing and estimators; use "
            "pickle or joblib for other objects, and load such files only "
            "from sources you trust."
        )
    return data


def read_skops(data, where):
    """The object that :func:`write_skops` stored, if it needs no more trust.

    skops checks every type the file names against its own trusted types
    and ``TRUSTED_TYPES`` before it builds anything.
    """
    try:
        return sio.loads(data, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as error:
        raise ValueError(
            f"{where} holds types that a skfraud model file does not trust, "
            f"so it is not loaded: {error}"
        ) from None
    except Exception as error:
        raise ValueError(f"{where} could not be loaded by skops: {error}") from error
