"""
The lesson scenarios: each runs a real client and server (Linux TCP over loopback, python3 sockets)
while tcpdump records, and writes one pcap. Run through scripts/make-lesson-captures.sh, which
puts it in a private network namespace. Sleeps between calls make each step visible on a ladder
and keep ACKs separate from the packets that follow (the kernel would otherwise merge some).
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

OUT = sys.argv[1] if len(sys.argv) > 1 else 'public/lessons/captures'
HOST = '127.0.0.1'
PAUSE = 0.05


class Capture:
    """tcpdump -i lo -U -w FILE for the duration of a with-block."""

    def __init__(self, name, port_filter):
        self.path = os.path.join(OUT, name)
        self.filter = port_filter

    def __enter__(self):
        self.proc = subprocess.Popen(
            ['tcpdump', '-i', 'lo', '-U', '--immediate-mode', '-n', '-w', self.path, self.filter],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        # Wait for "listening on lo" so no packet is missed.
        line = self.proc.stderr.readline().decode()
        if 'listening' not in line:
            raise RuntimeError(f'tcpdump did not start: {line}')
        time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        time.sleep(0.3)
        self.proc.terminate()
        self.proc.wait()
        print(f'wrote {self.path}')


def listener(port, backlog=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port))
    s.listen(backlog)
    return s


def client(port, bind_port=0):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if bind_port:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((HOST, bind_port))
    c.connect((HOST, port))
    return c


def read_all(s):
    data = b''
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))


REQUEST = b'GET /lesson HTTP/1.1\r\nHost: teardown.example\r\n\r\n'
RESPONSE = b'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello, TCP!\n'


def clean_client_first(port):
    """Client sends a request, reads the answer, closes first; the server closes when it sees EOF."""
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        s.recv(4096)
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        # Wait for the client's FIN (recv returns b''), then close: a textbook passive close.
        read_all(s)
        time.sleep(PAUSE * 2)
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    c.recv(4096)
    time.sleep(PAUSE * 2)
    c.close()
    t.join()
    ls.close()


def clean_server_first(port):
    """HTTP/1.0 style: the server answers and closes at once; the client closes after reading to EOF."""
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        s.recv(4096)
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        time.sleep(PAUSE)
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    read_all(c)
    time.sleep(PAUSE * 2)
    c.close()
    t.join()
    ls.close()


def simultaneous(port, tries=400):
    """
    Both ends call shutdown(SHUT_WR) at the same instant, released together by a barrier. On
    loopback a FIN is delivered at once, so most attempts are ordinary closes; an attempt whose
    FINs crossed leaves BOTH sockets in TIME_WAIT (each went through CLOSING), which is how we
    recognise it. Only that attempt's connection is kept: the capture filter is narrowed to it.
    """
    ls = listener(port)
    for attempt in range(tries):
        c = client(port, bind_port=0)
        s, _ = ls.accept()
        cport = c.getsockname()[1]
        c.sendall(b'ping\n')
        s.recv(64)
        s.sendall(b'pong\n')
        c.recv(64)
        time.sleep(0.01)
        barrier = threading.Barrier(2)

        def shut(sock):
            barrier.wait()
            sock.shutdown(socket.SHUT_WR)

        ts = [threading.Thread(target=shut, args=(x,)) for x in (c, s)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        time.sleep(0.02)
        c.close()
        s.close()
        time.sleep(0.02)
        ss = subprocess.run(['ss', '-Htan', 'state', 'time-wait', f'( sport = :{cport} or dport = :{cport} )'],
                            capture_output=True, text=True).stdout
        if len([l for l in ss.splitlines() if l.strip()]) == 2:
            ls.close()
            return cport, attempt
    ls.close()
    return None, tries


def half_close(port):
    """The client sends its request and shuts down its sending side; the server keeps sending."""
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        read_all(s)  # until the client's FIN
        for i in range(3):
            time.sleep(PAUSE * 2)
            s.sendall(f'part {i + 1} of the answer, sent after the client\'s FIN\n'.encode())
        time.sleep(PAUSE * 2)
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(b'SORT 3 lines\r\n')
    time.sleep(PAUSE)
    c.shutdown(socket.SHUT_WR)
    read_all(c)
    time.sleep(PAUSE * 2)
    c.close()
    t.join()
    ls.close()


def abort_linger0(port):
    """The server streams data; mid-transfer it sets SO_LINGER {on, 0} and closes: RST, no FIN."""
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        s.recv(4096)
        for i in range(3):
            time.sleep(PAUSE)
            s.sendall(b'x' * 400)
        time.sleep(PAUSE)
        linger0(s)
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(b'GET /big-file\r\n')
    try:
        read_all(c)
    except ConnectionResetError:
        pass
    t.join()
    c.close()
    ls.close()


def fin_then_rst_linger0(port):
    """
    Like the client in the seed case: it shuts down its sending side (FIN) and at once closes with
    SO_LINGER {on, 0}, so a RST follows its FIN within microseconds. (The server's ACK of the FIN
    is delayed ~40 ms by Linux, so the RST goes out while the client is still in FIN_WAIT_1.)
    """
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        s.recv(4096)
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        try:
            read_all(s)
        except ConnectionResetError:
            pass
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    c.recv(4096)
    time.sleep(PAUSE * 2)
    c.shutdown(socket.SHUT_WR)
    linger0(c)
    c.close()
    t.join()
    ls.close()


def fin_then_rst_unread(port):
    """
    The server answers, shuts down its sending side (FIN), and then close()s while a second request
    from the client sits unread in its receive buffer: Linux sends RST to say data was lost
    (RFC 9293 §3.6.1 / RFC 2525 §2.17).
    """
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        s.recv(4096)
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        time.sleep(PAUSE)
        s.shutdown(socket.SHUT_WR)
        time.sleep(PAUSE * 3)  # the client's second request arrives meanwhile and is never read
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    c.recv(4096)
    time.sleep(PAUSE * 2)
    c.sendall(REQUEST)  # a second request on a connection the server is closing
    try:
        read_all(c)
    except ConnectionResetError:
        pass
    t.join()
    c.close()
    ls.close()


def rst_data_after_close(port):
    """
    The keep-alive race: the server closes an idle connection (FIN) just as the client sends its
    next request on it. The server's socket is closed for reading, so the new data gets a RST.
    """
    ls = listener(port)

    def server():
        s, _ = ls.accept()
        s.recv(4096)
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        time.sleep(PAUSE * 3)
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c = client(port)
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    c.recv(4096)
    t.join()
    time.sleep(PAUSE * 2)
    # The client has not noticed the FIN yet (it did not read) and sends a second request.
    c.sendall(REQUEST)
    time.sleep(PAUSE * 2)
    try:
        c.recv(4096)
        c.recv(4096)
    except ConnectionResetError:
        pass
    c.close()
    ls.close()


def refused(port):
    """Nothing listens on the port: the SYN is answered with RST."""
    try:
        client(port)
    except ConnectionRefusedError:
        pass


def unanswered(port):
    """
    A listener whose accept queue is full (backlog 0, one connection waiting, never accepted):
    Linux drops further SYNs, so the second client's SYN goes unanswered and is retransmitted.
    """
    ls = listener(port, backlog=0)
    first = client(port)
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(3.5)
    try:
        c.connect((HOST, port))
    except (socket.timeout, OSError):
        pass
    c.close()
    first.close()
    ls.close()


def time_wait_reuse(port, cport):
    """
    The server closes first, so IT keeps TIME_WAIT. One second later the client connects again
    from the same port: the new SYN meets the server's TIME_WAIT entry and starts a new connection.
    """
    ls = listener(port)

    def server(n):
        for _ in range(n):
            s, _ = ls.accept()
            s.recv(4096)
            time.sleep(PAUSE)
            s.sendall(RESPONSE)
            time.sleep(PAUSE)
            s.close()

    t = threading.Thread(target=server, args=(2,))
    t.start()
    for i in range(2):
        c = client(port, bind_port=cport)
        time.sleep(PAUSE)
        c.sendall(REQUEST)
        read_all(c)
        time.sleep(PAUSE)
        c.close()
        if i == 0:
            time.sleep(1.0)
    t.join()
    ls.close()


def make_cert(d):
    key, crt = os.path.join(d, 'k.pem'), os.path.join(d, 'c.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt,
                    '-days', '1', '-subj', '/CN=teardown.example'], check=True, capture_output=True)
    return key, crt


def tls_pair(port, version, key, crt, close_notify):
    """One TLS connection: request, answer, then a close with or without close_notify alerts."""
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(crt, key)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    for ctx in (sctx, cctx):
        ctx.minimum_version = version
        ctx.maximum_version = version
    if version == ssl.TLSVersion.TLSv1_2:
        sctx.set_ciphers('ECDHE-RSA-AES128-GCM-SHA256')
    sctx.num_tickets = 0  # keep the TLS 1.3 ladder short: no session tickets after the handshake
    ls = listener(port)

    def server():
        raw, _ = ls.accept()
        s = sctx.wrap_socket(raw, server_side=True)
        s.recv(4096)
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        data = s.recv(4096)  # b'' on the client's close_notify (or on its FIN without one)
        assert data == b''
        time.sleep(PAUSE)
        if close_notify:
            raw = s.unwrap()  # our own close_notify
            raw.close()
        else:
            s.close()

    t = threading.Thread(target=server)
    t.start()
    c = cctx.wrap_socket(client(port), server_hostname='teardown.example')
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    c.recv(4096)
    time.sleep(PAUSE * 2)
    if close_notify:
        c.setblocking(True)
        try:
            raw = c.unwrap()  # sends close_notify, waits for the server's
        except (ssl.SSLError, OSError):
            raw = c
        raw.close()
    else:
        c.close()  # closes the TCP socket without any TLS alert
    t.join()
    ls.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    with Capture('clean-close-client-first.pcap', 'tcp port 8001'):
        clean_client_first(8001)
    with Capture('clean-close-server-first.pcap', 'tcp port 8002'):
        clean_server_first(8002)
    # Simultaneous close: record every attempt, then keep only the crossing one.
    tmp = os.path.join(OUT, '.simultaneous-all.pcap')
    with Capture('.simultaneous-all.pcap', 'tcp port 8003'):
        cport, attempts = simultaneous(8003)
    if cport is None:
        print(f'simultaneous close: no crossing FINs in {attempts} attempts', file=sys.stderr)
    else:
        subprocess.run(['tcpdump', '-r', tmp, '-w', os.path.join(OUT, 'simultaneous-close.pcap'),
                        f'tcp port {cport}'], check=True, capture_output=True)
        print(f'wrote simultaneous-close.pcap (attempt {attempts + 1}, client port {cport})')
    os.remove(tmp)
    with Capture('half-close.pcap', 'tcp port 8004'):
        half_close(8004)
    with Capture('abort-linger0.pcap', 'tcp port 8005'):
        abort_linger0(8005)
    with Capture('fin-then-rst-linger0.pcap', 'tcp port 8006'):
        fin_then_rst_linger0(8006)
    with Capture('fin-then-rst-unread.pcap', 'tcp port 8011'):
        fin_then_rst_unread(8011)
    with Capture('rst-data-after-close.pcap', 'tcp port 8007'):
        rst_data_after_close(8007)
    with Capture('refused.pcap', 'tcp port 8008'):
        refused(8008)
    with Capture('unanswered-syn.pcap', 'tcp port 8009'):
        unanswered(8009)
    with Capture('time-wait-reuse.pcap', 'tcp port 8010'):
        time_wait_reuse(8010, 50123)
    with tempfile.TemporaryDirectory() as d:
        key, crt = make_cert(d)
        with Capture('tls12-close.pcap', 'tcp port 8443'):
            tls_pair(8443, ssl.TLSVersion.TLSv1_2, key, crt, True)
            time.sleep(0.2)
            tls_pair(8443, ssl.TLSVersion.TLSv1_2, key, crt, False)
        with Capture('tls13-close.pcap', 'tcp port 9443'):
            tls_pair(9443, ssl.TLSVersion.TLSv1_3, key, crt, True)
            time.sleep(0.2)
            tls_pair(9443, ssl.TLSVersion.TLSv1_3, key, crt, False)


if __name__ == '__main__':
    main()
