"""skorch layer: nets that train the modules of :mod:`skfraud.nn`."""

from skfraud.nets._callbacks import FiniteLossGuard, TrainingProgress
from skfraud.nets._detector_net import DetectorNet
from skfraud.nets._unsupervised import UnsupervisedNet

__all__ = ["DetectorNet", "FiniteLossGuard", "TrainingProgress", "UnsupervisedNet"]
