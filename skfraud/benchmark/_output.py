"""Writing a run to disk: the CSV of every run, the Markdown report, the plots."""

import importlib.util
from pathlib import Path

from skfraud.benchmark._report import markdown_report, summarise

__all__ = ["write_records", "write_results"]


def write_records(records, path):
    """Write the records (a DataFrame or a list of dicts) as CSV."""
    import pandas as pd

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(records).to_csv(path, index=False, float_format="%.6g")
    return path


def write_results(
    result, output_dir, *, name="benchmark", command, notes=None, plots=True
):
    """Write ``<name>.csv``, ``<name>.md`` and the plots in ``<name>_plots/``.

    Parameters
    ----------
    result : BenchmarkResult
    output_dir : str or Path
    name : str, default="benchmark"
        Stem of the file names.
    command : str
        The command that produced the run, quoted in the report.
    notes : str, default=None
        Text of the report's "Notes" section.
    plots : bool, default=True
        Draw the plots (skipped with a note when matplotlib is missing).

    Returns
    -------
    paths : dict
        ``"csv"``, ``"markdown"`` and ``"plots"`` (a list) to the written files.
    """
    from skfraud.benchmark._plots import plot_auprc, plot_precision_recall

    output_dir = Path(output_dir)
    paths = {"csv": write_records(result.records, output_dir / f"{name}.csv")}
    written = []
    if plots and importlib.util.find_spec("matplotlib") is None:
        result.skipped.append("plots: skipped, matplotlib is not installed")
    elif plots and not result.records.empty:
        folder = output_dir / f"{name}_plots"
        summary = summarise(result.records)
        written.append(
            ("AUPRC of every model", plot_auprc(summary, folder / "auprc.png"))
        )
        for dataset in result.settings["datasets"]:
            if any(key[0] == dataset for key in result.curves):
                path = folder / f"pr_{dataset}.png"
                plot_precision_recall(result.curves, dataset, path)
                written.append((f"Precision-recall curves, {dataset}", path))
    links = [
        (title, path.relative_to(output_dir).as_posix()) for title, path in written
    ]
    text = markdown_report(result, command=command, notes=notes, plots=links)
    markdown = output_dir / f"{name}.md"
    markdown.write_text(text, encoding="utf-8")
    paths.update(markdown=markdown, plots=[path for _, path in written])
    return paths
