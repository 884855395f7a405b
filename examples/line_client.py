"""The client of line_server.py, on rnet: send request lines, print each answer.

Usage: python line_client.py [HOST [PORT [REQUEST ...]]]  (default: id name)

Each request is sent as one line ending in ``\\r\\n``; the client then reads
until it has the whole answer line and prints it as bytes, ``\\r\\n`` included.
Environment: RNET_HOST (used without HOST; default 'localhost'), RNET_PORT (11267).
"""
# ruff: noqa: F403, F405

import os
import sys

from rnet import *

# HOST and PORT: the command line, else RNET_HOST/RNET_PORT, else the slide's.
args = sys.argv[1:]
hostname = args[0] if args else os.environ.get("RNET_HOST", "localhost")  # on same host
number = int(args[1] if len(args) > 1 else os.environ.get("RNET_PORT", "11267"))
buffer = 80  # size of the buffer
requests = args[2:] or ["id", "name"]

server_address = (hostname, number)
client = socket(AF_INET, SOCK_STREAM)
client.connect(server_address)

pending = b""
for request in requests:
    client.sendall(request.encode() + b"\r\n")
    while b"\r\n" not in pending:
        data = client.recv(buffer)
        if not data:
            sys.exit("client: the server closed the connection")
        pending += data
    reply, pending = pending.split(b"\r\n", 1)
    print("client sent ", request, " and received ", reply + b"\r\n")

client.close()
