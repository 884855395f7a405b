"""The lecture's assignment, server side, on rnet: check one password.

The server waits for one client, receives its password (at most 80 bytes) and
answers ``access granted`` if it is the right one, ``access denied`` otherwise.
Environment: RNET_HOST (default ''), RNET_PORT (11267), RNET_PASSWORD (the
password to accept, default 'open sesame').
"""
# ruff: noqa: F403, F405

import os

from rnet import *

hostname = os.environ.get("RNET_HOST", "")  # blank so any address can be used
number = int(os.environ.get("RNET_PORT", "11267"))  # number for the port
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
