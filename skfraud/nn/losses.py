"""Training criteria as ``nn.Module`` wrappers around :mod:`skfraud.nn.functional`.

skorch instantiates the criterion with its ``criterion__*`` parameters and
calls it as ``criterion(y_pred, target)``; for the unsupervised detectors the
target is the input batch itself.
"""

from torch import nn

from skfraud.nn import functional as F

__all__ = ["NegativeELBO", "ReconstructionLoss"]


class ReconstructionLoss(nn.Module):
    """Mean squared reconstruction error over rows and features."""

    def forward(self, x_hat, x):
        return F.reconstruction_error(x, x_hat).mean()


class NegativeELBO(nn.Module):
    """Negative evidence lower bound of :class:`~skfraud.nn.GaussianVAE`.

    ``-E_q log p(x | z) + beta * KL(q(z | x) || N(0, I))``, averaged over the
    batch, with ``E_q`` estimated by the single reparameterised sample the
    module draws in training mode.

    Parameters
    ----------
    beta : float
        Weight of the KL term (1 gives the ELBO itself).
    """

    def __init__(self, beta):
        super().__init__()
        self.beta = beta

    def forward(self, outputs, x):
        x_mean, x_log_var, z_mu, z_log_var = outputs
        negative_log_likelihood = -F.gaussian_log_likelihood(x, x_mean, x_log_var)
        kl = F.gaussian_kl_divergence(z_mu, z_log_var)
        return (negative_log_likelihood + self.beta * kl).mean()
