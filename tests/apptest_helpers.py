"""Reading what the dashboard drew, from AppTest's element tree."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


class WholePage(AppTest):
    """AppTest that holds the whole page after every run, as a browser shows it.

    On the consult page a change of input reruns only the fragments that follow from it (app_pages/consult.py),
    and AppTest keeps only what that run drew, where a browser keeps the rest on screen. After such a run this
    runs the page once more with nothing changed, so the tree holds everything a person sees. The run that
    reruns only the results is tested as it is in tests/test_app_fragments.py."""

    def _run(self, widget_state=None, timeout=None):
        was_whole = _whole_consult(self._tree) if hasattr(self, "_tree") else False
        at = super()._run(widget_state, timeout)
        if was_whole and not _whole_consult(self._tree):
            at = super()._run(self._tree.get_widget_states(), timeout)
        return at


def _whole_consult(tree) -> bool:
    """The consult page's whole run draws its reference block at the foot; a fragment's run does not."""
    return any('class="ref2"' in el.proto.body for el in tree.get("html"))


def app(query: dict | None = None) -> AppTest:
    at = WholePage(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


# The expanders whose content is built only while open (app_pages/parts/lazy.py), by key.
LAZY = ("open_urgent", "open_in_chest", "open_in_vte", "open_in_ci",
        "open_like", "open_guidelines", "open_readiness", "open_note")


def opened(at: AppTest, *keys: str) -> AppTest:
    """Open lazy expanders as a click would (all of them if none is named), and rerun."""
    for key in keys or LAZY:
        at.session_state[key] = True
    return at.run()


class _Cells(HTMLParser):
    """Collect icon arrays per (option, outcome) cell, in drawing order."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str] | None] = []
        self.cells: dict[tuple[str, str], list[dict]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            key = (a["data-option"], a["data-outcome"]) if "data-outcome" in a and "data-option" in a else None
            self.stack.append(key)
        if tag == "img" and "icon-array" in (a.get("class") or ""):
            key = next((k for k in reversed(self.stack) if k), None)
            if key:
                self.cells.setdefault(key, []).append(
                    {k[5:]: int(v) for k, v in a.items() if k.startswith("data-")} | {"alt": a.get("alt", "")}
                )

    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            self.stack.pop()


def html_bodies(at: AppTest) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def icon_cells(at: AppTest) -> dict[tuple[str, str], list[dict]]:
    parser = _Cells()
    for body in html_bodies(at):
        parser.feed(body)
    return parser.cells


def shown(markdown: str) -> str:
    """Markdown as the reader sees its characters: evidence text is backslash-escaped (sdm.safe_text)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join([shown(p) for p in parts] + html_bodies(at))


class _SummaryCells(HTMLParser):
    """Collect the summary table's cells: (option, outcome) -> icon arrays and the cell's text."""

    def __init__(self):
        super().__init__()
        self.key: tuple[str, str] | None = None
        self.cells: dict[tuple[str, str], dict] = {}
        self.rows: list[str] = []
        self.depth = 0
        self.in_summary = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-outcome" in a and a.get("class") != "lab":
            self.rows.append(a["data-outcome"])
        if tag == "td" and "data-option" in a:
            self.key = (a["data-option"], a["data-outcome"])
            self.cells[self.key] = {"arrays": [], "text": ""}
        if tag == "details" and self.key:
            self.depth += 1
        if tag == "summary" and self.key:
            self.in_summary = True
        if tag == "img" and self.key and "icon-array" in (a.get("class") or ""):
            self.cells[self.key]["arrays"].append({k[5:]: int(v) for k, v in a.items() if k.startswith("data-")})

    def handle_endtag(self, tag):
        if tag == "td":
            self.key = None
        if tag == "details" and self.depth:
            self.depth -= 1
        if tag == "summary":
            self.in_summary = False

    def handle_data(self, data):
        if self.key and (not self.depth or self.in_summary):  # what shows before a click
            self.cells[self.key]["text"] += data


def summary_cells(at: AppTest) -> tuple[list[str], dict[tuple[str, str], dict]]:
    """The summary's rows (outcome ids, in order) and cells, from the page's HTML."""
    parser = _SummaryCells()
    for body in html_bodies(at):
        if 'class="sumx"' in body:
            parser.feed(body)
    return parser.rows, parser.cells
