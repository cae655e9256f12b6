"""Dependency hygiene: every requirement is pinned with ==, the venv matches the pins, and `pip check` passes.

The policy and the audit command are described in docs/dependencies.md.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT_FILES = ["requirements.txt", "requirements-dev.txt"]
PINNED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==(?P<version>[0-9][0-9A-Za-z.+!-]*)$")


def requirement_lines(name: str) -> list[tuple[int, str]]:
    """(line number, requirement) for every line that is not blank, a comment or an -r include."""
    out = []
    for number, raw in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or line.startswith(("-r ", "--requirement")):
            continue
        out.append((number, line))
    return out


def pins() -> dict[str, str]:
    found = {}
    for name in REQUIREMENT_FILES:
        for _, line in requirement_lines(name):
            m = PINNED.match(line)
            if m:
                found[m["name"].lower()] = m["version"]
    return found


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_every_requirement_is_pinned_exactly(name):
    lines = requirement_lines(name)
    assert lines, f"{name} lists no packages"
    loose = [f"{name}:{n}: {line}" for n, line in lines if not PINNED.match(line)]
    assert not loose, "pin with ==, no ranges, URLs or editable installs:\n" + "\n".join(loose)


def test_dev_requirements_include_the_runtime_ones():
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert re.search(r"(?m)^-r requirements\.txt\s*$", text)


def test_no_package_is_pinned_twice_with_different_versions():
    seen: dict[str, tuple[str, str]] = {}
    for name in REQUIREMENT_FILES:
        for _, line in requirement_lines(name):
            m = PINNED.match(line)
            if m:
                key = m["name"].lower().replace("_", "-")
                assert key not in seen or seen[key][1] == m["version"], (key, seen[key], name)
                seen[key] = (name, m["version"])


def test_the_installed_versions_are_the_pinned_ones():
    wrong = []
    for package, pinned in pins().items():
        try:
            installed = version(package)
        except PackageNotFoundError:
            wrong.append(f"{package}=={pinned} is not installed")
            continue
        if installed != pinned:
            wrong.append(f"{package}: pinned {pinned}, installed {installed}")
    assert not wrong, "the venv does not match the pins (run `make test` to reinstall):\n" + "\n".join(wrong)


def test_pip_check_passes():
    proc = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_pinning_check_can_fail():
    for bad in ("streamlit", "streamlit>=1.0", "streamlit~=1.67", "streamlit==1.*", "git+https://x/y.git",
                "-e .", "streamlit == 1.67.0 ; python_version<'3'"):
        assert not PINNED.match(bad), bad
    assert PINNED.match("pyyaml==6.0.3") and PINNED.match("uvicorn[standard]==0.30.0")


def test_the_browser_test_tool_is_pinned_too():
    spec = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    for name, wanted in {**spec.get("dependencies", {}), **spec.get("devDependencies", {})}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), f"package.json: {name} {wanted} is not an exact version"


def test_dependency_policy_is_documented():
    text = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8")
    assert "make audit" in text and "pip-audit -r requirements.txt" in text and "==" in text
