"""Shared helpers: loopback servers, Chromium launch flags, statistics."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
APP = ROOT / "app.py"
REFERENCE_APP = BENCH / "reference_app.py"
EMPTY_APP = BENCH / "empty_app.py"
STRUCTURE_APP = BENCH / "structure_app.py"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# The consult scenario every measurement starts from, and the two sidebar choices it alternates between.
QUERY = "loc=iliofemoral&days=7&bleed=low"
LOCATION_LABELS = {
    "distal": "Calf only (below the knee)",
    "femoropopliteal": "Thigh and knee (femoral or popliteal vein)",
    "iliofemoral": "Groin and pelvis (iliac or common femoral vein)",
    "iliocaval": "Up into the big belly vein (vena cava)",
}
REFERENCE_CHOICES = ("Blood thinners alone", "Clot-dissolving procedure")


# Never route loopback traffic through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, headers: dict | None = None, timeout: float = 5.0) -> tuple[int, dict, bytes]:
    """GET on loopback without any proxy: (status, headers, body)."""
    req = urllib.request.Request(url, headers=headers or {})
    with _OPENER.open(req, timeout=timeout) as resp:
        return resp.status, dict(resp.headers.items()), resp.read()


def wait_healthy(url: str, timeout: float, alive=lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            if http_get(f"{url}/_stcore/health", timeout=1)[2] == b"ok":
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen | None) -> None:
    """Terminate a child process, killing it if it does not stop within 10 s."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@dataclass
class Server:
    """A `streamlit run` subprocess on 127.0.0.1, started from the repo root so the
    project's .streamlit/config.toml applies to every app measured (same config)."""

    script: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 60.0) -> Server:
        self.port = self.port or free_port()
        fd, name = tempfile.mkstemp(prefix=f"bench-{self.script.stem}-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)
        log = open(self.log_path, "w")  # noqa: SIM115 - the child writes to it until stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.headless=true",
             "--server.address=127.0.0.1", f"--server.port={self.port}", "--browser.gatherUsageStats=false",
             "--server.fileWatcherType=none", "--global.developmentMode=false", *self.extra],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        log.close()
        if wait_healthy(self.url, timeout, alive=lambda: self.proc.poll() is None):
            return self
        self.stop()
        raise RuntimeError(f"streamlit {self.script.name} did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        stop_process(self.proc)
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def summary(values: list[float], digits: int = 2) -> dict:
    """Median and spread of repeated measurements (same unit as the input)."""
    if not values:
        return {"n": 0}
    r = lambda x: round(x, digits)  # noqa: E731
    return {
        "n": len(values),
        "median": r(statistics.median(values)),
        "mean": r(statistics.fmean(values)),
        "min": r(min(values)),
        "max": r(max(values)),
        "p25": r(percentile(values, 25)),
        "p75": r(percentile(values, 75)),
        "p95": r(percentile(values, 95)),
    }


def spread(s: dict, unit: str = "ms") -> str:
    """'123 ms (min 100, max 150, IQR 110-130, n=15)'."""
    if not s.get("n"):
        return "no data"
    return (f"{s['median']:g} {unit} (min {s['min']:g}, max {s['max']:g}, "
            f"IQR {s['p25']:g}-{s['p75']:g}, n={s['n']})")
