"""skorch callbacks shared by every detector's net."""

import math

from skorch.callbacks import Callback

__all__ = ["FiniteLossGuard"]


class FiniteLossGuard(Callback):
    """Stop training with a clear error as soon as a batch loss is NaN or inf.

    Without it a diverged network keeps training on NaN weights and every
    score it produces afterwards is NaN.
    """

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        value = loss.item()
        if not math.isfinite(value):
            phase = "training" if training else "validation"
            raise FloatingPointError(
                f"The {phase} loss became {value} in epoch {len(net.history)}. "
                "Training diverged: lower `lr`, scale the features (for example "
                "with MinMaxScaler) or check X for extreme values."
            )
