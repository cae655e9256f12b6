"""Expanders whose content is built only while they are open.

A plain st.expander builds and sends its content on every rerun, open or closed. These track their state
(Streamlit reruns the page when one is opened or closed), so a closed one costs one small widget. Its first
state is fixed for the session: Streamlit resets an expander whose `expanded` argument changes, and a checklist
that opened because something was ticked must not snap shut when the last tick is taken away."""

from __future__ import annotations

import streamlit as st

FIRST = "expanders_first_state"


def expander(label: str, key: str, expanded: bool = False, where=st):
    """(the expander, whether it is open now). Put content in it only when it is open."""
    first = st.session_state.setdefault(FIRST, {})  # one entry for all: widgets read the whole state, per key
    first.setdefault(key, bool(expanded))
    box = where.expander(label, expanded=first[key], key=key, on_change="rerun")
    return box, bool(box.open)
