"""Safety summary for the terminal: fuzz counts, the network check and the hazard log.

Load it from tests/conftest.py with `pytest_plugins = ["tests.safety_plugin"]`. Tests call
`report(line)` (or `fuzz_result(...)`); the lines are printed at the end of every run, after the
short test summary, so they show in `make test` output without `-s`.
"""

from __future__ import annotations

LINES: list[str] = []
FUZZ: dict[str, dict[str, int]] = {}


def report(line: str) -> None:
    """Print now (visible with -s) and keep for the end-of-run safety summary."""
    print(line)
    if line not in LINES:
        LINES.append(line)


def fuzz_case(name: str, crashed: bool = False) -> None:
    entry = FUZZ.setdefault(name, {"cases": 0, "crashes": 0})
    entry["cases"] += 1
    entry["crashes"] += int(crashed)


def fuzz_line(name: str) -> str:
    entry = FUZZ.get(name, {"cases": 0, "crashes": 0})
    return f"fuzz {name}: {entry['cases']} cases, {entry['crashes']} crashes"


def pytest_terminal_summary(terminalreporter):
    lines = list(LINES)
    for name in FUZZ:
        if not any(line.startswith(f"fuzz {name}:") for line in lines):
            lines.append(fuzz_line(name))
    if not lines:
        return
    terminalreporter.section("checks and figures: safety, accessibility, readability, pictures")
    for line in lines:
        terminalreporter.write_line(line)
