"""A fitted detector as plain data and weights, and back.

A detector is stored as its class name, its parameters, its fitted
attributes and the state dicts of its net's modules. Loading looks the class
up among skfraud's own detectors, rebuilds the network from the parameters
through the detector's ``_restore_net`` (the same assembly as ``fit``) and
loads the weights into it after checking their names, shapes and dtypes.
Nothing here is specific to one detector.
"""

from numbers import Integral

from sklearn.utils.validation import check_is_fitted

from skfraud._deep import BaseDeepDetector
from skfraud.io._codec import decode, encode

__all__ = ["detector_classes", "read_detector", "write_detector"]

# Set by fit but not saved: the net is saved as weights.
_NET = "net_"


def detector_classes():
    """``{name: class}`` of the detectors a model file may name."""
    from skfraud import detectors

    classes = (getattr(detectors, name) for name in detectors.__all__)
    return {
        cls.__name__: cls
        for cls in classes
        if isinstance(cls, type) and issubclass(cls, BaseDeepDetector)
    }


def write_detector(detector, tensors, where, template=False):
    """The manifest entry of a fitted skfraud detector; weights go to ``tensors``.

    A ``template`` (a composition's unfitted parameter) is stored by its
    parameters alone when it is not fitted.
    """
    name = type(detector).__name__
    if detector_classes().get(name) is not type(detector):
        raise TypeError(
            f"{where} is a {type(detector).__module__}.{type(detector).__qualname__}; "
            "a skfraud model file holds skfraud's own detector classes only. "
            "Use pickle or joblib for subclasses, and load such files only "
            "from sources you trust."
        )
    params = detector.get_params(deep=False)
    if params.get("callbacks"):
        raise TypeError(
            f"{where} has extra skorch callbacks, which a model file cannot "
            "store as plain data. They act during training only: call "
            "set_params(callbacks=None) before saving, or use pickle or joblib."
        )
    if template and not hasattr(detector, _NET):
        return {
            "class": name,
            "params": encode(params, tensors, f"{where}.params"),
            "fitted": False,
        }
    check_is_fitted(detector)
    attributes = {
        key: value
        for key, value in vars(detector).items()
        if key not in params and key != _NET
    }
    net = detector.net_
    modules = {}
    for module_name in _module_names(net):
        module = getattr(net, f"{module_name}_")
        buffers = {key for key, _ in module.named_buffers()}
        modules[module_name] = {"parameters": [], "buffers": []}
        for key, tensor in module.state_dict().items():
            tensors[f"{where}.{module_name}.{key}"] = tensor.detach().cpu().clone()
            kind = "buffers" if key in buffers else "parameters"
            modules[module_name][kind].append(key)
    return {
        "class": name,
        "params": encode(params, tensors, f"{where}.params"),
        "attributes": encode(attributes, tensors, f"{where}.attributes"),
        "modules": modules,
    }


def _module_names(net):
    """The skorch net's modules and criteria whose state is the model."""
    # skorch registers every module and criterion it initialises in these.
    return [*net._modules, *net._criteria]


