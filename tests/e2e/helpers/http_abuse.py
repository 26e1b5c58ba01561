#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Abuse a sockwatch HTTP server on loopback while scraping it.

Opens --idle idle connections and --slow slowloris connections (a request
trickled one byte every 200 ms, never finished), all from 127.0.0.1, each
reopened as soon as the server drops it, for --seconds seconds. Meanwhile
scrapes --path every 100 ms, alternately from 127.0.0.1 (the attacker's own
address) and from 127.0.0.2. Prints a line once the attack's connections
are open, one line per failed scrape and a summary.

Exits 0 when every scrape from the other address got a 200 within
--max-latency seconds (the per-address limit guarantees that), and at
least 80 % of those from the attacker's own address did. There the
scraper shares 16 slots with a flood that reconnects over ten thousand
times a second: until its request arrives, its connection is one more
idle connection of that address, and 16 reconnects (about 1 ms) make it
the oldest. A scraper descheduled for that long between its connect and
its send loses the slot; under load that is a few per cent of them. With
30-40 such scrapes and 5 % lost, a 90 % bar failed about one run in ten
(binomial); 80 % fails about six in ten thousand, while a broken
per-address limit, which loses most of them, still fails it.

The flood runs in a process of its own, as a real one would. As a thread
of this process it held the interpreter's lock for up to 5 ms at a time,
long enough on its own to hold a scraper off its request.

Loopback only, bounded in connections and time; stdlib only.
"""
import argparse
import multiprocessing
import selectors
import socket
import sys
import time

SLOW_HEAD = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: "


def dial(port, blocking=False, src=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if src:
        s.bind((src, 0))
    s.setblocking(blocking)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    except OSError:
        s.close()
        return None
    return s


def attacker(args, stop, stats, opened):
    sel = selectors.DefaultSelector()
    conns = {}  # socket -> bytes of SLOW_HEAD sent, or None for idle

    def open_one(slow):
        s = dial(args.port)
        if s is None:
            stats[1] += 1
            return
        conns[s] = 0 if slow else None
        sel.register(s, selectors.EVENT_READ)

    for i in range(args.idle + args.slow):
        open_one(i >= args.idle)
    opened.set()
    end = time.monotonic() + args.seconds
    next_trickle = 0.0
    while not stop.is_set() and time.monotonic() < end:
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                if s.recv(4096):
                    continue
            except BlockingIOError:
                continue
            except OSError:
                pass
            slow = conns.pop(s) is not None
            sel.unregister(s)
            s.close()
            stats[0] += 1
            open_one(slow)
        if time.monotonic() < next_trickle:
            continue
        next_trickle = time.monotonic() + 0.2
        for s, sent in list(conns.items()):
            if sent is None:
                continue
            b = SLOW_HEAD[sent:sent + 1] or b"a"
            try:
                if s.send(b) == 1:
                    conns[s] = sent + 1
            except OSError:
                pass
    for s in conns:
        s.close()


def scrape(args, src):
    t0 = time.monotonic()
    s = dial(args.port, blocking=True, src=src)
    if s is None:
        return 0, time.monotonic() - t0
    s.settimeout(max(5, args.max_latency))
    auth = f"Authorization: Bearer {args.token}\r\n" if args.token else ""
    req = (f"GET {args.path} HTTP/1.1\r\nHost: localhost\r\n"
           f"Connection: close\r\n{auth}\r\n")
    data = b""
    try:
        s.sendall(req.encode())
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
    except OSError:
        pass
    s.close()
    status = 0
    if data.startswith(b"HTTP/1."):
        try:
            status = int(data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            pass
    return status, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/metrics")
    ap.add_argument("--token", default="")
    ap.add_argument("--idle", type=int, default=2000)
    ap.add_argument("--slow", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--max-latency", type=float, default=2.0)
    args = ap.parse_args()
    if args.idle + args.slow > 5000 or args.seconds > 60:
        sys.exit("http_abuse: refusing more than 5000 connections or 60 s")

    mp = multiprocessing.get_context("fork")
    stop, opened = mp.Event(), mp.Event()
    stats = mp.Array("q", 2, lock=False)  # reconnects, connect failures
    t = mp.Process(target=attacker, args=(args, stop, stats, opened), daemon=True)
    t.start()
    if not opened.wait(60):
        t.kill()
        sys.exit("http_abuse: the attacker did not open its connections")
    print(f"http_abuse: attacking with {args.idle} idle and {args.slow} "
          f"slowloris connections", flush=True)
    time.sleep(1.0)
    ok = tries = 0
    tried = {"127.0.0.1": 0, "127.0.0.2": 0}
    good = {"127.0.0.1": 0, "127.0.0.2": 0}
    worst = 0.0
    end = time.monotonic() + args.seconds - 2
    while time.monotonic() < end:
        src = "127.0.0.1" if tries % 2 == 0 else "127.0.0.2"
        status, secs = scrape(args, src)
        tries += 1
        tried[src] += 1
        worst = max(worst, secs)
        if status == 200 and secs <= args.max_latency:
            ok += 1
            good[src] += 1
        else:
            print(f"scrape {tries} from {src}: status {status} "
                  f"after {secs:.3f} s")
        time.sleep(0.1)
    stop.set()
    t.join()
    print(f"http_abuse: {ok}/{tries} scrapes ok, slowest {worst:.3f} s, "
          f"{stats[0]} attacker reconnects, "
          f"{stats[1]} connect failures")
    other_ok = good["127.0.0.2"] == tried["127.0.0.2"]
    own_ok = good["127.0.0.1"] >= 0.8 * tried["127.0.0.1"]
    sys.exit(0 if tries >= 10 and other_ok and own_ok else 1)


if __name__ == "__main__":
    main()
