"""Helpers of the model-file tests: fast detectors, round trips, tampering."""

import io
import json
import zipfile

import safetensors.torch

from skfraud.io import load, save

# Small networks and few epochs: the tests check storage, not learning.
FAST = {
    "hidden_dims": (8,),
    "max_epochs": 2,
    "batch_size": 64,
    "n_batches_per_epoch": 2,
    "random_state": 0,
    "device": "cpu",
}


def fast(cls, **params):
    """``cls`` with those of ``FAST`` (and ``params``) that it has."""
    names = cls._get_param_names()
    return cls(**{key: v for key, v in {**FAST, **params}.items() if key in names})


def round_trip(estimator, **load_kwargs):
    buffer = io.BytesIO()
    save(estimator, buffer)
    return load(buffer.getvalue(), **load_kwargs)


def rewrite(data, manifest=None, tensors=None, members=None):
    """The model file ``data`` with its parts changed by the given functions."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    if manifest is not None:
        content = json.loads(parts["manifest.json"])
        manifest(content)
        parts["manifest.json"] = json.dumps(content).encode()
    if tensors is not None:
        content = safetensors.torch.load(parts["model.safetensors"])
        tensors(content)
        parts["model.safetensors"] = safetensors.torch.save(content)
    if members is not None:
        members(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, part in parts.items():
            target.writestr(name, part)
    return buffer.getvalue()


def set_in(path, value):
    def change(content):
        target = content
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change
