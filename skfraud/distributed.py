"""Scoring on a Dask cluster, partition by partition.

A fitted detector, or a fitted Pipeline (or model search) ending in one,
scores a ``dask.array`` or a ``dask.dataframe`` lazily: each function here
returns a Dask collection with the right ``meta`` whose partitions are
scored by the workers, with the same bits as scoring the rows in memory on a
CPU. The model travels to the workers once, as one task of the graph, and
each worker holds one partition's rows at a time.

dask-ml's ``ParallelPostFit`` does this for ``predict``, ``predict_proba``
and ``transform`` only; a detector's outputs are ``score_samples``,
``decision_function`` and reason codes (a DataFrame), and dask-ml guesses
the output ``meta`` by running the model on a sample, while a detector's
output types are known in advance. This module covers those few calls and
needs nothing but Dask itself (the ``skfraud[dask]`` extra).

:class:`TorchThreads` bounds torch's CPU threads on every worker, so that
several single-threaded workers on one machine do not each spin a thread
per core.
"""

import asyncio
import copy
import threading
from numbers import Integral

import numpy as np
import pandas as pd
import torch
from sklearn.utils.validation import check_is_fitted

from skfraud._docstrings import fill_texts
from skfraud._pipeline import final_step, transform_to_final_step
from skfraud.explain import _explainable_detector, _feature_names
from skfraud.explain import reason_codes as _reason_codes
from skfraud.nets import DEVICE_PATTERN, resolve_device

try:
    import dask
    import dask.array as da
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as error:
    raise ImportError(
        "skfraud.distributed needs Dask's distributed scheduler; install it "
        "with pip install 'skfraud[dask]'."
    ) from error

__all__ = [
    "TorchThreads",
    "decision_function",
    "feature_contributions",
    "predict",
    "reason_codes",
    "score_samples",
]

# How long the task threads wait for each other while the plugin sets them.
_THREAD_BARRIER_TIMEOUT = 30


# Docstring texts shared by the functions below, written once.
_DOC_TEXTS = {
    "estimator": """estimator : estimator instance
        A fitted detector, or a fitted Pipeline or model search ending in one.""",
    "explainable": """estimator : estimator instance
        A fitted reconstruction-based detector, or a fitted Pipeline or model
        search ending in one.""",
    "device": """device : {"auto", "cpu", "cuda", "cuda:N"}, default=None
        Where the workers score; None keeps the detector's own device.""",
}

# The Examples' first lines: a detector fitted on random rows.
_EXAMPLE_SETUP = """>>> import dask.array as da
    >>> import numpy as np
    >>> from skfraud import AutoEncoderDetector
    >>> from skfraud.distributed import %s
    >>> X = np.random.default_rng(0).normal(size=(200, 4))
    >>> detector = AutoEncoderDetector(max_epochs=2, random_state=0).fit(X)"""


def _fill_doc(func):
    return fill_texts(**_DOC_TEXTS, setup=_EXAMPLE_SETUP % func.__name__)(func)


class TorchThreads(WorkerPlugin):
    """Worker plugin that sets torch's CPU threads on every worker.

    Tabular networks are small, and a worker's torch that starts one thread
    per core makes workers that share a machine wait on each other. Workers
    started by a nanny (the default of ``LocalCluster`` and ``dask worker``)
    already start torch on one thread, because the nanny sets
    ``OMP_NUM_THREADS=1`` (Dask's ``distributed.nanny.pre-spawn-environ``);
    this plugin covers the workers without a nanny and sets another number
    where a worker has cores to spare. It applies to the workers present
    and to those that join later.

    Parameters
    ----------
    n_threads : int, default=1
        Threads of ``torch.set_num_threads`` on each worker.

    Examples
    --------
    >>> from skfraud.distributed import TorchThreads
    >>> TorchThreads(n_threads=2)
    TorchThreads(n_threads=2)

    On a cluster: ``client.register_plugin(TorchThreads(n_threads=1))``.
    """

    #: Registering the plugin again replaces the earlier one.
    name = "skfraud-torch-threads"

    def __init__(self, n_threads=1):
        if not isinstance(n_threads, Integral) or isinstance(n_threads, bool):
            raise TypeError(
                f"n_threads must be an integer; got {type(n_threads).__name__}."
            )
        if n_threads < 1:
            raise ValueError(f"n_threads must be at least 1; got {n_threads}.")
        self.n_threads = int(n_threads)

    async def setup(self, worker):
        """Set the worker's torch threads (called by Dask on each worker).

        Torch keeps the number per thread once a thread has used it, so each
        of the worker's task threads sets it too, once it is free; threads
        started later take it from the first call.

        Parameters
        ----------
        worker : distributed.Worker
            The worker the plugin is registered on.
        """
        torch.set_num_threads(self.n_threads)
        executor = worker.executors.get("default")
        n_task_threads = getattr(executor, "_max_workers", 0)
        if not n_task_threads:
            return
        # Each call waits at the barrier until every thread holds one, so
        # that no thread takes two calls and another none.
        barrier = threading.Barrier(n_task_threads)
        calls = [
            executor.submit(_set_torch_threads, self.n_threads, barrier)
            for _ in range(n_task_threads)
        ]
        await asyncio.gather(*(asyncio.wrap_future(call) for call in calls))

    def __repr__(self):
        return f"{type(self).__name__}(n_threads={self.n_threads})"


