"""Sphinx configuration of the skfraud documentation."""

import os
import warnings

import torch

import skfraud

# The gallery and the API pages draw figures without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

# The examples run from their own folder, so a relative data folder (such as
# SKFRAUD_DATA=../shared/data) is resolved here, from the folder that
# sphinx-build was started in.
_data_home = os.environ.get("SKFRAUD_DATA")
if _data_home and not os.path.isabs(os.path.expanduser(_data_home)):
    os.environ["SKFRAUD_DATA"] = os.path.join(
        os.environ.get("PWD", os.getcwd()), _data_home
    )

# The gallery runs its examples in this process. Small tabular networks train
# fastest on one thread, and far faster than on several threads of a busy
# machine (such as a CI runner).
torch.set_num_threads(1)

project = "skfraud"
author = "The skfraud developers"
copyright = "The skfraud developers"
release = skfraud.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "examples/README.rst"]
root_doc = "index"
default_role = "literal"

# -- API reference ---------------------------------------------------------

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# numpydoc writes the member tables itself from the autosummary templates.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Docstrings are validated by tests/test_docstrings.py, which lists the
# checks it ignores; the build does not repeat it.
numpydoc_validation_checks = set()

# -- Example gallery -------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("skfraud",),
    "backreferences_dir": os.path.join("gen_modules", "backreferences"),
    "reference_url": {"skfraud": None},
    "abort_on_example_error": True,
    "remove_config_comments": True,
    "show_memory": False,
    "plot_gallery": "True",
    "matplotlib_animations": False,
    "download_all_examples": False,
}

# matplotlib warns when the Agg backend is asked to show figures; the
# gallery collects them without showing.
warnings.filterwarnings(
    "ignore",
    category=UserWarning,
    message="FigureCanvasAgg is non-interactive, and thus cannot be shown",
)

# -- HTML ------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skfraud {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False
