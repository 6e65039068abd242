"""A bound on torch's CPU threads, restored when the work is done."""

from contextlib import contextmanager

import torch

__all__ = ["torch_threads"]


@contextmanager
def torch_threads(n_threads):
    """Run the block with torch's intra-op CPU threads set to ``n_threads``.

    The caller's setting is restored afterwards, even when the block raises.
    ``None`` leaves torch's setting alone. The detectors' networks are small:
    their matrix products gain little from several threads, while threads that
    spin on a shared or busy machine (or in several Dask or joblib workers at
    once) slow them down many times over.
    """
    if n_threads is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
