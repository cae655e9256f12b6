"""The app's garbage-collector settings (app_pages/parts/gcsettings.py): set once per process, by the app itself."""

import gc
import json
import subprocess
import sys
from pathlib import Path

from app_pages.parts import gcsettings

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import gc, json
from app_pages.parts import gcsettings
before = gc.get_threshold()
kept = [[i] for i in range(1000)]  # alive at the first run: frozen with the rest
gcsettings.install()
frozen, set_to = gc.get_freeze_count(), gc.get_threshold()
gc.set_threshold(700, 10, 10)
gcsettings.install()  # a later run changes nothing
print(json.dumps([before, frozen, set_to, gc.get_threshold()]))
"""


def test_the_first_run_freezes_what_it_loaded_and_raises_the_thresholds_once():
    out = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=True)
    before, frozen, set_to, after = json.loads(out.stdout)
    assert before == [700, 10, 10]
    assert frozen > 1000
    assert tuple(set_to) == gcsettings.THRESHOLDS
    assert after == [700, 10, 10]


def test_the_app_installs_them_on_its_first_run(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(gcsettings, "_done", type(gcsettings._done)())  # as in a new process
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert gcsettings._done.is_set()
        assert gc.get_threshold() == gcsettings.THRESHOLDS
    finally:
        gc.set_threshold(*before)
