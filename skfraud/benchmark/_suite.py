"""The suite report: mean scores, average ranks and wins over many data sets.

Defaults are judged on a suite of data sets rather than on one: per
protocol, each model's mean AUPRC and ROC-AUC over the data sets, its
average rank (ranked by AUPRC on each data set) and its wins against the
reference peers: IsolationForest and kNN, and, in the few-label protocols,
the gradient-boosting classifier trained on the same labels.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from skfraud.benchmark._output import write_records
from skfraud.benchmark._report import (
    markdown_table,
    report_header,
    skipped_and_failed,
    with_run_params,
)

__all__ = [
    "REFERENCES",
    "SUITE_PEERS",
    "SUITE_PROTOCOLS",
    "average_ranks",
    "dataset_scores",
    "suite_report",
    "suite_summary",
    "win_counts",
    "write_suite_results",
]

SUITE_PEERS = (
    "IsolationForest",
    "kNN",
    "LocalOutlierFactor",
    "PyOD AutoEncoder",
    "PyOD VAE",
    "PyOD DeepSVDD",
)
SUITE_PROTOCOLS = ("clean", "unsupervised")
REFERENCES = ("IsolationForest", "kNN", "HistGradientBoostingClassifier")
NON_FINITE = "non-finite anomaly scores"


def _errors(records):
    errors = records["error"]
    return errors.where(errors.notna(), "").astype(str)


def dataset_scores(records, metric="auprc"):
    """Mean of ``metric`` over seeds, one row per data set, one column per model.

    Failed runs are left out of the mean; a model whose every run failed on
    a data set gets NaN there.

    Parameters
    ----------
    records : DataFrame
        Records of one protocol (``dataset``, ``model``, ``metric``,
        ``error``).
    metric : str, default="auprc"

    Returns
    -------
    table : DataFrame
        Data sets and models in their first order in ``records``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skfraud.benchmark import dataset_scores
    >>> records = pd.DataFrame({
    ...     "dataset": ["a", "a", "a"], "model": ["m", "m", "n"],
    ...     "auprc": [0.4, 0.6, float("nan")], "error": ["", "", "ValueError"]})
    >>> dataset_scores(records)
    model    m   n
    dataset
    a      0.5 NaN
    """
    ok = records[_errors(records) == ""]
    table = ok.pivot_table(index="dataset", columns="model", values=metric)
    datasets = list(dict.fromkeys(records["dataset"]))
    models = list(dict.fromkeys(records["model"]))
    return table.reindex(index=datasets, columns=models)


def average_ranks(table):
    """Mean over data sets of each model's rank (1 = highest score).

    Ties share the mean of their ranks; a model without a result on a data
    set (NaN) ranks behind every model with one.

    Parameters
    ----------
    table : DataFrame
        Scores, one row per data set, one column per model.

    Returns
    -------
    ranks : Series
        One value per model.

    Examples
    --------
    >>> import pandas as pd
    >>> from skfraud.benchmark import average_ranks
    >>> table = pd.DataFrame({"m": [0.9, 0.5], "n": [0.9, 0.7], "o": [0.1, 0.6]})
    >>> average_ranks(table)
    m    2.25
    n    1.25
    o    2.50
    dtype: float64
    """
    ranks = table.fillna(-np.inf).rank(axis=1, ascending=False, method="average")
    return ranks.mean(axis=0)


def win_counts(table, reference):
    """Data sets on which each model scores above, level with, below ``reference``.

    A model without a result on a data set (NaN) loses it, unless the
    reference has none either (a tie).

    Parameters
    ----------
    table : DataFrame
        Scores, one row per data set, one column per model.
    reference : str
        The column compared against.

    Returns
    -------
    counts : DataFrame
        ``wins``, ``ties`` and ``losses``, one row per model.

    Examples
    --------
    >>> import pandas as pd
    >>> from skfraud.benchmark import win_counts
    >>> table = pd.DataFrame({"ref": [0.5, 0.5, 0.5], "m": [0.6, 0.5, 0.4]})
    >>> win_counts(table, "ref").loc["m"].tolist()
    [1, 1, 1]
    """
    scores = table.fillna(-np.inf)
    ahead = scores.gt(scores[reference], axis=0).sum()
    level = scores.eq(scores[reference], axis=0).sum()
    behind = scores.lt(scores[reference], axis=0).sum()
    return pd.DataFrame({"wins": ahead, "ties": level, "losses": behind})


def suite_summary(records, references=REFERENCES):
    """One row per model of one protocol: the suite's headline figures.

    Parameters
    ----------
    records : DataFrame
        Records of one protocol.
    references : sequence of str, default=REFERENCES
        Models that every model's wins are counted against (those present):
        IsolationForest, kNN and HistGradientBoostingClassifier.

    Returns
    -------
    summary : DataFrame
        ``auprc`` and ``roc_auc`` (mean over the data sets where the model
        has a result), ``rank`` (:func:`average_ranks` on AUPRC),
        ``datasets`` (with a result), ``runs``, ``failed`` (runs that
        raised), ``non_finite`` (runs whose scores had NaN or inf) and
        ``vs <reference>`` as ``"wins-ties-losses"``; sorted by rank.
    """
    auprc = dataset_scores(records, "auprc")
    roc_auc = dataset_scores(records, "roc_auc")
    errors = _errors(records)
    grouped = records.assign(error=errors).groupby("model", sort=False)["error"]
    summary = pd.DataFrame(
        {
            "auprc": auprc.mean(axis=0),
            "roc_auc": roc_auc.mean(axis=0),
            "rank": average_ranks(auprc),
            "datasets": auprc.notna().sum(axis=0),
            "runs": grouped.size(),
            "failed": grouped.apply(
                lambda e: int(((e != "") & (e != NON_FINITE)).sum())
            ),
            "non_finite": grouped.apply(lambda e: int((e == NON_FINITE).sum())),
        }
    )
    for reference in references:
        if reference in auprc.columns:
            counts = win_counts(auprc, reference)
            summary[f"vs {reference}"] = [
                "" if model == reference else f"{w}-{t}-{loss}"
                for model, (w, t, loss) in zip(
                    counts.index, counts.to_numpy(), strict=True
                )
            ]
    summary.index.name = "model"
    return summary.sort_values("rank", kind="stable")


def _headline(summary):
    references = [c for c in summary.columns if c.startswith("vs ")]
    header = [
        "model",
        "mean AUPRC",
        "mean ROC-AUC",
        "average rank",
        *(f"{c} (W-T-L)" for c in references),
        "data sets",
        "failed runs",
        "non-finite runs",
    ]
    rows = [
        [
            model,
            f"{row['auprc']:.3f}",
            f"{row['roc_auc']:.3f}",
            f"{row['rank']:.2f}",
            *(row[c] or "—" for c in references),
            # Without a reference column the row is all numbers, cast to float.
            int(row["datasets"]),
            int(row["failed"]),
            int(row["non_finite"]),
        ]
        for model, row in summary.iterrows()
    ]
    return markdown_table(header, rows)


def _per_dataset(table):
    rows = []
    for dataset, scores in table.iterrows():
        best = scores.max()
        cells = [
            "failed"
            if np.isnan(value)
            else (f"**{value:.3f}**" if value == best else f"{value:.3f}")
            for value in scores
        ]
        rows.append([dataset, *cells])
    return markdown_table(["data set", *table.columns], rows)


@with_run_params
def suite_report(result, *, command, machine=None, notes=None):
    """The Markdown report of a suite run.

    Parameters
    ----------
    %(run_params)s
    notes : str, default=None
        Text for a "Notes" section.

    Returns
    -------
    text : str
    """
    records = result.records
    lines = [
        *report_header(
            "skfraud suite: detector defaults on many data sets",
            result,
            command,
            machine,
        ),
        f"Data: {len(result.settings['datasets'])} sets, "
        + ", ".join(f"`{name}`" for name in result.settings["datasets"])
        + ".",
        "",
        "Each seed draws the subsample (for sets above the row cap) and a "
        "stratified 70/30 split; **clean** trains on the normal rows of the 70 % "
        "part, **unsupervised** on all of it; both test on the 30 % part. "
        "Min-max scaling is fitted on the training rows (test rows are not "
        "clipped, so rows beyond the training range keep their distance). "
        "AUPRC and ROC-AUC are averaged over seeds per data set, then over data "
        "sets. The average rank ranks the models by AUPRC on each data set "
        "(1 = best, ties share their mean rank, a model without a result ranks "
        "last). W-T-L: data sets on which a model's AUPRC is above, level with "
        "or below the reference's. Failed runs are left out of the means and "
        "listed at the end.",
        "",
    ]
    if any(p.startswith("few-label") for p in result.settings["protocols"]):
        lines += [
            "**few-label** (30 labelled anomalies) and **few-label-5** (5) "
            "train on all of the 70 % part with only that many of its "
            "anomalies labelled (all of them where it has fewer) and every "
            "other row counted as 0; the wins are counted against "
            "HistGradientBoostingClassifier trained on the same labels.",
            "",
        ]
    if notes:
        lines += ["## Notes", "", notes.strip(), ""]
    for protocol in result.settings["protocols"]:
        part = records[records["protocol"] == protocol]
        if part.empty:
            continue
        lines += [
            f"## {protocol}",
            "",
            _headline(suite_summary(part)),
            "",
            f"### {protocol}: AUPRC per data set (mean over seeds)",
            "",
            _per_dataset(dataset_scores(part)),
            "",
        ]
    errors = _errors(records)
    lines += skipped_and_failed(result.skipped, records[errors != ""])
    return "\n".join(lines)


def write_suite_results(
    result, output_dir, *, name="suite", command, notes=None, plots=False
):
    """Write ``<name>.csv`` and the suite report ``<name>.md``.

    Parameters
    ----------
    result : BenchmarkResult
    output_dir : str or Path
    name : str, default="suite"
    command : str
    notes : str, default=None
    plots : bool, default=False
        Unused: the suite report has no plots.

    Returns
    -------
    paths : dict
        ``"csv"``, ``"markdown"`` and ``"plots"`` (empty).
    """
    output_dir = Path(output_dir)
    csv = write_records(result.records, output_dir / f"{name}.csv")
    markdown = output_dir / f"{name}.md"
    markdown.write_text(
        suite_report(result, command=command, notes=notes), encoding="utf-8"
    )
    return {"csv": csv, "markdown": markdown, "plots": []}
