"""One short log line, not a traceback, for a websocket frame that Streamlit refuses.

Streamlit's browser side sends binary protobuf messages (BackMsg) over `/_stcore/stream`. Anyone can open
that websocket and send something else; Streamlit 1.67 refuses it and closes the connection, but logs a full
traceback for every such frame:

* a text frame: Starlette's `receive_bytes` fails inside Streamlit's websocket endpoint, and uvicorn logs
  "Exception in ASGI application" with the traceback on the `uvicorn.error` logger;
* bytes that are not a BackMsg: Streamlit logs "Error deserializing back message" with the protobuf
  traceback on its websocket module's logger.

`install()` adds a filter to exactly those two loggers. The filter recognises exactly those two records
(by the exception and where it was raised, not by level or text alone) and rewrites each into one warning
line with no traceback and nothing from the frame. Every other record, including every other exception
on the same loggers, passes through untouched: this is not a way of silencing errors.

Streamlit runs no project code before the first session, so the filter is in place from the first run of
`app.py` in a process onwards (app.py calls `install()` on every run; it adds the filter once).
"""

from __future__ import annotations

import logging
from pathlib import Path

UVICORN_LOGGER = "uvicorn.error"
WEBSOCKET_LOGGER = "streamlit.web.server.starlette.starlette_websocket"
TEXT_FRAME_LINE = "websocket: refused a text frame (Streamlit expects binary messages); connection closed"
BAD_MESSAGE_LINE = "websocket: refused a frame that is not a Streamlit message; connection closed"
BAD_UTF8_LINE = "websocket: refused a text frame that is not valid UTF-8; connection closed"
_MARK = "sdm_bad_frame_filter"


def _last_frame(exc: BaseException):
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame if tb is not None else None


def is_text_frame_error(exc: BaseException | None) -> bool:
    """The exception Streamlit's websocket endpoint raises when it receives a text frame."""
    if isinstance(exc, TypeError) and "text frames are not supported" in str(exc):
        # Streamlit's own message, for Starlette versions that raise RuntimeError there.
        return True
    if isinstance(exc, KeyError) and exc.args == ("bytes",):
        # Starlette 1.x: `message["bytes"]` on a text message, raised in WebSocket.receive_bytes.
        frame = _last_frame(exc)
        return (frame is not None and frame.f_code.co_name == "receive_bytes"
                and Path(frame.f_code.co_filename).parent.name == "starlette")
    return False


def _short_line(record: logging.LogRecord) -> str | None:
    exc = record.exc_info[1] if record.exc_info else None
    if record.name == UVICORN_LOGGER:
        if is_text_frame_error(exc):
            return TEXT_FRAME_LINE
        if isinstance(exc, UnicodeDecodeError) and str(record.msg).startswith("Invalid UTF-8 sequence"):
            return BAD_UTF8_LINE
    elif record.name == WEBSOCKET_LOGGER and record.msg == "Error deserializing back message":
        return BAD_MESSAGE_LINE
    return None


class BadFrameFilter(logging.Filter):
    """Rewrites the refused-frame records into one line; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        line = _short_line(record)
        if line is not None:
            record.msg, record.args = line, None
            record.exc_info = record.exc_text = record.stack_info = None
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


setattr(BadFrameFilter, _MARK, True)


def install() -> None:
    """Add the filter to the two loggers, once per process (safe to call on every rerun)."""
    for name in (UVICORN_LOGGER, WEBSOCKET_LOGGER):
        logger = logging.getLogger(name)
        if not any(getattr(f, _MARK, False) for f in logger.filters):
            logger.addFilter(BadFrameFilter())
