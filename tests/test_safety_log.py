"""The clinical hazard log (docs/safety.md) is complete and every test it names exists.

Test ids are collected by parsing the test files (ast), not by importing them: a `def test_x` at module level
(or in a `class Test...`) in the named file; a parametrized id like `test_x[100]` names the base `test_x`.
Tests that prove a mitigation must not be expected failures; tests under "Open" must be strict xfails, and
every xfail in the suite must be listed under some hazard's "Open" line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.safety_plugin import report

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "safety.md"
REQUIRED_FIELDS = ("Cause", "Effect", "Severity", "Likelihood", "Mitigation", "Proof")
SEVERITIES = {"Minor", "Significant", "Considerable", "Major", "Catastrophic"}
LIKELIHOODS = {"Very low", "Low", "Medium", "High"}
HEADING = re.compile(r"^### (H\d+)\. (.+?)\s*$", re.M)
# A field runs from its "- **Name:**" line to the next field or the end of the hazard, over as many lines as it
# takes (a field read to the end of its first line only would leave the tests named further down unchecked).
FIELD = re.compile(r"^- \*\*([A-Za-z]+):\*\* ", re.M)
OUTSIDE = re.compile(r"^(#|---)", re.M)
NODE = re.compile(r"(tests/[\w/]+\.py)::((?:Test\w+::)?\w+)(\[[^\]`]*\])?")
# The hazards the project must always consider (matched against the titles, case-insensitive).
REQUIRED_TOPICS = {
    "wrong number": r"wrong number",
    "outside the studied population": r"outside the studied population",
    "contraindicated option": r"contraindicated",
    "colour alone": r"colour alone",
    "stale evidence": r"stale",
    "denominator or horizon": r"denominator.*horizon",
    "rounding hides a rare harm": r"rounding",
    "framing": r"framing",
    "relative without absolute": r"relative risks.*absolute",
    "secondary source": r"secondary",
    "crash mid-consult": r"crash",
    "patient details leak": r"leak",
    "hostile link": r"hostile link",
    "unverified figure": r"unverified",
    "prescriptive wording": r"prescriptive",
    "ranking": r"ranked|ranking",
}


@dataclass
class Hazard:
    id: str
    title: str
    fields: dict[str, str] = field(default_factory=dict)

    def nodes(self, name: str) -> list[str]:
        return ["::".join(m.group(1, 2)) + (m.group(3) or "") for m in NODE.finditer(self.fields.get(name, ""))]


def parse(text: str) -> list[Hazard]:
    heads = list(HEADING.finditer(text))
    hazards = []
    for i, m in enumerate(heads):
        body = text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        hz = Hazard(m[1], m[2])
        starts = list(FIELD.finditer(body))
        for j, f in enumerate(starts):
            assert f[1] not in hz.fields, f"{hz.id}: field {f[1]} given twice"
            end = starts[j + 1].start() if j + 1 < len(starts) else len(body)
            rule = OUTSIDE.search(body, f.end(), end)  # a heading or a rule ends the hazard's fields
            end = rule.start() if rule else end
            hz.fields[f[1]] = " ".join(body[f.end():end].split())
        hazards.append(hz)
    return hazards


@cache
def collected_tests(relpath: str) -> dict[str, bool]:
    """{test id: is an xfail} for the test functions defined in one file."""
    path = ROOT / relpath
    if not path.is_file():
        return {}
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def xfail(fn) -> bool:
        return any("xfail" in ast.unparse(d) for d in fn.decorator_list)

    out: dict[str, bool] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            out[node.name] = xfail(node)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for sub in node.body:
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef) and sub.name.startswith("test"):
                    out[f"{node.name}::{sub.name}"] = xfail(sub) or xfail(node)
    return out


def lookup(node_id: str) -> bool | None:
    """None if the test does not exist; otherwise whether it is an expected failure."""
    relpath, _, name = node_id.partition("::")
    name = name.split("[", 1)[0]
    return collected_tests(relpath).get(name)


def problems_in(hazards: list[Hazard]) -> list[str]:
    problems = []
    ids = [h.id for h in hazards]
    if len(set(ids)) != len(ids):
        problems.append(f"hazard ids repeat: {ids}")
    for h in hazards:
        for name in REQUIRED_FIELDS:
            if not h.fields.get(name, "").strip():
                problems.append(f"{h.id}: no {name}")
        severity = h.fields.get("Severity", "").split(" ", 1)[0].rstrip(".,;")
        if h.fields.get("Severity") and severity not in SEVERITIES:
            problems.append(f"{h.id}: severity '{h.fields['Severity']}' is not on the scale")
        if h.fields.get("Likelihood") and h.fields["Likelihood"].rstrip(".") not in LIKELIHOODS:
            problems.append(f"{h.id}: likelihood '{h.fields['Likelihood']}' is not on the scale")
        if h.fields.get("Proof") and not h.nodes("Proof"):
            problems.append(f"{h.id}: the Proof line names no pytest node id")
        for node in h.nodes("Proof"):
            state = lookup(node)
            if state is None:
                problems.append(f"{h.id}: Proof names a test that does not exist: {node}")
            elif state:
                problems.append(f"{h.id}: Proof names an expected failure, which proves nothing: {node}")
        for node in h.nodes("Open"):
            state = lookup(node)
            if state is None:
                problems.append(f"{h.id}: Open names a test that does not exist: {node}")
            elif not state:
                problems.append(f"{h.id}: Open names a test that is no longer an xfail (move it to Proof): {node}")
    return problems


def hazards() -> list[Hazard]:
    return parse(LOG.read_text(encoding="utf-8"))


def test_the_log_has_at_least_12_hazards_with_every_field():
    hs = hazards()
    assert len(hs) >= 12, len(hs)
    missing = [f"{h.id}: {name}" for h in hs for name in REQUIRED_FIELDS if not h.fields.get(name)]
    assert not missing, missing


def test_every_test_named_in_the_log_exists():
    hs = hazards()
    problems = problems_in(hs)
    assert not problems, "\n".join(problems)
    proofs = sum(len(h.nodes("Proof")) for h in hs)
    opened = sum(len(h.nodes("Open")) for h in hs)
    distinct = len({n.split("[", 1)[0] for h in hs for n in h.nodes("Proof")})
    report(f"hazard log: {len(hs)} hazards, {proofs} proofs ({distinct} distinct tests), all tests exist; "
           f"{opened} open defects tracked by strict xfail tests")


def test_the_log_covers_the_required_hazards():
    titles = " | ".join(h.title.lower() for h in hazards())
    missing = [topic for topic, pattern in REQUIRED_TOPICS.items() if not re.search(pattern, titles)]
    assert not missing, missing


def test_every_xfail_in_the_suite_is_an_open_hazard():
    listed = {n.split("[", 1)[0] for h in hazards() for n in h.nodes("Open")}
    found = set()
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        rel = str(path.relative_to(ROOT))
        found |= {f"{rel}::{name}" for name, is_xfail in collected_tests(rel).items() if is_xfail}
    assert found <= listed, f"expected failures not in docs/safety.md: {sorted(found - listed)}"


def test_the_checker_fails_on_a_bad_log():
    bad = parse(
        "### H1. A wrong number is shown\n\n"
        "- **Cause:** x\n- **Effect:** y\n- **Severity:** Major\n- **Likelihood:** Low\n- **Mitigation:** z\n"
        "- **Proof:** `tests/sdm/test_engine.py::test_that_does_not_exist`, "
        "`tests/no_such_file.py::test_anything`, `tests/samples/xfail_sample.py::test_sample_expected_failure`\n"
        "- **Open:** `tests/sdm/test_engine.py::test_absolute_contraindication`\n\n"
        "### H1. Again\n\n- **Cause:** x\n- **Severity:** Huge\n- **Likelihood:** Often\n- **Proof:** none\n"
    )
    problems = "\n".join(problems_in(bad))
    for expected in ("does not exist: tests/sdm/test_engine.py::test_that_does_not_exist",
                     "does not exist: tests/no_such_file.py::test_anything", "expected failure, which proves nothing",
                     "no longer an xfail", "hazard ids repeat", "H1: no Effect", "not on the scale",
                     "names no pytest node id"):
        assert expected in problems, expected


def test_a_test_named_on_a_later_line_of_a_field_is_checked_too():
    log = parse(
        "### H1. A wrong number is shown\n\n"
        "- **Cause:** x\n- **Effect:** y\n- **Severity:** Major\n- **Likelihood:** Low\n- **Mitigation:** z\n"
        "- **Proof:** `tests/sdm/test_icon_array.py::test_counts_split_into_range_categories`,\n"
        "  `tests/sdm/test_engine.py::test_on_the_second_line_that_does_not_exist` (why it proves it)\n\n"
        "---\n\n`tests/sdm/test_engine.py::test_after_the_rule_is_not_a_proof`\n"
    )
    assert log[0].nodes("Proof") == ["tests/sdm/test_icon_array.py::test_counts_split_into_range_categories",
                                     "tests/sdm/test_engine.py::test_on_the_second_line_that_does_not_exist"]
    assert "does not exist: tests/sdm/test_engine.py::test_on_the_second_line_that_does_not_exist" in "\n".join(
        problems_in(log))


def test_parametrized_ids_name_their_base_test():
    assert lookup("tests/test_app_consult.py::test_icon_counts_for_each_denominator[1000]") is False
    assert lookup("tests/test_app_consult.py::test_icon_counts_for_each_denominator_typo[1000]") is None
