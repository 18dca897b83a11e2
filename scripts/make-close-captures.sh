#!/bin/sh
# Regenerates tests/fixtures/closes/*.pcap from real Linux TCP sockets on loopback (needs root for
# tcpdump on lo, python3, openssl). Usage: scripts/make-close-captures.sh [scenario...]
# The simultaneous close is a race on loopback: the script is rerun until the FINs cross
# (checked by scripts/check-simultaneous.mjs is not needed: tshark shows it; see README in the fixtures).
set -e
cd "$(dirname "$0")/.."
exec python3 scripts/make-close-captures.py "$@"
