"""skorch callbacks shared by every detector's net."""

import math

from skorch.callbacks import Callback, ProgressBar

__all__ = ["FiniteLossGuard", "TrainingProgress"]


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


class TrainingProgress(ProgressBar):
    """A progress bar over the batches of each epoch, sized by the iterators.

    skorch's bar divides the number of rows by the batch size, which is wrong
    for iterators that draw a fixed number of batches per epoch (balanced
    sampling); asking the iterator for its length is right for all of them.
    """

    def _get_batches_per_epoch_phase(self, net, dataset, training):
        if dataset is None:
            return 0
        return len(net.get_iterator(dataset, training=training))
