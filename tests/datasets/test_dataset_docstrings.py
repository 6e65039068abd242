"""The examples in the docstrings of skfraud.datasets run as doctests."""

import doctest
import importlib
import inspect

import pytest

import skfraud.datasets

MODULES = [
    "skfraud.datasets._adbench",
    "skfraud.datasets._base",
    "skfraud.datasets._creditcard",
    "skfraud.datasets._kddcup99",
    "skfraud.datasets._odds",
    "skfraud.datasets._synthetic",
    "skfraud.datasets._vehicle_insurance",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0


@pytest.mark.parametrize("name", skfraud.datasets.__all__)
def test_public_functions_are_documented(name):
    function = getattr(skfraud.datasets, name)
    doc = function.__doc__
    sections = ["Returns\n", "Examples\n"]
    if inspect.signature(function).parameters:
        sections.append("Parameters\n")
    for section in sections:
        assert section in doc, f"{name} lacks {section.strip()}"
    assert ">>> from skfraud.datasets import" in doc
