"""The harness's modules import each other without a cycle, and skfraud only
through public paths; so do the study scripts in ``benchmarks/``."""

import ast

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "skfraud" / "benchmark"
SCRIPTS = sorted((REPO_ROOT / "benchmarks").glob("*.py"))


def _imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _module_name(path):
    return "skfraud.benchmark" + ("" if path.stem == "__init__" else f".{path.stem}")


def _cycles(graph):
    cycles = set()

    def visit(module, path):
        for imported in graph.get(module, ()):
            if imported in path:
                cycle = path[path.index(imported) :]
                start = cycle.index(min(cycle))
                cycles.add(tuple(cycle[start:] + cycle[:start]))
            else:
                visit(imported, [*path, imported])

    for module in graph:
        visit(module, [module])
    return cycles


def test_the_harness_modules_form_no_import_cycle():
    graph = {
        _module_name(path): {
            module
            for module in _imported_modules(path)
            if module.startswith("skfraud.benchmark.")
        }
        for path in PACKAGE.glob("*.py")
        if path.stem != "__init__"
    }
    assert graph["skfraud.benchmark._models"]  # the check reads imports at all
    assert not _cycles(graph)


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == {("a", "b", "c")}


def _private_skfraud_imports(path, allowed=()):
    return [
        module
        for module in _imported_modules(path)
        if module.split(".")[0] == "skfraud"
        and any(part.startswith("_") for part in module.split(".")[1:])
        and not module.startswith(allowed)
    ]


def test_the_harness_imports_the_rest_of_skfraud_through_public_paths():
    allowed = (
        "skfraud.benchmark.",
        # The ADBench file sizes, for the report's line on each set: public
        # only through load_adbench, which reads the file.
        "skfraud.datasets._adbench",
    )
    for path in PACKAGE.glob("*.py"):
        assert not _private_skfraud_imports(path, allowed), path.name


def test_the_study_scripts_import_skfraud_through_public_paths():
    assert SCRIPTS
    for path in SCRIPTS:
        assert not _private_skfraud_imports(path), path.name
