"""Pure torch layer: network modules (forward passes) and functional losses."""

from skfraud.nn import functional
from skfraud.nn._dagmm import DAGMM
from skfraud.nn._deepsvdd import DeepSADLoss, HypersphereNetwork
from skfraud.nn._devnet import DeviationLoss, DeviationNetwork
from skfraud.nn._dte import DiffusionTimeClassifier, StepClassificationLoss
from skfraud.nn._memae import Memory, MemoryAutoEncoder
from skfraud.nn._standardize import Standardize
from skfraud.nn.modules import MLP, AutoEncoder, GaussianVAE

__all__ = [
    "DAGMM",
    "MLP",
    "AutoEncoder",
    "DeepSADLoss",
    "DeviationLoss",
    "DeviationNetwork",
    "DiffusionTimeClassifier",
    "GaussianVAE",
    "HypersphereNetwork",
    "Memory",
    "MemoryAutoEncoder",
    "Standardize",
    "StepClassificationLoss",
    "functional",
]
