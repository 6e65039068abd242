"""Helpers shared by the displays: lazy matplotlib, axes, labels, scatters."""

import numpy as np

from skfraud._pipeline import final_step
from skfraud._threshold import check_anomaly_labels

#: Colours of the two classes, the same in every display.
CLASS_STYLES = (
    (0, "Normal", "tab:blue"),
    (1, "Fraud", "tab:red"),
)


def import_pyplot():
    """Return :mod:`matplotlib.pyplot`, or raise an ImportError saying how to
    install it.

    matplotlib is an optional dependency: it is imported here, when a display
    draws, never when :mod:`skfraud.plotting` is imported.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "skfraud.plotting needs matplotlib, which is not installed. Install "
            "it with `pip install matplotlib` or `pip install skfraud[plot]`."
        ) from error
    return plt


def get_axes(ax, *, three_d=False):
    """Return ``(ax, figure)``: ``ax`` itself, or new axes on a new figure."""
    plt = import_pyplot()
    if ax is None:
        figure = plt.figure()
        ax = figure.add_subplot(projection="3d" if three_d else None)
    elif three_d and getattr(ax, "name", None) != "3d":
        raise ValueError(
            "This display draws in three dimensions: pass axes created with "
            "projection='3d' (fig.add_subplot(projection='3d')) or ax=None."
        )
    return ax, ax.figure


def estimator_name(estimator):
    """Default legend name: the class of the detector (a Pipeline's last step)."""
    return type(final_step(estimator)).__name__


def check_optional_labels(y, n_samples):
    """``None``, or ``y`` as 0/1 ints with one label per row."""
    if y is None:
        return None
    y = check_anomaly_labels(y)
    if y.shape[0] != n_samples:
        raise ValueError(
            f"y has {y.shape[0]} labels but there are {n_samples} rows; pass one "
            "label per row (1 = fraud, 0 = normal)."
        )
    return y


def scatter_by_class(ax, points, y, **kwargs):
    """Scatter ``points`` (2 or 3 columns) on ``ax``, one collection per class.

    Without labels one collection holds every row. With labels, normal rows are
    drawn first and fraud on top of them, each with its own legend entry.
    Returns the list of collections.
    """
    coordinates = [points[:, column] for column in range(points.shape[1])]
    if y is None:
        return [ax.scatter(*coordinates, **{"s": 8, **kwargs})]
    collections = []
    for value, label, color in CLASS_STYLES:
        rows = y == value
        style = {"s": 8 if value == 0 else 14, "color": color, "zorder": 2 + value}
        collections.append(
            ax.scatter(
                *(axis[rows] for axis in coordinates),
                **{**style, "label": f"{label} (n={int(rows.sum())})", **kwargs},
            )
        )
    return collections


def as_finite_matrix(values, n_columns_min, what):
    """``values`` as a finite float64 matrix with at least ``n_columns_min``
    columns."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] < n_columns_min:
        raise ValueError(
            f"{what} must be a 2-d array with at least {n_columns_min} columns; "
            f"got shape {values.shape}."
        )
    if values.shape[0] == 0:
        raise ValueError(f"{what} has no rows.")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{what} contains NaN or infinity.")
    return values


def finish_plot(display, ax, figure, name, *, legend=True):
    """Title the axes, add the legend and keep the axes and figure on ``display``.

    The title is ``name``, or the display's own name when ``name`` is None.
    """
    name = display.name if name is None else name
    if name is not None:
        ax.set_title(name)
    if legend:
        ax.legend(loc="best")
    display.ax_, display.figure_ = ax, figure
    return display


# Parameter entries shared by the displays' docstrings, written once; a
# group is a run of entries that several docstrings hold in a row.
_PARAMETERS = {
    "anomaly_scores": """anomaly_scores : array-like of shape (n_samples,)
        Higher = more anomalous, e.g. from
        :func:`skfraud.metrics.anomaly_score`.""",
    "ax": """ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is created when None.""",
    "ax_attribute": """ax_ : matplotlib Axes
        Axes holding the curve.""",
    "bins": """bins : int or sequence of float, default=50
        Number of bins, or their edges, shared by both classes.""",
    "chance_level_kw": """chance_level_kw : dict, default=None
        Keyword arguments of the chance-level line.""",
    "density": """density : bool, default=True
        Normalise each histogram to unit area; False counts rows.""",
    "display": """display : AnomalyPrecisionRecallDisplay or AnomalyRocCurveDisplay
        A display of the class this is called on.""",
    "figure_attribute": """figure_ : matplotlib Figure
        Figure holding the axes.""",
    "hist_kw": """hist_kw : dict, default=None
        Keyword arguments of ``matplotlib.axes.Axes.hist``.""",
    "line_attribute": """line_ : matplotlib Line2D
        The curve.""",
    "log_scale": """log_scale : bool, default=False
        Logarithmic score axis, with bins of equal width on it, for
        heavy-tailed scores such as reconstruction errors. The scores
        (and the threshold) must then be positive.""",
    "name_legend": """name : str, default=None
        Name of the detector in the legend.""",
    "name_title": """name : str, default=None
        Name of the detector, used as the title.""",
    "name_override": """name : str, default=None
        Title; overrides the one given at construction.""",
    "name_default": """name : str, default=None
        Title; the detector's class name when None.""",
    "plot_chance_level": """plot_chance_level : bool, default=True
        Draw the curve of a random ranking.""",
    "threshold_kw": """threshold_kw : dict, default=None
        Keyword arguments of the threshold line.""",
    "y_both_classes": """y : array-like of shape (n_samples,)
        1 = fraud, 0 = normal; both must occur.""",
    "y_colours": """y : array-like of shape (n_samples,), default=None
        1 = fraud, 0 = normal; colours the points when given.""",
    "y_histogram": """y : array-like of shape (n_samples,), default=None
        1 = fraud, 0 = normal; without labels one histogram is drawn.""",
    "y_colours_ndarray": """y : ndarray of shape (n_samples,), default=None
        1 = fraud, 0 = normal; colours the points when given.""",
}
# The histogram's own parameters, in the order the score displays take them.
_BINS = ("ax", "bins", "density", "log_scale")
_GROUPS = {
    "histogram_plot_params": (*_BINS, "name_override", "hist_kw"),
    "histogram_estimator_params": ("name_default", *_BINS, "hist_kw", "threshold_kw"),
    "histogram_params": (*_BINS, "hist_kw", "threshold_kw"),
    "scores_and_labels": ("anomaly_scores", "y_histogram"),
    "curve_plot_params": ("ax", "plot_chance_level", "chance_level_kw"),
    "curve_attributes": ("ax_attribute", "figure_attribute"),
    "plot_params": ("ax", "name_override"),
    "latent_params": ("y_colours", "name_default", "ax"),
    "title_and_axes": ("name_default", "ax"),
}
DOC_TEXTS = {
    **_PARAMETERS,
    **{
        group: "\n\n    ".join(_PARAMETERS[name] for name in names)
        for group, names in _GROUPS.items()
    },
}
