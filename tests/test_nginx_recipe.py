"""The nginx recipe's Content-Security-Policy and limits: tight, matched to the installed Streamlit, and the same
in the template the benchmark runs and in docs/deploy.md. The browser check through nginx (0 violations, every
page drawn) is tests/e2e/test_csp_browser.py and the benchmark's scale-out section."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
import streamlit

from bench import scaleout

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "bench" / "nginx.conf.template"
DEPLOY = ROOT / "docs" / "deploy.md"


def _policy() -> dict[str, list[str]]:
    csp = scaleout.policy(TEMPLATE.read_text())["csp"]
    assert csp, "no Content-Security-Policy in the template"
    out = {}
    for part in csp.split(";"):
        name, *values = part.split()
        assert name not in out, f"{name} given twice"
        out[name] = values
    return out


def _inline_script_hashes() -> set[str]:
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, re.S)
    return {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in bodies}


def test_the_policy_allows_only_this_origin():
    p = _policy()
    assert p["default-src"] == ["'self'"]
    assert p["img-src"] == ["'self'", "data:"]
    assert p["connect-src"] == ["'self'"]  # CSP 'self' covers ws:/wss: of the same host
    assert p["object-src"] == ["'none'"] and p["base-uri"] == ["'none'"] and p["frame-ancestors"] == ["'none'"]
    assert p["form-action"] == ["'none'"]
    for name, values in p.items():
        assert all(v.startswith("'") or v in ("data:",) for v in values), f"{name} names a host: {values}"
        assert "'unsafe-eval'" not in values and "*" not in values, name
    # the only exceptions Streamlit 1.67 needs (see the template's comment and docs/deploy.md)
    assert [v for v in p["script-src"] if not v.startswith("'sha256-")] == ["'self'", "'wasm-unsafe-eval'"]
    assert p["style-src"] == ["'self'", "'unsafe-inline'"]
    assert p["font-src"] == ["'self'", "data:"]


def test_the_script_hashes_are_those_of_the_installed_streamlit():
    """A Streamlit upgrade that changes its inline script must update the hash (else the page stays blank)."""
    hashes = {v for v in _policy()["script-src"] if v.startswith("'sha256-")}
    assert hashes == _inline_script_hashes(), (
        f"update script-src in bench/nginx.conf.template and docs/deploy.md to {sorted(_inline_script_hashes())}")


def test_the_limits_are_in_force_and_documented():
    limits = scaleout.policy(TEMPLATE.read_text())["limits"]
    joined = " | ".join(limits)
    for expected in ("zone=sdm_req:10m rate=50r/s", "zone=sdm_ws:10m rate=5r/s", "limit_req zone=sdm_req burst=1000",
                     "limit_req zone=sdm_ws burst=100", "limit_conn sdm_conn 200", "limit_conn sdm_conn_total 500"):
        assert expected in joined, expected
    doc = DEPLOY.read_text(encoding="utf-8")
    for directive in limits:
        assert directive in " ".join(doc.split()), f"docs/deploy.md does not show: {directive}"
    assert scaleout.policy(TEMPLATE.read_text())["csp"] in doc, "docs/deploy.md shows another policy"


def test_the_rendered_config_passes_nginx_t(tmp_path):
    if scaleout.nginx_binary() is None:
        pytest.skip("nginx is not installed (bench/setup.sh installs it)")
    conf = scaleout.write_config(tmp_path, 8080, [8601, 8602])
    ok, message = scaleout.check_config(conf, tmp_path)
    assert ok, message
