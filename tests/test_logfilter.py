"""The refused-frame log filter rewrites exactly the two refused-frame records and lets everything else through.

In-process, with the real Starlette `receive_bytes` and the real protobuf parser producing the exceptions, so
the filter is checked against what Streamlit's server actually raises. The same filter against a running
server: tests/e2e/test_websocket_log.py.
"""

from __future__ import annotations

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.websockets import WebSocket

from app_pages.parts import logfilter


@pytest.fixture
def capture():
    """Handlers on the two loggers, each with the filter; yields a function giving the text logged."""
    logfilter.install()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    loggers = [logging.getLogger(n) for n in (logfilter.UVICORN_LOGGER, logfilter.WEBSOCKET_LOGGER)]
    saved = [(lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.WARNING)
        lg.disabled = False
    yield out.getvalue
    for lg, (level, disabled) in zip(loggers, saved, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)
        lg.disabled = disabled


def _text_frame_exception() -> BaseException:
    """What Starlette raises inside Streamlit's websocket endpoint when the client sends a text frame."""
    messages = [{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "hello SECRET-TEXT"}]

    async def receive():
        return messages.pop(0)

    async def send(message):
        pass

    async def run():
        ws = WebSocket({"type": "websocket", "path": "/_stcore/stream", "headers": []}, receive, send)
        await ws.accept()
        await ws.receive_bytes()

    # in a thread of its own: in a full run, Playwright's sync API keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        exc = pool.submit(asyncio.run, run()).exception(timeout=30)
    assert exc is not None, "receive_bytes accepted a text frame"
    return exc


def _log_exception(logger_name: str, message: str, exc: BaseException) -> None:
    logging.getLogger(logger_name).error(message, exc_info=(type(exc), exc, exc.__traceback__))


def test_a_text_frame_becomes_one_short_line(capture):
    exc = _text_frame_exception()
    assert logfilter.is_text_frame_error(exc)
    _log_exception(logfilter.UVICORN_LOGGER, "Exception in ASGI application\n", exc)
    lines = capture().splitlines()
    assert lines == [f"WARNING uvicorn.error: {logfilter.TEXT_FRAME_LINE}"]
    assert "SECRET" not in capture() and "Traceback" not in capture()


def test_bytes_that_are_not_a_streamlit_message_become_one_short_line(capture):
    from streamlit.proto.BackMsg_pb2 import BackMsg

    try:
        BackMsg().ParseFromString(b"\xff\xfe SECRET-BYTES")
    except Exception as exc:  # noqa: BLE001
        logging.getLogger(logfilter.WEBSOCKET_LOGGER).warning("Error deserializing back message", exc_info=exc)
    else:
        raise AssertionError("garbage parsed as a BackMsg")
    assert capture().splitlines() == [f"WARNING {logfilter.WEBSOCKET_LOGGER}: {logfilter.BAD_MESSAGE_LINE}"]


def test_other_errors_on_the_same_loggers_keep_their_traceback(capture):
    def fail(kind):
        try:
            if kind == "value":
                raise ValueError("a genuine server error")
            raise KeyError("bytes")  # the same exception, but not raised by Starlette's receive_bytes
        except Exception as exc:  # noqa: BLE001
            return exc

    _log_exception(logfilter.UVICORN_LOGGER, "Exception in ASGI application\n", fail("value"))
    _log_exception(logfilter.UVICORN_LOGGER, "Exception in ASGI application\n", fail("key"))
    try:
        raise RuntimeError("a genuine websocket error")
    except RuntimeError as exc:
        logging.getLogger(logfilter.WEBSOCKET_LOGGER).exception("Error sending websocket payload")
        assert exc
    text = capture()
    assert text.count("Traceback (most recent call last)") == 3, text
    for expected in ("ValueError: a genuine server error", "KeyError: 'bytes'", "RuntimeError: a genuine websocket error",
                     "ERROR uvicorn.error: Exception in ASGI application",
                     f"ERROR {logfilter.WEBSOCKET_LOGGER}: Error sending websocket payload"):
        assert expected in text, expected
    assert logfilter.TEXT_FRAME_LINE not in text and logfilter.BAD_MESSAGE_LINE not in text


def test_install_adds_one_filter_per_logger_however_often_it_runs():
    for _ in range(5):
        logfilter.install()
    for name in (logfilter.UVICORN_LOGGER, logfilter.WEBSOCKET_LOGGER):
        ours = [f for f in logging.getLogger(name).filters if isinstance(f, logfilter.BadFrameFilter)]
        assert len(ours) == 1, name
