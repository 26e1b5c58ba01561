#!/usr/bin/env python3
"""A leaky server and its clients, for the clean-up test (issue 17).

  serve NAME ADDR     listen on ADDR (kernel-picked port), print "ready PORT";
                      accept forever and never close an accepted socket, so
                      each one stays in CLOSE_WAIT once its client closes.
                      Every 0.1 s, read each held socket without blocking.
                      A socket the kernel destroyed (SOCK_DESTROY) is
                      printed once as "aborted RPORT ERRNO-NAME HOW": HOW
                      "recv" when the read itself failed (a connection
                      still open), "so_error" when the read gave EOF, as
                      it does for ever once the peer's FIN came (CLOSE_WAIT),
                      and the socket's pending error is the abort's.
                      comm is NAME.
  clients ADDR PORT N BYTES
                      N connections, each sends BYTES bytes and closes;
                      prints "done N".
  idle NAME ADDR PORT N
                      N connections that send nothing and stay open until
                      SIGTERM; prints "done N". comm is NAME.
"""
import errno
import select
import socket
import sys
import time


def say(*what):
    print(*what, flush=True)


def serve(name, addr):
    with open("/proc/self/comm", "w") as f:
        f.write(name)
    ls = socket.socket()
    ls.bind((addr, 0))
    ls.listen(128)
    ls.setblocking(False)
    say("ready", ls.getsockname()[1])
    held = {}		# socket -> its client's port
    failed = set()
    while True:
        r, _, _ = select.select([ls], [], [], 0.1)
        if r:
            try:
                c, peer = ls.accept()
                c.setblocking(False)
                held[c] = peer[1]
            except BlockingIOError:
                pass
        for c, rport in held.items():
            if c in failed:
                continue
            err, how = 0, "recv"
            try:
                if c.recv(65536) == b"":	# EOF: was it an abort?
                    err, how = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), "so_error"
            except BlockingIOError:
                pass
            except OSError as e:
                err = e.errno
            if err:
                failed.add(c)
                say("aborted", rport, errno.errorcode.get(err, err), how)


def clients(addr, port, n, nbytes):
    held = []
    for _ in range(n):
        c = socket.create_connection((addr, port), timeout=10,
                                     source_address=(addr, 0))
        c.sendall(b"x" * nbytes)
        held.append(c)
    for c in held:
        c.close()
    say("done", n)


def idle(name, addr, port, n):
    with open("/proc/self/comm", "w") as f:
        f.write(name)
    held = [socket.create_connection((addr, port), timeout=10,
                                     source_address=(addr, 0)) for _ in range(n)]
    say("done", len(held))
    while True:
        time.sleep(60)


def main():
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "idle":
        idle(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "clients":
        clients(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit("usage: serve NAME ADDR | clients ADDR PORT N BYTES | idle NAME ADDR PORT N")


if __name__ == "__main__":
    main()
