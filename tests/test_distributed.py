"""Scoring and model selection on a Dask cluster (skfraud.distributed).

One LocalCluster of two single-threaded worker processes serves the module,
as a payment company's cluster would: the models are trained here and
shipped to the workers.
"""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.ensemble import IsolationForest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DevNetDetector,
    MemAEDetector,
    VAEDetector,
)
from skfraud.datasets import make_transactions
from skfraud.explain import reason_codes
from skfraud.metrics import get_anomaly_scorer
from skfraud.preprocessing import make_preprocessor

_DASK_EXTRA = "needs Dask: pip install 'skfraud[dask]'"
distributed = pytest.importorskip("distributed", reason=_DASK_EXTRA)
da = pytest.importorskip("dask.array", reason=_DASK_EXTRA)
import dask  # noqa: E402

import skfraud.distributed as sd  # noqa: E402

FAST = {"hidden_dims": (16,), "max_epochs": 3, "random_state": 0}

needs_cuda = pytest.mark.skipif(
    torch.cuda.device_count() == 0, reason="needs a CUDA device"
)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    client = distributed.Client(cluster)
    worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    yield client
    client.close()
    cluster.close()
    # Closing the cluster ends its worker processes: none is left behind.
    assert cluster.status.name == "closed"
    psutil = pytest.importorskip("psutil")
    children = {child.pid for child in psutil.Process().children(recursive=True)}
    assert not worker_pids & children
    assert not any(psutil.pid_exists(pid) for pid in worker_pids)


@pytest.fixture(scope="module")
def dd():
    # dask.dataframe needs pyarrow, which the skfraud[dask] extra brings.
    return pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def transactions():
    X, y = make_transactions(n_samples=1200, random_state=0, return_X_y=True)
    return X, y


def _preprocessor(layout, **columns):
    # sparse_threshold=1 keeps the one-hot output sparse whatever its density.
    if layout == "sparse":
        return make_preprocessor(sparse_output=True, sparse_threshold=1.0, **columns)
    return make_preprocessor(sparse_output=False, **columns)


@pytest.fixture(scope="module", params=["dense", "sparse"])
def frame_pipeline(request, transactions):
    X, _ = transactions
    detector = AutoEncoderDetector(**FAST)
    return make_pipeline(_preprocessor(request.param), detector).fit(X)


@pytest.fixture(scope="module")
def coded_rows():
    """Five numeric columns and, first, an integer merchant code."""
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 6, size=(1000, 1))
    return np.hstack([codes, rng.normal(size=(1000, 5))])


@pytest.fixture(scope="module", params=["dense", "sparse"])
def array_pipeline(request, coded_rows):
    preprocessor = _preprocessor(
        request.param, categorical=[0], numeric=[1, 2, 3, 4, 5]
    )
    pipeline = make_pipeline(preprocessor, AutoEncoderDetector(**FAST))
    return pipeline.fit(coded_rows)


def test_array_scores_are_the_in_memory_scores(client, array_pipeline, coded_rows):
    # 173-row chunks split the detector's 64-row scoring blocks.
    X = da.from_array(coded_rows, chunks=(173, 3))
    scores = sd.score_samples(array_pipeline, X)
    assert isinstance(scores, da.Array)
    assert scores.shape == (1000,) and scores.dtype == np.float64
    assert scores.numblocks == (6,)
    np.testing.assert_array_equal(
        scores.compute(), array_pipeline.score_samples(coded_rows)
    )
    np.testing.assert_array_equal(
        sd.decision_function(array_pipeline, X).compute(),
        array_pipeline.decision_function(coded_rows),
    )
    labels = sd.predict(array_pipeline, X).compute()
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, array_pipeline.predict(coded_rows))


def test_array_reasons_are_the_in_memory_reasons(
    client, dd, array_pipeline, coded_rows
):
    X = da.from_array(coded_rows, chunks=(173, 6))
    contributions = sd.feature_contributions(array_pipeline, X)
    n_seen = array_pipeline[-1].n_features_in_
    assert contributions.shape == (1000, n_seen)
    detector, encoded = array_pipeline[-1], array_pipeline[0].transform(coded_rows)
    np.testing.assert_array_equal(
        contributions.compute(), detector.feature_contributions(encoded)
    )
    reasons = sd.reason_codes(array_pipeline, X, n_reasons=2)
    expected = reason_codes(array_pipeline, coded_rows, n_reasons=2)
    assert reasons.npartitions == 6
    pd.testing.assert_frame_equal(reasons.compute(), expected)


