import socket

socket.create_connection(("after.error", 7003))

def broken(:
    x = [1, 2
