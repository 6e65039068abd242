"""The scikit-learn part of a model file: skops with an explicit trust list.

A Pipeline or composition is stored by skops with each skfraud detector
replaced by ``"passthrough"``; the detectors are stored apart (see
``_detector`` and ``_members``) and put back after loading.

skops names every object by the module that defines its class. A file names
skfraud's classes by their public paths instead
(``skfraud.ensemble.RankAverageDetector``), so that moving code between
private modules never breaks a saved file; files of releases that named
private modules are read through :data:`LEGACY_PATHS`.
"""

import importlib
import io
import json
import zipfile

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

__all__ = ["LEGACY_PATHS", "TRUSTED_TYPES", "read_skops", "write_skops"]

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
    "skfraud.KNNDetector",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    # The compositions: their deep detectors are stored apart, the rest
    # (classifiers, IsolationForest, reference scores) by skops.
    "skfraud.ensemble.RankAverageDetector",
    "skfraud.ensemble.FewLabelDetector",
    "skfraud.preprocessing.DetectorScores",
    "skfraud.ensemble.SubsampleEnsembleDetector",
    # make_preprocessor's column selectors, and the step that turns pandas'
    # missing markers into NaN before imputation.
    "skfraud.preprocessing._ColumnsByDtype",
    "skfraud.preprocessing._ListedColumns",
    "skfraud.preprocessing._missing_as_nan",
    # The dtype an encoder or imputer is told to output.
    "numpy.dtype",
)


#: The public modules whose names a model file uses for skfraud's objects.
PUBLIC_MODULES = ("skfraud", "skfraud.ensemble", "skfraud.preprocessing")

#: Paths that files of earlier releases name, and the public path of each.
#: Entries stay for as long as such files are to load.
LEGACY_PATHS = {
    # Release 0.1.0, before skfraud.ensemble and skfraud.preprocessing
    # became packages.
    "skfraud._rank_average.RankAverageDetector": "skfraud.ensemble.RankAverageDetector",
    "skfraud._subsample_ensemble.SubsampleEnsembleDetector": (
        "skfraud.ensemble.SubsampleEnsembleDetector"
    ),
    "skfraud._detector_scores.DetectorScores": "skfraud.preprocessing.DetectorScores",
    "skfraud.detectors._knn.KNNDetector": "skfraud.KNNDetector",
}


def public_paths():
    """``{defining path: public path}`` of the objects of :data:`PUBLIC_MODULES`.

    A path is ``"<module>.<name>"``. An object defined in a private module
    and published by a public one gets the public one's path.
    """
    paths = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            defined_in = getattr(value, "__module__", None)
            if (
                isinstance(defined_in, str)
                and defined_in.startswith("skfraud.")
                and defined_in != module_name
                and getattr(value, "__qualname__", None) == name
            ):
                paths[f"{defined_in}.{name}"] = f"{module_name}.{name}"
    return paths


def _renamed(data, paths):
    """The skops bytes ``data`` with the objects of ``paths`` renamed."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info: source.read(info.filename) for info in source.infolist()}
    for info, content in parts.items():
        if info.filename == "schema.json":
            schema = json.loads(content)
            _rename_nodes(schema, paths)
            parts[info] = json.dumps(schema).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, content in parts.items():
            target.writestr(info, content)
    return out.getvalue()


def _rename_nodes(node, paths):
    if isinstance(node, dict):
        module, name = node.get("__module__"), node.get("__class__")
        if isinstance(module, str) and f"{module}.{name}" in paths:
            module, _, name = paths[f"{module}.{name}"].rpartition(".")
            node["__module__"], node["__class__"] = module, name
        for value in node.values():
            _rename_nodes(value, paths)
    elif isinstance(node, list):
        for value in node:
            _rename_nodes(value, paths)


def write_skops(skeleton, where):
    """skops bytes of ``skeleton``, refused if loading it would need more trust."""
    try:
        # skops' JSON schema is verbose and compresses about tenfold.
        data = sio.dumps(skeleton, compression=zipfile.ZIP_DEFLATED)
    except Exception as error:
        raise TypeError(
            f"{where}: skops cannot store the {type(skeleton).__name__}: {error}"
        ) from error
    data = _renamed(data, public_paths())
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
        data = _renamed(data, LEGACY_PATHS)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValueError(f"{where} could not be loaded by skops: {error}") from error
    try:
        return sio.loads(data, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as error:
        raise ValueError(
            f"{where} holds types that a skfraud model file does not trust, "
            f"so it is not loaded: {error}"
        ) from None
    except Exception as error:
        raise ValueError(f"{where} could not be loaded by skops: {error}") from error
