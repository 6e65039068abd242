"""The demo: a fraud team's first hour, in three acts, on synthetic transactions.

1. **No labels.** The detector skfraud recommends for unlabelled rows
   against IsolationForest.
2. **A few confirmed frauds** among the training rows.
   :class:`~skfraud.ensemble.FewLabelDetector` against gradient boosting on
   the same labels (and IsolationForest, which needs none).
3. **The top alerts** of the best model, each with the features behind it.

Every model sits behind the same ``make_preprocessor()``, is fitted on the
same 70 % of the transactions and is evaluated on the other 30 %.
"""

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from skfraud._threshold import anomaly_scores
from skfraud.datasets import make_transactions
from skfraud.detectors import VAEDetector
from skfraud.ensemble import FewLabelDetector, RankAverageDetector
from skfraud.explain import reason_codes
from skfraud.metrics import precision_at_k
from skfraud.preprocessing import make_preprocessor

__all__ = ["format_alerts", "format_results", "run_demo"]

#: The detector the documentation recommends for unlabelled data, by the
#: suite's results at two row caps (``benchmarks/results/defaults_two_caps.md``):
#: the rank average of IsolationForest and :class:`~skfraud.VAEDetector`.
RECOMMENDED = "IsolationForest + VAEDetector"
#: The name of the VAE among its members: it explains act 3's alerts when
#: the best model has no per-feature score.
_EXPLAINING_MEMBER = "vae"
#: The few-label detector of act 2.
FEW_LABEL = "FewLabelDetector"
#: Gradient boosting on the same labels, act 2's yardstick.
CLASSIFIER = "HistGradientBoostingClassifier"
#: The alert budget of the recall column: this share of the test rows.
ALERT_BUDGET = 0.01
#: Act 3: this many alerts, each with this many reasons.
N_ALERTS, N_REASONS = 5, 3

_NO_LABELS = "no labels"


def _models(n_confirmed, random_state, max_epochs):
    """``(name, labels, estimator)`` of every model, act by act."""
    epochs = {} if max_epochs is None else {"max_epochs": max_epochs}
    few_label = FewLabelDetector(random_state=random_state)
    if max_epochs is not None:
        few_label.set_params(
            prenet__max_epochs=max_epochs, deep_sad__max_epochs=max_epochs
        )
    recommended = RankAverageDetector(
        [
            ("iforest", IsolationForest(random_state=random_state)),
            (_EXPLAINING_MEMBER, VAEDetector(random_state=random_state, **epochs)),
        ]
    )
    confirmed = f"{n_confirmed} confirmed"
    return [
        (RECOMMENDED, _NO_LABELS, recommended),
        ("IsolationForest", _NO_LABELS, IsolationForest(random_state=random_state)),
        (FEW_LABEL, confirmed, few_label),
        (
            CLASSIFIER,
            confirmed,
            HistGradientBoostingClassifier(random_state=random_state),
        ),
    ]


def _confirmed_frauds(y_train, n_confirmed, random_state):
    """y with ``n_confirmed`` of the training frauds marked 1, every other row 0."""
    frauds = np.flatnonzero(np.asarray(y_train) == 1)
    rng = np.random.default_rng(random_state)
    y_confirmed = np.zeros(len(y_train), dtype=np.int64)
    y_confirmed[rng.choice(frauds, min(n_confirmed, frauds.size), replace=False)] = 1
    return y_confirmed


def _recall_at_budget(y_test, scores):
    """Share of the test frauds among the top ``ALERT_BUDGET`` of the rows."""
    n_alerts = max(1, int(ALERT_BUDGET * len(y_test)))
    caught = precision_at_k(y_test, scores, n_alerts) * n_alerts
    return float(caught / np.sum(y_test))


