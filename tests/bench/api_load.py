#!/usr/bin/env python3
"""Load on the daemon's API from concurrent clients (one connection per request, as isula).

    api_load.py SOCK list CLIENTS SECONDS           GET /containers/json: requests per second
    api_load.py SOCK createrm CLIENTS TOTAL ROOTFS  create + rm pairs per second
    api_load.py SOCK cycles CLIENTS TOTAL ROOTFS PID EVERY
        create/start/stop/rm cycles; prints "CYCLES RSS_KIB FDS" of the daemon (PID) after
        every EVERY cycles (the first line after 0 cycles)

Prints one number (or the lines) on stdout; any HTTP error aborts with its text.
"""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_time  # noqa: E402


def call(sock, method, path, body=None):
    """api_time's request, with an HTTP error raised (the threads report it)."""
    try:
        return api_time.call(sock, method, path, body)
    except SystemExit as e:
        raise RuntimeError(str(e)) from None


def create(sock, rootfs, argv):
    body = {"Image": "none", "Cmd": argv, "HostConfig": {"ExternalRootfs": rootfs}}
    return json.loads(call(sock, "POST", "/containers/create", body))["Id"]


def in_threads(n, work):
    """Runs work(i) in n threads; re-raises the first error."""
    errors = []

    def run(i):
        try:
            work(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    ts = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        sys.exit(str(errors[0]))


def rss_fds(pid):
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def main():
    sock, mode, clients = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "list":
        seconds = float(sys.argv[4])
        counts = [0] * clients
        end = time.monotonic() + seconds

        def lister(i):
            while time.monotonic() < end:
                call(sock, "GET", "/containers/json?all=1")
                counts[i] += 1

        t0 = time.monotonic()
        in_threads(clients, lister)
        print("%.1f" % (sum(counts) / (time.monotonic() - t0)))
        return
    total, rootfs = int(sys.argv[4]), sys.argv[5]
    lock = threading.Lock()
    left = [total]

    def take():
        with lock:
            if left[0] == 0:
                return False
            left[0] -= 1
            return True

    if mode == "createrm":
        def createrm(_):
            while take():
                cid = create(sock, rootfs, ["true"])
                call(sock, "DELETE", f"/containers/{cid}")

        t0 = time.monotonic()
        in_threads(clients, createrm)
        print("%.1f" % (total / (time.monotonic() - t0)))
        return
    pid, every = int(sys.argv[6]), int(sys.argv[7])
    done = [0]
    print("0 %d %d" % rss_fds(pid), flush=True)

    def cycle(_):
        while take():
            cid = create(sock, rootfs, ["sh", "-c", "sleep 1000"])
            call(sock, "POST", f"/containers/{cid}/start")
            call(sock, "POST", f"/containers/{cid}/stop?t=0")
            call(sock, "DELETE", f"/containers/{cid}")
            with lock:
                done[0] += 1
                if done[0] % every == 0:
                    print("%d %d %d" % ((done[0],) + rss_fds(pid)), flush=True)

    in_threads(clients, cycle)


main()
