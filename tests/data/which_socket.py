"""Test data: report which ``socket`` the script, its own module and the stdlib got.

Under ``python -m rnet run`` the script and socket_user_module.py (next to it)
should get rnet, while smtplib and socketserver, imported only now, keep the
stdlib socket; run with plain ``python`` everything is the stdlib's.
"""

import sys

smtplib_preloaded = "smtplib" in sys.modules

import smtplib  # noqa: E402  (a stdlib module that does "import socket")
import socket  # noqa: E402
import socketserver  # noqa: E402

import socket_user_module  # noqa: E402  (found through sys.path[0], the script's directory)

print("argv:", sys.argv[1:])
print("script socket module:", socket.__name__)
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    print("script socket class module:", type(sock).__module__)
print("user module socket module:", socket_user_module.socket_module_name())
print("smtplib preloaded:", smtplib_preloaded)
print("smtplib socket module:", smtplib.socket.__name__)
server = socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler)
try:
    print("socketserver socket class module:", type(server.socket).__module__)
finally:
    server.server_close()
print("sys.modules socket:", sys.modules["socket"].__name__)