def run_demo(
    *,
    n_samples=20000,
    n_confirmed=30,
    max_epochs=None,
    output_dir="skfraud_demo",
    random_state=0,
    plot=True,
):
    """Play the three acts on synthetic transactions and compare the models.

    The transactions come from :func:`skfraud.datasets.make_transactions`,
    split 70/30, stratified. Without labels, the recommended unsupervised
    detector (:data:`RECOMMENDED`) and IsolationForest learn from the
    training rows alone. With ``n_confirmed`` of the training frauds
    labelled (drawn with ``random_state``; every other training row counts
    as 0, as unconfirmed frauds do in a real case file),
    :class:`~skfraud.ensemble.FewLabelDetector` and gradient boosting learn
    from the same labels. Every model sits behind its own
    ``make_preprocessor()`` and is evaluated on the test rows, fraud the
    positive class. The best model's top alerts are then explained feature
    by feature.

    Parameters
    ----------
    n_samples : int, default=20000
        Transactions to generate.
    n_confirmed : int, default=30
        Training frauds labelled in act 2 (all of them, where fewer; at
        least 2).
    max_epochs : int or None, default=None
        Training epochs of every network; None keeps their defaults.
    output_dir : str or path, default="skfraud_demo"
        Folder, created if needed, where the precision-recall plot
        ``skfraud_demo_pr.png`` is written.
    random_state : int, default=0
        Seed of the data, the split, the confirmed frauds and the models.
    plot : bool, default=True
        Write the plot (needs matplotlib).

    Returns
    -------
    results : list of dict
        One row per model: ``detector``, ``labels`` (``"no labels"`` or how
        many confirmed frauds it learnt from), ``auprc``, ``roc_auc``,
        ``recall_at_1pct`` (recall among the 1 % highest-scored test rows),
        ``fit_seconds`` and ``score_rows_per_second``.
    alerts : DataFrame
        The :data:`N_ALERTS` test rows the best model (by AUPRC) scores
        highest, best first: the row's position in the test part
        (``test_row``), whether it is a fraud, and the :data:`N_REASONS`
        features behind it (``reason_1``...), from
        :func:`skfraud.explain.reason_codes` of the best model or, where it
        has no per-feature score, of the VAE in the recommended unsupervised
        detector (``explained_by`` says which).
    plot_path : Path or None
        The written plot.

    See Also
    --------
    format_results : The results as the text table that ``skfraud demo``
        prints.
    format_alerts : The alerts as ``skfraud demo`` prints them.

    Examples
    --------
    >>> from skfraud.demo import run_demo
    >>> results, alerts, plot_path = run_demo(
    ...     n_samples=1000, n_confirmed=10, max_epochs=2, plot=False)
    >>> [(row["detector"], row["labels"]) for row in results]
    [('IsolationForest + VAEDetector', 'no labels'),
     ('IsolationForest', 'no labels'),
     ('FewLabelDetector', '10 confirmed'),
     ('HistGradientBoostingClassifier', '10 confirmed')]
    >>> len(alerts), list(alerts.columns[-3:])
    (5, ['reason_1', 'reason_2', 'reason_3'])
    >>> print(plot_path)
    None
    """
    X, y = make_transactions(n_samples, random_state=random_state, return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=random_state
    )
    y_test = np.asarray(y_test)
    y_confirmed = _confirmed_frauds(y_train, n_confirmed, random_state)
    results, curves, fitted, test_scores = [], {}, {}, {}
    for name, labels, model in _models(
        int(y_confirmed.sum()), random_state, max_epochs
    ):
        pipeline = make_pipeline(make_preprocessor(), model)
        # One OpenMP thread for every model, as FewLabelDetector's members
        # and the networks (n_jobs=1) run: small trees' threads spin and lose
        # on shared cores, so the fit times compare the models, not the load.
        with threadpool_limits(limits=1, user_api="openmp"):
            start = time.perf_counter()
            if labels == _NO_LABELS:
                pipeline.fit(X_train)
            else:
                pipeline.fit(X_train, y_confirmed)
            fit_seconds = time.perf_counter() - start
            start = time.perf_counter()
            scores = anomaly_scores(pipeline, X_test)
            score_seconds = time.perf_counter() - start
        results.append(
            {
                "detector": name,
                "labels": labels,
                "auprc": average_precision_score(y_test, scores),
                "roc_auc": roc_auc_score(y_test, scores),
                "recall_at_1pct": _recall_at_budget(y_test, scores),
                "fit_seconds": fit_seconds,
                "score_rows_per_second": len(X_test) / score_seconds,
            }
        )
        curves[f"{name} ({labels})"] = precision_recall_curve(y_test, scores)[:2]
        fitted[name], test_scores[name] = pipeline, scores
    best = max(results, key=lambda row: row["auprc"])["detector"]
    alerts = _top_alerts(fitted, best, test_scores[best], X_test, y_test)
    plot_path = _plot(curves, np.mean(y_test), output_dir) if plot else None
    return results, alerts, plot_path


