"""save and load: one zip archive of JSON, safetensors and skops."""

import io
import json
import warnings
import zipfile

import safetensors
import safetensors.torch
import sklearn
import skops
import torch

import skfraud
from skfraud._deep import BaseDeepDetector
from skfraud.io._detector import read_detector, write_detector
from skfraud.io._members import put_detector, split_detectors
from skfraud.io._sklearn import read_skops, write_skops
from skfraud.nets import resolve_device

__all__ = ["VersionMismatchWarning", "load", "save"]

FORMAT = "skfraud-model"
#: The newest format this skfraud writes and reads; a file states its own.
#: Version 2 adds detectors inside compositions (RankAverageDetector,
#: SubsampleEnsembleDetector, DetectorScores); a file without them is
#: written as version 1.
FORMAT_VERSION = 2

MANIFEST = "manifest.json"
TENSORS = "model.safetensors"
SKOPS = "estimator.skops"

# Versions whose change may change a loaded model's scores, and so warn.
_CHECKED_VERSIONS = ("skfraud", "torch", "scikit-learn")


class VersionMismatchWarning(UserWarning):
    """A model file was saved with other versions of skfraud, torch or scikit-learn.

    The file loads, but the scores of the loaded model may differ slightly
    from those it gave when saved. Refit, or check the scores on known rows,
    then save again to record the current versions.

    Examples
    --------
    A scoring service that accepts only models saved with its own versions
    turns the warning into an error:

    >>> import io
    >>> import warnings
    >>> import numpy as np
    >>> from skfraud import AutoEncoderDetector
    >>> from skfraud.io import VersionMismatchWarning, load, save
    >>> X = np.random.default_rng(0).normal(size=(100, 3))
    >>> file = io.BytesIO()
    >>> save(AutoEncoderDetector(max_epochs=1).fit(X), file)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", VersionMismatchWarning)
    ...     detector = load(file.getvalue())
    >>> detector.n_features_in_
    3
    """


def _versions():
    return {
        "skfraud": skfraud.__version__,
        "torch": torch.__version__,
        "scikit-learn": sklearn.__version__,
        "skops": skops.__version__,
        "safetensors": safetensors.__version__,
    }


