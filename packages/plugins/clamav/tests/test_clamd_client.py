"""The INSTREAM client against a real clamd: EICAR found, a clean file passes, limits hold."""

from __future__ import annotations

import socket
import threading

import pytest
from virage_clamav.client import CHUNK, MAX_REPLY, ClamdError, Endpoint, instream, ping

from .conftest import SIGNATURE, STREAM_MAX, eicar


def test_clamd_answers_pong(clamd):
    assert ping(clamd.endpoint)


def test_eicar_is_found_by_the_real_clamd(clamd):
    found = instream(clamd.endpoint, eicar())
    assert found in (f"{SIGNATURE}.UNOFFICIAL", f"{SIGNATURE}-Body.UNOFFICIAL")


def test_a_clean_file_is_clean(clamd):
    assert instream(clamd.endpoint, b"%PDF-1.4\nProcedure de nuit\n" * 100) is None
    assert instream(clamd.endpoint, b"") is None


def test_a_file_over_several_chunks_is_streamed_whole(clamd):
    # EICAR at the end of a multi-chunk stream: clamd scans what it got, the hash differs, clean;
    # the point is that the stream of several chunks is read to the end and answered.
    assert instream(clamd.endpoint, b"a" * (CHUNK * 3 + 17)) is None


def test_a_stream_over_clamd_s_limit_is_refused_not_passed(clamd):
    with pytest.raises(ClamdError, match="StreamMaxLength"):
        instream(clamd.endpoint, b"b" * (STREAM_MAX + CHUNK))
    assert ping(clamd.endpoint)  # clamd is still there


def test_nothing_listening_is_an_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ClamdError, match="injoignable"):
        instream(Endpoint(host="127.0.0.1", port=port, timeout=2), b"x")
    assert not ping(Endpoint(host="127.0.0.1", port=port, timeout=2))


def _fake_server(reply: bytes | None):
    """A TCP server that reads the request then answers ``reply`` (or never answers)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    done = threading.Event()

    def serve():
        conn, _ = server.accept()
        with conn:
            conn.settimeout(5)
            try:
                while not conn.recv(65536).endswith(b"\0\0\0\0"):
                    pass
            except OSError:
                pass
            if reply is not None:
                conn.sendall(reply)
            done.wait(5)
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], done


def test_a_silent_clamd_times_out():
    port, done = _fake_server(None)
    try:
        with pytest.raises(ClamdError, match="à temps"):
            instream(Endpoint(host="127.0.0.1", port=port, timeout=0.5), b"x")
    finally:
        done.set()


def test_an_endless_reply_is_bounded():
    port, done = _fake_server(b"A" * (MAX_REPLY * 4))
    try:
        with pytest.raises(ClamdError, match="trop longue"):
            instream(Endpoint(host="127.0.0.1", port=port, timeout=2), b"x")
    finally:
        done.set()