def read_detector(entry, tensors, where, device, template=False):
    """The detector that :func:`write_detector` described in ``entry``: fitted,
    or unfitted where it was stored as a ``template``."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where} is not a detector entry.")
    name = entry.get("class")
    cls = detector_classes().get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(
            f"{where} names the class {name!r}, which is not a skfraud detector; "
            f"a model file may hold only {sorted(detector_classes())}."
        )
    params = decode(entry.get("params"), tensors, f"{where}.params")
    if not isinstance(params, dict):
        raise ValueError(f"{where} lacks its params.")
    unknown = sorted(set(params) - set(cls._get_param_names()))
    if unknown:
        raise ValueError(
            f"{where} sets the parameters {unknown}, which this version's "
            f"{name} does not have."
        )
    detector = cls(**params)
    if entry.get("fitted") is False:
        if not template:
            raise ValueError(
                f"{where} is an unfitted detector where a fitted one belongs."
            )
        return detector
    attributes = decode(
        entry.get("attributes"), tensors, f"{where}.attributes", device=device
    )
    if not isinstance(attributes, dict):
        raise ValueError(f"{where} lacks its attributes.")
    reserved = {*cls._get_param_names(), _NET}
    for key, value in attributes.items():
        # A name the class defines (a method, a dunder) is no fitted attribute.
        if not key.isidentifier() or key in reserved or hasattr(cls, key):
            raise ValueError(f"{where} sets the invalid attribute {key!r}.")
        setattr(detector, key, value)
    n_features = attributes.get("n_features_in_")
    if (
        not isinstance(n_features, Integral)
        or isinstance(n_features, bool)
        or (n_features < 1)
    ):
        raise ValueError(f"{where} lacks a valid n_features_in_.")
    try:
        net = detector._restore_net(int(n_features), device)
    except ValueError as error:
        raise ValueError(
            f"{where}: the network of {name} cannot be rebuilt from the saved "
            f"parameters: {error}"
        ) from error
    _load_states(net, entry.get("modules"), tensors, where)
    if "history_" in attributes:
        net.history = detector.history_
    detector.net_ = net
    return detector


def _load_states(net, modules, tensors, where):
    """Load the saved state dicts into ``net`` after checking every tensor.

    Parameters must have the names, shapes and dtypes of the rebuilt
    network: they are its architecture. Buffers hold state computed from the
    data at fit (reference rows, a centre), so a saved buffer may differ in
    size from the rebuilt one, or be registered on a submodule only at fit;
    its dtype and number of dimensions must still match.
    """
    expected_modules = _module_names(net)
    if not isinstance(modules, dict) or sorted(modules) != sorted(expected_modules):
        raise ValueError(
            f"{where} holds weights for the modules "
            f"{sorted(modules) if isinstance(modules, dict) else modules!r}; "
            f"the network has {sorted(expected_modules)}."
        )
    for module_name in expected_modules:
        saved = modules[module_name]
        module = getattr(net, f"{module_name}_")
        prefix = f"{where}.{module_name}"
        if not isinstance(saved, dict) or not all(
            isinstance(saved.get(kind), list)
            and all(isinstance(key, str) for key in saved[kind])
            for kind in ("parameters", "buffers")
        ):
            raise ValueError(f"{prefix} lacks its lists of parameters and buffers.")
        state = module.state_dict()
        buffers = {key for key, _ in module.named_buffers()} & set(state)
        _check_names(
            set(saved["parameters"]), set(state) - buffers, "parameters", prefix
        )
        # Buffers registered only at fit are put back below.
        _check_names(set(saved["buffers"]) & buffers, buffers, "buffers", prefix)
        loaded = {}
        for key in saved["parameters"]:
            loaded[key] = _saved_tensor(tensors, f"{prefix}.{key}")
            _check_tensor(loaded[key], state[key], f"{prefix}.{key}", same_shape=True)
        for key in saved["buffers"]:
            loaded[key] = _saved_tensor(tensors, f"{prefix}.{key}")
            if key in state:
                _check_tensor(loaded[key], state[key], f"{prefix}.{key}")
            if key not in state or loaded[key].shape != state[key].shape:
                _register_buffer(
                    module, key, loaded[key].to(net.device), f"{prefix}.{key}"
                )
        module.load_state_dict(loaded)


def _check_names(saved, expected, kind, where):
    if saved != expected:
        missing = sorted(expected - saved)
        extra = sorted(saved - expected)
        raise ValueError(
            f"{where}: the saved {kind} do not match the network (missing "
            f"{missing}, unexpected {extra})."
        )


def _saved_tensor(tensors, name):
    tensor = tensors.get(name)
    if tensor is None:
        raise ValueError(f"The tensor {name!r} is missing from the model file.")
    return tensor


def _check_tensor(tensor, reference, name, *, same_shape=False):
    if (
        tensor.dtype != reference.dtype
        or tensor.dim() != reference.dim()
        or (same_shape and tensor.shape != reference.shape)
    ):
        raise ValueError(
            f"The tensor {name!r} has shape {tuple(tensor.shape)} and dtype "
            f"{tensor.dtype}; the network expects {tuple(reference.shape)} and "
            f"{reference.dtype}."
        )


def _register_buffer(module, key, tensor, name):
    """Give ``module`` the buffer ``key`` (``"sub.name"``) as saved."""
    path, _, leaf = key.rpartition(".")
    try:
        owner = module.get_submodule(path)
        is_free = leaf.isidentifier() and (
            leaf in owner._buffers or not hasattr(owner, leaf)
        )
        if not is_free:
            raise KeyError(leaf)
        owner.register_buffer(leaf, tensor)
    except (AttributeError, KeyError):
        raise ValueError(
            f"The buffer {name!r} has no place in the rebuilt network."
        ) from None
