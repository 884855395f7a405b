"""Test data: a user's own module next to which_socket.py that imports socket."""

import socket


def socket_module_name():
    """The name of the module this file got for ``import socket``."""
    return socket.__name__
