"""
TLS fixture scenarios: each runs a real client and server (python3 ssl = OpenSSL, Linux TCP over loopback) while
tcpdump records, and writes NAME.pcap with the client's key log NAME.keys. Run through scripts/make-tls-captures.sh
(private network namespace, lo MTU 1500). TLS 1.3 suites are picked with an OpenSSL config (OPENSSL_CONF) in a child
process, since python's ssl has no call for them.
"""
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

OUT = sys.argv[1] if len(sys.argv) > 1 else 'tests/fixtures/tls'
HOST = '127.0.0.1'
PAUSE = 0.05
REQUEST = b'GET /teardown HTTP/1.1\r\nHost: teardown.example\r\n\r\n'
BODY = bytes((i * 7 + 13) % 251 for i in range(6000))  # several segments at MTU 1500
RESPONSE = b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(BODY) + BODY


class Capture:
    def __init__(self, name, port):
        self.path = os.path.join(OUT, name)
        self.filter = f'tcp port {port}'

    def __enter__(self):
        self.proc = subprocess.Popen(['tcpdump', '-i', 'lo', '-U', '--immediate-mode', '-n', '-w', self.path, self.filter],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
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


def listener(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port))
    s.listen(5)
    return s


def contexts(version, cipher, keylog, etm=True):
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(CRT, KEY)
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    cctx.keylog_filename = keylog
    for ctx in (sctx, cctx):
        ctx.minimum_version = version
        ctx.maximum_version = version
        if not etm:
            ctx.options |= 0x80000  # SSL_OP_NO_ENCRYPT_THEN_MAC: MAC-then-encrypt CBC records
    if cipher and version == ssl.TLSVersion.TLSv1_2:
        sctx.set_ciphers(cipher)
        cctx.set_ciphers(cipher)
    sctx.num_tickets = 0
    return sctx, cctx


def recv_until(s, n):
    data = b''
    while len(data) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def https(port, version, cipher, keylog, client_notify, server_notify, etm=True):
    """Request, answer, then the client closes (with or without close_notify); the server answers likewise."""
    sctx, cctx = contexts(version, cipher, keylog, etm)
    ls = listener(port)

    def server():
        raw, _ = ls.accept()
        s = sctx.wrap_socket(raw, server_side=True)
        recv_until(s, len(REQUEST))
        time.sleep(PAUSE)
        s.sendall(RESPONSE)
        try:
            s.recv(4096)  # b'' on the client's close_notify or its FIN
        except (ssl.SSLError, OSError):
            pass
        time.sleep(PAUSE)
        if server_notify:
            try:
                s.unwrap().close()
            except (ssl.SSLError, OSError):
                s.close()
        else:
            s.close()

    t = threading.Thread(target=server)
    t.start()
    raw = socket.create_connection((HOST, port))
    c = cctx.wrap_socket(raw, server_hostname='teardown.example')
    time.sleep(PAUSE)
    c.sendall(REQUEST)
    recv_until(c, len(RESPONSE))
    time.sleep(PAUSE * 2)
    if client_notify:
        try:
            c.unwrap().close()  # sends close_notify, waits for the server's
        except (ssl.SSLError, OSError):
            c.close()
    else:
        c.close()  # closes the TCP socket without any TLS alert
    t.join()
    ls.close()


