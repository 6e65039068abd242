"""Pure functions of the deep autoencoding Gaussian mixture model (DAGMM).

Reconstruction features, the Gaussian mixture parameters estimated from soft
memberships (in one batch or streamed over many), a jittered Cholesky
factorisation and the sample energy. :mod:`skfraud.nn._dagmm` builds the
network and its criterion on them; :mod:`skfraud.nn.functional` re-exports
them.

The mixture is never inverted: energies use the Cholesky factor of each
covariance (triangular solves for the Mahalanobis terms, the factor's
diagonal for the log-determinants) and ``logsumexp`` over the components.
"""

import torch

from skfraud.nn._reconstruction_functional import LOG_2PI

__all__ = [
    "cholesky_with_jitter",
    "cosine_similarity",
    "fit_gmm",
    "forward_in_float64",
    "gmm_parameters",
    "gmm_parameters_from_statistics",
    "gmm_statistics",
    "inverse_variance_penalty",
    "merge_gmm_statistics",
    "relative_euclidean_distance",
    "sample_energy",
]

#: Smallest norm a denominator may take in the reconstruction features, so
#: that an all-zero row gives finite values instead of 0 / 0.
NORM_EPS = 1e-6

#: First diagonal jitter added to covariances before their Cholesky
#: factorisation; multiplied by 10 on every failed attempt.
COVARIANCE_JITTER = 1e-6


# ---- network evaluation -------------------------------------------------------


def forward_in_float64(module, x):
    """``module(x)`` computed with float64 copies of the weights and input.

    The energy magnifies rounding in the mixture's input space: in float32
    the matrix products round differently with the number of rows, and a
    row's score would change with the batch it is scored in.
    """
    weights = {name: value.double() for name, value in module.state_dict().items()}
    return torch.func.functional_call(module, weights, (x.double(),))


# ---- reconstruction features ------------------------------------------------


def relative_euclidean_distance(x, x_hat, eps=NORM_EPS):
    """``||x - x_hat|| / max(||x||, eps)`` for each row, shape ``(B,)``."""
    distance = torch.linalg.vector_norm(x - x_hat, dim=-1)
    return distance / torch.linalg.vector_norm(x, dim=-1).clamp_min(eps)


def cosine_similarity(x, x_hat, eps=NORM_EPS):
    """``x . x_hat / max(||x|| ||x_hat||, eps)`` for each row, shape ``(B,)``.

    It is 0 when either row is all zeros.
    """
    norms = torch.linalg.vector_norm(x, dim=-1) * torch.linalg.vector_norm(
        x_hat, dim=-1
    )
    return (x * x_hat).sum(dim=-1) / norms.clamp_min(eps)


# ---- Gaussian mixture parameters ------------------------------------------------


def gmm_statistics(gamma, z):
    """Sufficient statistics of a soft-assigned Gaussian mixture.

    Parameters
    ----------
    gamma : Tensor of shape (B, K)
        Membership of every row in every component (rows sum to 1).
    z : Tensor of shape (B, d)
        The rows.

    Returns
    -------
    counts : Tensor of shape (K,)
        ``sum_i gamma_ik``.
    means : Tensor of shape (K, d)
        ``sum_i gamma_ik z_i / counts_k`` (0 for a component without weight).
    scatter : Tensor of shape (K, d, d)
        ``sum_i gamma_ik (z_i - means_k)(z_i - means_k)^T``.
    """
    counts = gamma.sum(dim=0)
    safe_counts = counts.clamp_min(torch.finfo(counts.dtype).tiny)
    means = (gamma.T @ z) / safe_counts.unsqueeze(-1)
    centered = z.unsqueeze(0) - means.unsqueeze(1)  # (K, B, d)
    scatter = torch.einsum("bk,kbi,kbj->kij", gamma, centered, centered)
    return counts, means, scatter


def merge_gmm_statistics(first, second):
    """Combine the :func:`gmm_statistics` of two disjoint sets of rows.

    Uses the pairwise update of Chan, Golub and LeVeque for weighted means and
    scatter matrices, which stays accurate where accumulating raw second
    moments would cancel catastrophically.
    """
    counts_a, means_a, scatter_a = first
    counts_b, means_b, scatter_b = second
    counts = counts_a + counts_b
    safe_counts = counts.clamp_min(torch.finfo(counts.dtype).tiny)
    shift = means_b - means_a  # (K, d)
    means = means_a + shift * (counts_b / safe_counts).unsqueeze(-1)
    cross = (counts_a * counts_b / safe_counts)[:, None, None]
    scatter = scatter_a + scatter_b + cross * shift.unsqueeze(-1) * shift.unsqueeze(-2)
    return counts, means, scatter


