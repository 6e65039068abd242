"""The skorch net every detector holds."""

from skorch import NeuralNet

__all__ = ["DetectorNet"]


class DetectorNet(NeuralNet):
    """A :class:`skorch.NeuralNet` whose module survives a GPU-to-CPU pickle.

    Detectors hand skorch a module *instance*, which skorch keeps both as the
    ``module`` parameter and as the trained ``module_``. On unpickling, skorch
    maps only its CUDA-dependent attributes to the CPU when CUDA is absent,
    and by default those are ``module_``, ``criterion_`` and ``optimizer_``:
    the ``module`` parameter would be unpickled as is, and a net trained on a
    GPU would fail to load on a CPU-only machine. Listing the ``module``
    prefix here pickles it with the others (one pickle, so ``module`` and
    ``module_`` stay the same object).
    """

    cuda_dependent_attributes_ = ["module"]
