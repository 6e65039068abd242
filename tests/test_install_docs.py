"""The install instructions say what the commands really do."""

import re

import pytest

from tests.conftest import REPO_ROOT

PYTORCH_INDEX = re.compile(
    r"--index-url https://download\.pytorch\.org/whl/(cpu|cu\d+)$"
)


def _shell_lines(path, fence):
    text = (REPO_ROOT / path).read_text(encoding="utf-8")
    blocks = re.findall(fence, text, re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


README_COMMANDS = _shell_lines("README.md", r"```bash\n(.*?)```")
GUIDE_COMMANDS = _shell_lines(
    "docs/getting_started.rst", r"\.\. code-block:: bash\n\n(.*?)(?:\n\S|\Z)"
)


@pytest.mark.parametrize(
    "commands", [README_COMMANDS, GUIDE_COMMANDS], ids=["README", "guide"]
)
def test_torch_comes_from_pytorchs_index_in_the_build_it_names(commands):
    torch_lines = [
        line.split("#")[0].strip()
        for line in commands
        if re.match(r"pip install torch\b", line)
    ]
    assert torch_lines
    for line in torch_lines:
        # A pinned or plain torch from PyPI is the CUDA build on Linux.
        assert PYTORCH_INDEX.search(line), line


def test_readme_newcomer_commands_install_skfraud_after_torch():
    demo = [line for line in README_COMMANDS if line.endswith("skfraud demo")]
    tests = [line for line in README_COMMANDS if line.endswith("python -m pytest")]
    assert demo == ['pip install -e ".[plot]" && skfraud demo']
    assert tests == [
        'pip install -e ".[test]" && SKFRAUD_DATA=../shared/data python -m pytest'
    ]
    first_torch = next(
        i
        for i, line in enumerate(README_COMMANDS)
        if line.startswith("pip install torch")
    )
    assert first_torch < README_COMMANDS.index(demo[0])


def test_ci_pins_the_torch_that_the_readme_explains():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pinned = re.search(r"pip install --quiet (torch==[\d.]+)\n", ci).group(1)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`pip install {pinned}`" in readme
    assert ci.index(pinned) < ci.index('-e ".[test,docs]"')


def test_readme_names_the_demo_plot_where_the_demo_writes_it():
    from skfraud.cli import build_parser

    demo_args = build_parser().parse_args(["demo"])
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{demo_args.output_dir}/skfraud_demo_pr.png`" in " ".join(readme.split())
