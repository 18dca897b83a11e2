#!/usr/bin/env bash
# Makes tests/fixtures/two-points/: real Linux TCP stacks talking through a Linux firewall, captured on the
# firewall's inside and outside interfaces at once (the two capture points of issue #19).
#
#   client ns td-c (10.19.0.2) -- fw ns td-fw [td-in 10.19.0.1 | td-out 198.51.100.1] -- wire ns td-w -- server ns td-s
#                                                                                        (198.51.100.80)
# The firewall forwards and SNATs the client to 198.51.100.1 (nftables masquerade on td-out). Beyond it, a delay line
# of 5 ms each way (10 ms round trip) stands for the path to a distant server: this kernel has no netem, so it is a
# small transparent bridge in td-w (scenarios.py `wire`: AF_PACKET sockets on its two veths, each frame sent on
# after 5 ms, ARP included). tcpdump runs on td-in and td-out in the firewall's namespace.
# Scenarios (scripts/two-point-captures/scenarios.py): a clean close, the seed-like late RST that nftables drops,
# and a close whose outside capture then gets ASA-style sequence randomisation (a constant per direction, written
# into the capture afterwards with checksums fixed: the Linux firewall cannot randomise sequence numbers).
# Needs root, ip, tc, nft, tcpdump and python3. Usage: sudo scripts/make-two-point-captures.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-tests/fixtures/two-points}")"
mkdir -p "$out"
here="$(pwd)/scripts/two-point-captures"

wire=''
cleanup() {
  [ -n "$wire" ] && kill "$wire" 2>/dev/null || true
  for n in td-c td-fw td-w td-s; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
for n in td-c td-fw td-w td-s; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add td-c0 netns td-c type veth peer name td-in netns td-fw
ip link add td-out netns td-fw type veth peer name td-wf netns td-w
ip link add td-s0 netns td-s type veth peer name td-ws netns td-w
ip -n td-w link set td-wf up && ip -n td-w link set td-ws up
ip -n td-c addr add 10.19.0.2/24 dev td-c0 && ip -n td-c link set td-c0 up
ip -n td-c route add default via 10.19.0.1
ip -n td-s addr add 198.51.100.80/24 dev td-s0 && ip -n td-s link set td-s0 up
ip -n td-fw addr add 10.19.0.1/24 dev td-in && ip -n td-fw link set td-in up
ip -n td-fw addr add 198.51.100.1/24 dev td-out && ip -n td-fw link set td-out up
ip netns exec td-fw sysctl -qw net.ipv4.ip_forward=1
# No offloads: tcpdump then sees the segments as they are on the wire (no 64 KiB GSO super-packets).
for pair in "td-c td-c0" "td-fw td-in" "td-fw td-out" "td-w td-wf" "td-w td-ws" "td-s td-s0"; do
  set -- $pair; ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off >/dev/null 2>&1 || true
done
# No SACK or timestamps: the randomised capture shifts seq/ack only (an ASA rewrites SACK blocks too).
for n in td-c td-s; do
  ip netns exec "$n" sysctl -qw net.ipv4.tcp_sack=0 net.ipv4.tcp_timestamps=0
done
# The server forgets a connection it closed 1 s after its FIN (orphaned FIN-WAIT-2), as the seed's server did.
ip netns exec td-s sysctl -qw net.ipv4.tcp_fin_timeout=1
ip netns exec td-fw nft -f "$here/firewall.nft"
ip netns exec td-w python3 "$here/scenarios.py" wire td-wf td-ws 0.005 &
wire=$!
sleep 0.5
python3 "$here/scenarios.py" "$out"
