#!/usr/bin/env bash
# Makes the TLS decryption fixtures (tests/fixtures/tls/): real OpenSSL stacks (python3's ssl module) over Linux TCP
# on loopback in a private network namespace (unshare -n; lo MTU 1500 and no segmentation offload, ethtool -K, so data
# spans several segments as on a wire), recorded with
# tcpdump, each with the key log the client wrote (SSLKEYLOGFILE format, python's keylog_filename). TLS 1.3 cipher
# suites are chosen through an OpenSSL config file (OPENSSL_CONF), TLS 1.2 ones with set_ciphers. The hole and
# reordering captures are copies of a real capture with one packet left out or two packets swapped (pcap editing,
# done by edit_pcap.py), and one pcapng carries its keys in a Decryption Secrets Block (editcap --inject-secrets).
# Then tshark's view of every capture (with its key log) is written beside it as NAME.tshark.tsv, so the tests
# compare against tshark without needing it.
#
#   sudo scripts/make-tls-captures.sh [OUTDIR]     (default tests/fixtures/tls; needs tcpdump, tshark, editcap, ethtool, openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-tests/fixtures/tls}"
mkdir -p "$out"
unshare -n bash -c "ip link set lo up && ip link set lo mtu 1500 && ethtool -K lo tso off gso off gro off && python3 scripts/tls-captures/scenarios.py '$out'"
python3 scripts/tls-captures/edit_pcap.py "$out"
editcap --inject-secrets "tls,$out/tls13-aes128-close.keys" "$out/tls13-aes128-close.pcap" "$out/tls13-dsb.pcapng"
for f in "$out"/*.pcap "$out"/*.pcapng; do
  base="${f%.*}"
  keys="$base.keys"
  [ -f "$keys" ] || keys=/dev/null
  bash scripts/tls-captures/tshark-view.sh "$f" "$keys" > "$base.tshark.tsv"
done
echo "wrote $(ls "$out" | wc -l) files in $out"
