"""The detectors inside scikit-learn's model-selection and pipeline tools."""

import re
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.ensemble import IsolationForest
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline

from skfraud import AutoEncoderDetector, VAEDetector
from skfraud.cli import main
from skfraud.datasets import make_transactions
from skfraud.demo import RECOMMENDED
from skfraud.metrics import anomaly_score, get_anomaly_scorer
from skfraud.preprocessing import make_preprocessor

FAST = {"max_epochs": 5, "random_state": 0}


@pytest.fixture(scope="module")
def transactions():
    return make_transactions(3000, fraud_rate=0.05, random_state=0, return_X_y=True)


def test_grid_search_over_latent_dim_with_the_anomaly_scorer(transactions):
    X, y = transactions
    pipeline = make_pipeline(make_preprocessor(), AutoEncoderDetector(**FAST))
    search = GridSearchCV(
        pipeline,
        {"autoencoderdetector__latent_dim": [1, 8]},
        scoring=get_anomaly_scorer("average_precision"),
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.all((scores > 0) & (scores <= 1))
    assert scores[0] != scores[1]  # the parameter reaches the network
    assert search.best_params_["autoencoderdetector__latent_dim"] in (1, 8)
    best = search.best_estimator_[-1]
    assert best.net_.module_.encoder[-1].out_features == best.latent_dim


def test_cross_validate_against_isolation_forest(transactions):
    X, y = transactions
    scoring = {
        "auprc": get_anomaly_scorer("average_precision"),
        "roc_auc": get_anomaly_scorer("roc_auc"),
    }
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    for detector in (VAEDetector(**FAST), IsolationForest(random_state=0)):
        result = cross_validate(
            make_pipeline(make_preprocessor(), detector), X, y, scoring=scoring, cv=cv
        )
        fraud_rate = y.mean()
        # Both clearly beat chance on the planted fraud patterns.
        assert result["test_auprc"].mean() > 2 * fraud_rate
        assert result["test_roc_auc"].mean() > 0.6


@pytest.mark.slow
def test_sparse_one_hot_pipeline_on_vehicle_insurance(vehicle_insurance):
    X, y = vehicle_insurance
    X, y = X.iloc[:4000], y.iloc[:4000]
    sparse_pipeline = make_pipeline(
        make_preprocessor(sparse_threshold=1.0), AutoEncoderDetector(**FAST)
    )
    dense_pipeline = make_pipeline(
        make_preprocessor(sparse_output=False), AutoEncoderDetector(**FAST)
    )
    sparse_pipeline.fit(X)
    dense_pipeline.fit(X)
    encoded = sparse_pipeline[0].transform(X)
    assert sp.issparse(encoded) and encoded.shape[1] > 100
    sparse_scores = anomaly_score(sparse_pipeline, X)
    assert np.all(np.isfinite(sparse_scores))
    np.testing.assert_allclose(
        sparse_scores, anomaly_score(dense_pipeline, X), rtol=1e-4
    )
    assert set(sparse_pipeline.predict(X)) <= {-1, 1}
    refit = clone(sparse_pipeline).fit(X)
    np.testing.assert_array_equal(anomaly_score(refit, X), sparse_scores)


@pytest.mark.slow
def test_demo_acts_rank_the_models_as_it_says(tmp_path, capsys):
    # A sample of 5,000 transactions: 3,500 to fit, 70 frauds among them, of
    # which 30 are confirmed. The ranking comes out of the run.
    command = ["demo", "--n-samples", "5000", "--max-epochs", "5"]
    status = main([*command, "--output-dir", str(tmp_path)])
    output = capsys.readouterr().out
    assert status == 0
    auprc = {}
    for name in (
        RECOMMENDED,
        "IsolationForest",
        "FewLabelDetector",
        "HistGradientBoostingClassifier",
    ):
        row = re.search(
            rf"^{re.escape(name)}\s+(no labels|30 confirmed)"
            r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
            output,
            re.MULTILINE,
        )
        assert row is not None, name
        auprc[name] = float(row.group(2))
        assert 0 < auprc[name] <= 1 and 0 <= float(row.group(4)) <= 1
    # Act 2's claim: the few-label detector ahead of gradient boosting on the
    # same labels and of IsolationForest without them.
    assert max(auprc, key=auprc.get) == "FewLabelDetector"
    assert "FewLabelDetector leads" in output
    alerts = re.findall(r"^\d\. test row \d+ \((?:not )?fraud\): (.+)$", output, re.M)
    assert len(alerts) == 5 and all(len(a.split(", ")) == 3 for a in alerts)
    plot = tmp_path / "skfraud_demo_pr.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_readme_example_runs(capsys):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    auprc = {line.split()[0]: float(line.split()[-1]) for line in printed}
    assert list(auprc) == ["FewLabelDetector", "GradientBoosting", "IsolationForest"]
    assert all(0 < value <= 1 for value in auprc.values())
    # What the README's table says of a few confirmed frauds holds here.
    assert auprc["FewLabelDetector"] > max(
        auprc["GradientBoosting"], auprc["IsolationForest"]
    )
