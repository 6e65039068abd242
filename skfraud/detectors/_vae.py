"""Variational autoencoder detector with reconstruction-probability scoring."""

from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import Interval, StrOptions

from skfraud._deep import (
    BaseUnsupervisedDetector,
    FeatureContributionsMixin,
    GenuineRowsMixin,
    LatentCodesMixin,
    LatentSizeMixin,
    TrimmedLossMixin,
)
from skfraud._docstrings import GENUINE_ROWS_MAX_EPOCHS, fill_doc
from skfraud.nn import GaussianVAE, NegativeELBO
from skfraud.nn import functional as F

__all__ = ["VAEDetector"]


@fill_doc(
    parameters={"max_epochs": GENUINE_ROWS_MAX_EPOCHS},
    auto_rule="%(tukey_rule)s",
)
class VAEDetector(
    TrimmedLossMixin,
    GenuineRowsMixin,
    LatentSizeMixin,
    LatentCodesMixin,
    FeatureContributionsMixin,
    BaseUnsupervisedDetector,
):
    """Variational autoencoder scored by reconstruction probability.

    The encoder maps each row to a Gaussian ``q(z | x)``; the decoder maps a
    latent sample to a Gaussian over the features, with a mean *and* a
    log-variance per feature. Training minimises the negative ELBO,
    ``-E_q log p(x | z) + beta * KL(q(z | x) || N(0, I))``.

    The default anomaly score is the negative reconstruction probability of
    An & Cho (2015): the log of the mean, over ``n_draws`` draws
    ``z ~ q(z | x)``, of the density ``p(x | mu(z), sigma(z))``. Because the
    decoder learns a variance per feature, a deviation counts for more in a
    feature the model reconstructs precisely than in a noisy one, which the
    plain reconstruction error cannot express.

    Parameters
    ----------
    %(network_params)s

    %(trim)s

    beta : float, default=1.0
        Weight of the KL term in the training loss (1 is the ELBO).

    n_draws : int, default=10
        Latent draws ``L`` per row for the reconstruction probability and the
        ELBO score.

    anomaly_score : {"reconstruction_probability", "reconstruction_error", \
"elbo"}, default="reconstruction_probability"
        What ``score_samples`` measures. ``"reconstruction_probability"`` is
        described above; ``"reconstruction_error"`` is the mean squared error
        between a row and the decoder mean at ``z = mu(x)``; ``"elbo"`` is the
        negative ELBO (with ``beta = 1``) averaged over the latent draws.

    %(training_params)s

    %(contamination_param)s

    %(train_on_param)s

    %(runtime_params)s

    Attributes
    ----------
    %(fitted_attributes)s

    See Also
    --------
    AutoEncoderDetector : Deterministic autoencoder scored by squared error.

    Notes
    -----
    ``latent_dim=2`` and ``hidden_dims=(128, 64)`` were chosen on the suite
    of ``skfraud benchmark --suite adbench``
    (``benchmarks/results/suite_candidates.md``): codes of 1 and 2 ranked
    level with clean and with contaminated training, both ahead of half the
    features up to 8, and two dimensions can be drawn as they are
    (:class:`skfraud.plotting.LatentSpaceDisplay`); the wider network then
    raised the mean AUPRC on both protocols. ``beta=0.5`` gained more on
    clean training and less with contaminated rows than the wider network;
    dropout lost on both. The trimmed loss (``trim``: the tenth of each
    batch with the largest negative ELBO left out when the rows may hide
    frauds) raised the mean AUPRC with contaminated training from 0.402 to
    0.440 over 3 seeds (``benchmarks/results/suite_trim_ae_vae.md``). As for
    :class:`AutoEncoderDetector`, longer training helps when the training
    rows are known to be genuine and hurts when they hold frauds, so
    ``max_epochs="auto"`` follows ``train_on``: 1,000 optimizer steps on
    rows known to be genuine, 50 epochs but at most 2,000 steps otherwise
    (``benchmarks/results/defaults_two_caps.md``).

    The latent draws used for scoring are drawn once, at the end of ``fit``,
    and shared by every row (common random numbers). Scores are therefore
    deterministic for a fitted model, independent of how rows are batched,
    and differences between rows are not blurred by independent sampling
    noise. The paper draws fresh samples on every evaluation, which makes the
    score of a row change from call to call.

    :meth:`feature_contributions` splits a row's score over the features,
    for reason codes. With ``"reconstruction_error"`` they add up to the
    score. With ``"reconstruction_probability"`` a feature's contribution is
    its negative log-density ``-log N(x_j; mu_j, sigma_j^2)`` averaged over
    the latent draws, each draw weighted by its share ``w_l`` of the
    reconstruction probability (the draws that explain the row best count
    most); they add up to the score minus ``log L - H(w)``, a per-row term
    between 0 and ``log n_draws`` that is 0 when all draws agree, because
    the log of a mean is not a sum over features. With ``"elbo"`` they are
    the negative log-densities averaged over the draws and add up to the
    score minus the KL term, which belongs to no feature.

    References
    ----------
    J. An and S. Cho, "Variational Autoencoder based Anomaly Detection using
    Reconstruction Probability", SNU Data Mining Center, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import VAEDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 0.1, (200, 4)), [[2.0, -2.0, 2.0, -2.0]]])
    >>> detector = VAEDetector(max_epochs=30, random_state=0).fit(X)
    >>> int(detector.score_samples(X).argmin())
    200
    """

    _parameter_constraints: dict = {
        **BaseUnsupervisedDetector._parameter_constraints,
        **LatentSizeMixin._latent_constraints,
        **TrimmedLossMixin._trim_constraints,
        "beta": [Interval(Real, 0, None, closed="left")],
        "n_draws": [Interval(Integral, 1, None, closed="left")],
        "anomaly_score": [
            StrOptions({"reconstruction_probability", "reconstruction_error", "elbo"})
        ],
    }

    def __init__(
        self,
        *,
        hidden_dims=(128, 64),
        latent_dim=2,
        activation="relu",
        dropout=0.0,
        trim="auto",
        beta=1.0,
        n_draws=10,
        anomaly_score="reconstruction_probability",
        lr=1e-3,
        max_epochs="auto",
        max_steps=None,
        batch_size=256,
        optimizer="adam",
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        contamination="auto",
        train_on="all",
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        n_jobs=1,
    ):
        self.hidden_dims = hidden_dims
        self.latent_dim = latent_dim
        self.activation = activation
        self.dropout = dropout
        self.trim = trim
        self.beta = beta
        self.n_draws = n_draws
        self.anomaly_score = anomaly_score
        self.lr = lr
        self.max_epochs = max_epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.contamination = contamination
        self.train_on = train_on
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.n_jobs = n_jobs

    def _build_module(self, n_features):
        return GaussianVAE(
            n_features,
            self.hidden_dims,
            self._latent_size(n_features),
            self.activation,
            self.dropout,
        )

    def _criterion(self):
        return NegativeELBO, {"beta": self.beta, **self._trim_kwargs()}

    def _after_training(self, train_data):
        # Runs inside fit's seeded RNG context, so the draws follow random_state.
        latent_size = self._latent_size(self.n_features_in_)
        self._latent_noise = torch.randn(self.n_draws, latent_size)

    def _score_width(self, n_features):
        draws = 1 if self.anomaly_score == "reconstruction_error" else self.n_draws
        return n_features * draws

    def _decode_draws(self, module, z_mu, z_log_var):
        """Decoder mean and log-variance for the fixed latent draws, (L, B, D)."""
        noise = self._latent_noise.to(z_mu.device).unsqueeze(1)  # (L, 1, k)
        return module.decode(F.reparameterize(z_mu, z_log_var, noise))

    def _anomaly_score_batch(self, module, X_batch):
        z_mu, z_log_var = module.encode(X_batch)
        if self.anomaly_score == "reconstruction_error":
            x_mean, _ = module.decode(z_mu)
            return F.reconstruction_error(X_batch, x_mean)
        x_mean, x_log_var = self._decode_draws(module, z_mu, z_log_var)
        if self.anomaly_score == "reconstruction_probability":
            return -F.reconstruction_log_probability(X_batch, x_mean, x_log_var)
        return F.negative_elbo(X_batch, x_mean, x_log_var, z_mu, z_log_var, 1.0)

    def _feature_contributions_batch(self, module, X_batch):
        z_mu, z_log_var = module.encode(X_batch)
        if self.anomaly_score == "reconstruction_error":
            x_mean, _ = module.decode(z_mu)
            return F.squared_error_contributions(X_batch, x_mean)
        x_mean, x_log_var = self._decode_draws(module, z_mu, z_log_var)
        if self.anomaly_score == "elbo":
            return F.elbo_feature_contributions(X_batch, x_mean, x_log_var)
        return F.reconstruction_probability_contributions(X_batch, x_mean, x_log_var)

    def _latent_codes_batch(self, module, X_batch):
        return module.encode(X_batch)[0]
