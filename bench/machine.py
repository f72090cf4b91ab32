"""What the benchmarks ran on: one line for the machine, one for the database engine."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return ""


def machine() -> str:
    """CPU model and cores, RAM, Python, OS and the load average at the moment."""
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores{_ram()}{load}, Python {platform.python_version()}, {platform.system()}"
    )


def engine_version() -> str:
    """The database engine of Django's default connection (needs Django set up)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW jit")
            return f"PostgreSQL {version} (jit {cursor.fetchone()[0]})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"