def _set_torch_threads(n_threads, barrier):
    torch.set_num_threads(n_threads)
    try:
        barrier.wait(timeout=_THREAD_BARRIER_TIMEOUT)
    except threading.BrokenBarrierError:
        # A thread still busy with a task after the timeout keeps its setting;
        # the others have theirs.
        pass


# ---- the model on the workers ---------------------------------------------


def _on_device(estimator, device):
    """A copy of ``estimator`` whose detector scores on ``device``."""
    device = resolve_device(device)
    estimator = copy.deepcopy(estimator)
    net = final_step(estimator).net_
    net.module_.to(device)
    net.criterion_.to(device)
    net.device = device
    return estimator


def _model(estimator, device):
    """The estimator as one task of the graph, shipped once to each worker."""
    detector = final_step(estimator)
    check_is_fitted(detector)
    if device is None:
        return dask.delayed(estimator, pure=True)
    if not isinstance(device, str) or not DEVICE_PATTERN.match(device):
        raise ValueError(
            f"device must be None, 'auto', 'cpu', 'cuda' or 'cuda:N'; got {device!r}."
        )
    if not hasattr(detector, "net_"):
        raise TypeError(
            f"device needs a skfraud detector; got {type(detector).__name__}."
        )
    return dask.delayed(_on_device, pure=True)(estimator, device)


# ---- partition functions (run on the workers) ------------------------------


def _method(part, model, method, dtype):
    return np.asarray(getattr(model, method)(part), dtype=dtype)


def _contributions(part, model):
    detector, X_detector = transform_to_final_step(model, part)
    return detector.feature_contributions(X_detector)


def _method_series(part, model, method, dtype):
    values = _method(part, model, method, dtype)
    return pd.Series(values, index=part.index, name=method)


def _contributions_frame(part, model, columns):
    return pd.DataFrame(_contributions(part, model), index=part.index, columns=columns)


def _reasons(part, model, n_reasons, meta, start=None):
    reasons = _reason_codes(model, part, n_reasons=n_reasons)
    if start is not None:
        reasons.index = pd.RangeIndex(start, start + len(reasons))
    return reasons.astype(meta.dtypes.to_dict())


# ---- the collections -----------------------------------------------------------


def _kind(X):
    """``"array"`` or ``"frame"``; a TypeError for anything else."""
    if isinstance(X, da.Array):
        if X.ndim != 2:
            raise ValueError(
                f"X must be a 2-D dask array of shape (n_samples, n_features); "
                f"got {X.ndim} dimension(s)."
            )
        return "array"
    try:
        import dask.dataframe as dd
    except ImportError:
        dd = None
    if dd is not None and isinstance(X, dd.DataFrame):
        return "frame"
    raise TypeError(
        "X must be a dask.array.Array or a dask.dataframe.DataFrame; got "
        f"{type(X).__name__}. Score in-memory data with the estimator's own "
        "methods."
    )


