"""skfraud's modules and public estimators, found by walking the package.

Every test that walks the package walks it here, as scikit-learn's
``all_estimators()`` does. A module whose import fails because an optional
dependency is not installed (Dask for ``skfraud.distributed``) is left out
and recorded with the extra that brings the dependency, so that the suite
passes after ``pip install -e ".[test]"`` alone and says what it did not
check. Any other ``ImportError`` propagates: a broken module fails the
suite loudly.
"""

import functools
import importlib
import importlib.metadata
import importlib.util
import inspect
import pkgutil
import re

import skfraud

# Layers below the public API: their classes are building blocks that the
# public estimators extend or hold, not estimators a user fits.
INTERNAL_LAYERS = ("skfraud.base", "skfraud.data", "skfraud.nets", "skfraud.nn")
# The harness behind `skfraud benchmark`: its estimators adapt peers
# (PyOD's models, classifiers) for the benchmark runs.
BENCHMARK_HARNESS = "skfraud.benchmark"


def _top_level(name):
    return re.split(r"[^A-Za-z0-9_]", name.replace("-", "_"), maxsplit=1)[0].lower()


@functools.cache
def optional_dependencies():
    """``{import name: extra}`` of the packages that only an extra brings.

    Read from skfraud's installed metadata: the requirements of each extra
    that are not core dependencies, and what those bring for the extras they
    are asked with. A package in several extras is named with the smallest
    of them.
    """
    from packaging.requirements import Requirement

    try:
        lines = importlib.metadata.requires("skfraud") or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    core, by_extra = set(), {}
    for line in lines:
        requirement = Requirement(line)
        marker = str(requirement.marker) if requirement.marker else ""
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        if extra is None:
            core.add(_top_level(requirement.name))
        else:
            by_extra.setdefault(extra.group(1), []).append(requirement)
    found = {}
    for extra, requirements in sorted(by_extra.items(), key=lambda item: len(item[1])):
        for requirement in requirements:
            for name in [requirement.name, *_requested_by(requirement)]:
                module = _top_level(name)
                if module not in core:
                    found.setdefault(module, extra)
    return found


def _requested_by(requirement):
    """What an installed requirement brings for the extras asked of it.

    ``dask[dataframe]`` brings pyarrow; the packages a requirement always
    needs come with its own install, and are not counted.
    """
    from packaging.requirements import Requirement

    try:
        lines = importlib.metadata.requires(requirement.name) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    names = []
    for line in lines:
        brought = Requirement(line)
        if brought.marker is not None and any(
            brought.marker.evaluate({"extra": extra}) for extra in requirement.extras
        ):
            names.append(brought.name)
    return names


def missing_optional_dependency(error):
    """The optional package whose absence caused ``error``, or None.

    Follows the chain of exceptions (a module may re-raise the
    ``ModuleNotFoundError`` with a message of its own) and accepts only a
    package that one of skfraud's extras brings and that is really not
    installed: a missing core dependency, or a broken import inside an
    installed package, is not optional.
    """
    optional = optional_dependencies()
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, ModuleNotFoundError) and error.name:
            package = error.name.partition(".")[0]
            if package in optional and importlib.util.find_spec(package) is None:
                return package
        error = error.__cause__ or error.__context__
    return None


def install_hint(package):
    """What to install for ``package``, from the extra that brings it."""
    return f"pip install 'skfraud[{optional_dependencies()[package]}]'"


@functools.cache
def walk():
    """``(modules, left_out)`` of the whole package.

    ``modules`` maps every importable module name, private ones included,
    to the module (``skfraud.__main__`` is not imported: importing it runs
    the command line). ``left_out`` maps each module that needs a missing
    optional dependency to a sentence naming the dependency and the extra.
    """
    modules, left_out = {"skfraud": skfraud}, {}

    def on_error(name):
        # walk_packages imports packages to look inside them; the import
        # below reports the error of a package it could not import.
        left_out.setdefault(name, None)

    infos = list(pkgutil.walk_packages(skfraud.__path__, "skfraud.", onerror=on_error))
    names = {info.name for info in infos} | set(left_out)
    for name in sorted(names):
        if name.rpartition(".")[2] == "__main__" or _inside(name, left_out):
            continue
        try:
            modules[name] = importlib.import_module(name)
        except ImportError as error:
            package = missing_optional_dependency(error)
            if package is None:
                raise
            left_out[name] = (
                f"{name} left out: it needs {package}, which is not installed "
                f"({install_hint(package)})"
            )
    return modules, {name: why for name, why in left_out.items() if why}


def _inside(name, packages):
    return any(name.startswith(f"{package}.") for package in packages)


def left_out_modules():
    """``{module name: reason}`` of the modules the walk could not import."""
    return walk()[1]


def is_public(name):
    """Whether a module name has no private part (``skfraud._pipeline``)."""
    return not any(part.startswith("_") for part in name.split("."))


def public_modules():
    """``{name: module}`` of the public modules that imported."""
    return {name: module for name, module in walk()[0].items() if is_public(name)}


def all_estimators(*, benchmark_harness=False):
    """Every estimator class exported by a public skfraud module, sorted by name.

    An estimator is a scikit-learn ``BaseEstimator`` subclass named in the
    ``__all__`` of a public module, whatever private module defines it.
    Base classes (named ``Base...``, or abstract) and the internal layers are
    left out, and so is the benchmark harness unless ``benchmark_harness`` is
    true.
    """
    from sklearn.base import BaseEstimator

    excluded = INTERNAL_LAYERS + (() if benchmark_harness else (BENCHMARK_HARNESS,))
    found = set()
    for name, module in public_modules().items():
        if name in excluded or _inside(name, excluded):
            continue
        for attribute in getattr(module, "__all__", ()):
            obj = getattr(module, attribute)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not obj.__name__.startswith(("_", "Base"))
                and not inspect.isabstract(obj)
            ):
                found.add(obj)
    return sorted(found, key=lambda cls: (cls.__name__, cls.__module__))
