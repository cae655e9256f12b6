"""Shared decision making for leg DVT: evidence, scenario engine, pictures and handout.

Pure Python: nothing here imports Streamlit.
"""

from .engine import run
from .evidence import EvidenceError, default, load
from .scenario import Goal, Scenario, make

__all__ = ["EvidenceError", "Goal", "Scenario", "default", "load", "make", "run"]