def _check_width(estimator, X):
    expected = getattr(estimator, "n_features_in_", None)
    if expected is not None and X.shape[1] != expected:
        raise ValueError(
            f"X has {X.shape[1]} features, but the estimator was fitted with "
            f"{expected} features."
        )


def _rows(X):
    """``X`` with one chunk across the columns: partitions are row ranges."""
    return X.rechunk({1: -1}) if X.numblocks[1] > 1 else X


def _row_values(estimator, X, method, dtype, device):
    """Apply ``estimator.method`` to each partition: one value per row."""
    kind = _kind(X)
    _check_width(estimator, X)
    if not callable(getattr(estimator, method, None)):
        raise TypeError(f"{type(estimator).__name__} has no method {method}.")
    model = _model(estimator, device)
    if kind == "array":
        return _rows(X).map_blocks(
            _method,
            model,
            method,
            dtype,
            token=method,
            drop_axis=1,
            dtype=dtype,
            meta=np.empty((0,), dtype=dtype),
        )
    meta = pd.Series([], dtype=dtype, name=method)
    return X.map_partitions(
        _method_series,
        model,
        method,
        dtype,
        meta=meta,
        token=method,
        align_dataframes=False,
    )


@_fill_doc
def score_samples(estimator, X, *, device=None):
    """Normality scores of a Dask collection, computed partition by partition.

    Parameters
    ----------
    estimator : estimator instance
        A fitted detector, or a fitted Pipeline or model search ending in
        one: anything with ``score_samples``.
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows to score, in the form the estimator takes; a dask array's
        column chunks are merged first, so that partitions are row ranges.
    device : {"auto", "cpu", "cuda", "cuda:N"}, default=None
        Where the workers score; None keeps the detector's own device. With
        one worker per GPU (``CUDA_VISIBLE_DEVICES``), ``"cuda"`` is each
        worker's own GPU.

    Returns
    -------
    scores : dask.array.Array or dask.dataframe.Series
        Lazy float64 scores, one per row: a 1-D array for an array, a Series
        with ``X``'s index (named ``"score_samples"``) for a DataFrame. On a
        CPU they equal ``estimator.score_samples`` of the rows in memory, bit
        for bit.

    Examples
    --------
    %(setup)s
    >>> scores = score_samples(detector, da.from_array(X, chunks=(50, 4)))
    >>> scores
    dask.array<score_samples, shape=(200,), dtype=float64, chunksize=(50,), ...>
    >>> bool((scores.compute() == detector.score_samples(X)).all())
    True
    """
    return _row_values(estimator, X, "score_samples", np.float64, device)


@_fill_doc
def decision_function(estimator, X, *, device=None):
    """Compute ``score_samples - offset_`` of a Dask collection, partition by partition.

    Parameters
    ----------
    %(estimator)s
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows to score, in the form the estimator takes.
    %(device)s

    Returns
    -------
    decision : dask.array.Array or dask.dataframe.Series
        Lazy float64 values, negative for anomalies; a Series with ``X``'s
        index (named ``"decision_function"``) for a DataFrame.

    Examples
    --------
    %(setup)s
    >>> decision = decision_function(detector, da.from_array(X, chunks=(50, 4)))
    >>> bool((decision.compute() == detector.decision_function(X)).all())
    True
    """
    return _row_values(estimator, X, "decision_function", np.float64, device)


@_fill_doc
def predict(estimator, X, *, device=None):
    """Label the rows of a Dask collection: +1 inlier, -1 anomaly.

    Parameters
    ----------
    %(estimator)s
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows to label, in the form the estimator takes.
    %(device)s

    Returns
    -------
    labels : dask.array.Array or dask.dataframe.Series
        Lazy int64 labels; a Series with ``X``'s index (named ``"predict"``)
        for a DataFrame.

    Examples
    --------
    %(setup)s
    >>> labels = predict(detector, da.from_array(X, chunks=(50, 4))).compute()
    >>> sorted(set(labels.tolist()))
    [-1, 1]
    """
    return _row_values(estimator, X, "predict", np.int64, device)


def _check_explainable(estimator):
    return _explainable_detector(estimator, "feature contributions need")


