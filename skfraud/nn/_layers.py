"""Network building blocks shared by the models: forward passes only.

Modules take every size and option as a required argument; the defaults live
in the detectors' signatures.
"""

from torch import nn

__all__ = ["ACTIVATIONS", "MLP"]

ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "selu": nn.SELU,
    "tanh": nn.Tanh,
}


class MLP(nn.Sequential):
    """Fully connected network: ``Linear -> activation [-> Dropout]`` per hidden
    layer, then a linear output layer.

    Parameters
    ----------
    in_features : int
    hidden_dims : sequence of int
        Widths of the hidden layers, in order. Empty for a single linear map.
    out_features : int
    activation : str
        Key of :data:`ACTIVATIONS`.
    dropout : float
        Dropout probability after each hidden activation (0 disables it).
    """

    def __init__(self, in_features, hidden_dims, out_features, activation, dropout):
        layers = []
        width = in_features
        for hidden in hidden_dims:
            layers += [nn.Linear(width, hidden), ACTIVATIONS[activation]()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = hidden
        layers.append(nn.Linear(width, out_features))
        super().__init__(*layers)
