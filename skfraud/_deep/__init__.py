"""The deep base: what skfraud's deep detectors share, and every hook they fill.

A deep detector subclasses :class:`BaseUnsupervisedDetector` (it learns from
``X`` and honours ``train_on``) or :class:`BaseDeepDetector` (it reads ``y``
itself), declares its own parameters (keyword-only ``__init__`` that only
stores them; ``_parameter_constraints`` merged from its bases') and
implements the three abstract hooks; a class that lacks one cannot be
instantiated:

- ``_build_module(n_features)``: the torch module (from :mod:`skfraud.nn`);
- ``_criterion()``: the criterion class and its keyword arguments;
- ``_anomaly_score_batch(module, X_batch)``: anomaly scores of one batch
  (higher = more anomalous), shape ``(B,)``.

It may override the optional hooks, in the order ``fit`` calls them:

- ``_validate_hidden_dims()``: checks of tuple-valued parameters, run before
  the input is validated (extend it with a detector's own widths);
- ``_training_rows(X, y)``: select the rows and targets the net learns from
  (no side effects);
- ``_net_class``: a class attribute, the skorch net that trains the module
  (:class:`~skfraud.nets.UnsupervisedNet`, whose target is the input, or
  :class:`~skfraud.nets.DetectorNet` for a supervised target);
- ``_train_iterator()``: the skorch iterator class for training batches and
  its keyword arguments;
- ``_valid_iterator()``: the same for the rows held out for early stopping
  (by default plain batches);
- ``_batches_per_epoch(n_rows)``: optimizer steps in one epoch over
  ``n_rows`` training rows, which ``max_epochs="auto"`` needs (by default one
  per ``batch_size`` rows; a detector whose iterator draws a fixed number of
  batches says so);
- ``_before_training(net, train_data)``: state that needs the initialised
  network and the training rows before the first step (a one-class centre
  from a first forward pass, a pretrained encoder), kept in module buffers or
  weights;
- ``_after_training(train_data)``: fitted attributes computed from the
  trained network (a mixture fitted over every training row);
- ``_auto_offset(anomaly_scores)``: the threshold rule of
  ``contamination="auto"`` (by default the upper Tukey fence);
- ``_score_width(n_features)``: numbers per row in the widest scoring
  layer, which sizes the scoring batches (by default ``n_features``).

Mixins add parameters or public methods, each through one hook:

- :class:`LatentSizeMixin`: ``latent_dim`` (an int or ``"auto"``),
  resolved by ``_latent_size(n_features)``;
- :class:`TrimmedLossMixin`: ``trim``, resolved by ``_trim_kwargs()`` for the
  criterion;
- :class:`GenuineRowsMixin`: ``max_epochs="auto"`` that follows
  ``train_on``, through ``_auto_min_steps()`` and ``_auto_max_steps()``;
- :class:`LabelledFitPredictMixin`: ``fit_predict`` passes ``y`` on to
  ``fit`` (Deep SAD learns from labels when given them);
- :class:`LabelledAnomaliesMixin`: the same, with ``y`` required, read as
  1 = known anomaly, 0 = unlabelled;
- :class:`FeatureContributionsMixin`: ``feature_contributions(X)`` from
  ``_feature_contributions_batch(module, X_batch)``, shape ``(B, D)``;
- :class:`LatentCodesMixin`: ``latent_codes(X)`` from
  ``_latent_codes_batch(module, X_batch)``, shape ``(B, k)``.

The base validates parameters and input, seeds and trains the net that
:mod:`skfraud.nets` assembles, scores through
:func:`skfraud.nets.map_batches`, and turns anomaly scores into
``score_samples`` / ``decision_function`` / ``predict`` with ``offset_``
(:mod:`skfraud._threshold`).
"""

from skfraud._deep._base import BaseDeepDetector, BaseUnsupervisedDetector
from skfraud._deep._mixins import *  # noqa: F403
from skfraud._deep._mixins import __all__ as _mixins_all

__all__ = ["BaseDeepDetector", "BaseUnsupervisedDetector", *_mixins_all]
