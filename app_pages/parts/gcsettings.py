"""The garbage collector's settings for the app's process: fewer and shorter pauses under load.

What was measured (bench goal 4a, 50 sessions x 20 changes on one process, 2 cores): with Python's defaults the
collector ran about 500 times during the load and four of those were full collections, each stopping every
session for 150 to 250 ms; the rerun p95 was 700 ms. Most of what a full collection walks lives as long as the
process: the modules (Streamlit, pandas, plotly), the evidence base, the word catalogues. Two settings, once per
process, after the first run of the app has loaded them:
- `gc.freeze()` puts everything alive at that moment out of the collector's reach (Python's own advice for
  long-lived objects); a `gc.collect()` first, so no garbage is frozen with them;
- a larger first-generation threshold (THRESHOLDS): the objects a rerun makes and drops are mostly freed by
  reference counting before a collection sees them, so few are promoted to the older generations and full
  collections become rare. A young collection then takes about 10 ms.
Nothing is kept longer than before: garbage in a cycle is still collected, only later. `make bench` (goal 4a)
shows the effect; docs/architecture.md says why it is here."""

from __future__ import annotations

import gc
import threading

THRESHOLDS = (20_000, 20, 20)  # Python's default is (700, 10, 10)
_done = threading.Event()
_lock = threading.Lock()


def install() -> None:
    """Freeze what the first run loaded and set the thresholds; later calls do nothing."""
    if _done.is_set():
        return
    with _lock:
        if _done.is_set():
            return
        gc.collect()
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)
        _done.set()
