"""The benchmark's tables: mean ± standard deviation over seeds, in Markdown."""

import os
import platform
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pandas as pd

from skfraud.benchmark._models import SKFRAUD_MODELS
from skfraud.benchmark._peers import PEERS
from skfraud.benchmark._protocols import PROTOCOLS

__all__ = [
    "blocks",
    "counterpart_table",
    "describe_machine",
    "failed",
    "format_mean_std",
    "headline_table",
    "markdown_report",
    "markdown_table",
    "summarise",
]

# Column of the records, header in the tables, number format.
COLUMNS = (
    ("auprc", "AUPRC", ".3f"),
    ("roc_auc", "ROC-AUC", ".3f"),
    ("precision", "precision", ".3f"),
    ("recall", "recall", ".3f"),
    ("f1", "F1", ".3f"),
    ("fit_seconds", "fit s", ".1f"),
    ("score_rows_per_second", "score rows/s", ",.0f"),
)
MODEL_ORDER = {name: i for i, name in enumerate([*SKFRAUD_MODELS, *PEERS])}


def format_mean_std(values, fmt=".3f"):
    """``"mean ± std"`` of the finite values, with the sample standard deviation.

    Parameters
    ----------
    values : array-like of float
        One value per seed; NaN (a failed run) is left out.
    fmt : str, default=".3f"
        Format specification of both numbers.

    Returns
    -------
    text : str
        ``"n/a"`` without a finite value, the mean alone with one value.

    Examples
    --------
    >>> from skfraud.benchmark import format_mean_std
    >>> format_mean_std([0.5, 0.7])
    '0.600 ± 0.141'
    >>> format_mean_std([1200.0, 1800.0], fmt=",.0f")
    '1,500 ± 424'
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return "n/a"
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{format(values.mean(), fmt)} ± {format(values.std(ddof=1), fmt)}"


def failed(records):
    """Boolean Series: the records of failed runs (a non-empty ``error``).

    Works on records read back from the CSV, where an empty error is NaN.
    """
    errors = records["error"]
    return errors.notna() & (errors.astype(str) != "")


def summarise(records):
    """Mean and standard deviation of every metric per data set, protocol and model.

    Parameters
    ----------
    records : DataFrame
        The records of :func:`skfraud.benchmark.run_benchmark`.

    Returns
    -------
    summary : DataFrame
        One row per data set, protocol and model, in the order of the run
        (skfraud's detectors first): ``runs``, ``failed``, ``<metric>_mean``
        and a ``<metric>`` column with the ``"mean ± std"`` text.
    """
    rows = []
    groups = records.groupby(["dataset", "protocol", "model"], sort=False)
    for (dataset, protocol, model), group in groups:
        ok = group[~failed(group)]
        row = {
            "dataset": dataset,
            "protocol": protocol,
            "model": model,
            "family": group["family"].iloc[0],
            "runs": len(group),
            "failed": len(group) - len(ok),
        }
        for column, _, fmt in COLUMNS:
            row[f"{column}_mean"] = ok[column].mean() if len(ok) else np.nan
            row[column] = format_mean_std(ok[column], fmt)
        rows.append(row)
    summary = pd.DataFrame(rows)
    summary["order"] = summary["model"].map(MODEL_ORDER).fillna(len(MODEL_ORDER))
    position = {block: i for i, block in enumerate(blocks(summary))}
    summary["block"] = [
        position[block]
        for block in zip(summary["dataset"], summary["protocol"], strict=True)
    ]
    summary = summary.sort_values(["block", "order"], kind="stable")
    return summary.drop(columns=["order", "block"]).reset_index(drop=True)


def blocks(frame):
    """The ``(dataset, protocol)`` pairs of ``frame``, in their first order."""
    pairs = zip(frame["dataset"], frame["protocol"], strict=True)
    return list(dict.fromkeys(pairs))


def markdown_table(header, rows):
    """A Markdown table from a header and rows of cells."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _best(block, family):
    part = block[block["family"] == family]
    return part.iloc[part["auprc_mean"].to_numpy().argmax()]


def _comparison(ours, theirs):
    """The cells comparing two summary rows: each model and AUPRC, the verdict."""
    difference = ours["auprc_mean"] - theirs["auprc_mean"]
    if abs(difference) < 5e-4:
        verdict = "level (< 0.001 apart)"
    elif difference > 0:
        verdict = f"skfraud ahead by {difference:.3f}"
    else:
        verdict = f"**skfraud behind by {-difference:.3f}**"
    return [ours["model"], ours["auprc"], theirs["model"], theirs["auprc"], verdict]


def _comparison_table(summary, pairs, header):
    rows = []
    finished = summary[summary["auprc_mean"].notna()]
    for (dataset, protocol), block in finished.groupby(
        ["dataset", "protocol"], sort=False
    ):
        for ours, theirs in pairs(block.set_index("model", drop=False)):
            rows.append([dataset, protocol, *_comparison(ours, theirs)])
    return markdown_table(["data", "protocol", *header], rows) if rows else None


def _best_of_each_family(block):
    if {"skfraud", "peer"} <= set(block["family"]):
        yield _best(block, "skfraud"), _best(block, "peer")


def _counterparts(block):
    for name, spec in SKFRAUD_MODELS.items():
        if {name, spec.counterpart} <= set(block.index):
            yield block.loc[name], block.loc[spec.counterpart]


def headline_table(summary):
    """Markdown table: the best skfraud detector against the best peer.

    One row per data set and protocol where both ran, from the
    :func:`summarise` table; rows where skfraud is behind say so in bold.
    """
    header = ["best skfraud", "AUPRC", "best peer", "AUPRC", "difference of means"]
    return _comparison_table(summary, _best_of_each_family, header)


def counterpart_table(summary):
    """Markdown table: each skfraud detector against its PyOD counterpart.

    One row per data set, protocol and detector whose counterpart ran, from
    the :func:`summarise` table; None when there is none.
    """
    header = ["skfraud", "AUPRC", "PyOD", "AUPRC", "difference"]
    return _comparison_table(summary, _counterparts, header)


def results_table(summary, dataset):
    """Every model on one data set, the best AUPRC of each protocol in bold."""
    rows = []
    for _, block in summary[summary["dataset"] == dataset].groupby(
        "protocol", sort=False
    ):
        best = block["auprc_mean"].max()
        for _, row in block.iterrows():
            cells = [row[column] for column, _, _ in COLUMNS]
            if row["auprc_mean"] == best:
                cells[0] = f"**{cells[0]}**"
            failed = f" ({row['failed']} failed)" if row["failed"] else ""
            rows.append([row["protocol"], f"{row['model']}{failed}", *cells])
    header = ["protocol", "model", *(title for _, title, _ in COLUMNS)]
    return markdown_table(header, rows)


def _package_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe_machine():
    """One line on the hardware and the versions that produced the results."""
    import torch

    memory = ""
    try:
        import psutil

        memory = f", {psutil.virtual_memory().total / 2**30:.0f} GiB RAM"
    except ImportError:
        pass
    accelerator = (
        torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    )
    return (
        f"{_cpu_model()}, {os.cpu_count()} CPU cores{memory}, {accelerator}; "
        f"{platform.system()}, Python {platform.python_version()}, torch "
        f"{torch.__version__} ({torch.get_num_threads()} thread(s)), scikit-learn "
        f"{_package_version('scikit-learn')}, skorch {_package_version('skorch')}, "
        f"pyod {_package_version('pyod')}."
    )


def _run_line(result):
    settings = result.settings
    seeds = settings["seeds"]
    text = f"{len(seeds)} seed(s) ({', '.join(map(str, seeds))})"
    max_rows = settings["max_rows"]
    if max_rows:
        bigger = [
            f"{name} ({size:,} rows)"
            for name, (size, _) in settings["sizes"].items()
            if size > max_rows
        ]
        if bigger:
            text += (
                f"; subsampled to {max_rows:,} rows (stratified, a new subsample "
                f"per seed): {', '.join(bigger)}"
            )
    if settings["max_epochs"]:
        text += f"; every deep model capped at {settings['max_epochs']} epochs"
    return f"{text}; total {result.seconds / 60:.1f} min."


def report_header(title, result, command, machine):
    """The first lines of a run's report: its title, command, machine and run."""
    return [
        f"# {title}",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {machine or describe_machine()}",
        "",
        f"Run: {_run_line(result)}",
        "",
    ]


# The parameters every report of a run takes, documented once.
_RUN_PARAMS = """result : BenchmarkResult
    command : str
        The command that produced the run.
    machine : str, default=None
        The machine; :func:`describe_machine` when None."""


def with_run_params(func):
    """Write the run's parameters in place of ``%(run_params)s`` in a docstring."""
    func.__doc__ = func.__doc__.replace("%(run_params)s", _RUN_PARAMS)
    return func


@with_run_params
def markdown_report(result, *, command, machine=None, notes=None, plots=()):
    """The Markdown report of a run.

    Parameters
    ----------
    %(run_params)s
    notes : str, default=None
        Text for a "Notes" section (what the numbers mean, where skfraud
        loses and why).
    plots : sequence of (str, str), default=()
        ``(title, relative path)`` of each plot.

    Returns
    -------
    text : str
    """
    summary = summarise(result.records)
    settings = result.settings
    lines = [
        *report_header(
            "skfraud benchmark: deep detectors against their peers",
            result,
            command,
            machine,
        ),
        "Data:",
        "",
        *(f"- `{name}`: {text}" for name, text in settings["summaries"].items()),
        "",
        "Protocols:",
        "",
        *(f"- **{name}**: {PROTOCOLS[name].summary}" for name in settings["protocols"]),
        "",
        "Every model, skfraud's and the peers (default parameters), gets the "
        "same preprocessed rows: one-hot categorical and min-max numeric "
        "columns, fitted on the rows the models learn from (the DAGMM KDD file "
        "as it is). AUPRC (average precision) and ROC-AUC rank the test rows "
        "by anomaly score, anomaly = positive class. Precision, recall and F1 "
        "count the test rows among the top rho of all rows' scores (training "
        "and test parts together), rho being the training part's anomaly share "
        "(the paper's value under the paper protocol): no threshold is tuned on "
        "test labels. Fit seconds are wall clock; score rows/s is one pass over "
        "every row of the run. Mean ± sample standard deviation over seeds.",
        "",
        "## Best skfraud detector against the best peer (AUPRC)",
        "",
        headline_table(summary) or "No run has both a skfraud detector and a peer.",
        "",
    ]
    counterparts = counterpart_table(summary)
    if counterparts is not None:
        lines += [
            "## Each skfraud detector against its PyOD counterpart (AUPRC)",
            "",
            counterparts,
            "",
        ]
    if notes:
        lines += ["## Notes", "", notes.strip(), ""]
    lines += ["## All results", ""]
    for dataset in settings["datasets"]:
        if dataset in set(summary["dataset"]):
            lines += [f"### {dataset}", "", results_table(summary, dataset), ""]
    lines += skipped_and_failed(result.skipped, result.records[failed(result.records)])
    if plots:
        lines += ["## Plots", ""]
        lines += [f"![{title}]({path})" for title, path in plots]
        lines.append("")
    return "\n".join(lines)


def skipped_and_failed(skipped, failures):
    """The report's "Skipped and failed runs" section, as lines; none without any.

    Parameters
    ----------
    skipped : list of str
        Notes of the models that did not run.
    failures : DataFrame
        The records of the runs that failed.
    """
    if not skipped and failures.empty:
        return []
    lines = ["## Skipped and failed runs", ""]
    lines += [f"- {note}" for note in skipped]
    lines += [
        f"- {row.model} failed on {row.dataset} ({row.protocol}, seed "
        f"{row.seed}): {row.error}"
        for row in failures.itertuples()
    ]
    return [*lines, ""]
