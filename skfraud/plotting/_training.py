"""Training (and validation) loss per epoch from a detector's history."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from skfraud._docstrings import fill_texts
from skfraud._pipeline import final_step
from skfraud.plotting._base import DOC_TEXTS, estimator_name, finish_plot, get_axes

__all__ = ["TrainingCurveDisplay"]


def _losses(history, key):
    """Per-epoch values of ``key``, or None when no epoch recorded it."""
    values = [epoch.get(key) for epoch in history]
    if all(value is None for value in values):
        return None
    return np.array(
        [np.nan if value is None else value for value in values], dtype=np.float64
    )


@fill_texts(**DOC_TEXTS)
class TrainingCurveDisplay:
    """Training loss per epoch, with the validation loss when there is one.

    The losses come from the detector's ``history_`` (skorch's record of
    training). A validation loss exists when the detector was fitted with
    ``early_stopping=True``. Create it with :meth:`from_estimator`.

    Parameters
    ----------
    epochs : ndarray of shape (n_epochs,)
        Epoch numbers, from 1.

    train_loss : ndarray of shape (n_epochs,)
        Mean training loss of each epoch.

    valid_loss : ndarray of shape (n_epochs,), default=None
        Validation loss of each epoch.

    %(name_title)s

    Attributes
    ----------
    train_line_ : matplotlib Line2D
        The training loss.

    valid_line_ : matplotlib Line2D or None
        The validation loss, or None without one.

    ax_ : matplotlib Axes
        Axes holding the curves.

    %(figure_attribute)s

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import AutoEncoderDetector
    >>> from skfraud.plotting import TrainingCurveDisplay
    >>> X = np.random.default_rng(0).normal(0, 1, (100, 4))
    >>> detector = AutoEncoderDetector(max_epochs=5, random_state=0).fit(X)
    >>> display = TrainingCurveDisplay.from_estimator(detector)
    >>> len(display.train_line_.get_xdata())
    5
    """

    def __init__(self, *, epochs, train_loss, valid_loss=None, name=None):
        self.epochs = epochs
        self.train_loss = train_loss
        self.valid_loss = valid_loss
        self.name = name

    @fill_texts(**DOC_TEXTS)
    def plot(self, ax=None, *, name=None, log_scale=False, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        %(plot_params)s

        log_scale : bool, default=False
            Use a logarithmic loss axis (losses must then be positive).

        **kwargs : dict
            Keyword arguments of both lines (``matplotlib.axes.Axes.plot``).

        Returns
        -------
        display : TrainingCurveDisplay
            This display, with the artists set.
        """
        ax, figure = get_axes(ax)
        style = {"marker": "o", "markersize": 3}
        (self.train_line_,) = ax.plot(
            self.epochs,
            self.train_loss,
            **{**style, "label": "Training loss", **kwargs},
        )
        self.valid_line_ = None
        if self.valid_loss is not None:
            (self.valid_line_,) = ax.plot(
                self.epochs,
                self.valid_loss,
                **{**style, "label": "Validation loss", **kwargs},
            )
        ax.set(xlabel="Epoch", ylabel="Loss")
        if log_scale:
            ax.set_yscale("log")
        return finish_plot(self, ax, figure, name)

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_estimator(
        cls, estimator, *, name=None, ax=None, log_scale=False, **kwargs
    ):
        """Loss curves of a fitted skfraud detector.

        Parameters
        ----------
        estimator : estimator instance
            Fitted skfraud detector, or a fitted Pipeline ending in one.

        %(title_and_axes)s

        log_scale : bool, default=False
            Use a logarithmic loss axis.

        **kwargs : dict
            Keyword arguments of both lines.

        Returns
        -------
        display : TrainingCurveDisplay

        Raises
        ------
        TypeError
            If the estimator keeps no training history (it is not a skfraud
            detector).
        """
        detector = final_step(estimator)
        check_is_fitted(detector)
        history = getattr(detector, "history_", None)
        if history is None:
            raise TypeError(
                "TrainingCurveDisplay needs a fitted skfraud detector (or a "
                f"Pipeline ending in one) with a history_; {type(detector).__name__} "
                "has none."
            )
        train_loss = _losses(history, "train_loss")
        if train_loss is None:
            raise ValueError(
                f"The history_ of {type(detector).__name__} records no train_loss."
            )
        display = cls(
            epochs=np.arange(1, len(train_loss) + 1),
            train_loss=train_loss,
            valid_loss=_losses(history, "valid_loss"),
            name=estimator_name(estimator) if name is None else name,
        )
        return display.plot(ax, log_scale=log_scale, **kwargs)
