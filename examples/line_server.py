"""A line-protocol server on rnet: ``id`` gets the student ID, ``name`` the name.

Requests and answers are lines ending in ``\\r\\n``. The server takes one client
and answers each request line it sends: ``id`` with the student ID, ``name`` with
the student's name, anything else with ``ERROR``; it stops when the client closes.
Requests may arrive split over several recv() calls or several in one, so the
server keeps the bytes after the last ``\\r\\n`` for the next round.

Usage: python line_server.py [HOST [PORT]].
Environment: RNET_HOST (used without HOST; default ''), RNET_PORT (11267), RNET_STUDENT_ID,
RNET_STUDENT_NAME.
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
student_id = os.environ.get("RNET_STUDENT_ID", "123456789")
student_name = os.environ.get("RNET_STUDENT_NAME", "Ada Lovelace")


def answer(request):
    """The reply line, with its ``\\r\\n``, to one request line given without it."""
    if request == b"id":
        return student_id.encode() + b"\r\n"
    if request == b"name":
        return student_name.encode() + b"\r\n"
    return b"ERROR\r\n"


server_address = (hostname, number)
server = socket(AF_INET, SOCK_STREAM)
server.bind(server_address)
server.listen(1)

print("server waits for connection")
client, client_address = server.accept()
print("server accepted connection request from ", client_address)
pending = b""
while True:
    data = client.recv(buffer)
    if not data:
        break
    pending += data
    while b"\r\n" in pending:
        request, pending = pending.split(b"\r\n", 1)
        reply = answer(request)
        print("server received ", request, " and sends ", reply)
        client.sendall(reply)
print("server closes the connection")

client.close()
server.close()
