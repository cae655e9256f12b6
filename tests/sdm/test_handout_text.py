"""The handout's text, identical to a stored snapshot over the teaching grid, in English and Spanish.

The snapshot (tests/samples/handout_text.json.gz, gzip JSON {"<lang>/<scenario key>": text}) holds the
text pypdf extracts from each of the 96 grid scenarios (see tests/sdm/test_handout_grid.py) in both
languages, drawn with a fixed 'made on' date so it does not change from day to day. A change in the
handout's words, numbers, order or line breaks shows here as a difference naming the scenario.

When a change to the handout's text is meant, regenerate the snapshot and review the diff:

    .venv/bin/python -m tests.sdm.test_handout_text
"""

from __future__ import annotations

import difflib
import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

import sdm
from sdm.outputs import handout
from sdm.words import i18n
from tests.safety_plugin import report
from tests.sdm.test_handout_grid import GRID, LANGS, key

SNAPSHOT = Path(__file__).resolve().parents[1] / "samples" / "handout_text.json.gz"
TODAY = date(2026, 1, 15)  # fixed 'made on' date
BASE = sdm.default()


def text_of(fields: dict, lang: str) -> str:
    result = sdm.run(sdm.make(BASE.rules, lang=lang, **fields), BASE)
    pdf, _ = handout.layout(result, BASE, today=TODAY)
    pages = PdfReader(io.BytesIO(bytes(pdf.output()))).pages
    return "\n\f\n".join(p.extract_text() or "" for p in pages)


def all_texts() -> dict[str, str]:
    return {f"{lang}/{key(fields)}": text_of(fields, lang) for fields in GRID for lang in LANGS}


def regenerate() -> None:
    texts = all_texts()
    SNAPSHOT.write_bytes(gzip.compress(json.dumps(texts, ensure_ascii=False, indent=0, sort_keys=True)
                                       .encode("utf-8"), mtime=0))
    print(f"wrote {len(texts)} handout texts to {SNAPSHOT}")


def stored() -> dict[str, str]:
    return json.loads(gzip.decompress(SNAPSHOT.read_bytes()).decode("utf-8"))


def test_handout_text_identical_to_snapshot():
    expected = stored()
    assert len(GRID) == 96 and set(LANGS) == {"en", "es"}
    assert set(expected) == {f"{lang}/{key(f)}" for f in GRID for lang in LANGS}
    differ = []
    for fields in GRID:
        for lang in LANGS:
            name = f"{lang}/{key(fields)}"
            if text_of(fields, lang) != expected[name]:
                differ.append(name)
    report(f"handout text identity: {len(expected)} handouts ({len(GRID)} scenarios x {len(LANGS)} languages), "
           f"{len(differ)} differ")
    if differ:
        first = differ[0]
        lang, scenario = first.split("/", 1)
        got = text_of(next(f for f in GRID if key(f) == scenario), lang)
        diff = "\n".join(list(difflib.unified_diff(expected[first].splitlines(), got.splitlines(),
                                                   "stored", "now", lineterm=""))[:40])
        pytest.fail(f"{len(differ)} handouts differ from the snapshot, e.g. {first}:\n{diff}")


def test_identity_check_sees_a_changed_word(monkeypatch):
    """The comparison can fail: one catalogue word changed gives a different text."""
    fields = GRID[0]
    name = f"en/{key(fields)}"
    cat = i18n.catalogue("en")
    heading = cat.t("handout.reference.heading")
    monkeypatch.setitem(cat.entries, "handout.reference.heading", heading + " Planted")
    assert text_of(fields, "en") != stored()[name]
    monkeypatch.undo()
    assert text_of(fields, "en") == stored()[name]


if __name__ == "__main__":
    regenerate()
