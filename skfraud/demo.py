"""The demo: deep detectors against IsolationForest on synthetic transactions."""

import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skfraud.datasets import make_transactions
from skfraud.detectors import AutoEncoderDetector, VAEDetector
from skfraud.metrics import anomaly_score
from skfraud.preprocessing import make_preprocessor

__all__ = ["format_results", "run_demo"]


#: The detector the documentation recommends first for unlabelled data, by
#: the suite's results (``benchmarks/results/suite_all.md``).
RECOMMENDED = "AutoEncoderDetector"


def _detectors(random_state, max_epochs):
    epochs = {} if max_epochs is None else {"max_epochs": max_epochs}
    return {
        "AutoEncoderDetector": AutoEncoderDetector(random_state=random_state, **epochs),
        "VAEDetector": VAEDetector(random_state=random_state, **epochs),
        "IsolationForest": IsolationForest(random_state=random_state),
    }


def run_demo(
    *,
    n_samples=20000,
    max_epochs=None,
    output_dir="skfraud_demo",
    random_state=0,
    plot=True,
):
    """Fit each detector in a Pipeline on synthetic transactions and compare them.

    The transactions come from :func:`skfraud.datasets.make_transactions`.
    Every detector is trained without labels on a stratified 70 % split,
    behind the same ``make_preprocessor()`` (one-hot categorical columns,
    min-max numeric ones), and evaluated on the other 30 % with fraud as the
    positive class.

    Parameters
    ----------
    n_samples : int, default=20000
        Transactions to generate.
    max_epochs : int or None, default=None
        Training epochs of the deep detectors; None keeps their defaults.
    output_dir : str or path, default="skfraud_demo"
        Folder, created if needed, where the precision-recall plot
        ``skfraud_demo_pr.png`` is written.
    random_state : int, default=0
        Seed of the data, the split and the detectors.
    plot : bool, default=True
        Write the plot (needs matplotlib).

    Returns
    -------
    results : list of dict
        One row per detector: ``detector``, ``auprc``, ``roc_auc``,
        ``fit_seconds``, ``score_rows_per_second``.
    plot_path : Path or None
        The written plot.

    See Also
    --------
    format_results : The results as the text table that ``skfraud demo``
        prints.

    Examples
    --------
    >>> from skfraud.demo import run_demo
    >>> results, plot_path = run_demo(n_samples=1000, max_epochs=2, plot=False)
    >>> [row["detector"] for row in results]
    ['AutoEncoderDetector', 'VAEDetector', 'IsolationForest']
    >>> print(plot_path)
    None
    """
    X, y = make_transactions(n_samples, random_state=random_state, return_X_y=True)
    X_train, X_test, _, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=random_state
    )
    results, curves = [], {}
    for name, detector in _detectors(random_state, max_epochs).items():
        pipeline = make_pipeline(make_preprocessor(), detector)
        start = time.perf_counter()
        pipeline.fit(X_train)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        scores = anomaly_score(pipeline, X_test)
        score_seconds = time.perf_counter() - start
        results.append(
            {
                "detector": name,
                "auprc": average_precision_score(y_test, scores),
                "roc_auc": roc_auc_score(y_test, scores),
                "fit_seconds": fit_seconds,
                "score_rows_per_second": len(X_test) / score_seconds,
            }
        )
        curves[name] = precision_recall_curve(y_test, scores)[:2]
    plot_path = _plot(curves, np.mean(y_test), output_dir) if plot else None
    return results, plot_path


def _plot(curves, fraud_rate, output_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name, (precision, recall) in curves.items():
        ax.step(recall, precision, where="post", label=name)
    ax.axhline(fraud_rate, color="grey", linestyle=":", label="chance (fraud rate)")
    ax.set(xlabel="Recall (fraud caught)", ylabel="Precision (alerts that are fraud)")
    ax.set_title("Synthetic transactions: precision-recall on the test split")
    ax.legend(loc="upper right")
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
        A header line, a rule and one line per detector: AUPRC, ROC-AUC, fit
        seconds and scoring rows per second.

    Examples
    --------
    >>> from skfraud.demo import format_results
    >>> row = {"detector": "IsolationForest", "auprc": 0.5, "roc_auc": 0.9,
    ...        "fit_seconds": 0.25, "score_rows_per_second": 123456.0}
    >>> print(format_results([row]))
    detector                 AUPRC  ROC-AUC   fit s     rows/s
    ----------------------------------------------------------
    IsolationForest          0.500    0.900     0.2    123,456
    """
    header = f"{'detector':<22}{'AUPRC':>8}{'ROC-AUC':>9}{'fit s':>8}{'rows/s':>11}"
    lines = [header, "-" * len(header)]
    for row in results:
        lines.append(
            f"{row['detector']:<22}{row['auprc']:>8.3f}{row['roc_auc']:>9.3f}"
            f"{row['fit_seconds']:>8.1f}{row['score_rows_per_second']:>11,.0f}"
        )
    return "\n".join(lines)
