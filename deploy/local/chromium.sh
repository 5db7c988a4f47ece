#!/usr/bin/env bash
# Headless Chromium, its driver and a Chinese font for the browser tests, from Debian's packages,
# installed when missing (nothing is downloaded by the tests themselves). Prints the two paths.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
   || ! fc-list 2>/dev/null | grep -qi "wenquanyi"; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q chromium chromium-driver fonts-wqy-microhei >&2 \
    || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q chromium chromium-driver fonts-wqy-microhei >&2; }
fi
command -v chromium
command -v chromedriver
