"""Privacy: the browser talks only to the local server, the server log holds nothing a user entered, and
running the engine, the CLI or the app writes no file.

The browser test drives every input on the consult page with distinctive values, then the teaching and
methods pages, recording every request the page makes. It runs its own server (start_server from conftest)
with unbuffered output and stops it before reading the log, so nothing the app printed can still sit in a
buffer when the log is checked.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import sdm
from sdm.engine.scenario import Goal
from tests.safety_plugin import report

from .conftest import ROOT, start_server, wait_for_app

# Distinctive values: none of them can appear in a Streamlit log by chance.
AGE, DAYS = 87, 23
LOCATION_ID, LOCATION_LABEL = "iliocaval", "Up into the big belly vein (vena cava)"
CHEST = {"metastatic_cancer": "Cancer that has spread", "previous_stroke": "Stroke in the past"}
VTE = {"kidney_dysfunction": "Kidney function reduced (eGFR under 60)"}
ABSOLUTE = {"recent_brain_event": "Stroke or mini-stroke, brain or spine surgery, or head injury in the last 3 months"}
RELATIVE = {"uncontrolled_blood_pressure":
            "Very high blood pressure that is not controlled (top number over 180 or bottom over 110)"}
CI_TITLE = "Reasons a clot-dissolving drug may not be safe"  # both lists sit in this one fold
GOALS = {"save_limb": "Save the leg when the clot threatens it", "avoid_procedure": "Avoid a procedure or a hospital stay"}
VIEWS = ["By goal", "Questions and answers", "Trade-off (clinicians)", "Detailed pictures", "Summary"]
ENTERED = [LOCATION_ID, *CHEST, *VTE, *ABSOLUTE, *RELATIVE, *GOALS, *CHEST.values(), *VTE.values(),
           *ABSOLUTE.values(), *RELATIVE.values(), LOCATION_LABEL, "phlegmasia", "iliac vein compression"]
ENTERED_PATTERNS = [rf"age\W{{0,20}}{AGE}\b", rf"\bdays?\W{{0,20}}{DAYS}\b", rf"\b{AGE}\s*(years|y/o|yo)\b",
                    r"loc=", r"\bci=", r"chest=", r"goals="]
LOCAL_SCHEMES = {"data", "blob"}
CIS_ALL = sorted(c.id for c in sdm.default().rules.contraindications)
GOALS_ALL = [g.value for g in Goal]


def _material_favicon_url() -> str | None:
    """The one external request this app is known to make (docs/safety.md H12): a `:material/...:` page_icon
    makes Streamlit's frontend load the favicon from Google's font CDN. Derived from app.py, so the allowance
    disappears as soon as app.py uses a local icon."""
    m = re.search(r'page_icon=":material/([a-z0-9_]+):"', (ROOT / "app.py").read_text(encoding="utf-8"))
    if not m:
        return None
    return f"https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/{m[1]}/default/24px.svg"


KNOWN_EXTERNAL = {u for u in [_material_favicon_url()] if u}


@pytest.fixture
def private_server(tmp_path):
    """A server of its own, unbuffered, stopped before its log is read."""
    log_path = tmp_path / "server.log"
    proc, url, log = start_server(env={"PYTHONUNBUFFERED": "1"}, log_path=log_path)

    def stop() -> str:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)
        log.close()
        return log_path.read_text(encoding="utf-8", errors="replace")

    yield url, stop
    stop()


def settle(page) -> None:
    page.wait_for_timeout(350)
    wait_for_app(page)


def recorder(page):
    seen: list[dict] = []

    def on_request(req):
        seen.append({"url": req.url, "referer": req.headers.get("referer", ""), "type": req.resource_type})

    page.on("request", on_request)
    page.on("websocket", lambda ws: seen.append({"url": ws.url, "referer": "", "type": "websocket"}))
    return seen


def is_local(url: str, host: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc == host


def tick(page, container, expander: str | None, label: str) -> None:
    """Press one checklist item (opening its expander first) and wait until the app shows it selected."""
    if expander is not None:
        container = container.get_by_test_id("stExpander").filter(has_text=expander)
    item = container.get_by_role("button", name=label, exact=True)
    for _ in range(3):
        if expander is not None and not item.is_visible():
            container.get_by_text(expander, exact=True).click()
            item.wait_for(state="visible")
        item.click()
        settle(page)
        if item.get_attribute("aria-pressed") == "true" or "Active" in (item.get_attribute("data-testid") or ""):
            return
    raise AssertionError(f"could not tick {label!r}")


def exercise_every_input(page, url: str) -> None:
    page.goto(url + "/?loc=iliofemoral&days=7&bleed=low")
    wait_for_app(page)
    sb = page.get_by_test_id("stSidebar")

    sb.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=LOCATION_LABEL).click()
    settle(page)
    for label, value in (("Days since symptoms began", DAYS), ("Age (optional)", AGE)):
        box = sb.get_by_role("spinbutton", name=label, exact=True)
        box.fill(str(value))
        box.press("Enter")
        settle(page)
    sb.get_by_text("The clot threatens the leg (phlegmasia)", exact=True).click()
    settle(page)
    sb.get_by_text("Scans suggest a squeezed pelvic vein (iliac vein compression)", exact=True).click()
    settle(page)
    sb.get_by_text("High", exact=True).click()  # a bleeding level first ...
    settle(page)
    sb.get_by_text("Use a checklist", exact=True).click()  # ... then the checklist mode
    settle(page)
    for label in CHEST.values():
        tick(page, sb, "CHEST risk factors", label)
    for label in VTE.values():
        tick(page, sb, "VTE-BLEED items", label)
    for label in ABSOLUTE.values():
        tick(page, sb, CI_TITLE, label)
    for label in RELATIVE.values():
        tick(page, sb, CI_TITLE, label)

    goals = page.get_by_test_id("stMultiSelect")
    goals.get_by_role("button", name=re.compile("clear", re.I)).first.click()
    settle(page)
    for label in GOALS.values():
        goals.locator("input").click()  # the goals sit in the side panel: open the list from its input
        page.get_by_role("option", name=label).click()
        settle(page)
    page.keyboard.press("Escape")

    sb.get_by_text("1,000 people", exact=True).click()
    settle(page)
    for view in VIEWS:
        page.get_by_test_id("stButtonGroup").get_by_role("radio", name=view, exact=True).click()
        settle(page)


def test_every_request_goes_to_the_local_server_and_the_log_holds_no_entered_value(browser, private_server):
    url, stop_server = private_server
    host = urlsplit(url).netloc
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    seen = recorder(page)
    try:
        exercise_every_input(page, url)
        query = parse_qs(urlsplit(page.url).query)
        # the inputs really took effect (otherwise the checks below prove nothing)
        assert query["loc"] == [LOCATION_ID] and query["days"] == [str(DAYS)] and query["age"] == [str(AGE)]
        assert query["limb"] == ["1"] and query["iliac"] == ["1"] and query["per"] == ["1000"]
        assert set(query["chest"][0].split(",")) == set(CHEST) and query["vte"] == [",".join(VTE)]
        assert set(query["ci"][0].split(",")) == set(ABSOLUTE) | set(RELATIVE)
        assert query["goals"] == [",".join(GOALS)]
        assert "bleed" not in query  # checklist mode replaced the level
        for name in ("Teaching", "Methods"):
            page.get_by_role("link", name=name).first.click()
            settle(page)
            assert f"/{name.lower()}" in page.url
            page.mouse.wheel(0, 4000)  # bring lazily drawn charts and tables into view
            settle(page)
    finally:
        ctx.close()

    outside = [r for r in seen if not is_local(r["url"], host)]
    unexpected = [r for r in outside if r["url"] not in KNOWN_EXTERNAL]
    assert not unexpected, unexpected
    for r in outside:  # even the known favicon request carries nothing about the patient
        assert "?" not in r["referer"] and "loc=" not in r["referer"] and "loc=" not in r["url"], r
    local = len(seen) - len(outside)
    assert local > 20
    line = f"network check: {len(seen)} requests, all to {host}"
    if outside:
        line = (f"network check: {len(seen)} requests, {local} to {host}, {len(outside)} known external "
                f"(favicon from fonts.gstatic.com, origin-only referer: docs/safety.md H12)")
    report(line)

    log = stop_server()
    assert "You can now view your Streamlit app" in log and host in log  # the log is this server's, flushed
    leaked = [v for v in ENTERED if v.lower() in log.lower()]
    leaked += [p for p in ENTERED_PATTERNS if re.search(p, log, re.I)]
    assert not leaked, f"entered values in the server log: {leaked}"
    report(f"server log check: {len(log.splitlines())} log lines, none of {len(ENTERED) + len(ENTERED_PATTERNS)} "
           f"entered values or patterns")


def test_a_page_load_makes_no_request_outside_the_local_server(browser, app_url):
    host = urlsplit(app_url).netloc
    ctx = browser.new_context()
    page = ctx.new_page()
    seen = recorder(page)
    try:
        page.goto(app_url + "/?loc=distal&days=5&bleed=low")
        wait_for_app(page)
        page.wait_for_timeout(500)
    finally:
        ctx.close()
    assert [r["url"] for r in seen if not is_local(r["url"], host)] == []


def test_the_server_fixture_log_holds_no_entered_value(page, server):
    """The shared session server's log too (the brief's log_path); it is buffered, so this is a weaker check."""
    url, log_path = server
    page.goto(url + f"/?loc={LOCATION_ID}&days={DAYS}&age={AGE}&ci=recent_brain_event&chest=metastatic_cancer")
    wait_for_app(page)
    text = Path(log_path).read_text(encoding="utf-8", errors="replace")
    assert not [v for v in ENTERED if v.lower() in text.lower()]
    assert not [p for p in ENTERED_PATTERNS if re.search(p, text, re.I)]


# ----------------------------------------------------------------- nothing is written to disk

SKIP_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", ".git", ".venv", "node_modules",
              "screenshots"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_WATCH = {"on": False, "writes": []}


def _audit(event: str, args: tuple) -> None:
    if not _WATCH["on"]:
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & WRITE_FLAGS)
        if writing and isinstance(path, str | bytes | os.PathLike):
            text = os.fsdecode(path)
            if "__pycache__" not in text and not text.startswith(("/dev/", "/proc/")):
                _WATCH["writes"].append((event, text))
    elif event in ("os.mkdir", "os.rename", "os.remove", "os.unlink", "shutil.copyfile", "shutil.move",
                   "os.symlink", "os.link", "os.truncate"):
        _WATCH["writes"].append((event, str(args[0]) if args else ""))


def watch_writes() -> None:
    """Start recording writes; the audit hook is added once per process (hooks cannot be removed) and records
    only while _WATCH["on"] is set."""
    if not _WATCH.get("hooked"):
        sys.addaudithook(_audit)
        _WATCH["hooked"] = True
    _WATCH.update(on=True, writes=[])


def files_under(root: Path) -> set[str]:
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_PARTS]
        out.update(str(Path(dirpath, f).relative_to(root)) for f in filenames)
    return out


def test_engine_cli_and_app_write_nothing_to_disk(tmp_path, monkeypatch):
    import contextlib
    import io

    import streamlit as st

    import sdm
    from sdm.outputs.chart_note import chart_note
    from sdm.outputs.cli import main as cli_main
    from sdm.outputs.handout import render
    from tests.apptest_helpers import app

    monkeypatch.chdir(tmp_path)
    fields = dict(location=LOCATION_ID, symptom_days=DAYS, age=AGE, chest_factors=tuple(CHEST),
                  vte_bleed_factors=tuple(VTE), contraindications=tuple(sorted([*ABSOLUTE, *RELATIVE])),
                  limb_threatening=True, iliac_compression=True, goals=tuple(GOALS))
    cli = ["scenario", "--location", LOCATION_ID, "--days", str(DAYS), "--age", str(AGE), "--limb-threatening",
           *[t for c in CHEST for t in ("--chest-factor", c)], *[t for c in ABSOLUTE for t in ("--contraindication", c)]]
    query = {"loc": LOCATION_ID, "days": str(DAYS), "age": str(AGE), "chest": ",".join(CHEST),
             "ci": ",".join([*ABSOLUTE, *RELATIVE]), "limb": "1", "iliac": "1", "goals": ",".join(GOALS)}
    base = sdm.default()
    st.cache_resource.clear()
    before_repo, before_cwd = files_under(ROOT), files_under(tmp_path)
    watch_writes()
    try:
        result = sdm.run(sdm.make(base.rules, **fields), base)
        assert render(result, base, per=100, name="Test Patient").startswith(b"%PDF")  # in memory only
        assert chart_note(result, base)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert cli_main(cli) == 0
            assert cli_main([*cli, "--json"]) == 0
            assert cli_main(["evidence", "--json"]) == 0
            assert cli_main(["validate"]) == 0
        at = app(query)
        assert not at.exception
        at.radio(key="in_per").set_value(1000).run()
        at.switch_page("app_pages/teaching.py").run()
        assert any("Teaching" in t.value for t in at.title)
        at.switch_page("app_pages/methods.py").run()
        assert not at.exception and any("Methods" in t.value for t in at.title)
    finally:
        _WATCH["on"] = False
        st.cache_resource.clear()
    writes = list(_WATCH["writes"])
    new_in_repo = sorted(files_under(ROOT) - before_repo)
    new_in_cwd = sorted(files_under(tmp_path) - before_cwd)
    assert writes == [], f"files opened for writing: {writes[:10]}"
    assert new_in_cwd == [], new_in_cwd
    assert new_in_repo == [], new_in_repo
    report(f"disk check: engine, handout, chart note, CLI and 3 app pages wrote 0 files "
           f"({len(before_repo)} repo files unchanged)")


def test_the_disk_check_can_fail(tmp_path):
    watch_writes()
    try:
        (tmp_path / "x.txt").write_text("age 87")
        fd = os.open(tmp_path / "y.txt", os.O_WRONLY | os.O_CREAT)
        os.close(fd)
    finally:
        _WATCH["on"] = False
    assert [w[1] for w in _WATCH["writes"]] == [str(tmp_path / "x.txt"), str(tmp_path / "y.txt")]
    assert files_under(tmp_path) == {"x.txt", "y.txt"}


def test_is_local_check_can_fail():
    host = "127.0.0.1:8501"
    assert is_local("http://127.0.0.1:8501/_stcore/health", host)
    assert is_local("ws://127.0.0.1:8501/_stcore/stream", host)
    assert is_local("data:image/svg+xml;base64,AAAA", host)
    for bad in ("http://127.0.0.1:8502/", "https://fonts.gstatic.com/x.svg", "http://localhost:8501/",
                "https://127.0.0.1.evil.example/", "ftp://127.0.0.1:8501/"):
        assert not is_local(bad, host), bad



# ----------------------------------------------------------------- planted markup in every text field

PLANTED_VIEWS = ("pictures", "goals", "table", "tradeoff")
# Every place a link or image may point: same origin, inline data, or the two allowed link hosts.
ALLOWED_LINK_PREFIXES = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")
DOM_ADDRESSES = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[src],[srcset],[href],[poster],[data],[background]')) {
    for (const a of ['src', 'srcset', 'href', 'poster', 'data', 'background']) {
      const v = el.getAttribute(a);
      if (v) out.push({tag: el.tagName.toLowerCase(), attr: a, url: new URL(v.split(' ')[0], location.href).href});
    }
  }
  return out;
}"""


