"""Pure torch layer: network modules (forward passes) and functional losses."""

from skfraud.nn import functional
from skfraud.nn.modules import MLP, AutoEncoder, GaussianVAE

__all__ = ["MLP", "AutoEncoder", "GaussianVAE", "functional"]
