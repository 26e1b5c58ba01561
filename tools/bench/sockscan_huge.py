#!/usr/bin/env python3
"""One 50 MB source file per language for sockscan's benchmark.

  sockscan_huge.py make DIR        write DIR/go/huge.go and DIR/py/huge.py
  sockscan_huge.py run CMD...      run CMD, print "seconds peak_rss_kb cpu_seconds"
                                   (CPU time says more than wall time on a
                                   loaded machine)

The files are ordinary code repeated, about 50 MB each: small functions
calling helpers and formatting strings, one in a hundred opening a socket
(generated code has few sockets; each finding costs report memory).
"""
import os, resource, subprocess, sys, time

GO_HEAD = 'package main\n\nimport (\n\t"fmt"\n\t"net"\n\t"strings"\n)\n\n'
GO_BODY = ('func f%d() {\n\tl, err := net.Listen("tcp", ":%d")\n\tif err != nil {\n'
           '\t\tfmt.Println(err)\n\t}\n\t_ = l\n\thelper%d(strings.Repeat("x", %d))\n}\n\n')
GO_PLAIN = ('func f%d() {\n\ts := fmt.Sprintf("%%d", %d)\n\tif len(s) > 3 {\n'
            '\t\tfmt.Println(s)\n\t}\n\thelper%d(strings.Repeat("x", %d))\n}\n\n')
PY_HEAD = "import socket\n\n\n"
PY_BODY = ('def f%d():\n    s = socket.socket()\n    s.bind(("", %d))\n'
           '    helper%d("x" * %d)\n    return s\n\n\n')
PY_PLAIN = ('def f%d():\n    s = "%%d" %% %d\n    if len(s) > 3:\n'
            '        print(s)\n    helper%d("x" * %d)\n    return s\n\n\n')


def make(root, size=50e6):
    for lang, head, body, plain in (("go", GO_HEAD, GO_BODY, GO_PLAIN),
                                    ("py", PY_HEAD, PY_BODY, PY_PLAIN)):
        os.makedirs(os.path.join(root, lang), exist_ok=True)
        with open(os.path.join(root, lang, "huge." + lang), "w") as out:
            out.write(head)
            n, i = len(head), 0
            while n < size:
                part = (plain if i % 100 else body) % (i, 1024 + i % 60000, i, i % 97)
                out.write(part)
                n += len(part)
                i += 1


def run(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("%.3f %d %.3f" % (time.monotonic() - t, ru.ru_maxrss, ru.ru_utime + ru.ru_stime))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        run(sys.argv[2:])
