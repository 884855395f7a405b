"""The client of threaded_server.py, on rnet: send one message, print the echo.

Usage: python threaded_client.py [HOST [PORT [MESSAGE]]]  (default: hello there!)

The client sends its message, shuts down its sending side so the server sees
the end, and reads the echo until the server closes the connection.
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
message = args[2] if len(args) > 2 else "hello there!"

server_address = (hostname, number)
client = socket(AF_INET, SOCK_STREAM)
client.settimeout(60.0)  # never wait for ever on a server that went away
client.connect(server_address)

client.sendall(message.encode())
client.shutdown(SHUT_WR)
reply = b""
while True:
    data = client.recv(buffer)
    if not data:
        break
    reply += data
print("client received ", reply)

client.close()
