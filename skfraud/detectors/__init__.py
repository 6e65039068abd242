"""The public detectors."""

from skfraud.detectors._autoencoder import AutoEncoderDetector
from skfraud.detectors._dagmm import DAGMMDetector
from skfraud.detectors._deepsvdd import DeepSVDDDetector
from skfraud.detectors._devnet import DevNetDetector
from skfraud.detectors._dte import DTEDetector
from skfraud.detectors._knn import KNNDetector
from skfraud.detectors._memae import MemAEDetector
from skfraud.detectors._prenet import PReNetDetector
from skfraud.detectors._vae import VAEDetector

__all__ = [
    "AutoEncoderDetector",
    "DAGMMDetector",
    "DTEDetector",
    "DeepSVDDDetector",
    "DevNetDetector",
    "KNNDetector",
    "MemAEDetector",
    "PReNetDetector",
    "VAEDetector",
]
