#!/bin/sh
# Make sure the browser tests can run: Debian's Chromium and a CJK font.
# Idempotent: installs only what is missing. Needs root (or sudo) when it installs.
set -eu

need=""
[ -x /usr/bin/chromium ] || need="yes"
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    need="yes"
fi

if [ -z "$need" ]; then
    echo "browser_setup: chromium and a CJK font are present"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk fontconfig
fc-cache -f >/dev/null 2>&1 || true

[ -x /usr/bin/chromium ] || { echo "browser_setup: /usr/bin/chromium still missing" >&2; exit 1; }
[ -n "$(fc-list :lang=zh)" ] || { echo "browser_setup: no CJK font after install" >&2; exit 1; }
echo "browser_setup: installed chromium and fonts-noto-cjk"
