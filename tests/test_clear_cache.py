"""Streamlit's clear-cache message, which any client can send, neither reloads the evidence nor changes what is drawn.

Streamlit 1.67 has no option to refuse the message: its handler empties st.cache_data and st.cache_resource for
the whole process. The app keeps the loaded evidence outside those caches (sdm.default(), once per process), so
a clear costs only the rebuilding of cached pictures and results. The cost with and without this, measured over
the websocket: `python -m bench.clearcache` (docs/safety.md, the clear-cache hazard).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import streamlit as st
from streamlit.runtime.app_session import AppSession

from sdm.evidence import loader as evidence
from tests.apptest_helpers import app, html_bodies

QUERY = {"loc": "iliofemoral", "days": "7", "bleed": "low"}


def _clear_cache_message() -> None:
    """Streamlit's own handler for a client's clear_cache BackMsg (the sender's session state is a stub here)."""
    AppSession._handle_clear_cache_request(SimpleNamespace(_session_state=SimpleNamespace(clear=lambda: None)))


@pytest.fixture
def loads(monkeypatch):
    """Counts evidence loads from disk, starting from empty caches."""
    count = {"n": 0}
    real = evidence.load

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(evidence, "load", counting)
    evidence._cached.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield count
    evidence._cached.cache_clear()
    st.cache_resource.clear()


def test_the_handler_still_empties_streamlits_caches():
    """The premise: Streamlit's handler empties st.cache_resource. If an upgrade stops clearing or gates the
    message, revisit the clear-cache hazard in docs/safety.md."""
    calls = {"n": 0}

    @st.cache_resource
    def probe():
        calls["n"] += 1
        return object()

    probe()
    probe()
    _clear_cache_message()
    probe()
    assert calls["n"] == 2


def test_a_clear_cache_message_does_not_reload_the_evidence_or_change_the_page(loads):
    at = app(QUERY)
    assert not at.exception
    before = html_bodies(at)
    assert before and loads["n"] == 1
    for _ in range(3):
        _clear_cache_message()
        at.run()
        assert not at.exception
        assert html_bodies(at) == before
    assert loads["n"] == 1, f"the evidence was read from disk {loads['n']} times"


def test_the_load_counter_can_fail(loads):
    """Without the per-process evidence, every clear would read the files again: the counter sees that."""
    app(QUERY)
    evidence._cached.cache_clear()  # what a clear did to the evidence when it lived in st.cache_resource only
    _clear_cache_message()
    app(QUERY)
    assert loads["n"] == 2
