"""Goal 6: N Streamlit processes behind nginx with sticky sessions, load-tested through nginx.

Starts N `streamlit run app.py` processes on free loopback ports, renders bench/nginx.conf.template
into a temporary prefix directory, starts nginx there (127.0.0.1 only, `daemon off`), then:
  * every simulated browser first GETs the page without a cookie, as a browser does, and keeps the
    `st_route` cookie nginx sets; a second GET with it must reach the same process;
  * its websocket (with the cookie) must reach that same process too (nginx reports the upstream in
    an `X-Upstream` header, added only in this benchmark's rendering);
  * then the same load as goal 4 runs through nginx, with the same isolation checks.
Everything is stopped and the prefix removed at the end, also on failure.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import APP, BENCH, Server, free_port, http_get, stop_process, wait_healthy

TEMPLATE = BENCH / "nginx.conf.template"
DEBUG_HEADERS = "            add_header X-Upstream $upstream_addr always;   # benchmark only: which process answered"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def render(listen_port: int, upstream_ports: list[int], prefix: Path, debug: bool = False) -> str:
    """The nginx config for these ports. Loopback only: every address is 127.0.0.1."""
    text = TEMPLATE.read_text()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
    out = (text.replace("{{prefix}}", str(prefix)).replace("{{listen}}", f"127.0.0.1:{listen_port}")
           .replace("{{servers}}", servers).replace("{{debug_headers}}", DEBUG_HEADERS if debug else ""))
    if "{{" in out:
        raise ValueError("unrendered placeholder in nginx.conf.template")
    return out


def write_config(prefix: Path, listen_port: int, upstream_ports: list[int], debug: bool = False) -> Path:
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / d).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(listen_port, upstream_ports, prefix, debug=debug))
    return conf


def check_config(conf: Path, prefix: Path) -> tuple[bool, str]:
    """`nginx -t` on a rendered config."""
    binary = nginx_binary()
    if binary is None:
        return False, "nginx is not installed"
    r = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True,
                       timeout=30)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


class Nginx:
    def __init__(self, upstream_ports: list[int], debug: bool = True):
        self.binary = nginx_binary()
        if self.binary is None:
            raise RuntimeError("nginx is not installed: bench/setup.sh installs it (apt-get install nginx)")
        self.prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.port = free_port()
        self.conf = write_config(self.prefix, self.port, upstream_ports, debug=debug)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        ok, msg = check_config(self.conf, self.prefix)
        if not ok:
            raise RuntimeError(f"nginx -t failed: {msg}")
        log = open(self.prefix / "stdout.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen([self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-g", "daemon off;"],
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        if not wait_healthy(self.url, 30, alive=lambda: self.proc.poll() is None):
            err = (self.prefix / "error.log").read_text() if (self.prefix / "error.log").exists() else ""
            self.stop()
            raise RuntimeError(f"nginx did not start: {err[-2000:]}")
        return self

    def stop(self) -> None:
        stop_process(self.proc)
        shutil.rmtree(self.prefix, ignore_errors=True)


def _cookie(headers: dict) -> str | None:
    for k, v in headers.items():
        if k.lower() == "set-cookie" and v.startswith("st_route="):
            return v.split(";", 1)[0].split("=", 1)[1]
    return None


def browsers(url: str, count: int) -> tuple[list[dict], list[str]]:
    """Each simulated browser's first page load through nginx: its cookie and process; then a second
    request with the cookie, which must land on the same process."""
    prepared, problems = [], []
    for i in range(count):
        _, h1, _ = http_get(url + "/")
        route, up1 = _cookie(h1), h1.get("X-Upstream")
        if not route or not up1:
            problems.append(f"browser {i}: no st_route cookie or X-Upstream on the first response")
            prepared.append({})
            continue
        _, h2, _ = http_get(url + "/_stcore/health", headers={"Cookie": f"st_route={route}"})
        if h2.get("X-Upstream") != up1:
            problems.append(f"browser {i}: page from {up1}, next request from {h2.get('X-Upstream')}")
        prepared.append({"Cookie": f"st_route={route}", "_upstream": up1})
    return prepared, problems


def run(processes: int = 2, sessions: int = 50, changes: int = 20, seed: int = 6) -> dict:
    from . import wsload

    servers: list[Server] = []
    nginx = None
    t_start = time.perf_counter()
    try:
        for _ in range(processes):
            servers.append(Server(APP).start())
        nginx = Nginx([s.port for s in servers]).start()
        startup_s = time.perf_counter() - t_start
        prepared, problems = browsers(nginx.url, sessions)
        expected = asyncio.run(wsload.calibrate(nginx.url))
        result = asyncio.run(wsload.load(nginx.url, sessions, changes, expected, [s.pid for s in servers],
                                         seed=seed, headers_for=lambda i: dict(prepared[i])))
        per_process = {}
        for s in servers:
            try:
                import psutil

                per_process[f"127.0.0.1:{s.port}"] = round(psutil.Process(s.pid).memory_info().rss / 2**20, 1)
            except Exception:  # noqa: BLE001
                pass
        result.update({
            "processes": processes,
            "proxy": f"nginx {nginx_version()} on 127.0.0.1, hash $cookie_st_route consistent, websocket upgrade",
            "startup_s": round(startup_s, 1),
            "sticky_problems": len(problems) + result["websocket_not_sticky"],
            "sticky_examples": (problems + result["sticky_examples"])[:5],
            "rss_mb_per_process_after": per_process,
            "upstreams_used": len(result["sessions_per_upstream"]),
        })
        return result
    finally:
        if nginx is not None:
            nginx.stop()
        for s in servers:
            s.stop()


def nginx_version() -> str:
    binary = nginx_binary()
    if not binary:
        return "missing"
    r = subprocess.run([binary, "-v"], capture_output=True, text=True, timeout=10)
    return (r.stderr or r.stdout).strip().split("/")[-1]