class Listener:
    """A local HTTP server on another port, standing in for another host: it counts every request it gets."""

    def __init__(self):
        import http.server
        import threading

        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def start_unchecked_server(env: dict, log_path: Path):
    """Like conftest.start_server, but through tests/e2e/unchecked_app.py: the loader's text check is off, so a
    copy of data/ with planted markup loads and only the pages' own escaping stands between it and the browser."""
    return start_server(env=env, log_path=log_path,
                        launcher=[sys.executable, str(ROOT / "tests" / "e2e" / "unchecked_app.py")])


@pytest.fixture
def planted(tmp_path):
    """A listener, a copy of data/ with an image, raw HTML, a link and a bare URL (all pointing at the listener)
    planted in every text field, and a server that loads it with the text check switched off."""
    from sdm.evidence import loader as evidence
    from tests import evidence_text

    listener = Listener()
    folder, slots = evidence_text.planted_copy(tmp_path / "data", listener.host)
    # the loader refuses this copy: each guard is tested alone
    with pytest.raises(evidence.EvidenceError) as refused:
        evidence.load(folder)
    assert any("holds an image" in p.message for p in refused.value.problems)
    proc, url, log = start_unchecked_server({"SDM_DATA_DIR": str(folder)}, tmp_path / "server.log")
    yield url, listener, slots
    proc.terminate()
    proc.wait(timeout=20)
    log.close()
    listener.close()


