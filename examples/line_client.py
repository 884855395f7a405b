"""The client of line_server.py, on rnet: send request lines, print each answer.

Usage: python line_client.py [REQUEST ...]  (default: id name)

Each request is sent as one line ending in ``\\r\\n``; the client then reads
until it has the whole answer line and prints it as bytes, ``\\r\\n`` included.
Environment: RNET_HOST (default 'localhost'), RNET_PORT (11267).
"""
# ruff: noqa: F403, F405

import os
import sys

from rnet import *

hostname = os.environ.get("RNET_HOST", "localhost")  # on same host
number = int(os.environ.get("RNET_PORT", "11267"))  # same port number
buffer = 80  # size of the buffer
requests = sys.argv[1:] or ["id", "name"]

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
