"""A running server logs one short line per refused websocket frame, and still logs genuine app errors in full.

A server of its own (started as conftest.py starts one), so its log holds only what these tests cause. A
plain websocket client speaks Streamlit's protocol: a normal page run first (app.py installs the filter on
its first run in a process), then text frames and bytes that are not a Streamlit message, each on its own
connection since the server closes the connection after a refused frame.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app_pages.parts import logfilter
from tests.e2e.conftest import start_server
from tests.safety_plugin import report

QUERY = "loc=iliofemoral&days=7&bleed=low"
MARKER = "FRAME-CONTENT-7c1e"
BAD_FRAMES = 5  # of each kind


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("wslog") / "server.log"
    proc, url, log = start_server(log_path=log_path)
    yield url, log_path
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def _run(coro):
    """asyncio.run in a thread of its own: in a full run, Playwright's sync API keeps an event loop running in
    the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=180)


def _ws_url(url: str) -> str:
    return url.replace("http://", "ws://", 1) + "/_stcore/stream"


async def _page_run(url: str, widget_value=None) -> list[str]:
    """One session: a first run of the consult page, and optionally a rerun with a raw widget value."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    from bench.wsload import Client

    client = Client(url, timeout=60)
    client.query_string = QUERY
    await client.connect()
    try:
        _, got = await client.rerun()
        assert got["status"] is not None and client.selectbox_id, "the consult page did not run"
        if widget_value is None:
            return got["errors"]
        bm = BackMsg()
        bm.rerun_script.query_string = client.query_string
        bm.rerun_script.page_script_hash = client.page_script_hash
        w = bm.rerun_script.widget_states.widgets.add()
        w.id = client.selectbox_id
        w.double_value = widget_value  # the location box holds text: the script fails on this value
        # Sent twice, with no fragment id, so the whole page runs: the first is a change (the results read the
        # value and say it is not a location); the second changes nothing and draws the box with it again.
        for _ in range(2):
            await client.ws.send(bm.SerializeToString())
            await asyncio.sleep(2)
        return []
    finally:
        await client.close()


async def _bad_frames(url: str) -> None:
    import websockets

    for i in range(BAD_FRAMES):
        for frame in (f"{MARKER} text {i}", f"\xff{MARKER} bytes {i}".encode("latin-1")):
            async with websockets.connect(_ws_url(url), subprotocols=["streamlit"], origin=url, proxy=None,
                                          open_timeout=30) as ws:
                await ws.send(frame)
                try:
                    await asyncio.wait_for(ws.recv(), 10)
                except Exception:  # noqa: BLE001, S110 - the server closes the connection: expected
                    pass


def _new_text(path: Path, offset: int, want: int, timeout: float = 15.0) -> str:
    """The log after `offset`, once it holds `want` non-empty lines (or the timeout passed)."""
    deadline = time.monotonic() + timeout
    while True:
        text = path.read_bytes()[offset:].decode("utf-8", "replace")
        if len([ln for ln in text.splitlines() if ln.strip()]) >= want or time.monotonic() > deadline:
            time.sleep(0.5)  # anything logged late still shows
            return path.read_bytes()[offset:].decode("utf-8", "replace")
        time.sleep(0.2)


def test_each_bad_frame_logs_at_most_one_short_line(own_server):
    url, log_path = own_server
    assert _run(_page_run(url)) == []
    time.sleep(0.5)
    offset = log_path.stat().st_size
    _run(_bad_frames(url))
    text = _new_text(log_path, offset, 2 * BAD_FRAMES)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert "Traceback" not in text and MARKER not in text, text[:3000]
    assert len(lines) <= 2 * BAD_FRAMES, text[:3000]
    assert all(len(ln) < 200 for ln in lines), lines
    assert sum(logfilter.TEXT_FRAME_LINE in ln for ln in lines) == BAD_FRAMES, lines
    assert sum(logfilter.BAD_MESSAGE_LINE in ln for ln in lines) == BAD_FRAMES, lines
    report(f"websocket log: {2 * BAD_FRAMES} refused frames ({BAD_FRAMES} text, {BAD_FRAMES} not a Streamlit "
           f"message) -> {len(lines)} log lines, longest {max(map(len, lines))} characters, 0 tracebacks, "
           "no frame content")


def test_a_genuine_app_error_still_logs_its_traceback(own_server):
    url, log_path = own_server
    offset = log_path.stat().st_size
    _run(_page_run(url, widget_value=3.5))
    text = _new_text(log_path, offset, 3)
    assert "Uncaught app execution" in text, text[:3000]
    assert "Traceback (most recent call last)" in text and "TypeError" in text, text[:3000]
    report("websocket log: a genuine app error (a widget value of the wrong type) still logs its full traceback")
