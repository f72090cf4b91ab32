"""The load generator: statuses counted, requests that got no answer sent again with the same
number (the benchmark's SIGKILL check relies on it), and only loopback addresses."""

import socket
import threading
from collections import Counter

from django.test import SimpleTestCase

from daotao.lib.loadgen import run_load


class FlakyServer:
    """An HTTP server on loopback that drops the connection, without an answer, the first
    time it sees each request number in ``drop`` (as a killed worker would), and answers
    200 otherwise."""

    def __init__(self, drop: set[int]):
        self.drop = set(drop)
        self.seen: Counter = Counter()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.lock = threading.Lock()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn):
        with conn, conn.makefile("rb") as reader:
            while True:
                line = reader.readline()
                if not line:
                    return
                number = int(line.split()[1].strip(b"/"))
                while reader.readline() not in (b"\r\n", b""):
                    pass
                with self.lock:
                    self.seen[number] += 1
                    dropping = number in self.drop
                    self.drop.discard(number)
                if dropping:
                    return  # closed without a word
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def close(self):
        self.sock.close()


class LoadGeneratorTests(SimpleTestCase):
    def test_a_request_without_answer_is_sent_again_with_its_number(self):
        server = FlakyServer(drop={3, 7, 11})
        self.addCleanup(server.close)
        result = run_load(
            "127.0.0.1", server.port, connections=4, path_of=lambda n: f"/{n}", seconds=30, count=20, retries=3
        )
        self.assertEqual((result.requests, result.errors, result.retried), (20, 0, 3))
        self.assertEqual(sorted(result.answered), list(range(20)))
        self.assertEqual({n: server.seen[n] for n in (3, 7, 11)}, {3: 2, 7: 2, 11: 2})

    def test_without_retries_no_answer_is_an_error(self):
        server = FlakyServer(drop={5})
        self.addCleanup(server.close)
        result = run_load("127.0.0.1", server.port, connections=2, path_of=lambda n: f"/{n}", seconds=30, count=10)
        self.assertEqual((result.requests, result.errors, result.retried), (9, 1, 0))
        self.assertNotIn(5, result.answered)

    def test_only_loopback(self):
        with self.assertRaises(ValueError):
            run_load("192.0.2.1", 80, connections=1, path_of=lambda n: "/", seconds=1, count=1)
