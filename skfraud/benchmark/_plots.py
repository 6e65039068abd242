"""The benchmark's figures: AUPRC of every model, precision-recall curves."""

import io
from pathlib import Path

import numpy as np

from skfraud.benchmark._models import SKFRAUD_MODELS
from skfraud.benchmark._report import MODEL_ORDER, blocks
from skfraud.plotting import AnomalyPrecisionRecallDisplay

__all__ = ["plot_auprc", "plot_precision_recall"]

DPI = 72


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_auprc(summary, path):
    """Heat map of the mean AUPRC: a row per model, a column per data set and protocol.

    Parameters
    ----------
    summary : DataFrame
        From :func:`skfraud.benchmark.summarise`.
    path : str or Path
        Where the PNG goes.

    Returns
    -------
    path : Path
    """
    plt = _pyplot()
    table = summary.pivot_table(
        index="model", columns=["dataset", "protocol"], values="auprc_mean", sort=False
    )
    models = list(dict.fromkeys(summary["model"]))
    table = table.reindex(models)
    columns = blocks(summary)
    table = table[columns]
    width = 2.5 + 0.55 * len(columns)
    fig, ax = plt.subplots(figsize=(width, 1.2 + 0.32 * len(models)))
    image = ax.imshow(table.to_numpy(), vmin=0, vmax=1, cmap="viridis", aspect="auto")
    for (i, j), value in np.ndenumerate(table.to_numpy()):
        if np.isfinite(value):
            color = "black" if value > 0.6 else "white"
            ax.text(
                j, i, f"{value:.2f}", ha="center", va="center", fontsize=6, color=color
            )
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([f"{d}\n{p}" for d, p in columns], fontsize=6, rotation=90)
    ax.set_yticks(range(len(models)))
    ax.set_yticklabels(models, fontsize=7)
    ax.set_title("Mean test AUPRC over seeds", fontsize=9)
    fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    return _save(fig, path)


def plot_precision_recall(curves, dataset, path):
    """Precision-recall curves of the first seed on one data set, a panel per protocol.

    Parameters
    ----------
    curves : dict
        ``(dataset, protocol, model)`` to ``(y_test, anomaly_scores)``, from
        :class:`skfraud.benchmark.BenchmarkResult`.
    dataset : str
    path : str or Path

    Returns
    -------
    path : Path
    """
    plt = _pyplot()
    protocols = list(dict.fromkeys(p for d, p, _ in curves if d == dataset))
    n_columns = min(2, len(protocols))
    n_rows = -(-len(protocols) // n_columns)
    fig, axes = plt.subplots(
        n_rows, n_columns, figsize=(5 * n_columns, 3.8 * n_rows), squeeze=False
    )
    for ax, protocol in zip(axes.flat, protocols, strict=False):
        for (d, p, model), (y_test, scores) in curves.items():
            if (d, p) != (dataset, protocol):
                continue
            peer = model not in SKFRAUD_MODELS
            AnomalyPrecisionRecallDisplay.from_predictions(
                y_test,
                scores,
                name=model,
                ax=ax,
                linewidth=1.0,
                linestyle="--" if peer else "-",
                color=_color(model),
            )
        ax.set_title(f"{dataset}, {protocol} (seed 0)", fontsize=9)
        ax.legend(fontsize=6, loc="best")
    for ax in axes.flat[len(protocols) :]:
        ax.set_visible(False)
    return _save(fig, path)


def _color(model):
    # tab20 pairs a dark and a light shade: the dark ones first, then the light.
    colors = _pyplot().get_cmap("tab20").colors
    index = MODEL_ORDER.get(model, len(MODEL_ORDER)) % len(colors)
    return colors[(2 * index) % len(colors) + (2 * index) // len(colors)]


def _save(fig, path):
    """Save as a small PNG: a 64-colour palette is plenty for line plots."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    _pyplot().close(fig)
    image = Image.open(buffer).convert("RGB").quantize(colors=64)
    image.save(path, optimize=True)
    return path
