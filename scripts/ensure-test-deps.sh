#!/bin/sh
# Installs what the test suite needs beyond npm packages, only when missing: Debian's chromium (browser tests
# drive it with playwright-core). Without root or apt, the browser tests skip with a printed reason instead.
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "ensure-test-deps: not root and no sudo: browser tests will be skipped (install the Debian package chromium)" >&2
    exit 0
  fi
fi
echo "ensure-test-deps: installing Debian's chromium for the browser tests" >&2
$SUDO apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 ||
  echo "ensure-test-deps: could not install chromium: browser tests will be skipped" >&2
exit 0
