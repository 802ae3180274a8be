#!/bin/sh
# Installs the Debian python3-* packages that peer benchmarks and fixture scripts use, only when missing.
# Python is never needed by the product or its tests; only by `npm run bench` and `npm run fixtures`.
set -e
PKGS="python3-numpy python3-scipy python3-skimage python3-tifffile python3-sklearn python3-pil"
if /usr/bin/python3 -c "import numpy, scipy, skimage, tifffile, sklearn, PIL" 2>/dev/null; then exit 0; fi
echo "installing Debian packages for Python peers: $PKGS" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PKGS >/dev/null
