#!/usr/bin/env python3
"""Drive real Linux TCP sockets on loopback (127.0.0.1 / ::1 only) through various closes while
tcpdump captures each one, writing tests/fixtures/closes/<name>.pcap.

Run as root via scripts/make-close-captures.sh. Each scenario uses its own server port, and tcpdump
captures only that port (`tcpdump -i lo -U -w FILE tcp port P`), so captures hold just the scenario.
"""
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'closes')
LINGER0 = struct.pack('ii', 1, 0)


class Capture:
    def __init__(self, name, port, snaplen=256):
        self.path = os.path.join(OUT, name + '.pcap')
        self.proc = subprocess.Popen(
            ['tcpdump', '-i', 'lo', '-U', '--immediate-mode', '-n', '-s', str(snaplen), '-w', self.path, 'tcp port %d' % port],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Wait until tcpdump says it is listening.
        line = self.proc.stderr.readline().decode()
        if 'listening' not in line:
            raise RuntimeError('tcpdump did not start: ' + line)
        time.sleep(0.3)

    def stop(self):
        time.sleep(1.0)  # let the last packets reach the capture
        self.proc.send_signal(2)
        self.proc.wait(timeout=10)


def serve_once(family, port, handler, ready, backlog=5, ssl_ctx=None):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('::1' if family == socket.AF_INET6 else '127.0.0.1', port))
    srv.listen(backlog)
    ready.set()
    srv.settimeout(10)
    conn, _ = srv.accept()
    conn.settimeout(10)
    try:
        handler(conn)
    finally:
        srv.close()