@_fill_doc
def feature_contributions(estimator, X, *, device=None):
    """Per-feature shares of the anomaly score of a Dask collection.

    The distributed form of the detector's ``feature_contributions``: the
    columns are the features the detector sees (after a Pipeline's earlier
    steps).

    Parameters
    ----------
    %(explainable)s
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows to explain, in the form the estimator takes.
    %(device)s

    Returns
    -------
    contributions : dask.array.Array or dask.dataframe.DataFrame
        Lazy float64 contributions of shape (n_samples, n_features_seen);
        for a DataFrame, columns named after the features the detector sees
        (``"cat__Make_Honda"``) and ``X``'s index.

    Examples
    --------
    %(setup)s
    >>> feature_contributions(detector, da.from_array(X, chunks=(50, 4))).shape
    (200, 4)
    """
    detector = _check_explainable(estimator)
    kind = _kind(X)
    _check_width(estimator, X)
    n_seen = detector.n_features_in_
    model = _model(estimator, device)
    if kind == "array":
        X = _rows(X)
        return X.map_blocks(
            _contributions,
            model,
            token="feature_contributions",
            chunks=(X.chunks[0], (n_seen,)),
            dtype=np.float64,
            meta=np.empty((0, 0), dtype=np.float64),
        )
    columns = [str(name) for name in _feature_names(estimator, detector, n_seen)]
    meta = pd.DataFrame({name: pd.Series([], dtype=np.float64) for name in columns})
    return X.map_partitions(
        _contributions_frame,
        model,
        columns,
        meta=meta,
        token="feature_contributions",
        align_dataframes=False,
    )


def _reasons_meta(n_reasons):
    # The dtype pandas gives a column of feature names, as in reason_codes:
    # "str" from pandas 3 on, object before.
    names = pd.DataFrame({"name": np.array(["x"], dtype=object)}).dtypes["name"]
    columns = {"anomaly_score": pd.Series([], dtype=np.float64)}
    for rank in range(1, n_reasons + 1):
        columns[f"reason_{rank}"] = pd.Series([], dtype=names)
        columns[f"contribution_{rank}"] = pd.Series([], dtype=np.float64)
    return pd.DataFrame(columns)


@_fill_doc
def reason_codes(estimator, X, *, n_reasons=3, device=None):
    """Reason codes of a Dask collection, partition by partition.

    The distributed form of :func:`skfraud.explain.reason_codes`: for each
    row its anomaly score and the ``n_reasons`` features that add most to it.

    Parameters
    ----------
    %(explainable)s
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows to explain, in the form the estimator takes.
    n_reasons : int, default=3
        Reasons per row, at most the number of features the detector sees.
    %(device)s

    Returns
    -------
    reasons : dask.dataframe.DataFrame
        Lazy frame with the columns of :func:`skfraud.explain.reason_codes`.
        Its index is ``X``'s for a DataFrame, the row positions for an array.

    Examples
    --------
    %(setup)s
    >>> reasons = reason_codes(detector, da.from_array(X, chunks=(50, 4)))
    >>> list(reasons.columns[:3])
    ['anomaly_score', 'reason_1', 'contribution_1']
    """
    detector = _check_explainable(estimator)
    kind = _kind(X)
    _check_width(estimator, X)
    n_seen = detector.n_features_in_
    if not isinstance(n_reasons, Integral) or not 1 <= n_reasons <= n_seen:
        raise ValueError(
            f"n_reasons must be between 1 and the {n_seen} features the "
            f"detector sees; got {n_reasons!r}."
        )
    meta = _reasons_meta(n_reasons)
    model = _model(estimator, device)
    if kind == "frame":
        return X.map_partitions(
            _reasons,
            model,
            n_reasons,
            meta,
            meta=meta,
            token="reason_codes",
            align_dataframes=False,
        )
    import dask.dataframe as dd

    X = _rows(X)
    starts = np.r_[0, np.cumsum(X.chunks[0])]
    parts = [
        dask.delayed(_reasons)(block, model, n_reasons, meta, int(start))
        for block, start in zip(X.to_delayed().ravel(), starts[:-1], strict=True)
    ]
    divisions = [int(s) for s in starts[:-1]] + [int(starts[-1]) - 1]
    return dd.from_delayed(parts, meta=meta, divisions=divisions, verify_meta=False)
