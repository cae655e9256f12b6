"""The layers of sdm/, lowest first, and the size of its modules (docs/architecture.md).

    evidence < words < engine < present < teaching < outputs

Every module in sdm/ is parsed with ast; each import (at module level or inside a function) that
resolves to another sdm layer must name the same layer or a lower one. Nothing in sdm/ imports
Streamlit. The package root (sdm/__init__.py, sdm/__main__.py) is the public surface and may import any
layer. A planted upward import shows the checker can fail. No module in sdm/ is over 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.safety_plugin import report

ROOT = Path(__file__).resolve().parents[1]
SDM = ROOT / "sdm"
LAYERS = ("evidence", "words", "engine", "present", "teaching", "outputs")
RANK = {name: i for i, name in enumerate(LAYERS)}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str | None:
    """'engine' for sdm.engine.cells; None for the package root and for anything outside sdm."""
    parts = module.split(".")
    return parts[1] if parts[0] == "sdm" and len(parts) > 1 and parts[1] in RANK else None


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the tree, relative ones resolved against `module`."""
    package = module if is_package else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((node.lineno, target))
            out += [(node.lineno, f"{target}.{a.name}") for a in node.names]  # `from . import engine`
    return out


def problems_in(source: str, module: str, is_package: bool = False) -> list[str]:
    own = layer_of(module)
    found = []
    for line, target in imported(ast.parse(source), module, is_package):
        if target.split(".")[0] == "streamlit":
            found.append(f"{module}:{line} imports streamlit")
        other = layer_of(target)
        if own is not None and other is not None and RANK[other] > RANK[own]:
            found.append(f"{module}:{line} ({own}) imports {target} ({other}), a higher layer")
    return sorted(set(found))


def modules() -> list[Path]:
    return sorted(SDM.rglob("*.py"))


def test_every_module_is_in_a_layer():
    for path in modules():
        name = module_name(path)
        assert name in ("sdm", "sdm.__main__") or layer_of(name) is not None, name
    assert {p.name for p in SDM.iterdir() if p.suffix == ".py"} == {"__init__.py", "__main__.py"}
    assert {p.name for p in SDM.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(LAYERS)


def test_no_layer_imports_a_higher_one_and_nothing_imports_streamlit():
    found, count = [], 0
    for path in modules():
        name = module_name(path)
        found += problems_in(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        count += 1
    report(f"layers: {count} modules in sdm/ over {len(LAYERS)} layers ({' < '.join(LAYERS)}), "
           f"{len(found)} upward or streamlit imports")
    assert not found, "\n".join(found)


def test_the_checker_sees_planted_imports():
    assert problems_in("from ..engine import compute\n", "sdm.evidence.loader")
    assert problems_in("def f():\n    from ..present.grid import Row\n", "sdm.engine.cells")
    assert problems_in("from sdm.outputs import handout\n", "sdm.teaching.figures")
    assert problems_in("from . import teaching\n", "sdm.engine", is_package=True) == []  # sdm.engine.teaching
    assert problems_in("from .. import teaching\n", "sdm.engine.cells")
    assert problems_in("import streamlit as st\n", "sdm.present.grid")
    assert problems_in("from streamlit import session_state\n", "sdm")
    assert problems_in("from ..evidence.models import Tier\nfrom ..words import i18n\n", "sdm.engine.cells") == []
    assert problems_in("from .outputs.cli import main\n", "sdm.__main__") == []


def test_no_module_over_400_lines():
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(ROOT))) for p in modules()),
                   reverse=True)
    report(f"sdm module sizes: {len(sizes)} modules, largest {sizes[0][1]} ({sizes[0][0]} lines), "
           f"{sum(n > MAX_LINES for n, _ in sizes)} over {MAX_LINES}")
    assert all(n <= MAX_LINES for n, _ in sizes), [s for s in sizes if s[0] > MAX_LINES]