def _top_alerts(fitted, best, scores, X_test, y_test):
    """The best model's :data:`N_ALERTS` top test rows and their reasons."""
    top = np.argsort(-scores, kind="stable")[:N_ALERTS]
    explainer, pipeline = best, fitted[best]
    if not hasattr(pipeline[-1], "feature_contributions"):
        # The VAE inside the recommended rank average, behind the same
        # fitted preprocessing: its reconstruction splits over the features.
        recommended = fitted[RECOMMENDED]
        vae = dict(recommended[-1].estimators_)[_EXPLAINING_MEMBER]
        explainer, pipeline = "VAEDetector", make_pipeline(recommended[0], vae)
    reasons = reason_codes(pipeline, X_test.iloc[top], n_reasons=N_REASONS)
    alerts = pd.DataFrame(
        {
            "test_row": top,
            "fraud": y_test[top].astype(bool),
            "explained_by": explainer,
        }
    )
    for rank in range(1, N_REASONS + 1):
        alerts[f"reason_{rank}"] = reasons[f"reason_{rank}"].to_numpy()
    return alerts


def _plot(curves, fraud_rate, output_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for name, (precision, recall) in curves.items():
        ax.step(recall, precision, where="post", label=name)
    ax.axhline(fraud_rate, color="grey", linestyle=":", label="chance (fraud rate)")
    ax.set(xlabel="Recall (fraud caught)", ylabel="Precision (alerts that are fraud)")
    ax.set_title("Synthetic transactions: precision-recall on the test split")
    ax.legend(loc="upper right", fontsize="small")
    path = Path(output_dir) / "skfraud_demo_pr.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def format_results(results):
    """Format the demo's results as a fixed-width text table.

    Parameters
    ----------
    results : list of dict
        The rows returned by :func:`run_demo`.

    Returns
    -------
    table : str
        A header line, a rule and one line per model: the labels it learnt
        from, AUPRC, ROC-AUC, recall at a 1 % alert budget and fit seconds.

    Examples
    --------
    >>> from skfraud.demo import format_results
    >>> row = {"detector": "IsolationForest", "labels": "no labels",
    ...        "auprc": 0.5, "roc_auc": 0.9, "recall_at_1pct": 0.25,
    ...        "fit_seconds": 0.25}
    >>> print(format_results([row]))
    model                           labels        AUPRC  ROC-AUC  recall@1%  fit s
    ------------------------------------------------------------------------------
    IsolationForest                 no labels     0.500    0.900      0.250    0.2
    """
    header = (
        f"{'model':<32}{'labels':<12}{'AUPRC':>7}{'ROC-AUC':>9}"
        f"{'recall@1%':>11}{'fit s':>7}"
    )
    lines = [header, "-" * len(header)]
    for row in results:
        lines.append(
            f"{row['detector']:<32}{row['labels']:<12}{row['auprc']:>7.3f}"
            f"{row['roc_auc']:>9.3f}{row['recall_at_1pct']:>11.3f}"
            f"{row['fit_seconds']:>7.1f}"
        )
    return "\n".join(lines)


def format_alerts(alerts):
    """Format the demo's top alerts, one line each with its reasons.

    Parameters
    ----------
    alerts : DataFrame
        The alerts returned by :func:`run_demo`.

    Returns
    -------
    text : str
        One line per alert: its rank, test row, whether it is a fraud and
        its reasons, strongest first.

    Examples
    --------
    >>> import pandas as pd
    >>> from skfraud.demo import format_alerts
    >>> alerts = pd.DataFrame({"test_row": [17], "fraud": [True],
    ...     "explained_by": ["AutoEncoderDetector"], "reason_1": ["amount"],
    ...     "reason_2": ["hour"], "reason_3": ["country_XX"]})
    >>> print(format_alerts(alerts))
    1. test row 17 (fraud): amount, hour, country_XX
    """
    reasons = [column for column in alerts.columns if column.startswith("reason_")]
    return "\n".join(
        f"{rank}. test row {row.test_row} ({'fraud' if row.fraud else 'not fraud'}): "
        + ", ".join(str(getattr(row, column)) for column in reasons)
        for rank, row in enumerate(alerts.itertuples(index=False), start=1)
    )
