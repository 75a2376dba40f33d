#!/usr/bin/env python3
"""Many TLS clients at once against isulad's tcp:// listener, for test_authz_daemon.sh.

  tls_flood.py PORT CA_PEM CERTDIR STALL NAME:COUNT...

Opens STALL connections that stop mid-handshake (a ClientHello cut short), then COUNT
connections per NAME (NAME-cert.pem / NAME-key.pem in CERTDIR), interleaved, every one open at
the same time: each handshake as its connection opens, then one GET /containers/json on each,
then every answer read. Prints one line per NAME: "NAME 200=N 403=N other=N" (other: no answer, an
error or another status), then "stalled=N" (stalling connections still open at the end).
"""
import resource
import socket
import ssl
import sys


def main():
    port, ca, certdir, stall = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    plan = []
    for arg in sys.argv[5:]:
        name, count = arg.split(":")
        plan.append((name, int(count)))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    stalled = []
    for _ in range(stall):
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]))
        stalled.append(s)

    ctxs = {}
    for name, _ in plan:
        c = ssl.create_default_context(cafile=ca)
        c.load_cert_chain(f"{certdir}/{name}-cert.pem", f"{certdir}/{name}-key.pem")
        ctxs[name] = c
    order = []
    left = dict(plan)
    while any(left.values()):
        for name, _ in plan:
            if left[name]:
                order.append(name)
                left[name] -= 1

    # Each connection does its handshake as soon as it is open (the daemon drops a client that
    # says nothing for 10 s), and stays open until every one is: then all send at once.
    conns = []
    errors = {}
    for name in order:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=120)
            conns.append((name, ctxs[name].wrap_socket(s, server_hostname="127.0.0.1")))
        except (OSError, ssl.SSLError) as e:
            errors[str(e)] = errors.get(str(e), 0) + 1
            conns.append((name, None))
    for e, n in errors.items():
        print(f"{n} x {e}", file=sys.stderr)
    req = b"GET /v1.41/containers/json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    for name, s in conns:
        if s:
            try:
                s.sendall(req)
            except OSError:
                pass
    counts = {name: {"200": 0, "403": 0, "other": 0} for name, _ in plan}
    for name, s in conns:
        status = "other"
        if s:
            try:
                data = b""
                while len(data) < 12:
                    b = s.recv(4096)
                    if not b:
                        break
                    data += b
                code = data[9:12].decode("ascii", "replace")
                if data.startswith(b"HTTP/1.1 ") and code in ("200", "403"):
                    status = code
            except OSError:
                pass
            s.close()
        counts[name][status] += 1
    for name, _ in plan:
        c = counts[name]
        print(f"{name} 200={c['200']} 403={c['403']} other={c['other']}")
    alive = 0
    for s in stalled:
        try:
            s.setblocking(False)
            alive += s.recv(1) == b"" and 0 or 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
        s.close()
    print(f"stalled={alive}")


main()
