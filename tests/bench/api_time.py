#!/usr/bin/env python3
"""Daemon-side latency, without the cost of starting the `isula` client process.

    api_time.py SOCK RUNS get PATH            median ms of GET PATH
    api_time.py SOCK RUNS run ROOTFS ARGV...  median ms of create + start (like `isula run -d`)

One connection per request, as the client does; the first request is a warm-up.
"""
import json
import socket
import statistics
import sys
import time


def call(sock, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    req = (f"{method} /v1.41{path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.sendall(req)
    chunks = []
    while True:
        b = s.recv(65536)
        if not b:
            break
        chunks.append(b)
    s.close()
    resp = b"".join(chunks)
    head, _, payload = resp.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    if status >= 300:
        sys.exit(f"{method} {path}: HTTP {status}: {payload[:200]!r}")
    return payload


def main():
    sock, runs, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ts = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        if mode == "get":
            call(sock, "GET", sys.argv[4])
        else:
            body = {"Image": "none", "Cmd": sys.argv[5:], "HostConfig": {"ExternalRootfs": sys.argv[4]}}
            cid = json.loads(call(sock, "POST", "/containers/create", body))["Id"]
            call(sock, "POST", f"/containers/{cid}/start")
        ts.append((time.perf_counter() - t0) * 1000)
    print("%.2f" % statistics.median(ts[1:]))


if __name__ == "__main__":
    main()
