"""A small HTTP/1.1 load generator for loopback servers (asyncio, keep-alive connections).

Used by the portal's concurrency test and ``python -m bench.portal``. It only ever talks to
the host it is given; callers pass loopback addresses, a bounded time and a bounded count.

A request that got no answer (the connection refused, reset or closed before the whole
response came, as when a server process is killed) can be sent again, as request number
``n`` once more, on a new connection (``retries``); a status is an answer and is never
retried.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    requests: int = 0
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    error_samples: list[str] = field(default_factory=list)
    # Requests sent again after no answer, and the numbers of the requests answered 200.
    retried: int = 0
    answered: list[int] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """Latency in milliseconds at percentile ``p`` (0-100)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000


class _Closed(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; (status, whether the connection stays open)."""
    status_line = await reader.readline()
    if not status_line:
        raise _Closed("connection closed")
    status = int(status_line.split()[1])
    length = None
    chunked = False
    keep_alive = True
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            keep_alive = False
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep_alive = False
    return status, keep_alive


async def _worker(host, port, path_of, headers_of, numbers, stop_at, result: LoadResult, retries: int):
    reader = writer = None
    while time.monotonic() < stop_at:
        number = next(numbers, None)
        if number is None:
            break
        headers = {"Host": f"{host}:{port}", "Connection": "keep-alive", **headers_of(number)}
        request = f"GET {path_of(number)} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(request.encode("latin-1"))
                await writer.drain()
                status, keep_alive = await _read_response(reader)
            except (OSError, _Closed, asyncio.IncompleteReadError, ValueError, IndexError) as error:
                if writer is not None:
                    writer.close()
                reader = writer = None
                if attempt < retries:  # no answer: the same request again, on a new connection
                    attempt += 1
                    result.retried += 1
                    await asyncio.sleep(0.05 * attempt)
                    continue
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(repr(error))
                break
            result.latencies.append(time.monotonic() - started)
            result.requests += 1
            result.statuses[status] += 1
            if status == 200:
                result.answered.append(number)
            if status >= 400:
                result.errors += 1
            if not keep_alive:
                writer.close()
                reader = writer = None
            break
    if writer is not None:
        writer.close()


async def _run(host, port, connections, path_of, headers_of, seconds, count, retries) -> LoadResult:
    result = LoadResult()
    numbers = iter(range(count)) if count is not None else itertools.count()
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(
        *(_worker(host, port, path_of, headers_of, numbers, stop_at, result, retries) for _ in range(connections))
    )
    result.elapsed = time.monotonic() - started
    return result


def run_load(
    host: str,
    port: int,
    *,
    connections: int,
    path_of: Callable[[int], str],
    headers_of: Callable[[int], dict[str, str]] = lambda n: {},
    seconds: float = 10.0,
    count: int | None = None,
    retries: int = 0,
) -> LoadResult:
    """Send requests over ``connections`` keep-alive connections until ``seconds`` pass or
    ``count`` requests were sent. Request number ``n`` goes to
    ``path_of(n)`` with ``headers_of(n)``; a status of 400 or more counts as an error, and so
    does a request that got no answer after ``retries`` more tries."""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError("load is only ever generated against loopback addresses")
    if retries < 0 or retries > 100:
        raise ValueError("retries must be between 0 and 100")
    return asyncio.run(_run(host, port, connections, path_of, headers_of, seconds, count, retries))