def run(name, port, server, client, family=socket.AF_INET, snaplen=256):
    cap = Capture(name, port, snaplen)
    ready = threading.Event()
    t = threading.Thread(target=serve_once, args=(family, port, server, ready))
    t.start()
    ready.wait(5)
    host = '::1' if family == socket.AF_INET6 else '127.0.0.1'
    c = socket.socket(family, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect((host, port))
    try:
        client(c)
    finally:
        t.join(15)
        cap.stop()
    print('wrote', cap.path)


def read_all(s):
    data = b''
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


# 1. clean close, client first: request, response, client shutdown, server sees EOF and closes.
def clean_client_first():
    def server(c):
        c.recv(100)
        c.sendall(b'HTTP/1.0 200 OK\r\n\r\nhello\n')
        read_all(c)          # until the client's FIN
        c.close()

    def client(c):
        c.sendall(b'GET / HTTP/1.0\r\n\r\n')
        c.recv(100)
        time.sleep(0.05)
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        c.close()
    run('clean-client-first', 40001, server, client)


# 2. clean close, server first.
def clean_server_first():
    def server(c):
        c.recv(100)
        c.sendall(b'HTTP/1.0 200 OK\r\n\r\nhello\n')
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        c.close()

    def client(c):
        c.sendall(b'GET / HTTP/1.0\r\n\r\n')
        read_all(c)
        time.sleep(0.05)
        c.close()
    run('clean-server-first', 40002, server, client)


# 3. simultaneous close: both sides shut down writing at the same moment (after a barrier). On
# loopback the race is won only sometimes, so it is retried until the two FINs cross (the second
# FIN does not acknowledge the first).
def simultaneous_once():
    barrier = threading.Barrier(2)

    def server(c):
        c.recv(100)
        barrier.wait()
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        time.sleep(0.05)
        c.close()

    def client(c):
        c.sendall(b'x')
        barrier.wait()
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        time.sleep(0.05)
        c.close()
    run('simultaneous-close', 40003, server, client)


def tcp_packets(path):
    """(flags, seq, ack) of each TCP packet in a little-endian pcap of loopback (Ethernet) frames."""
    out = []
    with open(path, 'rb') as f:
        data = f.read()
    at = 24
    while at + 16 <= len(data):
        incl = struct.unpack_from('<I', data, at + 8)[0]
        frame = data[at + 16:at + 16 + incl]
        at += 16 + incl
        if len(frame) < 14 + 20 or frame[12:14] != b'\x08\x00':
            continue
        ihl = (frame[14] & 15) * 4
        tcp = frame[14 + ihl:]
        seq, ack = struct.unpack_from('>II', tcp, 4)
        out.append((tcp[13], seq, ack))
    return out


def fins_crossed(path):
    fins = [(seq, ack) for flags, seq, ack in tcp_packets(path) if flags & 1]
    if len(fins) < 2:
        return False
    first_seq = fins[0][0]
    return ((fins[1][1] - (first_seq + 1)) & 0xffffffff) >= 0x80000000  # second FIN acks below the first FIN


def simultaneous():
    for attempt in range(60):
        simultaneous_once()
        if fins_crossed(os.path.join(OUT, 'simultaneous-close.pcap')):
            print('simultaneous close after', attempt + 1, 'attempts')
            return
        time.sleep(0.1)
    print('could not provoke a simultaneous close; keeping the last attempt')


# 4. FIN then RST from the same side: the client shuts down writing (FIN), and once that is
# acknowledged closes with SO_LINGER {on, 0}, which aborts the connection with a RST.
# (Linger 0 only resets from ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1/2: the side must close first.)
def fin_then_rst_linger0():
    def server(c):
        c.recv(100)
        c.sendall(b'response\n')
        time.sleep(0.3)
        try:
            read_all(c)
        except OSError:
            pass
        c.close()

    def client(c):
        c.sendall(b'request\n')
        c.recv(100)
        c.shutdown(socket.SHUT_WR)
        time.sleep(0.0005)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
        c.close()
    run('fin-then-rst-linger0', 40004, server, client)


# 5. the server closes while the client's second request is still unread: Linux sends RST, not FIN.
def rst_unread_data():
    def server(c):
        c.recv(8)            # reads only the first request
        c.sendall(b'answer\n')
        time.sleep(0.2)      # the second request arrives meanwhile and stays unread
        c.close()

    def client(c):
        c.sendall(b'request1')
        c.recv(100)
        c.sendall(b'request2-never-read')
        time.sleep(0.3)
        try:
            read_all(c)
        except OSError:
            pass
        c.close()
    run('rst-unread-data', 40005, server, client)


# 6. abort mid-transfer: the server streams data; the client reads a little and closes with data
# still unread, so its kernel sends RST while the transfer is running.
def abort_mid_transfer():
    def server(c):
        try:
            for _ in range(200):
                c.sendall(b'y' * 16384)
        except OSError:
            pass
        c.close()

    def client(c):
        c.recv(20000)
        c.close()
    run('abort-mid-transfer', 40006, server, client)


# 7. refused: a SYN to a port nobody listens on.
def refused():
    cap = Capture('refused', 40007)
    c = socket.socket()
    try:
        c.connect(('127.0.0.1', 40007))
    except ConnectionRefusedError:
        pass
    c.close()
    cap.stop()
    print('wrote', cap.path)


# 8. half-close: the client sends its request and shuts down writing; the server keeps sending for a
# while, then closes.
def half_close():
    def server(c):
        c.recv(100)
        for i in range(5):
            c.sendall(b'part %d\n' % i)
            time.sleep(0.02)
        read_all(c)
        c.close()

    def client(c):
        c.sendall(b'request\n')
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        c.close()
    run('half-close', 40008, server, client)


# 9. data after the peer closed: the server close()s; the client keeps writing; the server's kernel
# has no socket to deliver to and answers with RST.
def data_after_peer_closed():
    def server(c):
        c.recv(100)
        c.close()

    def client(c):
        c.sendall(b'hello\n')
        time.sleep(0.2)      # the server's FIN arrives
        try:
            c.sendall(b'more data after your FIN\n')
            time.sleep(0.2)
            c.sendall(b'and more\n')
        except OSError:
            pass
        time.sleep(0.1)
        c.close()
    run('data-after-peer-closed', 40009, server, client)


def tls_contexts(tmp, version):
    key = os.path.join(tmp, 'key.pem')
    crt = os.path.join(tmp, 'cert.pem')
    if not os.path.exists(crt):
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt,
                        '-days', '2', '-subj', '/CN=localhost'], check=True, capture_output=True)
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(crt, key)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    for ctx in (sctx, cctx):
        ctx.minimum_version = version
        ctx.maximum_version = version
    return sctx, cctx


