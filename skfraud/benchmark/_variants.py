"""Model variants by name: ``"AutoEncoderDetector:max_epochs=200,dropout=0.2"``.

A variant is a model of the harness with some parameters changed. Its name
is the model's name, a colon, then ``key=value`` pairs separated by commas;
values are Python literals (``200``, ``0.2``, ``(64, 32)``, ``'standard'``)
or bare words taken as strings. Two keys belong to the harness rather than
to the model:

- ``scaler=standard``: the model learns from and scores standardised rows
  (a :class:`~sklearn.preprocessing.StandardScaler` fitted on the rows it
  learns from, after the harness's own preprocessing);
- ``steps=N``: ``max_epochs`` is set at fit time so that training takes
  about N optimizer steps, whatever the number of training rows.
"""

import ast
import dataclasses
import math
import re

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin, clone
from sklearn.preprocessing import StandardScaler

from skfraud.benchmark._shared_fits import fit_estimator

__all__ = ["TrainingVariant", "parse_variant", "variant_spec"]

_HARNESS_KEYS = ("scaler", "steps")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(__[A-Za-z_][A-Za-z0-9_]*)*")


def _literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _split_pairs(text):
    """Split at the commas that are outside brackets."""
    pairs, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            pairs.append(text[start:position])
            start = position + 1
    pairs.append(text[start:])
    return [pair.strip() for pair in pairs if pair.strip()]


def parse_variant(text):
    """Split a variant name into the model's name and its parameters.

    Parameters
    ----------
    text : str
        ``"Model"`` or ``"Model:key=value,key=value"``.

    Returns
    -------
    model : str
    params : dict

    Examples
    --------
    >>> from skfraud.benchmark import parse_variant
    >>> parse_variant("AutoEncoderDetector:max_epochs=200,hidden_dims=(64, 32)")
    ('AutoEncoderDetector', {'max_epochs': 200, 'hidden_dims': (64, 32)})
    >>> parse_variant("VAEDetector:scaler=standard")
    ('VAEDetector', {'scaler': 'standard'})
    """
    model, _, settings = text.partition(":")
    params = {}
    for pair in _split_pairs(settings):
        key, equals, value = pair.partition("=")
        key = key.strip()
        if not equals or not _KEY.fullmatch(key):
            raise ValueError(
                f"Model variant {text!r}: expected key=value pairs after the "
                f"colon, got {pair!r}."
            )
        params[key] = _literal(value.strip())
    return model.strip(), params


class TrainingVariant(OutlierMixin, BaseEstimator):
    """A detector behind the harness's own options: scaling and a step budget.

    Parameters
    ----------
    estimator : estimator instance
        Unfitted detector with ``fit`` and ``score_samples``.
    scaler : {"standard"} or None, default=None
        Standardise the rows the detector learns from and scores, with the
        mean and scale of the rows it learns from.
    steps : int or None, default=None
        Set ``max_epochs`` to ``ceil(steps / batches per epoch)``, the
        batches counted on the rows the detector learns from
        (``batch_size`` rows each).
    """

    def __init__(self, estimator, *, scaler=None, steps=None):
        self.estimator = estimator
        self.scaler = scaler
        self.steps = steps

    def _learned_rows(self, X, y):
        if y is not None and getattr(self.estimator, "train_on", "all") == "normal":
            return X[np.asarray(y) == 0]
        return X

    def fit(self, X, y=None):
        """Fit the scaler and a clone of the detector.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,), default=None
            Passed on to the detector.

        Returns
        -------
        self : object
        """
        if self.scaler not in (None, "standard"):
            raise ValueError(f"scaler must be 'standard' or None, got {self.scaler!r}.")
        X = np.asarray(X)
        rows = self._learned_rows(X, y)
        self.scaler_ = None
        if self.scaler == "standard":
            self.scaler_ = StandardScaler().fit(rows)
            X = self.scaler_.transform(X).astype(X.dtype)
        self.estimator_ = clone(self.estimator)
        if self.steps is not None:
            batches = math.ceil(len(rows) / self.estimator_.get_params()["batch_size"])
            self.max_epochs_ = max(1, math.ceil(self.steps / batches))
            self.estimator_.set_params(max_epochs=self.max_epochs_)
        fit_estimator(self.estimator_, X, y)
        return self

    def score_samples(self, X):
        """The detector's ``score_samples`` of the (scaled) rows.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        X = np.asarray(X)
        if self.scaler_ is not None:
            X = self.scaler_.transform(X).astype(X.dtype)
        return self.estimator_.score_samples(X)


def variant_spec(spec, name, params):
    """The :class:`ModelSpec` of ``spec`` with ``params`` set, called ``name``.

    Parameters
    ----------
    spec : ModelSpec
        The model as registered.
    name : str
        The variant's name in the results.
    params : dict
        Model parameters, plus the harness keys ``scaler`` and ``steps``.

    Returns
    -------
    spec : ModelSpec
    """
    harness = {key: params[key] for key in _HARNESS_KEYS if key in params}
    model_params = {k: v for k, v in params.items() if k not in _HARNESS_KEYS}
    build = spec.build
    # A model parameter that does not exist fails now, not in every run.
    build(0, 2, "clean").set_params(**model_params)

    def build_variant(random_state, n_features, protocol):
        model = build(random_state, n_features, protocol).set_params(**model_params)
        return TrainingVariant(model, **harness) if harness else model

    epochs_param = spec.epochs_param
    if harness and epochs_param is not None:
        epochs_param = f"estimator__{epochs_param}"
    return dataclasses.replace(
        spec, name=name, build=build_variant, epochs_param=epochs_param
    )