def test_dataframe_scores_are_the_in_memory_scores(
    client, dd, frame_pipeline, transactions
):
    X, _ = transactions
    # Five partitions of 240 rows, with an index that is not 0, 1, 2, ...
    X = X.set_axis(np.arange(len(X)) * 3 + 7)
    frame = dd.from_pandas(X, npartitions=5, sort=False)
    scores = sd.score_samples(frame_pipeline, frame)
    assert isinstance(scores, dd.Series)
    assert scores.dtype == np.float64 and scores.name == "score_samples"
    computed = scores.compute()
    pd.testing.assert_index_equal(computed.index, X.index)
    np.testing.assert_array_equal(computed.to_numpy(), frame_pipeline.score_samples(X))
    np.testing.assert_array_equal(
        sd.decision_function(frame_pipeline, frame).compute().to_numpy(),
        frame_pipeline.decision_function(X),
    )
    labels = sd.predict(frame_pipeline, frame).compute()
    np.testing.assert_array_equal(labels.to_numpy(), frame_pipeline.predict(X))
    assert labels.dtype == np.int64


def test_dataframe_reasons_are_the_in_memory_reasons(
    client, dd, frame_pipeline, transactions
):
    X, _ = transactions
    frame = dd.from_pandas(X, npartitions=4, sort=False)
    reasons = sd.reason_codes(frame_pipeline, frame, n_reasons=3)
    expected = reason_codes(frame_pipeline, X, n_reasons=3)
    pd.testing.assert_frame_equal(reasons._meta, expected.iloc[:0])
    pd.testing.assert_frame_equal(reasons.compute(), expected)
    contributions = sd.feature_contributions(frame_pipeline, frame)
    names = list(frame_pipeline[0].get_feature_names_out())
    assert list(contributions.columns) == names
    detector, encoded = frame_pipeline[-1], frame_pipeline[0].transform(X)
    np.testing.assert_array_equal(
        contributions.compute().to_numpy(), detector.feature_contributions(encoded)
    )


def test_importing_skfraud_does_not_import_dask():
    code = (
        "import sys, skfraud, skfraud.explain, skfraud.metrics\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _unreadable_rows():
    raise RuntimeError("the rows were read")


def test_collections_are_built_without_reading_the_rows(dd, array_pipeline):
    rows = dask.delayed(_unreadable_rows)()
    X = da.from_delayed(rows, shape=(500, 6), dtype=np.float64)
    scores = sd.score_samples(array_pipeline, X)
    labels = sd.predict(array_pipeline, X)
    reasons = sd.reason_codes(array_pipeline, X, n_reasons=1)
    assert scores.shape == (500,) and labels.dtype == np.int64
    assert list(reasons.columns) == ["anomaly_score", "reason_1", "contribution_1"]
    with pytest.raises(RuntimeError, match="the rows were read"):
        scores.compute(scheduler="sync")


def test_models_trained_here_score_on_the_workers(client):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6)).astype(np.float32)
    y = (np.arange(400) % 40 == 0).astype(int)
    params = {"hidden_dims": (16,), "max_epochs": 2, "random_state": 0}
    models = [
        AutoEncoderDetector(**params),
        VAEDetector(**params),
        MemAEDetector(**params),
        DAGMMDetector(**params),
        DevNetDetector(**params),
    ]
    for model in models:
        model.fit(X, y)
        on_worker = client.submit(model.score_samples, X).result()
        np.testing.assert_array_equal(on_worker, model.score_samples(X))


@pytest.mark.slow
def test_grid_search_on_the_dask_backend_matches_the_local_one(client, transactions):
    X, y = transactions
    X, y = X.iloc[:600], y.iloc[:600]
    search = GridSearchCV(
        make_pipeline(make_preprocessor(), AutoEncoderDetector(**FAST)),
        {"autoencoderdetector__latent_dim": [1, 4]},
        scoring=get_anomaly_scorer("average_precision"),
        cv=2,
    )
    local = search.fit(X, y)
    local_scores = local.cv_results_["mean_test_score"]
    joblib = pytest.importorskip("joblib")
    with joblib.parallel_backend("dask"):
        on_dask = GridSearchCV(**search.get_params(deep=False)).set_params(n_jobs=-1)
        on_dask.fit(X, y)
    assert on_dask.best_params_ == local.best_params_
    assert local_scores[0] != local_scores[1]
    np.testing.assert_array_equal(on_dask.cv_results_["mean_test_score"], local_scores)


