"""Each name made by a helper call of the one before, six times: the
resolver once took 6^n steps (77 s for eleven lines). Its host is now
unknown past a budget; the literal port beside it stays."""
import socket


def pick(a, b, c, d, e, g):
    return a


A0 = "h"
A1 = pick(A0, A0, A0, A0, A0, A0)
A2 = pick(A1, A1, A1, A1, A1, A1)
A3 = pick(A2, A2, A2, A2, A2, A2)
A4 = pick(A3, A3, A3, A3, A3, A3)
A5 = pick(A4, A4, A4, A4, A4, A4)
A6 = pick(A5, A5, A5, A5, A5, A5)
A7 = pick(A6, A6, A6, A6, A6, A6)
A8 = pick(A7, A7, A7, A7, A7, A7)
A9 = pick(A8, A8, A8, A8, A8, A8)
A10 = pick(A9, A9, A9, A9, A9, A9)
A11 = pick(A10, A10, A10, A10, A10, A10)
A12 = pick(A11, A11, A11, A11, A11, A11)
A13 = pick(A12, A12, A12, A12, A12, A12)
A14 = pick(A13, A13, A13, A13, A13, A13)
socket.create_connection((A14, 7007))
