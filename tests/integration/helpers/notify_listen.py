#!/usr/bin/env python3
"""notify_listen.py SOCKET SECONDS: binds a unix datagram socket (systemd's NOTIFY_SOCKET) and
prints each datagram on a line of its own (newlines as ';') until one holds READY=1 or SECONDS
pass; exits 0 on READY=1, else 1."""
import os, socket, sys, time

path, secs = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("listening", flush=True)
end = time.time() + secs
while time.time() < end:
    s.settimeout(max(0.01, end - time.time()))
    try:
        data = s.recv(4096).decode(errors="replace")
    except socket.timeout:
        break
    print(data.replace("\n", ";"), flush=True)
    if "READY=1" in data.split("\n"):
        sys.exit(0)
sys.exit(1)
