"""skorch net for detectors that learn to reproduce their input."""

from skfraud.nets._detector_net import DetectorNet

__all__ = ["UnsupervisedNet"]


class UnsupervisedNet(DetectorNet):
    """A :class:`DetectorNet` whose criterion compares the module's output
    with the input batch instead of a target.

    Only :meth:`get_loss` differs from skorch's; fitting, callbacks, history,
    devices and pickling are skorch's own.
    """

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return self.criterion_(y_pred, X)
