"""Test data: the lecture's TCP server as students write it, on the stdlib socket.

Run by tests/test_main.py through ``python -m rnet run``; nothing here knows
about rnet. The last line reports which module the socket class came from.
Environment: RNET_HOST, RNET_PORT (defaults '' and 11267).
"""
# ruff: noqa: F403, F405

import os
from socket import *

hostname = os.environ.get("RNET_HOST", "")  # blank so any address can be used
number = int(os.environ.get("RNET_PORT", "11267"))  # number for the port
buffer = 80  # size of the buffer

server_address = (hostname, number)
server = socket(AF_INET, SOCK_STREAM)
server.bind(server_address)
server.listen(1)

print("server waits for connection")
client, client_address = server.accept()
print("server accepted connection request from ", client_address)
print("server waits for data")
data = client.recv(buffer)
print("server received ", data)
client.send(data)

client.close()
server.close()
print("socket class from module", type(server).__module__)
