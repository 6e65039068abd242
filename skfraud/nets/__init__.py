"""skorch layer: nets that train the modules of :mod:`skfraud.nn`, their
assembly from a detector's parameters, and batched scoring."""

from skfraud.nets._assembly import (
    DEVICE_PATTERN,
    OPTIMIZERS,
    assemble_net,
    optimizer_step,
    resolve_device,
    training_callbacks,
)
from skfraud.nets._callbacks import FiniteLossGuard, TrainingProgress
from skfraud.nets._detector_net import DetectorNet
from skfraud.nets._scoring import map_batches
from skfraud.nets._unsupervised import UnsupervisedNet

__all__ = [
    "DEVICE_PATTERN",
    "OPTIMIZERS",
    "DetectorNet",
    "FiniteLossGuard",
    "TrainingProgress",
    "UnsupervisedNet",
    "assemble_net",
    "map_batches",
    "optimizer_step",
    "resolve_device",
    "training_callbacks",
]