def open_every_expander(page) -> None:
    main = page.get_by_test_id("stMain")
    for summary in main.locator("[data-testid='stExpander'] summary").all():
        if summary.is_visible():
            summary.click()
    settle(page)


def test_planted_markup_in_every_text_field_makes_no_request_outside_the_app(browser, planted):
    url, listener, slots = planted
    host = urlsplit(url).netloc
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    seen = recorder(page)
    addresses: list[dict] = []
    shown_as_text = 0
    visits = []
    # first the checklist mode with every contraindication (their labels, reasons and warnings), then every view
    # of a scenario with numbers; with every goal, so each text field that can show, shows
    goals = ",".join(GOALS_ALL)
    visits.append(f"/?loc=iliocaval&days=5&chest=cancer,previous_bleeding&vte=active_cancer&ci={','.join(CIS_ALL)}"
                  f"&limb=1&iliac=1&goals={goals}")
    for view in PLANTED_VIEWS:
        visits.append(f"/?loc=iliofemoral&days=7&bleed=moderate&goals={goals}"
                      + (f"&view={view}" if view != "pictures" else ""))
    try:
        for i, path in enumerate([*visits, "/teaching", "/methods"]):
            page.goto(url + path)
            wait_for_app(page)
            assert not page.get_by_test_id("stException").count(), path
            if i == 0:  # sidebar lists and the handout download, once
                sb = page.get_by_test_id("stSidebar")
                for summary in sb.locator("[data-testid='stExpander'] summary").all():
                    summary.click()
                settle(page)
                with page.expect_download() as info:
                    page.get_by_role("button", name="Download the handout (PDF)").click()
                pdf = Path(info.value.path()).read_bytes()
                assert pdf.startswith(b"%PDF")
            if path == "/teaching":  # a second case, and the guess-first reveal
                box = page.get_by_test_id("stSelectbox").first
                box.click()
                page.keyboard.press("ArrowDown")
                page.keyboard.press("Enter")
                settle(page)
                page.get_by_role("button", name="Reveal").click()
                settle(page)
            open_every_expander(page)
            page.mouse.wheel(0, 8000)
            settle(page)
            page.wait_for_timeout(500)
            addresses += page.evaluate(DOM_ADDRESSES)
            body = page.locator("body").inner_text()
            shown_as_text += body.count(f"![p](http://{listener.host}/")
    finally:
        ctx.close()

    outside = [r for r in seen if not is_local(r["url"], host)]
    unexpected = [r for r in outside if r["url"] not in KNOWN_EXTERNAL]
    leaked = sorted({re.sub(r"\[[^\]]*\]", "[]", slots[int(m[1])].path)
                     for r in unexpected if (m := re.search(r"/s(\d+)/", r["url"]))})
    assert not unexpected, f"{len(unexpected)} requests outside {host}, from the fields {leaked}"
    assert listener.hits == [], listener.hits[:10]
    foreign = [a for a in addresses if not is_local(a["url"], host)
               and not (a["tag"] == "a" and a["url"].startswith(ALLOWED_LINK_PREFIXES))]
    assert not foreign, foreign[:10]
    assert shown_as_text > 20  # the planted markup is on the pages, as the characters typed
    local = len(seen) - len(outside)
    assert local > 20
    report(f"planted-image privacy check: {len(seen)} requests, {len(outside)} outside {host} (markup planted in "
           f"all {len(slots)} text fields; the stand-in host got {len(listener.hits)} requests; {shown_as_text} "
           f"planted images shown as plain text over {len(visits) + 2} page loads; the handout download gave a PDF)")
