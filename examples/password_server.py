"""The lecture's assignment, server side, on rnet: check one password.

The server waits for one client, receives its password (at most 80 bytes) and
answers ``access granted`` if it is the right one, ``access denied`` otherwise.
Usage: python password_server.py [HOST [PORT]].
Environment: RNET_HOST (used without HOST; default ''), RNET_PORT (11267), RNET_PASSWORD (the
password to accept, default 'open sesame').
"""
# ruff: noqa: F403, F405

import os
import sys

from rnet import *

# HOST and PORT: the command line, else RNET_HOST/RNET_PORT, else the slide's.
args = sys.argv[1:]
hostname = args[0] if args else os.environ.get("RNET_HOST", "")  # blank so any address can be used
number = int(args[1] if len(args) > 1 else os.environ.get("RNET_PORT", "11267"))
buffer = 80  # size of the buffer
password = os.environ.get("RNET_PASSWORD", "open sesame")

server_address = (hostname, number)
server = socket(AF_INET, SOCK_STREAM)
server.bind(server_address)
server.listen(1)

print("server waits for connection")
client, client_address = server.accept()
print("server accepted connection request from ", client_address)
print("server waits for password")
data = client.recv(buffer)
if data.decode() == password:
    reply = "access granted"
else:
    reply = "access denied"
print("server answers ", reply)
client.send(reply.encode())

client.close()
server.close()
