#!/usr/bin/env python3
"""Leaky and well-behaved socket workloads for the agent's end-to-end tests.

Every mode names its process (comm) so that a test can tell its alerts
apart, prints "ready PORT" once its listener exists (PORT 0: the kernel
picks one, no race with other tests for a free port) or "done N" once its
connections are made, and ends on SIGTERM (or by itself, for ask-done).
Clients connect from $SW_SRC when it is set. Nothing in a mode name, a
comm or this file's path contains one of the agent's default
infrastructure patterns (server, listen, accept, service, daemon, ...),
so that protection does not hide what a test wants to see.

  hold ADDR PORT          keep every connection until its peer closes it,
                          then close it (comm sw-hold)
  leak ADDR PORT N RATE   open N connections at RATE per second and never
                          close them (comm sw-leaker)
  leaky ADDR PORT         read every connection to EOF and never close it:
                          the server side stays in CLOSE_WAIT (comm leaky)
  polite ADDR PORT        per connection: read the request, reply, close
                          first (comm sw-polite)
  ask ADDR PORT N RATE    N request/reply exchanges at RATE per second,
                          each closed at once (RATE 0: as fast as possible)
                          (comm sw-ask; ask-done ... = exit after)
  drop ADDR PORT N RATE   N connections at RATE per second, each closed
                          right after sending (comm sw-drop)
"""
import os
import selectors
import signal
import socket
import sys
import time


def setcomm(name):
    with open("/proc/self/comm", "w") as f:
        f.write(name)


def say(*what):
    print(*what, flush=True)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp_endpoint(addr, port, backlog=128):
    ls = socket.socket(family_of(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(backlog)
    return ls, ls.getsockname()[1]


def connect(addr, port):
    """A TCP connection to addr, from $SW_SRC if set, else on loopback from
    addr itself, so that a test that gives each scenario its own 127.x
    address also owns the scenario's local_ip key (other tests may be
    busy on 127.0.0.1)."""
    src = os.environ.get("SW_SRC") or (addr if addr.startswith("127.") else None)
    src = (src, 0) if src else None
    return socket.create_connection((addr, port), timeout=10,
                                    source_address=src)


def paced(n, rate):
    """Yield 0..n-1, the i-th no earlier than i / rate seconds from now."""
    t0 = time.monotonic()
    for i in range(n):
        if rate > 0:
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        yield i


def run_loop(ls, on_data):
    """Accept on ls; call on_data(sel, conn, bytes) for every read."""
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            if key.fileobj is ls:
                c, _ = ls.accept()
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
                continue
            c = key.fileobj
            try:
                b = c.recv(4096)
            except OSError:
                b = b""
            on_data(sel, c, b)


def hold(addr, port):
    setcomm("sw-hold")
    ls, port = tcp_endpoint(addr, port)
    say("ready", port)

    def on_data(sel, c, b):
        if not b:
            sel.unregister(c)
            c.close()

    run_loop(ls, on_data)


def leaky(addr, port):
    setcomm("leaky")
    ls, port = tcp_endpoint(addr, port)
    say("ready", port)
    kept = []

    def on_data(sel, c, b):
        if not b:		# the peer closed: forget to close our side
            sel.unregister(c)
            kept.append(c)

    run_loop(ls, on_data)


def polite(addr, port):
    setcomm("sw-polite")
    ls, port = tcp_endpoint(addr, port)
    say("ready", port)

    def on_data(sel, c, b):
        sel.unregister(c)
        if b:
            try:
                c.sendall(b"y" * 64)
            except OSError:
                pass
        c.close()

    run_loop(ls, on_data)


def leak(addr, port, n, rate):
    setcomm("sw-leaker")
    kept = []
    for i in paced(n, rate):
        kept.append(connect(addr, port))
        if (i + 1) % 10 == 0:
            say("opened", i + 1)
    say("done", n)
    signal.pause()


def ask(addr, port, n, rate, linger):
    setcomm("sw-ask")
    for _ in paced(n, rate):
        with connect(addr, port) as s:
            s.sendall(b"x" * 32)
            while s.recv(4096):
                pass
    say("done", n)
    if linger:
        signal.pause()


def drop(addr, port, n, rate):
    setcomm("sw-drop")
    for _ in paced(n, rate):
        s = connect(addr, port)
        s.sendall(b"x" * 32)
        s.close()
    say("done", n)
    signal.pause()


def main(argv):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    mode, addr, port = argv[1], argv[2], int(argv[3])
    if mode == "hold":
        hold(addr, port)
    elif mode == "leaky":
        leaky(addr, port)
    elif mode == "polite":
        polite(addr, port)
    elif mode == "leak":
        leak(addr, port, int(argv[4]), float(argv[5]))
    elif mode in ("ask", "ask-done"):
        ask(addr, port, int(argv[4]), float(argv[5]), mode == "ask")
    elif mode == "drop":
        drop(addr, port, int(argv[4]), float(argv[5]))
    else:
        sys.exit("leak_workload: unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