def gmm_parameters_from_statistics(counts, means, scatter):
    """Mixture weights, means and covariances from :func:`gmm_statistics`."""
    safe_counts = counts.clamp_min(torch.finfo(counts.dtype).tiny)
    weights = counts / counts.sum()
    covariances = scatter / safe_counts[:, None, None]
    return weights, means, covariances


def gmm_parameters(gamma, z):
    """Maximum-likelihood mixture parameters for given memberships.

    ``phi_k = mean_i gamma_ik``, ``mu_k`` the ``gamma``-weighted mean of the
    rows and ``Sigma_k`` their ``gamma``-weighted covariance, as in the
    DAGMM paper (equations 5).

    Parameters
    ----------
    gamma : Tensor of shape (B, K)
    z : Tensor of shape (B, d)

    Returns
    -------
    weights : Tensor of shape (K,)
    means : Tensor of shape (K, d)
    covariances : Tensor of shape (K, d, d)
    """
    return gmm_parameters_from_statistics(*gmm_statistics(gamma, z))


def fit_gmm(batches):
    """Mixture parameters over many batches of memberships, in one pass.

    The per-batch :func:`gmm_statistics` are merged as they come, so the
    mixture reflects every row without holding all of them.

    Parameters
    ----------
    batches : iterable of (gamma, z)
        Memberships ``(B, K)`` and rows ``(B, d)`` of each batch.

    Returns
    -------
    weights : Tensor of shape (K,)
    means : Tensor of shape (K, d)
    cholesky : Tensor of shape (K, d, d)
        Lower Cholesky factors of the covariances, after
        :func:`cholesky_with_jitter`; ``cholesky @ cholesky.mT`` are the
        jittered covariances.
    """
    statistics = None
    for gamma, z in batches:
        batch = gmm_statistics(gamma, z)
        statistics = (
            batch if statistics is None else merge_gmm_statistics(statistics, batch)
        )
    weights, means, covariances = gmm_parameters_from_statistics(*statistics)
    return weights, means, cholesky_with_jitter(covariances)


def cholesky_with_jitter(covariances, jitter=COVARIANCE_JITTER, max_tries=12):
    """Lower Cholesky factors of ``covariances + j * I``.

    ``j`` starts at ``jitter`` and grows tenfold until every matrix factorises,
    so a singular covariance (duplicate rows, a constant feature, a component
    that owns a single row) still gives a valid factor.

    Parameters
    ----------
    covariances : Tensor of shape (K, d, d)
    jitter : float
        First diagonal jitter.
    max_tries : int
        Factorisation attempts before giving up.

    Returns
    -------
    Tensor of shape (K, d, d)

    Raises
    ------
    FloatingPointError
        If no jitter makes the matrices positive definite, which happens only
        when they hold NaN or inf.
    """
    eye = torch.eye(
        covariances.shape[-1], dtype=covariances.dtype, device=covariances.device
    )
    for attempt in range(max_tries):
        factor, info = torch.linalg.cholesky_ex(
            covariances + (jitter * 10.0**attempt) * eye
        )
        if not bool(info.any()):
            return factor
    raise FloatingPointError(
        "The mixture covariances could not be factorised even with a diagonal "
        f"jitter of {jitter * 10.0 ** (max_tries - 1):g}; they hold NaN or inf."
    )


def sample_energy(z, weights, means, cholesky):
    """Negative log-density of each row under a Gaussian mixture.

    ``E(z) = -log sum_k phi_k N(z; mu_k, L_k L_k^T)``, computed with
    triangular solves against the Cholesky factors ``L_k`` and ``logsumexp``
    over the components.

    Parameters
    ----------
    z : Tensor of shape (B, d)
    weights : Tensor of shape (K,)
    means : Tensor of shape (K, d)
    cholesky : Tensor of shape (K, d, d)
        Lower Cholesky factors of the covariances.

    Returns
    -------
    Tensor of shape (B,)
    """
    centered = z.unsqueeze(0) - means.unsqueeze(1)  # (K, B, d)
    whitened = torch.linalg.solve_triangular(
        cholesky, centered.transpose(-1, -2), upper=False
    )  # (K, d, B)
    mahalanobis = whitened.square().sum(dim=-2)  # (K, B)
    log_det = 2.0 * torch.diagonal(cholesky, dim1=-2, dim2=-1).log().sum(dim=-1)
    log_weights = weights.clamp_min(torch.finfo(weights.dtype).tiny).log()
    log_components = log_weights.unsqueeze(-1) - 0.5 * (
        z.shape[-1] * LOG_2PI + log_det.unsqueeze(-1) + mahalanobis
    )
    return -torch.logsumexp(log_components, dim=0)


def inverse_variance_penalty(covariances):
    """``sum_k sum_j 1 / Sigma_k[j, j]``, the paper's guard against collapse."""
    return torch.diagonal(covariances, dim1=-2, dim2=-1).reciprocal().sum()
