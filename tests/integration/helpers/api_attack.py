#!/usr/bin/env python3
"""Raw HTTP requests against isulad's unix socket, for test_attacks_api.sh.

Every subcommand prints one line of results ("key=value ...") on stdout. Nothing here waits
a fixed time: each wait is a deadline for something to happen.
"""
import json
import os
import select
import socket
import subprocess
import sys
import time


def connect(sock_path, timeout=30.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # A blocking connect waits while the listen backlog is full (with a timeout set, Python
    # would fail at once with EAGAIN on a unix socket).
    s.connect(sock_path)
    s.settimeout(timeout)
    return s


def readable(socks, timeout):
    """The sockets of socks that are readable (data or EOF) within timeout seconds. poll(),
    not select(): these tests use fds above 1024."""
    p = select.poll()
    by_fd = {}
    for c in socks:
        p.register(c, select.POLLIN)
        by_fd[c.fileno()] = c
    return [by_fd[fd] for fd, _ in p.poll(timeout * 1000)]


def read_head(s):
    """Bytes read from s until the end of an HTTP head (or EOF): the head and what follows."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def read_response(s, deadline=60.0):
    """Status code and body of one response (Content-Length or until EOF)."""
    s.settimeout(deadline)
    data = read_head(s)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if not lines or not lines[0].startswith(b"HTTP/"):
        return 0, head + body
    status = int(lines[0].split()[1])
    length = None
    chunked = False
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
        if k.strip().lower() == b"transfer-encoding" and b"chunked" in v.lower():
            chunked = True
    if status == 101:
        return status, b""
    try:
        while length is None or len(body) < length:
            if chunked and body.endswith(b"0\r\n\r\n"):
                break
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
    except OSError:
        pass
    if chunked:
        out, rest = b"", body
        while rest:
            size_s, _, rest = rest.partition(b"\r\n")
            try:
                size = int(size_s, 16)
            except ValueError:
                break
            if size == 0:
                break
            out += rest[:size]
            rest = rest[size + 2:]
        body = out
    return status, body


def request(sock_path, method, path, body=b"", headers=""):
    s = connect(sock_path)
    head = "%s %s HTTP/1.1\r\nHost: isulad\r\n%s" % (method, path, headers)
    if body or method in ("POST", "PUT"):
        head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
    s.sendall(head.encode() + b"\r\n" + body)
    status, resp = read_response(s)
    s.close()
    return status, resp


def out(**kv):
    print(" ".join("%s=%s" % (k, v) for k, v in kv.items()), flush=True)


def message(body):
    try:
        return json.loads(body.decode()).get("message", "")
    except Exception:
        return body.decode("utf-8", "replace")[:200]


def cmd_deep_post(sock_path, path, levels):
    """A JSON body {"X": [[[...]]]} nested `levels` deep."""
    n = int(levels)
    body = b'{"X":' + b"[" * n + b"]" * n + b"}"
    status, resp = request(sock_path, "POST", path, body)
    out(status=status, message=repr(message(resp)))


def cmd_deep_get(sock_path, path, levels):
    """GET path?filters=[[[...]]] nested `levels` deep (raw brackets, as E2 sent them)."""
    n = int(levels)
    sep = "&" if "?" in path else "?"
    status, resp = request(sock_path, "GET", path + sep + "filters=" + "[" * n + "]" * n)
    out(status=status, message=repr(message(resp)[:120]))


def cmd_request(sock_path, method, path, body=""):
    status, resp = request(sock_path, method, path, body.encode())
    try:
        ident = json.loads(resp.decode()).get("Id", "")
    except Exception:
        ident = ""
    out(status=status, id=ident or "-", message=repr(message(resp)[:300]))


def cmd_big_body(sock_path, method, path, size, chunked="0"):
    """Sends a `size`-byte body (Content-Length, or chunked if asked) without waiting for
    permission, and reports how much of it the server took before it answered."""
    size = int(size)
    s = connect(sock_path)
    if chunked == "1":
        head = "%s %s HTTP/1.1\r\nHost: isulad\r\nTransfer-Encoding: chunked\r\n\r\n" % (
            method, path)
    else:
        head = "%s %s HTTP/1.1\r\nHost: isulad\r\nContent-Length: %d\r\n\r\n" % (
            method, path, size)
    start = time.monotonic()
    s.sendall(head.encode())
    block = b"x" * 65536
    sent = 0
    answered = False
    s.settimeout(60)
    while sent < size:
        if readable([s], 0):
            answered = True  # the server spoke (or closed) before taking the whole body
            break
        n = min(len(block), size - sent)
        data = block[:n]
        if chunked == "1":
            data = b"%x\r\n" % n + data + b"\r\n"
        try:
            s.sendall(data)
        except OSError:
            break
        sent += n
    if chunked == "1" and sent >= size:
        try:
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass
    try:
        status, resp = read_response(s, 120)
    except OSError:
        status, resp = 0, b""
    elapsed = time.monotonic() - start
    s.close()
    out(status=status, sent=sent, whole=int(sent >= size), answered_early=int(answered),
        seconds="%.1f" % elapsed, message=repr(message(resp)[:200]))


def cmd_idle_then(sock_path, count, *argv):
    """Opens `count` idle connections (no byte sent), then runs argv; reports its exit code
    and how many of the connections the server had taken (still open)."""
    conns = []
    failed = 0
    for _ in range(int(count)):
        try:
            conns.append(connect(sock_path, 10))
        except OSError:
            failed += 1
    p = subprocess.run(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=60)
    rc = p.returncode
    if rc:
        sys.stderr.write(p.stderr.decode(errors="replace"))
    gone = readable(conns, 0)  # readable: EOF from the server
    open_ = len(conns) - len(gone)
    for c in conns:
        c.close()
    out(rc=rc, opened=len(conns), connect_failed=failed, still_open=open_)


def cmd_limit(sock_path, count, deadline):
    """Opens `count` idle connections and counts those the server closes within deadline
    seconds (over its connection limit)."""
    conns = [connect(sock_path, 10) for _ in range(int(count))]
    end = time.monotonic() + float(deadline)
    closed = set()
    while time.monotonic() < end:
        pending = [c for c in conns if c not in closed]
        for c in readable(pending, 0.2):
            try:
                if c.recv(1) == b"":
                    closed.add(c)
            except OSError:
                closed.add(c)
        if closed and len(closed) >= int(count) // 4:
            # give stragglers a moment to be counted, then stop
            for c in readable([c for c in conns if c not in closed], 0.5):
                if c.recv(1) == b"":
                    closed.add(c)
            break
    for c in conns:
        c.close()
    out(closed=len(closed))


def cmd_idle_closed(sock_path, deadline, ready_file=""):
    """One idle connection: how long until the server closes it (or `deadline` passes)."""
    s = connect(sock_path)
    if ready_file:
        open(ready_file, "w").close()
    start = time.monotonic()
    r = readable([s], float(deadline))
    closed = bool(r) and s.recv(1) == b""
    out(closed=int(closed), seconds="%.1f" % (time.monotonic() - start))


def cmd_abort_upgrades(sock_path, path, count, body=""):
    """`count` upgrade requests (attach / exec start) whose client closes right away."""
    data = ("POST %s HTTP/1.1\r\nHost: isulad\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" %
            (path, len(body), body)).encode()
    for _ in range(int(count)):
        s = connect(sock_path)
        s.sendall(data)
        s.close()
    out(aborted=count)


def cmd_abort_exec_starts(sock_path, container, count):
    """`count` exec instances created, each started with an upgrade the client abandons."""
    body = json.dumps({"Cmd": ["true"], "AttachStdout": True, "AttachStderr": True}).encode()
    for _ in range(int(count)):
        status, resp = request(sock_path, "POST", "/v1.41/containers/%s/exec" % container, body)
        if status != 201:
            out(error=status, message=repr(message(resp)))
            return
        exec_id = json.loads(resp.decode())["Id"]
        cmd_abort_upgrades_quiet(sock_path, "/v1.41/exec/%s/start" % exec_id,
                                 json.dumps({"Detach": False, "Tty": False}))
    out(aborted=count)


def cmd_abort_upgrades_quiet(sock_path, path, body):
    data = ("POST %s HTTP/1.1\r\nHost: isulad\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" %
            (path, len(body), body)).encode()
    s = connect(sock_path)
    s.sendall(data)
    s.close()


def cmd_upgrade_status(sock_path, path):
    """The status of one attach-style upgrade request (101 when the stream was granted)."""
    s = connect(sock_path)
    s.sendall(("POST %s HTTP/1.1\r\nHost: isulad\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
               "Content-Length: 0\r\n\r\n" % path).encode())
    status, resp = read_response(s, 30)
    s.close()
    out(status=status, message=repr(message(resp)[:200]))


def cmd_whoami_request(sock_path, path):
    """One GET; prints this process's pid and uid (for matching the daemon's log line)."""
    status, _ = request(sock_path, "GET", path)
    out(status=status, pid=os.getpid(), uid=os.getuid())


def cmd_exec_with_fds(last_fd, *argv):
    """Execs argv with fds 3..last_fd open (inherited): a daemon that starts with many fds
    already open, as one restoring ~1000 containers does (one pidfd each)."""
    fd = os.open("/dev/null", os.O_RDONLY)
    os.set_inheritable(fd, True)
    for n in range(3, int(last_fd) + 1):
        if n != fd:
            os.dup2(fd, n, inheritable=True)
    if fd > int(last_fd):
        os.close(fd)
    os.execv(argv[0], list(argv))


def cmd_fake_daemon(sock_path, levels, ready_file):
    """A fake daemon answering every request with a 200 JSON body nested `levels` deep."""
    n = int(levels)
    body = b"[" * n + b"]" * n
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(8)
    open(ready_file, "w").close()
    while True:
        c, _ = srv.accept()
        c.settimeout(10)
        try:
            read_head(c)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
        except OSError:
            pass
        c.close()


COMMANDS = {
    "deep-post": cmd_deep_post,
    "deep-get": cmd_deep_get,
    "request": cmd_request,
    "big-body": cmd_big_body,
    "idle-then": cmd_idle_then,
    "limit": cmd_limit,
    "idle-closed": cmd_idle_closed,
    "abort-upgrades": cmd_abort_upgrades,
    "abort-exec-starts": cmd_abort_exec_starts,
    "upgrade-status": cmd_upgrade_status,
    "whoami-request": cmd_whoami_request,
    "exec-with-fds": cmd_exec_with_fds,
    "fake-daemon": cmd_fake_daemon,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: api_attack.py %s ARGS..." % "|".join(COMMANDS))
    COMMANDS[sys.argv[1]](*sys.argv[2:])
