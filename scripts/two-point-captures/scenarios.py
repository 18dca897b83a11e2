#!/usr/bin/env python3
"""The traffic of scripts/make-two-point-captures.sh: one TCP connection per scenario from the client namespace
(td-c) to the server namespace (td-s) through the firewall namespace (td-fw), captured by tcpdump on the firewall's
inside (td-in) and outside (td-out) interfaces at once.

  python3 scenarios.py OUTDIR                      runs every scenario (as root, after the namespaces are made)
  python3 scenarios.py serve|connect NAME PORT     one side of a scenario (run inside its namespace)
  python3 scenarios.py wire IFACE1 IFACE2 SECONDS  the delay line: a bridge that sends each frame on after SECONDS
"""
import os
import socket
import struct
import heapq
import subprocess
import sys
import threading
import time

HERE = os.path.abspath(__file__)
SERVER = '198.51.100.80'
# The sequence-number shifts written into the randomised scenario's outside capture: an ASA randomises the numbers
# of the host on its inside (here the client) as seen outside; the server's numbers pass unchanged.
SHIFT = {'client': 0x9E3779B9, 'server': 0}


def read_all(c):
    data = b''
    while True:
        b = c.recv(65536)
        if not b:
            return data
        data += b


# Each scenario: (server side, client side), each given the connected socket.
def clean_server(c):
    c.recv(100)
    c.sendall(b'r' * 300)
    read_all(c)          # the client's FIN
    c.close()            # then ours


def clean_client(c):
    c.sendall(b'q' * 100)
    got = 0
    while got < 300:
        got += len(c.recv(300 - got))
    time.sleep(0.05)
    c.shutdown(socket.SHUT_WR)   # the client closes first
    read_all(c)
    c.close()


def late_rst_server(c):
    c.recv(100)
    c.sendall(b'r' * 300)
    c.close()            # the server closes first; tcp_fin_timeout=1 makes it forget the connection 1 s later


def late_rst_client(c):
    c.sendall(b'q' * 100)
    got = 0
    while got < 300:
        b = c.recv(300 - got)
        if not b:
            break
        got += len(b)
    time.sleep(2.5)      # the server has forgotten the connection by now
    # Our FIN: the server's kernel answers it with a RST, which the firewall drops (both FINs seen: closed).
    # The FIN is then retransmitted, each time answered by a RST that is dropped again.
    c.shutdown(socket.SHUT_WR)
    time.sleep(1.5)
    c.close()


def randomised_server(c):
    c.recv(100)
    for _ in range(3):
        c.sendall(b'r' * 200)
        time.sleep(0.02)
    c.shutdown(socket.SHUT_WR)  # the server closes first
    read_all(c)
    c.close()


def randomised_client(c):
    c.sendall(b'q' * 100)
    read_all(c)
    c.close()


SCENARIOS = {
    'clean': (8081, clean_server, clean_client),
    'late-rst': (8082, late_rst_server, late_rst_client),
    'randomised': (8083, randomised_server, randomised_client),
}


def serve(name, port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('0.0.0.0', port))
    srv.listen(1)
    print('ready', flush=True)
    srv.settimeout(20)
    c, _ = srv.accept()
    c.settimeout(20)
    SCENARIOS[name][1](c)
    srv.close()


def connect(name, port):
    c = socket.create_connection((SERVER, port), timeout=20)
    SCENARIOS[name][2](c)


