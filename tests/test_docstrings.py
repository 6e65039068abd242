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
import re
from pathlib import Path

import pytest
import torch

from tests import _public_api as public_api
from tests._public_api import all_estimators, left_out_modules, walk

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

# Guide pages whose examples use a module that needs an optional extra: they
# run where the walk of the package could import that module.
PAGE_MODULES = {"user_guide/dask.rst": "skfraud.distributed"}


def _installed(name):
    """Whether a module, or a guide page's module, imported in the walk."""
    return PAGE_MODULES.get(name, name) not in left_out_modules()


def _left_out(name):
    """A parameter that skips, saying which optional extra ``name`` needs."""
    reason = left_out_modules()[PAGE_MODULES.get(name, name)]
    return pytest.param(name, marks=pytest.mark.skip(reason=reason), id=name)


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
    """``(qualified name, is_method)`` of every public class, function, method.

    A module left out of the walk stands for its objects as one skipped name.
    """
    names = []
    for module_name in PUBLIC_MODULES:
        if not _installed(module_name):
            reason = left_out_modules()[module_name]
            names.append(
                pytest.param(module_name, False, marks=pytest.mark.skip(reason=reason))
            )
            continue
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
    modules, left_out = walk()
    found = {
        name
        for name in [*modules, *left_out]
        if name.count(".") == 1 and not name.rpartition(".")[2].startswith("_")
    }
    unlisted = found - set(PUBLIC_MODULES) - set(NOT_VALIDATED)
    assert not unlisted, f"add {sorted(unlisted)} to PUBLIC_MODULES or NOT_VALIDATED"


def test_the_extras_name_their_packages():
    # Read from skfraud's installed metadata (pyproject.toml's extras).
    optional = public_api.optional_dependencies()
    assert optional["dask"] == optional["distributed"] == "dask"
    assert optional["matplotlib"] == "plot"
    assert optional["pyod"] == "benchmark"
    assert not {"numpy", "torch", "skorch", "scikit_learn"} & set(optional)


def _raised(error, cause):
    try:
        raise error from cause
    except ImportError as raised:
        return raised


def test_only_a_missing_optional_dependency_leaves_a_module_out(monkeypatch):
    monkeypatch.setattr(
        public_api,
        "optional_dependencies",
        lambda: {"skfraud_absent_extra_package": "dask", "pytest": "test"},
    )
    missing = public_api.missing_optional_dependency
    absent = ModuleNotFoundError("no", name="skfraud_absent_extra_package.sub")
    # Re-raised with a message of the module's own, as skfraud.distributed does.
    assert missing(_raised(ImportError("install the extra"), absent)) == (
        "skfraud_absent_extra_package"
    )
    # A core dependency, or a name that is not a package of an extra.
    assert missing(ModuleNotFoundError("no", name="skfraud_absent_core")) is None
    # A package of an extra that is installed: its import is broken, not absent.
    assert missing(ModuleNotFoundError("no", name="pytest.no_such_module")) is None
    assert missing(ImportError("cannot import name 'x' from 'skfraud'")) is None


def _object_id(item):
    return item.values[0] if hasattr(item, "values") else item[0]


@pytest.mark.parametrize(
    "name, is_method", PUBLIC_OBJECTS, ids=[_object_id(item) for item in PUBLIC_OBJECTS]
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
    modules, left_out = walk()
    names = [
        name for name in modules if name.rpartition(".")[0] not in DOCTESTED_ELSEWHERE
    ]
    return sorted(names) + [_left_out(name) for name in sorted(left_out)]


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
    name = page.relative_to(DOCS).as_posix()
    if not _installed(name):
        pytest.skip(f"{name}: {left_out_modules()[PAGE_MODULES[name]]}")
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
    return all_estimators(benchmark_harness=True)


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
