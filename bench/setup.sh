#!/bin/sh
# System tools the benchmark needs: Debian's chromium (browser timings) and nginx (scale-out run).
# `python -m bench` calls this first; it installs only what is missing. Needs root (apt-get), as
# `make test` does for chromium. Debian's policy-rc.d in containers keeps the nginx service from
# starting: the benchmark starts its own nginx, on 127.0.0.1 only, from a temporary prefix.
set -eu
missing=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing="$missing chromium"
if [ -z "$missing" ]; then
    echo "bench/setup.sh: nginx and chromium present"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "bench/setup.sh: missing:$missing (run as root, or: apt-get install -y$missing)" >&2
    exit 1
fi
echo "bench/setup.sh: installing$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