def tcpdump(iface, path, port):
    p = subprocess.Popen(['ip', 'netns', 'exec', 'td-fw', 'tcpdump', '-i', iface, '-U', '--immediate-mode', '-n', '-s', '256',
                          '-w', path, 'tcp port %d' % port], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    line = p.stderr.readline().decode()
    if 'listening' not in line:
        raise RuntimeError('tcpdump did not start: ' + line)
    return p


def run(out, name):
    port = SCENARIOS[name][0]
    caps = [tcpdump('td-in', os.path.join(out, name + '-inside.pcap'), port),
            tcpdump('td-out', os.path.join(out, name + '-outside.pcap'), port)]
    time.sleep(0.5)
    srv = subprocess.Popen(['ip', 'netns', 'exec', 'td-s', sys.executable, HERE, 'serve', name, str(port)], stdout=subprocess.PIPE)
    assert srv.stdout.readline().strip() == b'ready'
    subprocess.run(['ip', 'netns', 'exec', 'td-c', sys.executable, HERE, 'connect', name, str(port)], check=True)
    srv.wait(timeout=30)
    time.sleep(0.5)
    for p in caps:
        p.send_signal(2)
        p.wait(timeout=10)


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def randomise(path, client_ip):
    """ASA-style sequence randomisation written into a capture: every sequence number of the client's side moves
    by SHIFT['client'] (its seq, and the ack of the server's packets), the server's by SHIFT['server'] (0: kept);
    TCP checksums are computed again. Ethernet + IPv4 only (what the scenarios make)."""
    raw = open(path, 'rb').read()
    out = bytearray(raw[:24])
    pos = 24
    while pos + 16 <= len(raw):
        ts, tus, incl, orig = struct.unpack('<IIII', raw[pos:pos + 16])
        frame = bytearray(raw[pos + 16:pos + 16 + incl])
        pos += 16 + incl
        if struct.unpack('!H', frame[12:14])[0] == 0x0800 and frame[23] == 6:
            ihl = (frame[14] & 15) * 4
            ip = frame[14:14 + ihl]
            t = 14 + ihl
            src = socket.inet_ntoa(bytes(ip[12:16]))
            seq, ack = struct.unpack('!II', frame[t + 4:t + 12])
            mine, theirs = ('client', 'server') if src == client_ip else ('server', 'client')
            seq = (seq + SHIFT[mine]) & 0xFFFFFFFF
            if frame[t + 13] & 0x10:
                ack = (ack + SHIFT[theirs]) & 0xFFFFFFFF
            frame[t + 4:t + 12] = struct.pack('!II', seq, ack)
            total = struct.unpack('!H', ip[2:4])[0]
            seg_len = total - ihl
            if 14 + total <= len(frame):  # whole segment captured: a correct checksum
                frame[t + 16:t + 18] = b'\0\0'
                pseudo = bytes(ip[12:20]) + struct.pack('!BBH', 0, 6, seg_len)
                frame[t + 16:t + 18] = struct.pack('!H', checksum(pseudo + bytes(frame[t:t + seg_len])))
        out += struct.pack('<IIII', ts, tus, incl, orig) + frame
    open(path, 'wb').write(bytes(out))


def wire(a, b, delay):
    """A transparent bridge between interfaces a and b that holds every frame for `delay` seconds (a delay line:
    this kernel has no netem). One thread reads each side; one sends what is due, in arrival order."""
    socks = {}
    for name in (a, b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
        s.bind((name, 0))
        socks[name] = s
    queue = []
    cv = threading.Condition()
    n = [0]

    def reader(src, dst):
        while True:
            frame, addr = socks[src].recvfrom(65536)
            if addr[2] == socket.PACKET_OUTGOING:
                continue  # our own sends
            with cv:
                n[0] += 1
                heapq.heappush(queue, (time.monotonic() + delay, n[0], dst, frame))
                cv.notify()

    for src, dst in ((a, b), (b, a)):
        threading.Thread(target=reader, args=(src, dst), daemon=True).start()
    while True:
        with cv:
            while not queue:
                cv.wait()
            due, _, dst, frame = queue[0]
            wait = due - time.monotonic()
            if wait > 0:
                cv.wait(wait)
                continue
            heapq.heappop(queue)
        socks[dst].send(frame)


def main():
    if sys.argv[1] == 'wire':
        return wire(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    if sys.argv[1] == 'serve':
        return serve(sys.argv[2], int(sys.argv[3]))
    if sys.argv[1] == 'connect':
        return connect(sys.argv[2], int(sys.argv[3]))
    out = sys.argv[1]
    for name in SCENARIOS:
        run(out, name)
        print('made', name, flush=True)
    # Outside, the client is the firewall's SNAT address.
    randomise(os.path.join(out, 'randomised-outside.pcap'), '198.51.100.1')


if __name__ == '__main__':
    main()
