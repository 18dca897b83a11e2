#!/usr/bin/env bash
# tshark's view of one TLS fixture, decrypted with its key log: one line per frame that carries TLS records:
# frame number, TCP stream, source port, record content types (decrypted inner types for TLS 1.3), alert level and
# description codes, and the Info column. Usage: tshark-view.sh CAPTURE KEYLOG
set -euo pipefail
tshark -r "$1" -o "tls.keylog_file:$2" -o tcp.desegment_tcp_streams:TRUE -o tcp.reassemble_out_of_order:TRUE -o tls.desegment_ssl_records:TRUE \
  -d tcp.port==2525,smtp -Y tls -T fields -E separator=/t -E occurrence=a -E aggregator=, \
  -e frame.number -e tcp.stream -e tcp.srcport -e tls.record.content_type -e tls.alert_message.level \
  -e tls.alert_message.desc -e _ws.col.Info
