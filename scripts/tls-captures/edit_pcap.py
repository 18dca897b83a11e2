"""
Makes the hole and reordering fixtures from real captures written by scenarios.py (no packet is made up; packets are
only left out or swapped):
  tls12-hole.pcap    = tls12-aes128gcm-close.pcap without the server's 4th data segment (a packet the capture lost;
                       the receiver got it, so nothing is retransmitted): the record it was part of is lost to the hole.
  tls12-reorder.pcap = the same swap in tls12-aes128gcm-close.pcap.
  tls13-reorder.pcap = tls13-aes128-close.pcap with the server's 3rd and 4th data segments of its answer swapped (the
                       capture saw them out of order).
"""
import os
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else 'tests/fixtures/tls'


def read(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    assert magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'), 'little-endian pcap expected'
    head, i, recs = data[:24], 24, []
    while i + 16 <= len(data):
        incl = struct.unpack_from('<I', data, i + 8)[0]
        recs.append(data[i:i + 16 + incl])
        i += 16 + incl
    return head, recs


def tcp(rec):
    """(source port, payload length) of a record with an Ethernet/IPv4/TCP packet (tcpdump -i lo: DLT_EN10MB)."""
    p = rec[16:]
    ihl = (p[14] & 15) * 4
    ip_len = struct.unpack_from('>H', p, 16)[0]
    t = 14 + ihl
    sport = struct.unpack_from('>H', p, t)[0]
    doff = (p[t + 12] >> 4) * 4
    return sport, ip_len - ihl - doff


def server_data(recs, port):
    return [i for i, r in enumerate(recs) if tcp(r)[0] == port and tcp(r)[1] > 0]


def write(path, head, recs):
    with open(path, 'wb') as f:
        f.write(head)
        for r in recs:
            f.write(r)
    print(f'wrote {path}')


def main():
    head, recs = read(os.path.join(OUT, 'tls12-aes128gcm-close.pcap'))
    port = tcp(recs[1])[0]  # the SYN-ACK's sender is the server
    drop = server_data(recs, port)[3]
    write(os.path.join(OUT, 'tls12-hole.pcap'), head, recs[:drop] + recs[drop + 1:])
    with open(os.path.join(OUT, 'tls12-aes128gcm-close.keys'), 'rb') as f, \
            open(os.path.join(OUT, 'tls12-hole.keys'), 'wb') as g:
        g.write(f.read())

    for src, dst in (('tls13-aes128-close', 'tls13-reorder'), ('tls12-aes128gcm-close', 'tls12-reorder')):
        head, recs = read(os.path.join(OUT, src + '.pcap'))
        port = tcp(recs[1])[0]
        a, b = server_data(recs, port)[2:4]
        recs[a], recs[b] = recs[b], recs[a]
        write(os.path.join(OUT, dst + '.pcap'), head, recs)
        with open(os.path.join(OUT, src + '.keys'), 'rb') as f, open(os.path.join(OUT, dst + '.keys'), 'wb') as g:
            g.write(f.read())


if __name__ == '__main__':
    main()
