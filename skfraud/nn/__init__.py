"""Pure torch layer: network modules (forward passes) and functional losses."""

from skfraud.nn import functional
from skfraud.nn._dagmm import DAGMM
from skfraud.nn._devnet import DeviationLoss, DeviationNetwork
from skfraud.nn._memae import Memory, MemoryAutoEncoder
from skfraud.nn._prenet import PairRegressionLoss, PairRelationNetwork
from skfraud.nn.modules import MLP, AutoEncoder, GaussianVAE

__all__ = [
    "DAGMM",
    "MLP",
    "AutoEncoder",
    "DeviationLoss",
    "DeviationNetwork",
    "GaussianVAE",
    "Memory",
    "MemoryAutoEncoder",
    "PairRegressionLoss",
    "PairRelationNetwork",
    "functional",
]
