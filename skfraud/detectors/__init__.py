"""The public detectors."""

from skfraud.detectors._autoencoder import AutoEncoderDetector
from skfraud.detectors._vae import VAEDetector

__all__ = ["AutoEncoderDetector", "VAEDetector"]
