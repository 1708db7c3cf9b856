"""The engine's loopback ports: choosing them (the recorded ones where still free) and
asking whether its Bolt port answers."""

from __future__ import annotations

import socket

PORT_KEYS = ("port", "http_port", "https_port")  # Bolt, HTTP, HTTPS in engine.json


def bolt_answers(port: int) -> bool:
    """Whether a Bolt server accepts a version handshake on ``port``."""
    handshake = bytes.fromhex("6060b017") + bytes.fromhex("00000005" "00000404" "00000004" "00000003")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2.0) as sock:
            sock.sendall(handshake)
            return len(sock.recv(4)) == 4
    except OSError:
        return False


def choose_ports(state: dict) -> list[int]:
    """The Bolt, HTTP and HTTPS ports: those of ``state`` where free, else free ones."""
    chosen: list[int] = []
    sockets = []
    try:
        for key in PORT_KEYS:
            port = state.get(key)
            if not (isinstance(port, int) and port not in chosen and port_free(port)):
                while True:  # held open, so that the next one differs
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    sock.bind(("127.0.0.1", 0))
                    sockets.append(sock)
                    port = sock.getsockname()[1]
                    if port not in chosen:
                        break
            chosen.append(port)
        return chosen
    finally:
        for sock in sockets:
            sock.close()


def port_free(port: int) -> bool:
    """Whether the server can listen on loopback ``port`` (a closed connection's
    TIME_WAIT does not count: the server's sockets reuse addresses, like this one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