# 10. TLS 1.2 / 1.3, with close_notify (unwrap() on both sides) or without (raw close). Whole
# packets are kept (the other captures keep 256 bytes) so the TLS records can be walked.
def tls(tmp, name, port, version, notify):
    sctx, cctx = tls_contexts(tmp, version)

    def server(c):
        s = sctx.wrap_socket(c, server_side=True)
        s.recv(100)
        s.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')
        if notify:
            try:
                raw = s.unwrap()      # waits for the client's close_notify and answers it
                raw.close()
            except (OSError, ssl.SSLError):
                s.close()
        else:
            time.sleep(0.1)
            s.close()

    def client(c):
        s = cctx.wrap_socket(c, server_hostname='localhost')
        s.sendall(b'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')
        s.recv(100)
        if notify:
            raw = s.unwrap()          # sends close_notify, waits for the server's
            raw.close()
        else:
            s.close()                 # no close_notify: just the TCP close
    run(name, port, server, client, snaplen=65535)


# 11. port reuse: the same client port twice (SO_REUSEADDR), the server closing first each time.
def port_reuse():
    port = 40014
    cap = Capture('port-reuse', port)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', port))
    srv.listen(5)
    for i in range(2):
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind(('127.0.0.1', 40114))
        c.connect(('127.0.0.1', port))
        a, _ = srv.accept()
        c.sendall(b'hello %d\n' % i)
        a.recv(100)
        a.close()            # server first: the server side keeps TIME_WAIT, the client port is free
        read_all(c)
        c.close()
        time.sleep(0.2)
    srv.close()
    cap.stop()
    print('wrote', cap.path)


# 12. unanswered SYN: a listener whose accept queue is full (backlog 0, one connection already
# queued and never accepted) drops further SYNs without answering; the client retransmits.
def unanswered_syn():
    port = 40015
    srv = socket.socket()
    srv.bind(('127.0.0.1', port))
    srv.listen(0)
    filler = socket.socket()
    filler.bind(('127.0.0.1', 40116))
    filler.connect(('127.0.0.1', port))
    time.sleep(0.2)
    cap = Capture('unanswered-syn', port)
    c = socket.socket()
    c.bind(('127.0.0.1', 40115))
    c.settimeout(2.5)
    try:
        c.connect(('127.0.0.1', port))
    except (socket.timeout, OSError):
        pass
    c.close()
    cap.stop()
    filler.close()
    srv.close()
    print('wrote', cap.path)


# 13. IPv6 clean close (client first).
def ipv6_clean():
    def server(c):
        c.recv(100)
        c.sendall(b'pong\n')
        read_all(c)
        c.close()

    def client(c):
        c.sendall(b'ping\n')
        c.recv(100)
        c.shutdown(socket.SHUT_WR)
        read_all(c)
        c.close()
    run('ipv6-clean', 40016, server, client, family=socket.AF_INET6)


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])

    def want(n):
        return not only or n in only
    if want('clean-client-first'): clean_client_first()
    if want('clean-server-first'): clean_server_first()
    if want('simultaneous-close'): simultaneous()
    if want('fin-then-rst-linger0'): fin_then_rst_linger0()
    if want('rst-unread-data'): rst_unread_data()
    if want('abort-mid-transfer'): abort_mid_transfer()
    if want('refused'): refused()
    if want('half-close'): half_close()
    if want('data-after-peer-closed'): data_after_peer_closed()
    with tempfile.TemporaryDirectory() as tmp:
        if want('tls12-close-notify'): tls(tmp, 'tls12-close-notify', 40010, ssl.TLSVersion.TLSv1_2, True)
        if want('tls12-no-close-notify'): tls(tmp, 'tls12-no-close-notify', 40011, ssl.TLSVersion.TLSv1_2, False)
        if want('tls13-close-notify'): tls(tmp, 'tls13-close-notify', 40012, ssl.TLSVersion.TLSv1_3, True)
        if want('tls13-no-close-notify'): tls(tmp, 'tls13-no-close-notify', 40013, ssl.TLSVersion.TLSv1_3, False)
    if want('port-reuse'): port_reuse()
    if want('unanswered-syn'): unanswered_syn()
    if want('ipv6-clean'): ipv6_clean()


if __name__ == '__main__':
    main()
