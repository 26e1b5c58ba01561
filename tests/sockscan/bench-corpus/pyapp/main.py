import os
import socket

import psycopg2
import redis
import requests
import uvicorn
from fastapi import FastAPI
from http.server import HTTPServer, BaseHTTPRequestHandler

API = "https://api.partner.com"
PORT = 8081
HOST = "metrics.acme.internal"

app = FastAPI()


class Handler(BaseHTTPRequestHandler):
    pass


class Reporter:
    def __init__(self, host, port):
        self.sock = socket.socket()
        self.sock.connect((host, port))  # want: egress tcp ? ?


def report(data):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.sendto(data, (HOST, 8125))  # want: egress udp metrics.acme.internal 8125
    r = requests.get(f"{API}/users", timeout=5)  # want: egress tcp api.partner.com 443
    conn = psycopg2.connect(host="pg.acme.internal", port=5432)  # want: egress tcp pg.acme.internal 5432
    cache = redis.Redis(host="localhost", port=6379)  # want: egress tcp localhost 6379
    return r, conn, cache


def serve():
    server = HTTPServer(("", PORT), Handler)  # want: ingress tcp * 8081
    server.serve_forever()


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=int(os.getenv("PORT", "8000")))  # want: ingress tcp 0.0.0.0 8000
