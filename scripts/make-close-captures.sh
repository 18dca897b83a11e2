#!/bin/sh
# Regenerates tests/fixtures/closes/*.pcap from real Linux TCP sockets on loopback (127.0.0.1 / ::1).
# Needs root (tcpdump on lo), python3 and openssl. Usage: scripts/make-close-captures.sh [scenario...]
# (scenario names = the pcap names; none = all). See tests/fixtures/closes/README.md.
set -e
cd "$(dirname "$0")/.."
exec python3 scripts/make-close-captures.py "$@"
