"""Local web servers for the website checker, and a guard: no test ever connects outside 127.0.0.0/8."""

import ipaddress
import socket

import pytest
from pytest_httpserver import HTTPServer

_real_create_connection = socket.create_connection


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Fail loudly if the checker ever opens a socket to a non-loopback address (it must refuse first)."""

    def guarded(address, *args, **kwargs):
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise AssertionError(f"a test tried to connect to {host}")
        return _real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


def _server(host="127.0.0.1", **kwargs):
    server = HTTPServer(host=host, port=0, threaded=True, **kwargs)
    server.start()
    return server


@pytest.fixture
def site():
    server = _server()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def second_loopback_site():
    """A server on 127.0.0.2: another host on the loopback range, for redirect tests."""
    server = _server("127.0.0.2")
    yield server
    server.clear()
    server.stop()
