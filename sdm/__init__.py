"""Shared decision making for leg DVT: evidence, scenario engine, pictures and handout.

The layers, lowest first (docs/architecture.md): evidence, words, engine, present, teaching, outputs;
a layer imports only those below it (tests/test_layers.py). Pure Python: nothing here imports Streamlit.
This module is the small public surface the app and the CLI start from.
"""

from . import teaching  # noqa: E402,F401  registers the teaching pages' file checks with the loader
from .engine.compute import run
from .engine.scenario import Goal, Scenario, make
from .evidence.loader import EvidenceError, default, load

__all__ = ["EvidenceError", "Goal", "Scenario", "default", "load", "make", "run"]