def _torch_threads():
    return torch.get_num_threads()


def _threads_in_tasks(client):
    workers = sorted(client.scheduler_info()["workers"])
    futures = [
        client.submit(_torch_threads, pure=False, workers=[worker])
        for worker in workers
    ]
    return client.gather(futures)


def test_worker_torch_threads_are_bounded(client):
    # The nanny starts each worker with OMP_NUM_THREADS=1.
    assert _threads_in_tasks(client) == [1, 1]
    try:
        client.register_plugin(sd.TorchThreads(n_threads=2))
        assert _threads_in_tasks(client) == [2, 2]
    finally:
        client.register_plugin(sd.TorchThreads(n_threads=1))
    assert _threads_in_tasks(client) == [1, 1]


def test_torch_threads_plugin_checks_its_argument():
    with pytest.raises(TypeError, match="integer"):
        sd.TorchThreads(n_threads=1.5)
    with pytest.raises(ValueError, match="at least 1"):
        sd.TorchThreads(n_threads=0)
    assert repr(sd.TorchThreads()) == "TorchThreads(n_threads=1)"


def test_scoring_on_a_named_device(client, array_pipeline, coded_rows):
    X = da.from_array(coded_rows, chunks=(250, 6))
    np.testing.assert_array_equal(
        sd.score_samples(array_pipeline, X, device="cpu").compute(),
        array_pipeline.score_samples(coded_rows),
    )
    # The model on the client is left where it was.
    assert array_pipeline[-1].net_.device == "cpu"
    if torch.cuda.device_count() == 0:
        with pytest.raises(ValueError, match="CUDA is not available"):
            sd.score_samples(array_pipeline, X, device="cuda").compute()


def test_bad_input_is_named(array_pipeline, coded_rows):
    X = da.from_array(coded_rows, chunks=(250, 6))
    with pytest.raises(TypeError, match="dask.array.Array or a dask.dataframe"):
        sd.score_samples(array_pipeline, coded_rows)
    with pytest.raises(ValueError, match="2-D"):
        sd.score_samples(array_pipeline, X[:, 0])
    with pytest.raises(ValueError, match="has 5 features, but .* 6 features"):
        sd.score_samples(array_pipeline, X[:, :5])
    with pytest.raises(NotFittedError):
        sd.score_samples(AutoEncoderDetector(), X)
    with pytest.raises(ValueError, match="device must be"):
        sd.score_samples(array_pipeline, X, device="gpu")
    with pytest.raises(ValueError, match="n_reasons must be between 1 and"):
        sd.reason_codes(array_pipeline, X, n_reasons=0)
    forest = IsolationForest(random_state=0).fit(coded_rows)
    with pytest.raises(TypeError, match="splits over features"):
        sd.feature_contributions(forest, X)
    with pytest.raises(TypeError, match="needs a skfraud detector"):
        sd.score_samples(forest, X, device="cpu")
    np.testing.assert_array_equal(
        sd.score_samples(forest, X).compute(), forest.score_samples(coded_rows)
    )


def _cuda_model_state(model):
    detector = sd._on_device(model, "cuda")[-1]
    return detector.net_.device, next(detector.net_.module_.parameters()).is_cuda


@pytest.mark.gpu
@needs_cuda
def test_gpu_worker_scores_a_cpu_trained_model(array_pipeline, coded_rows):
    # One worker per GPU: dask-cuda's LocalCUDACluster where it is installed,
    # else one worker that sees the first GPU.
    try:
        from dask_cuda import LocalCUDACluster

        cluster = LocalCUDACluster(n_workers=1, dashboard_address=None)
    except ImportError:
        cluster = distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, dashboard_address=None
        )
    with cluster, distributed.Client(cluster) as gpu_client:
        X = da.from_array(coded_rows, chunks=(250, 6))
        scores = sd.score_samples(array_pipeline, X, device="cuda").compute()
        state = gpu_client.submit(_cuda_model_state, array_pipeline).result()
    assert state == ("cuda", True)
    np.testing.assert_allclose(
        scores, array_pipeline.score_samples(coded_rows), rtol=1e-5, atol=1e-7
    )
