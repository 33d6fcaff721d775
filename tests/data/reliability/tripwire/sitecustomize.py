"""On PYTHONPATH, this makes any Python process (a speech worker, say) refuse to open an internet socket."""

import socket

_Real = socket.socket


class NoNetwork(_Real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            raise RuntimeError("tripwire: an internet socket was opened in an offline stage")
        super().__init__(family, type, proto, fileno)


def _no_lookup(*args, **kwargs):
    raise RuntimeError(f"tripwire: a name lookup in an offline stage: {args[:1]}")


def install() -> None:
    socket.socket = NoNetwork
    socket.getaddrinfo = _no_lookup
    socket.gethostbyname = _no_lookup


install()
