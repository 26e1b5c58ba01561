# Constructs that once crashed or leaked; each is followed by a real call.
import socket
from dataclasses import dataclass

return "leaked:1"


@dataclass
class Config:
    host: str
    port: int = 0
    timeout: float


def probe(*, deadline: float):
    if (n := len("abc")) > 2:
        pass
    match n:
        case 1:
            pass
        case _:
            pass
    label = f"{'a' + f"{n!r:>{n}}"}"
    return socket.create_connection(("probe.internal", 7001))
