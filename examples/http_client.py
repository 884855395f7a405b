"""An HTTP GET client in the "Python for Everybody" style, on rnet.

Usage: python http_client.py [HOST [PORT [TARGET]]]

Defaults are the book's: host data.pr4e.org, port 80, and the request target
http://HOST/romeo.txt (the book sends the whole URL, which HTTP/1.0 servers
accept). A server that only understands paths, such as ``python -m
http.server``, needs TARGET /romeo.txt. The client prints the reply as it
comes, headers included, in chunks of at most 512 bytes.
"""

import sys

import rnet as socket

host = sys.argv[1] if len(sys.argv) > 1 else "data.pr4e.org"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 80
if len(sys.argv) > 3:
    url = sys.argv[3]
elif port == 80:
    url = f"http://{host}/romeo.txt"
else:
    url = f"http://{host}:{port}/romeo.txt"

mysock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
mysock.connect((host, port))
cmd = f"GET {url} HTTP/1.0\r\n\r\n".encode()
mysock.sendall(cmd)

while True:
    data = mysock.recv(512)
    if len(data) < 1:
        break
    print(data.decode(), end="")

mysock.close()
