#!/usr/bin/env python3
"""Socket workloads the end-to-end tests drive sockwatch with.

Loopback only, bounded, and each mode ends by itself. Each mode names its
process (comm) so that a test can find its events among everyone else's.

  serve FAMILY PORT N     accept N TCP connections, read, reply, close
  client FAMILY PORT      connect, send 100 bytes, read the reply, close
  udp FAMILY              bind, connect, send, close a UDP socket
  hold PORT               hold a TCP listener until SIGTERM
"""
import signal
import socket
import sys

ADDR = {"4": (socket.AF_INET, "127.0.0.1"), "6": (socket.AF_INET6, "::1")}


def setcomm(name):
    with open("/proc/self/comm", "w") as f:
        f.write(name)


def ready(what):
    print("ready", what, flush=True)


def serve(fam, port, n):
    setcomm("sw-srv")
    family, addr = ADDR[fam]
    ls = socket.socket(family, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(16)
    ready(port)
    for _ in range(n):
        c, _ = ls.accept()
        c.settimeout(10)
        c.recv(4096)
        c.sendall(b"y" * 200)
        c.close()
    ls.close()


def client(fam, port):
    setcomm("sw-cli")
    family, addr = ADDR[fam]
    s = socket.create_connection((addr, port), timeout=10)
    s.sendall(b"x" * 100)
    # read to EOF: the server's FIN has arrived (CLOSE_WAIT) before close
    while s.recv(4096):
        pass
    s.close()


def udp(fam):
    setcomm("sw-udp")
    family, addr = ADDR[fam]
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, 0))
    s.connect((addr, 9))
    s.send(b"ping")
    s.close()


def hold(port):
    setcomm("sw-pre")
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(4)
    ready(port)
    signal.pause()


def main(argv):
    mode = argv[1]
    if mode == "serve":
        serve(argv[2], int(argv[3]), int(argv[4]))
    elif mode == "client":
        client(argv[2], int(argv[3]))
    elif mode == "udp":
        udp(argv[2])
    elif mode == "hold":
        hold(int(argv[2]))
    else:
        sys.exit("workload: unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