def save(estimator, file):
    """Save a fitted detector, or a Pipeline or composition holding one.

    The file is a zip archive of plain data: ``manifest.json`` (format
    version, library versions, each detector's class name, parameters and
    fitted attributes), ``model.safetensors`` (network weights and numeric
    arrays) and, for a Pipeline or composition, ``estimator.skops`` (its
    scikit-learn parts, saved by skops with each detector left as
    ``"passthrough"``).
    :func:`load` reads it back without running code from the file.

    Weights are saved from CPU copies, so a model trained on a GPU loads on
    a machine without one.

    Parameters
    ----------
    estimator : estimator instance
        A fitted skfraud detector, or a fitted scikit-learn ``Pipeline``
        (nested Pipelines included) or skfraud composition
        (:class:`~skfraud.ensemble.RankAverageDetector`,
        :class:`~skfraud.ensemble.SubsampleEnsembleDetector`,
        :class:`~skfraud.preprocessing.DetectorScores`) whose detectors are
        steps or members and whose other parts are scikit-learn estimators
        that skops stores with the types skfraud trusts, such as
        :func:`~skfraud.preprocessing.make_preprocessor`'s
        ``ColumnTransformer``, scalers, encoders, ``IsolationForest`` and
        ``HistGradientBoostingClassifier``. A composition's parameter list
        may hold unfitted detectors: they are its templates.

    file : str, path-like or binary file object
        Where to write. ``.skfraud`` is a good extension.

    Raises
    ------
    TypeError
        If something cannot be stored as plain data. Parameters that are
        classes or objects are refused with a message naming them, except
        ``optimizer`` given as an optimizer class of ``torch.optim``, saved
        by its name, and ``random_state`` given as a NumPy ``RandomState``,
        saved as its state. Extra skorch ``callbacks`` are refused: they act
        during training only, so set ``callbacks=None`` before saving.
        Subclasses of skfraud's detectors and steps of other types are
        refused too; pickle or joblib store those.

    sklearn.exceptions.NotFittedError
        If a detector is not fitted.

    See Also
    --------
    load : Read the file back.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from skfraud import AutoEncoderDetector
    >>> from skfraud.io import load, save
    >>> X = np.random.default_rng(0).normal(size=(200, 4))
    >>> detector = AutoEncoderDetector(max_epochs=5, random_state=0).fit(X)
    >>> file = io.BytesIO()  # or a path such as "detector.skfraud"
    >>> save(detector, file)
    >>> loaded = load(file.getvalue())
    >>> bool((loaded.score_samples(X) == detector.score_samples(X)).all())
    True
    """
    tensors = {}
    format_version = 1
    if isinstance(estimator, BaseDeepDetector):
        content = {
            "kind": "detector",
            "detector": write_detector(estimator, tensors, "detector"),
        }
        skops_data = None
    else:
        skeleton, places = split_detectors(estimator)
        skops_data = write_skops(skeleton, "estimator")
        content = {
            "kind": "skops",
            "detectors": [
                {
                    "path": place.path,
                    "template": place.template,
                    "detector": write_detector(
                        place.detector, tensors, f"detectors[{i}]", place.template
                    ),
                }
                for i, place in enumerate(places)
            ],
        }
        if any(place.in_composition for place in places):
            format_version = FORMAT_VERSION
    manifest = {
        "format": FORMAT,
        "format_version": format_version,
        "versions": _versions(),
        "estimator": content,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            MANIFEST,
            json.dumps(manifest, allow_nan=False),
            compress_type=zipfile.ZIP_DEFLATED,
        )
        # Weights hardly compress; storing them keeps saving and loading fast.
        archive.writestr(TENSORS, safetensors.torch.save(tensors))
        if skops_data is not None:
            archive.writestr(SKOPS, skops_data)
    if hasattr(file, "write"):
        file.write(buffer.getvalue())
    else:
        with open(file, "wb") as handle:
            handle.write(buffer.getvalue())


def load(file, *, device="cpu"):
    """Load a model file written by :func:`save`, without running code from it.

    The manifest is JSON and the weights are safetensors; neither can hold
    code. Classes are never looked up by a name the file gives, except among
    skfraud's own detectors, the optimizers of ``torch.optim`` and the types
    that skops trusts plus the few listed in ``skfraud.io``; the
    scikit-learn part is read by skops, which refuses any other type.
    Neither :mod:`pickle` nor ``torch.load`` is used.

    Parameters
    ----------
    file : str, path-like, binary file object or bytes
        A file written by :func:`save`, or its content.

    device : {"cpu", "cuda", "cuda:N", "auto"}, default="cpu"
        Where the networks are placed for scoring, whatever device they were
        trained on. The detectors' own ``device`` parameter is restored as
        saved and applies to refitting.

    Returns
    -------
    estimator : estimator instance
        The fitted detector, Pipeline or composition, with the same
        parameters, fitted attributes (``offset_`` as it was when saved,
        tuned or not) and, on the CPU, bit-identical scores.

    Raises
    ------
    ValueError
        If the file is not a skfraud model file (a pickle, say), was written
        by a newer skfraud in a newer format, or is damaged or tampered
        with: a missing part or key, a tensor of the wrong shape, a class
        that is not allowed. The message names the problem.

    Warns
    -----
    VersionMismatchWarning
        If the file was saved with another version of skfraud, torch or
        scikit-learn, which may change the scores slightly.

    See Also
    --------
    save : Write a model file.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from skfraud import VAEDetector
    >>> from skfraud.io import load, save
    >>> X = np.random.default_rng(0).normal(size=(200, 4))
    >>> model = make_pipeline(MinMaxScaler(), VAEDetector(max_epochs=5))
    >>> model = model.fit(X)
    >>> file = io.BytesIO()
    >>> save(model, file)
    >>> loaded = load(file.getvalue(), device="cpu")
    >>> [name for name, _ in loaded.steps]
    ['minmaxscaler', 'vaedetector']
    >>> bool((loaded.predict(X) == model.predict(X)).all())
    True
    """
    device = resolve_device(device)
    archive = _open(file)
    with archive:
        manifest = _read_manifest(archive)
        content = manifest.get("estimator")
        if not isinstance(content, dict):
            raise ValueError("The manifest of the model file lacks its estimator.")
        tensors = _read_tensors(archive)
        if content.get("kind") == "detector":
            return read_detector(content.get("detector"), tensors, "detector", device)
        if content.get("kind") != "skops":
            raise ValueError(
                f"The model file holds an estimator of the unknown kind "
                f"{content.get('kind')!r}."
            )
        return _read_skops_part(archive, content, tensors, device)


