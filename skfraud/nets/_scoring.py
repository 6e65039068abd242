"""Batched scoring: a trained module applied to validated rows, batch by batch.

Every fitted deep detector scores, explains and encodes rows through
:func:`map_batches`: in evaluation mode, under ``torch.inference_mode``, in
batches sized for the device, on dense float32 tensors (sparse input is
densified one batch at a time), the results gathered as float64 on the CPU.
"""

import torch

from skfraud._threads import torch_threads
from skfraud.data import BatchIterator, TabularData

__all__ = ["map_batches"]

# Scoring batches are sized by how many float32 numbers they move through
# the widest layer. On a CPU about 2**18 (1 MiB) keeps the intermediates in
# cache, several times faster for the element-wise work than larger batches;
# a GPU wants large batches to amortise kernel launches. Either way wide
# sparse inputs are densified in bounded pieces.
SCORE_BATCH_ELEMENTS = 2**18
GPU_SCORE_BATCH_ELEMENTS = 2**23
# Scoring batches hold a multiple of this many rows, the last one padded with
# copies of its last row. Matrix products and vectorised element-wise kernels
# round the rows of a partial block or vector differently from the others; in
# whole blocks every row gets the same arithmetic wherever the batches split,
# so scoring rows one at a time, in chunks, or partition by partition on a
# cluster gives the same bits as scoring them all at once.
ROW_BLOCK = 64


def _call_padded(batch_function, module, X_batch):
    """``batch_function`` on ``X_batch`` padded with copies of its last row to
    a whole number of ``ROW_BLOCK`` rows; the padding's results are dropped.
    Copies of a real row, unlike zero rows, keep every detector's maths in
    its usual range."""
    n_rows = X_batch.shape[0]
    n_pad = -n_rows % ROW_BLOCK
    if n_pad:
        X_batch = torch.cat([X_batch, X_batch[-1:].expand(n_pad, -1)])
    return batch_function(module, X_batch)[:n_rows]


def map_batches(net, X, batch_function, *, width, n_jobs):
    """``batch_function(module, X_batch)`` over validated ``X``, as float64.

    Parameters
    ----------
    net : skorch.NeuralNet
        The trained net; its ``module_`` runs on its ``device``.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    batch_function : callable
        Returns a tensor whose first dimension is the batch's rows.
    width : int
        Numbers per row in the widest layer: batches move about
        ``SCORE_BATCH_ELEMENTS`` of them (``GPU_SCORE_BATCH_ELEMENTS`` on a
        GPU), in whole blocks of ``ROW_BLOCK`` rows, so that a row's
        result does not depend on where the batches split.
    n_jobs : int or None
        The bound on torch's CPU threads while scoring.
    """
    module, device = net.module_, net.device
    budget = SCORE_BATCH_ELEMENTS if device == "cpu" else GPU_SCORE_BATCH_ELEMENTS
    rows_per_batch = max(1, budget // width // ROW_BLOCK) * ROW_BLOCK
    batches = BatchIterator(TabularData(X, device=device), rows_per_batch)
    module.eval()
    with torch_threads(n_jobs), torch.inference_mode():
        parts = [
            _call_padded(batch_function, module, X_batch).to("cpu", torch.float64)
            for X_batch, _ in batches
        ]
    return torch.cat(parts).numpy()
