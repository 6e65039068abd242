"""Docstrings of the public API: numpydoc validation, doctests, API reference.

Every public class, function and method of the user-facing modules is checked
with numpydoc's validator, as scikit-learn and imbalanced-learn do. The checks
below are the only ones ignored. Every docstring example of every skfraud
module, and every ``>>>`` example of the user guide in docs/, runs as a
doctest, so ``python -m pytest`` keeps them true.
"""

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
import torch

import skfraud

DOCS = Path(__file__).resolve().parents[1] / "docs"

# The modules a user imports from; the API reference documents each of them.
PUBLIC_MODULES = [
    "skfraud",
    "skfraud.datasets",
    "skfraud.demo",
    "skfraud.distributed",
    "skfraud.ensemble",
    "skfraud.explain",
    "skfraud.io",
    "skfraud.metrics",
    "skfraud.plotting",
    "skfraud.preprocessing",
]

# Public-looking modules that are not part of the documented user API.
NOT_VALIDATED = {
    "skfraud.base": "internal layer: the base class that detectors extend",
    "skfraud.benchmark": "the benchmark harness behind `skfraud benchmark`",
    "skfraud.cli": "the `skfraud` command; its --help is its documentation",
    "skfraud.data": "internal layer: batch iteration used by the detectors",
    "skfraud.detectors": "re-exported by skfraud, validated there",
    "skfraud.nets": "internal layer: the skorch nets inside the detectors",
    "skfraud.nn": "internal layer: torch modules and functional losses",
}

# Modules and pages that need an optional extra, with what the extra brings:
# checked only where it is installed.
DASK_EXTRA = ("distributed", "dask.dataframe")
NEEDS_EXTRA = {"skfraud.distributed": DASK_EXTRA, "user_guide/dask.rst": DASK_EXTRA}


def _installed(name):
    try:
        for module_name in NEEDS_EXTRA.get(name, ()):
            importlib.import_module(module_name)
    except ImportError:
        return False
    return True


IGNORED_CHECKS = {
    # An extended summary adds nothing to a short, self-explaining docstring.
    "ES01",
    # A "See Also" section is written where there is something to point to.
    "SA01",
    # Returns entries are named as in scikit-learn ("self : object",
    # "scores : ndarray of shape ..."), which numpydoc reads as a type line
    # holding more than the type.
    "RT02",
}

# Methods are shown at work in their class's Examples section.
IGNORED_FOR_METHODS = {"EX01"}

IGNORED_FOR_OBJECT = {
    # A frozen record returned by tune_threshold: its fields are documented
    # as Attributes, which numpydoc looks for under Parameters.
    "skfraud.metrics.ThresholdResult": {"PR01"},
}


def _public_objects():
    """``(qualified name, is_method)`` of every public class, function, method."""
    names = []
    for module_name in filter(_installed, PUBLIC_MODULES):
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            # Module attributes such as the ready-made scorer instances are
            # described in the prose of the API reference.
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            qualified = f"{module_name}.{name}"
            names.append((qualified, False))
            if inspect.isclass(obj):
                names += [(f"{qualified}.{m}", True) for m in _own_methods(obj)]
    return names


def _own_methods(cls):
    """Public methods and properties that skfraud defines (not inherited ones)."""
    methods = []
    for name, value in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        function = value.fget if isinstance(value, property) else value
        if not callable(function):
            continue
        if getattr(function, "__module__", "").partition(".")[0] != "skfraud":
            continue
        methods.append(name)
    return methods


PUBLIC_OBJECTS = _public_objects()


def test_every_public_module_is_validated_or_excused():
    found = {
        f"skfraud.{info.name}"
        for info in pkgutil.iter_modules(skfraud.__path__)
        if not info.name.startswith("_")
    }
    unlisted = found - set(PUBLIC_MODULES) - set(NOT_VALIDATED)
    assert not unlisted, f"add {sorted(unlisted)} to PUBLIC_MODULES or NOT_VALIDATED"


@pytest.mark.parametrize(
    "name, is_method", PUBLIC_OBJECTS, ids=[name for name, _ in PUBLIC_OBJECTS]
)
def test_docstring(name, is_method):
    numpydoc_validate = pytest.importorskip("numpydoc.validate")
    ignored = IGNORED_CHECKS | IGNORED_FOR_OBJECT.get(name, set())
    if is_method:
        ignored |= IGNORED_FOR_METHODS
    result = numpydoc_validate.validate(name)
    errors = [
        f"{code}: {message}"
        for code, message in result["errors"]
        if code not in ignored
    ]
    assert not errors, f"{name} ({result['file']}:{result['file_line']}):\n" + (
        "\n".join(errors)
    )


