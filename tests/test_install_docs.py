"""The install instructions say what the commands really do."""

import re
import shutil
import subprocess

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
    pinned = re.search(r"pip install --quiet (torch==[\d.]+)", ci).group(1)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`pip install {pinned}`" in readme
    # Every fresh environment but the oldest releases' gets this torch first.
    fresh_env = ci[ci.index("fresh_env() {") :]
    assert fresh_env.index(pinned) < fresh_env.index("\n}\n")


def _marked_readme_command(label):
    """The command after README's ``# (a)`` or ``# (b)`` comment."""
    for block in re.findall(r"```bash\n(.*?)```", _README, re.DOTALL):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"# ({label})"):
                return next(line for line in lines[i + 1 :] if line.strip())
    raise AssertionError(f"README.md marks no command ({label})")


_README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@needs_bash
def test_ci_runs_the_readme_quick_start_commands_as_written():
    # .ci/run reads the two commands out of README.md; this asks it which
    # ones it would run.
    shown = subprocess.run(
        ["bash", str(REPO_ROOT / ".ci" / "run"), "--show-commands"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert shown.splitlines() == [
        f"(a) {_marked_readme_command('a')}",
        f"(b) {_marked_readme_command('b')}",
    ]
    assert shown.splitlines() == [
        '(a) pip install -e ".[plot]" && skfraud demo',
        '(b) pip install -e ".[test]" && SKFRAUD_DATA=../shared/data python -m pytest',
    ]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # Each in a fresh environment, and neither written into the script.
    assert 'run_readme_command "$(fresh_env quick-start-a)" "$demo_command"' in ci
    assert 'run_readme_command "$(fresh_env quick-start-b)" "$test_command"' in ci
    assert "skfraud demo" not in ci and "../shared/data python" not in ci


@needs_bash
def test_ci_stops_when_the_readme_marks_no_command(tmp_path):
    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO_ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    (tmp_path / "README.md").write_text(
        "```bash\n# (a) the demo\npip install -e .\n```\n", encoding="utf-8"
    )
    result = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run"), "--show-commands"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "README.md has no command after a '# (b)' line" in result.stderr
    assert result.stdout == ""


def test_readme_names_the_demo_plot_where_the_demo_writes_it():
    from skfraud.cli import build_parser

    demo_args = build_parser().parse_args(["demo"])
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{demo_args.output_dir}/skfraud_demo_pr.png`" in " ".join(readme.split())


def _pins():
    lines = (REPO_ROOT / ".ci" / "min-versions.txt").read_text().splitlines()
    return dict(line.split("==") for line in lines if line.strip() and line[0] != "#")


def test_declared_minimums_are_the_versions_ci_tests():
    import tomllib

    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    bounds = dict(
        re.fullmatch(r"([\w-]+)>=([\d.]+)", requirement).groups()
        for requirement in pyproject["project"]["dependencies"]
    )
    pins = _pins()
    for name, minimum in bounds.items():
        assert name in pins, f"{name} has no pin in .ci/min-versions.txt"
        pinned = tuple(int(part) for part in pins[name].split("."))
        declared = tuple(int(part) for part in minimum.split("."))
        # The pin is the declared minimum, or a patch release of it.
        assert pinned[: len(declared)] == declared, (name, minimum, pins[name])
    # Adam's fused CPU kernel, which the detectors ask for, needs torch 2.4.
    assert tuple(int(part) for part in pins["torch"].split(".")[:2]) >= (2, 4)


def test_readme_states_the_minimums_and_ci_installs_them():
    readme = " ".join((REPO_ROOT / "README.md").read_text().split())
    pins = _pins()
    assert f"PyTorch {pins['torch']} or later" in readme
    assert f"scikit-learn {pins['scikit-learn'].rsplit('.', 1)[0]}" in readme
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "-c .ci/min-versions.txt" in ci
    assert '-m "not slow"' in ci
    # That install is torch's CUDA build: pip keeps no cache of its wheels,
    # and every environment before it is gone by then.
    oldest = ci[ci.index('min_env="$ENV_ROOT/min-versions"') :]
    assert "PIP_NO_CACHE_DIR=1" in oldest
    for part in ("quick-start-a", "quick-start-b"):
        assert f'rm -rf "$ENV_ROOT/{part}"' in ci[: ci.index(oldest)]
    assert 'rm -rf "$extras_env"' in ci[: ci.index(oldest)]
