#!/usr/bin/env bash
# Makes the captures the built-in lessons walk through (public/lessons/captures/): real Linux TCP
# stacks talking over loopback (python3 sockets on 127.0.0.1), recorded with `tcpdump -i lo -U --immediate-mode -w`.
# No packet is made by hand. Runs in a private network namespace (unshare -n), so the captures hold
# only the lesson's own traffic and nothing else on the machine is disturbed. Needs root, tcpdump,
# python3 and openssl (for the TLS lessons' throwaway certificate).
#
#   sudo scripts/make-lesson-captures.sh [OUTDIR]     (default public/lessons/captures)
#
# Timing (sleeps between application calls) is in scripts/lesson-captures/scenarios.py; re-running
# gives the same sequences of packets with new addresses' ports, sequence numbers and times.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-public/lessons/captures}"
mkdir -p "$out"
exec unshare -n bash -c "ip link set lo up && python3 scripts/lesson-captures/scenarios.py '$out'"
