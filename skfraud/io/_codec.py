"""Plain data: the values a model file can hold, as JSON and named tensors.

A value becomes JSON; numeric arrays and tensors become entries of the
file's safetensors part, which the JSON refers to by name. Reading builds
values of a fixed set of types only: it never imports, looks up or calls
anything that the file names, except an optimizer class of ``torch.optim``
(checked to be one).
"""

import math

import numpy as np
import torch
from skorch.history import History

__all__ = ["decode", "encode"]

_TAG = "__type__"

# Dtype kinds stored as tensors (bool, signed, unsigned, float) and as JSON
# lists (Python objects such as the strings of feature_names_in_, unicode).
_NUMERIC_KINDS = "biuf"
_LISTED_KINDS = "OU"


def _cannot_store(value, where):
    if isinstance(value, type):
        return TypeError(
            f"{where} is the class {value.__module__}.{value.__qualname__}; a "
            "skfraud model file stores a class only if it is an optimizer of "
            "torch.optim, by its name."
        )
    return TypeError(
        f"{where} is a {type(value).__module__}.{type(value).__qualname__}, "
        "which a skfraud model file cannot store as plain data."
    )


def encode(value, tensors, where):
    """``value`` as JSON; arrays and tensors are added to ``tensors``.

    Parameters
    ----------
    value : object
        None, bool, int, float, str, list, tuple, dict with str keys, NumPy
        scalar or array, torch tensor, skorch ``History``, NumPy
        ``RandomState`` or an optimizer class of ``torch.optim``, nested.
    tensors : dict
        Receives ``{name: tensor}`` for the arrays and tensors; names are
        ``where`` paths, unique within the file.
    where : str
        Where the value sits (``"0.attributes.offset_"``), for names and
        messages.

    Returns
    -------
    json_value : object
        Made of JSON types only.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.generic):
        return _encode_numpy_scalar(value, tensors, where)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _encode_float(value)
    if isinstance(value, History):
        return {_TAG: "history", "items": _encode_items(value, tensors, where)}
    if isinstance(value, list):
        return _encode_items(value, tensors, where)
    if isinstance(value, tuple):
        return {_TAG: "tuple", "items": _encode_items(value, tensors, where)}
    if isinstance(value, dict):
        return _encode_dict(value, tensors, where)
    if isinstance(value, np.ndarray):
        return _encode_array(value, tensors, where)
    if isinstance(value, torch.Tensor):
        tensors[where] = value.detach().cpu().contiguous().clone()
        return {
            _TAG: "tensor",
            "tensor": where,
            "follows_device": value.device.type != "cpu",
        }
    if isinstance(value, np.random.RandomState):
        state = value.get_state(legacy=True)
        return {_TAG: "random_state", "state": encode(state, tensors, where)}
    if isinstance(value, type) and _is_torch_optimizer(value):
        return {_TAG: "optimizer", "name": value.__name__}
    raise _cannot_store(value, where)


def _encode_items(items, tensors, where):
    return [encode(item, tensors, f"{where}[{i}]") for i, item in enumerate(items)]


def _encode_float(value):
    if math.isfinite(value):
        return float(value)
    # Strict JSON has no NaN or infinity.
    return {_TAG: "float", "value": repr(float(value))}


def _encode_numpy_scalar(value, tensors, where):
    if value.dtype.kind not in _NUMERIC_KINDS:
        if isinstance(value, np.str_):
            return str(value)
        raise _cannot_store(value, where)
    return {
        _TAG: "numpy_scalar",
        "dtype": value.dtype.name,
        "value": encode(value.item(), tensors, where),
    }


def _encode_dict(value, tensors, where):
    if not all(isinstance(key, str) for key in value):
        raise TypeError(
            f"{where} is a dict with keys that are not strings, which a "
            "skfraud model file cannot store as plain data."
        )
    return {
        _TAG: "dict",
        "items": {
            key: encode(item, tensors, f"{where}.{key}") for key, item in value.items()
        },
    }


def _encode_array(value, tensors, where):
    kind = value.dtype.kind
    if kind in _NUMERIC_KINDS:
        array = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("="))
        record = {_TAG: "ndarray", "tensor": where}
        if kind == "u" and array.itemsize > 1:
            # Wide unsigned tensors (a RandomState's uint32 key) are not
            # storable with every torch and safetensors release: the bits go
            # in as the signed type of the same width and come back as they
            # were.
            record["unsigned"] = True
            array = array.view(f"i{array.itemsize}")
        try:
            tensors[where] = torch.from_numpy(array).clone()
        except TypeError as error:
            raise TypeError(
                f"{where} is an array of dtype {value.dtype}, which a skfraud "
                "model file cannot store."
            ) from error
        return record
    if kind in _LISTED_KINDS:
        return {
            _TAG: "ndarray",
            "dtype": value.dtype.str if kind == "U" else "object",
            "shape": list(value.shape),
            "items": _encode_items(value.ravel().tolist(), tensors, where),
        }
    raise TypeError(
        f"{where} is an array of dtype {value.dtype}, which a skfraud model "
        "file cannot store."
    )


def _is_torch_optimizer(value):
    return (
        issubclass(value, torch.optim.Optimizer)
        and getattr(torch.optim, value.__name__, None) is value
    )


# ---- reading --------------------------------------------------------------


def decode(data, tensors, where, *, device="cpu"):
    """The value that :func:`encode` wrote as ``data``.

    Parameters
    ----------
    data : object
        JSON as :func:`encode` returns it, read from a file.
    tensors : dict
        ``{name: tensor}`` read from the file's safetensors part, on the CPU.
    where : str
        Where the value sits, for messages.
    device : str, default="cpu"
        Where the tensors that were saved from an accelerator go.

    Returns
    -------
    value : object

    Raises
    ------
    ValueError
        If ``data`` is not something :func:`encode` writes.
    """
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [
            decode(item, tensors, f"{where}[{i}]", device=device)
            for i, item in enumerate(data)
        ]
    if not isinstance(data, dict) or not isinstance(data.get(_TAG), str):
        raise ValueError(f"{where} holds {data!r}, which is not a stored value.")
    reader = _READERS.get(data[_TAG])
    if reader is None:
        raise ValueError(f"{where} has the unknown value type {data[_TAG]!r}.")
    return reader(data, tensors, where, device)


def _field(data, name, kind, where):
    value = data.get(name)
    if not isinstance(value, kind):
        raise ValueError(f"{where} lacks a valid {name!r} field.")
    return value


def _read_items(data, tensors, where, device):
    items = _field(data, "items", list, where)
    return [
        decode(item, tensors, f"{where}[{i}]", device=device)
        for i, item in enumerate(items)
    ]


def _read_tuple(data, tensors, where, device):
    return tuple(_read_items(data, tensors, where, device))


def _read_history(data, tensors, where, device):
    return History(_read_items(data, tensors, where, device))


def _read_dict(data, tensors, where, device):
    items = _field(data, "items", dict, where)
    return {
        key: decode(item, tensors, f"{where}.{key}", device=device)
        for key, item in items.items()
    }


def _read_float(data, tensors, where, device):
    text = _field(data, "value", str, where)
    if text not in ("nan", "inf", "-inf"):
        raise ValueError(f"{where} holds the float {text!r}; expected nan or inf.")
    return float(text)


def _read_dtype(name, kinds, where):
    try:
        dtype = np.dtype(name)
    except (TypeError, ValueError):
        dtype = None
    if dtype is None or dtype.kind not in kinds:
        raise ValueError(f"{where} has the unsupported dtype {name!r}.")
    return dtype


def _read_numpy_scalar(data, tensors, where, device):
    dtype = _read_dtype(_field(data, "dtype", str, where), _NUMERIC_KINDS, where)
    value = decode(data.get("value"), tensors, where)
    if not isinstance(value, bool | int | float):
        raise ValueError(f"{where} holds a {dtype} scalar without a number.")
    return dtype.type(value)


def _tensor(data, tensors, where):
    name = _field(data, "tensor", str, where)
    if name not in tensors:
        raise ValueError(f"{where} refers to the tensor {name!r}, which is missing.")
    return tensors[name]


def _read_array(data, tensors, where, device):
    if "tensor" in data:
        tensor = _tensor(data, tensors, where)
        try:
            array = tensor.numpy()
        except TypeError:
            raise ValueError(
                f"{where} is a tensor of dtype {tensor.dtype}, which no saved "
                "array has."
            ) from None
        if data.get("unsigned") is True:
            if array.dtype.kind != "i":
                raise ValueError(
                    f"{where} is marked unsigned but holds {array.dtype} values."
                )
            array = array.view(f"u{array.itemsize}")
        return array
    dtype = _read_dtype(_field(data, "dtype", str, where), _LISTED_KINDS, where)
    shape = _field(data, "shape", list, where)
    items = _read_items(data, tensors, where, device)
    if not all(isinstance(size, int) and size >= 0 for size in shape) or (
        math.prod(shape) != len(items)
    ):
        raise ValueError(f"{where} holds {len(items)} items for the shape {shape}.")
    array = np.empty(len(items), dtype=dtype)
    array[:] = items
    return array.reshape(shape)


def _read_tensor(data, tensors, where, device):
    tensor = _tensor(data, tensors, where)
    return tensor.to(device) if data.get("follows_device") is True else tensor


def _read_random_state(data, tensors, where, device):
    state = decode(data.get("state"), tensors, where)
    random_state = np.random.RandomState()
    try:
        random_state.set_state(state)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where} holds an invalid RandomState: {error}") from None
    return random_state


def _read_optimizer(data, tensors, where, device):
    name = _field(data, "name", str, where)
    optimizer = getattr(torch.optim, name, None)
    if not (
        isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)
    ):
        raise ValueError(f"{where} names {name!r}, which is not a torch optimizer.")
    return optimizer


_READERS = {
    "tuple": _read_tuple,
    "history": _read_history,
    "dict": _read_dict,
    "float": _read_float,
    "numpy_scalar": _read_numpy_scalar,
    "ndarray": _read_array,
    "tensor": _read_tensor,
    "random_state": _read_random_state,
    "optimizer": _read_optimizer,
}
