"""Pure torch layer: network modules (forward passes) and their criteria.

Each model has a private module ``skfraud.nn._<model>`` (its ``nn.Module``
classes) and ``skfraud.nn._<model>_functional`` (its maths as pure
functions); shared blocks are in ``_layers`` and
``_reconstruction_functional``. This package re-exports the modules, and
:mod:`skfraud.nn.functional` every function.
"""

from skfraud.nn import functional
from skfraud.nn._autoencoder import AutoEncoder, ReconstructionLoss
from skfraud.nn._dagmm import DAGMM, DAGMMLoss
from skfraud.nn._deepsvdd import DeepSADLoss, HypersphereNetwork
from skfraud.nn._devnet import DeviationLoss, DeviationNetwork
from skfraud.nn._dte import DiffusionTimeClassifier, StepClassificationLoss
from skfraud.nn._layers import ACTIVATIONS, MLP
from skfraud.nn._memae import Memory, MemoryAutoEncoder, MemoryAutoEncoderLoss
from skfraud.nn._prenet import PairRegressionLoss, PairRelationNetwork
from skfraud.nn._standardize import Standardize
from skfraud.nn._vae import LOG_VAR_BOUNDS, GaussianVAE, NegativeELBO

__all__ = [
    "ACTIVATIONS",
    "DAGMM",
    "LOG_VAR_BOUNDS",
    "MLP",
    "AutoEncoder",
    "DAGMMLoss",
    "DeepSADLoss",
    "DeviationLoss",
    "DeviationNetwork",
    "DiffusionTimeClassifier",
    "GaussianVAE",
    "HypersphereNetwork",
    "Memory",
    "MemoryAutoEncoder",
    "MemoryAutoEncoderLoss",
    "NegativeELBO",
    "PairRegressionLoss",
    "PairRelationNetwork",
    "ReconstructionLoss",
    "Standardize",
    "StepClassificationLoss",
    "functional",
]