def test_api_reference_lists_every_public_name():
    reference = (DOCS / "api.rst").read_text(encoding="utf-8")
    missing = [
        f"{module_name}.{name}"
        for module_name in filter(_installed, PUBLIC_MODULES)
        for name in importlib.import_module(module_name).__all__
        if not re.search(rf"\b{re.escape(name)}\b", reference)
    ]
    assert not missing, f"docs/api.rst does not list {missing}"


# Packages whose doctests another test file already runs.
DOCTESTED_ELSEWHERE = {
    "skfraud.datasets": "tests/datasets/test_dataset_docstrings.py",
    "skfraud.plotting": "tests/test_plotting.py",
}


def _doctest_modules():
    names = ["skfraud"]
    for info in pkgutil.walk_packages(skfraud.__path__, prefix="skfraud."):
        # Importing __main__ runs the command line.
        if info.name.rpartition(".")[2] == "__main__":
            continue
        if info.name.rpartition(".")[0] in DOCTESTED_ELSEWHERE:
            continue
        if not _installed(info.name):
            continue
        names.append(info.name)
    return sorted(names)


@pytest.fixture
def _example_runtime():
    """Figures without a display, and torch on one thread.

    The examples train tiny networks, which run fastest on one thread, and
    far faster than on several threads of a busy machine.
    """
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n_threads)
    plt.close("all")


@pytest.mark.parametrize("module_name", _doctest_modules())
def test_doctests(module_name, _example_runtime):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    )
    report = []
    for test in finder.find(module, module_name):
        # Objects re-exported from elsewhere are tested in their own module.
        if test.filename != getattr(module, "__file__", None):
            continue
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


GUIDE_PAGES = sorted(
    path for path in DOCS.rglob("*.rst") if ">>>" in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    "page", GUIDE_PAGES, ids=[str(p.relative_to(DOCS)) for p in GUIDE_PAGES]
)
def test_documentation_examples(page, _example_runtime):
    if not _installed(page.relative_to(DOCS).as_posix()):
        pytest.skip(f"{page.name} needs an optional extra that is not installed")
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
        verbose=False,
        report=True,
    )
    assert result.failed == 0, f"{result.failed} example(s) of {page.name} failed"


# ---- documented defaults ------------------------------------------------------


def _public_estimator_classes():
    """Every estimator class a user can import from a public skfraud module."""
    from sklearn.base import BaseEstimator

    internal = ("skfraud.base", "skfraud.data", "skfraud.nets", "skfraud.nn")
    found = {}
    for module_info in pkgutil.walk_packages(skfraud.__path__, "skfraud."):
        name = module_info.name
        if name.startswith(internal) or any(
            part.startswith("_") for part in name.split(".")
        ):
            continue
        module = importlib.import_module(module_info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not obj.__name__.startswith("_")
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    for name in skfraud.__all__:
        obj = getattr(skfraud, name)
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[key] for key in sorted(found)]


_DEFAULT = re.compile(r"default\s*=\s*(.+)$")


def _documented_defaults(cls):
    from numpydoc.docscrape import NumpyDocString

    documented = {}
    for parameter in NumpyDocString(inspect.getdoc(cls))["Parameters"]:
        match = _DEFAULT.search(parameter.type)
        if match:
            for name in parameter.name.split(","):
                documented[name.strip()] = match.group(1).strip()
    return documented


def test_public_estimators_are_found():
    names = {cls.__name__ for cls in _public_estimator_classes()}
    assert {"AutoEncoderDetector", "DAGMMDetector", "DevNetDetector"} <= names


@pytest.mark.parametrize(
    "cls", _public_estimator_classes(), ids=lambda cls: cls.__name__
)
def test_documented_defaults_are_the_signature_defaults(cls):
    pytest.importorskip("numpydoc")
    import ast

    documented = _documented_defaults(cls)
    parameters = inspect.signature(cls.__init__).parameters.values()
    signature = {p.name: p.default for p in parameters if p.default is not p.empty}
    required = [
        p.name
        for p in parameters
        if p.default is p.empty
        and p.name != "self"
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    # A wrapper that needs an argument cannot be built bare: its signature
    # holds the defaults that get_params would report.
    actual = signature if required else cls().get_params(deep=False)
    assert documented or not signature, f"{cls.__name__} documents no default"
    for name, text in documented.items():
        assert name in actual, f"{cls.__name__} documents unknown parameter {name}"
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            pytest.fail(f"{cls.__name__}.{name}: default={text} is not a literal")
        assert value == actual[name] and type(value) is type(actual[name]), (
            f"{cls.__name__}.{name}: documented default={text}, "
            f"signature default={actual[name]!r}"
        )
