"""Timing pages through Django's test client against the trivial view, in one process.

Shared by the page benchmarks: a throw-away test database, warm-up, p50/p95, and the table
of ratios against `/halsa/` measured in the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

BASELINE = "trivial view (/halsa/)"


@contextmanager
def throwaway_database() -> Iterator[None]:
    # Not setup_test_environment(): its template instrumentation would be measured too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measure(client: Client, url: str, n: int) -> list[float]:
    for _ in range(5):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def time_pages(client: Client, pages: dict[str, str], requests: int) -> dict[str, list[float]]:
    """The baseline first, then each page, with the same client and session."""
    results = {BASELINE: measure(client, reverse("web:health"), requests)}
    for name, url in pages.items():
        results[name] = measure(client, url, requests)
    return results


def report(results: dict[str, list[float]], heading: str, out: Callable[[str], None] = print):
    base = results[BASELINE]
    out(f"Database: {connection.vendor}; {heading}")
    out(f"{'page':<26}{'p50 ms':>10}{'p95 ms':>10}{'p50 ×':>10}{'p95 ×':>10}")
    for name, times in results.items():
        out(
            f"{name:<26}{pct(times, 50) * 1000:>10.2f}{pct(times, 95) * 1000:>10.2f}"
            f"{pct(times, 50) / pct(base, 50):>10.1f}{pct(times, 95) / pct(base, 95):>10.1f}"
        )
