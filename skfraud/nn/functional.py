"""Losses, scores and model maths as pure functions of tensors.

Every formula of every model lives in one of the private
``skfraud.nn._<model>_functional`` modules (and the shared
``_reconstruction_functional`` and ``_trimming_functional``); this module
re-exports all of them. Unless a function's name says it reduces, it works
row by row: it takes a batch and returns one value per row (shape
``(B,)``) or per row and feature. Keeping the maths here lets the tests
check each formula against a hand computation.
"""

from skfraud.nn._dagmm_functional import (
    cholesky_with_jitter,
    cosine_similarity,
    fit_gmm,
    forward_in_float64,
    gmm_parameters,
    gmm_parameters_from_statistics,
    gmm_statistics,
    inverse_variance_penalty,
    merge_gmm_statistics,
    relative_euclidean_distance,
    sample_energy,
)
from skfraud.nn._deepsvdd_functional import (
    deep_sad_loss,
    guard_centre,
    squared_distance,
)
from skfraud.nn._devnet_functional import deviation, deviation_loss
from skfraud.nn._dte_functional import (
    diffusion_noise_std,
    diffusion_step_bins,
    expected_diffusion_step,
    noise_rows,
    step_bin_centres,
    step_classification_loss,
)
from skfraud.nn._memae_functional import (
    attention_entropy,
    cosine_attention,
    hard_shrinkage,
)
from skfraud.nn._prenet_functional import (
    mean_pair_score,
    ordinal_pair_targets,
    pair_regression_loss,
)
from skfraud.nn._reconstruction_functional import (
    gaussian_log_density,
    gaussian_log_likelihood,
    reconstruction_error,
    squared_error,
    squared_error_contributions,
    squared_norm_error,
)
from skfraud.nn._trimming_functional import (
    outlier_fence,
    trimmed_mean,
    trimmed_rows,
)
from skfraud.nn._vae_functional import (
    elbo_feature_contributions,
    gaussian_kl_divergence,
    negative_elbo,
    reconstruction_log_probability,
    reconstruction_probability_contributions,
    reparameterize,
)

__all__ = [
    "attention_entropy",
    "cholesky_with_jitter",
    "cosine_attention",
    "cosine_similarity",
    "deep_sad_loss",
    "deviation",
    "deviation_loss",
    "diffusion_noise_std",
    "diffusion_step_bins",
    "elbo_feature_contributions",
    "expected_diffusion_step",
    "fit_gmm",
    "forward_in_float64",
    "gaussian_kl_divergence",
    "gaussian_log_density",
    "gaussian_log_likelihood",
    "gmm_parameters",
    "gmm_parameters_from_statistics",
    "gmm_statistics",
    "guard_centre",
    "hard_shrinkage",
    "inverse_variance_penalty",
    "mean_pair_score",
    "merge_gmm_statistics",
    "negative_elbo",
    "noise_rows",
    "ordinal_pair_targets",
    "outlier_fence",
    "pair_regression_loss",
    "reconstruction_error",
    "reconstruction_log_probability",
    "reconstruction_probability_contributions",
    "relative_euclidean_distance",
    "reparameterize",
    "sample_energy",
    "squared_distance",
    "squared_error",
    "squared_error_contributions",
    "squared_norm_error",
    "step_bin_centres",
    "step_classification_loss",
    "trimmed_mean",
    "trimmed_rows",
]