def smtp_starttls(port, keylog):
    """A small SMTP responder and client: banner, EHLO, STARTTLS, then EHLO/QUIT inside TLS 1.3 and close_notify."""
    sctx, cctx = contexts(ssl.TLSVersion.TLSv1_3, None, keylog)
    ls = listener(port)

    def line(f):
        return f.readline()

    def server():
        raw, _ = ls.accept()
        f = raw.makefile('rb')
        raw.sendall(b'220 teardown.example ESMTP ready\r\n')
        line(f)
        raw.sendall(b'250-teardown.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n')
        line(f)
        raw.sendall(b'220 2.0.0 Ready to start TLS\r\n')
        s = sctx.wrap_socket(raw, server_side=True)
        g = s.makefile('rb')
        line(g)
        s.sendall(b'250-teardown.example\r\n250 SIZE 10240000\r\n')
        line(g)
        s.sendall(b'221 2.0.0 Bye\r\n')
        try:
            s.recv(10)
        except (ssl.SSLError, OSError):
            pass
        try:
            s.unwrap().close()
        except (ssl.SSLError, OSError):
            s.close()

    t = threading.Thread(target=server)
    t.start()
    raw = socket.create_connection((HOST, port))
    f = raw.makefile('rb')
    f.readline()
    raw.sendall(b'EHLO client.example\r\n')
    while not f.readline().startswith(b'250 '):
        pass
    time.sleep(PAUSE)
    raw.sendall(b'STARTTLS\r\n')
    f.readline()
    c = cctx.wrap_socket(raw, server_hostname='teardown.example')
    time.sleep(PAUSE)
    g = c.makefile('rb')
    c.sendall(b'EHLO client.example\r\n')
    while not g.readline().startswith(b'250 '):
        pass
    c.sendall(b'QUIT\r\n')
    g.readline()
    time.sleep(PAUSE)
    try:
        c.unwrap().close()
    except (ssl.SSLError, OSError):
        c.close()
    t.join()
    ls.close()


# name, version, TLS 1.2 cipher or TLS 1.3 suite, client close_notify, server close_notify, encrypt-then-MAC
HTTPS = [
    ('tls12-aes128gcm-close', '1.2', 'ECDHE-RSA-AES128-GCM-SHA256', True, True, True),
    ('tls12-aes256gcm-noclose', '1.2', 'ECDHE-RSA-AES256-GCM-SHA384', False, False, True),
    ('tls12-cbc-sha-etm-close', '1.2', 'ECDHE-RSA-AES128-SHA', True, True, True),
    ('tls12-cbc-sha384-mte-noclose', '1.2', 'ECDHE-RSA-AES256-SHA384', False, True, False),
    ('tls12-chacha-noclose', '1.2', 'ECDHE-RSA-CHACHA20-POLY1305', False, False, True),
    ('tls13-aes128-close', '1.3', 'TLS_AES_128_GCM_SHA256', True, True, True),
    ('tls13-aes256-noclose', '1.3', 'TLS_AES_256_GCM_SHA384', False, False, True),
    ('tls13-chacha-close', '1.3', 'TLS_CHACHA20_POLY1305_SHA256', True, False, True),
]


def one(name):
    for i, (n, v, cipher, cn, sn, etm) in enumerate(HTTPS):
        if n != name:
            continue
        port = 8440 + i
        keylog = os.path.join(OUT, n + '.keys')
        if os.path.exists(keylog):
            os.remove(keylog)
        with Capture(n + '.pcap', port):
            version = ssl.TLSVersion.TLSv1_2 if v == '1.2' else ssl.TLSVersion.TLSv1_3
            https(port, version, cipher, keylog, cn, sn, etm)
        return
    if name == 'starttls-smtp':
        keylog = os.path.join(OUT, name + '.keys')
        if os.path.exists(keylog):
            os.remove(keylog)
        with Capture(name + '.pcap', 2525):
            smtp_starttls(2525, keylog)


def main():
    global KEY, CRT
    if len(sys.argv) > 3:  # child: python3 scenarios.py OUT --one NAME (with OPENSSL_CONF set for TLS 1.3 suites)
        KEY, CRT = os.environ['TD_KEY'], os.environ['TD_CRT']
        one(sys.argv[3])
        return
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        key, crt = os.path.join(d, 'k.pem'), os.path.join(d, 'c.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt,
                        '-days', '1', '-subj', '/CN=teardown.example'], check=True, capture_output=True)
        for n, v, cipher, *_ in HTTPS + [('starttls-smtp', '1.3', None)]:
            env = dict(os.environ, TD_KEY=key, TD_CRT=crt)
            if v == '1.3' and cipher:
                conf = os.path.join(d, n + '.cnf')
                with open(conf, 'w') as f:
                    f.write('openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n[ssl_sect]\n'
                            'system_default = sd\n[sd]\nCiphersuites = %s\n' % cipher)
                env['OPENSSL_CONF'] = conf
            subprocess.run([sys.executable, __file__, OUT, '--one', n], env=env, check=True)
            time.sleep(0.2)


if __name__ == '__main__':
    main()