def _read_skops_part(archive, content, tensors, device):
    """The skops part, with the detectors put back into their steps."""
    estimator = read_skops(_member(archive, SKOPS), SKOPS)
    entries = content.get("detectors")
    if not isinstance(entries, list):
        raise ValueError("The manifest of the model file lacks its detectors.")
    for i, entry in enumerate(entries):
        where = f"detectors[{i}]"
        path = entry.get("path") if isinstance(entry, dict) else None
        if not (
            isinstance(path, list)
            and path
            and all(isinstance(name, str) for name in path)
        ):
            raise ValueError(f"{where} lacks the path of its Pipeline step.")
        detector = read_detector(
            entry.get("detector"), tensors, where, device, entry.get("template") is True
        )
        put_detector(estimator, path, detector, where)
    return estimator


def _open(file):
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    elif hasattr(file, "read"):
        data = file.read()
    else:
        with open(file, "rb") as handle:
            data = handle.read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        # Protocol 2 and later pickles (joblib's too) start with PROTO.
        looks_like = (
            " It looks like a pickle (written by pickle or joblib), which "
            "skfraud.io.load never unpickles: load pickles only from sources "
            "you trust, with joblib.load."
            if data[:1] == b"\x80"
            else ""
        )
        raise ValueError(
            "The file is not a skfraud model file: it is not a zip archive."
            + looks_like
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ValueError(f"The model file is a damaged zip archive: {error}") from None


def _member(archive, name):
    try:
        return archive.read(name)
    except KeyError:
        raise ValueError(f"The model file lacks its {name} part.") from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ValueError(
            f"The {name} part of the model file is damaged: {error}"
        ) from None


def _read_manifest(archive):
    try:
        manifest = json.loads(_member(archive, MANIFEST))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(
            f"The {MANIFEST} of the model file is not JSON: {error}"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(
            f"The model file's {MANIFEST} does not describe a skfraud model."
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"The model file has the invalid format version {version!r}.")
    saved_versions = manifest.get("versions")
    if not isinstance(saved_versions, dict):
        saved_versions = {}
    if version > FORMAT_VERSION:
        raise ValueError(
            f"The model file has format version {version}, written by a newer "
            f"skfraud ({saved_versions.get('skfraud', 'unknown version')}); "
            f"skfraud {skfraud.__version__} reads format versions up to "
            f"{FORMAT_VERSION}. Upgrade skfraud to load it."
        )
    _warn_on_other_versions(saved_versions)
    return manifest


def _warn_on_other_versions(saved_versions):
    current = _versions()
    changed = [
        f"{name} {saved_versions.get(name)} (now {current[name]})"
        for name in _CHECKED_VERSIONS
        if saved_versions.get(name) != current[name]
    ]
    if changed:
        warnings.warn(
            "The model file was saved with " + ", ".join(changed) + ". It loads, "
            "but its scores may differ slightly from those it gave when saved; "
            "check them on known rows, or refit, and save again.",
            VersionMismatchWarning,
            stacklevel=3,
        )


def _read_tensors(archive):
    data = _member(archive, TENSORS)
    try:
        return safetensors.torch.load(data)
    except Exception as error:
        # safetensors reports a damaged header or data with its own errors.
        raise ValueError(
            f"The {TENSORS} part of the model file is damaged: {error}"
        ) from None
