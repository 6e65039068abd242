"""Column statistics of the training rows, for the detectors that standardise
their input inside the network."""

import numpy as np
import torch

__all__ = ["STD_EPS", "column_mean_std"]

# A feature whose spread is below this is treated as constant: it is centred
# but not scaled, so that a constant column cannot blow up to inf or NaN.
STD_EPS = 1e-6


def column_mean_std(data):
    """Mean and population standard deviation of every column, in float64.

    Parameters
    ----------
    data : skfraud.data.TabularData
        Dense (a tensor) or sparse (a CSR matrix) rows.

    Returns
    -------
    mean, std : Tensor of shape (n_features,), dtype float64, on the CPU
    """
    if data.is_sparse:
        X = data.X.astype(np.float64)
        mean = np.asarray(X.mean(axis=0)).ravel()
        square_mean = np.asarray(X.multiply(X).mean(axis=0)).ravel()
        std = np.sqrt(np.maximum(square_mean - mean**2, 0.0))
        return torch.from_numpy(mean), torch.from_numpy(std)
    std, mean = torch.std_mean(data.X.to(torch.float64), dim=0, correction=0)
    return mean.cpu(), std.cpu()
