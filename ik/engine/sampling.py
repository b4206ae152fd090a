"""Reproducible samples (stickprov) and attribute-sampling sizes.

A sample records everything an auditor needs to draw it again: a fingerprint of the
population, its size, the seed, the method and the items in the order they were drawn.

How a draw is made, so it can be repeated by hand or in another program:
1. The population is a list of unique text keys (system names, invoice numbers …).
   It is sorted by Unicode code point, which does not depend on locale or machine.
2. The fingerprint is the SHA-256 of that sorted list written as compact JSON
   (UTF-8, `["a","b"]`, no spaces, non-ASCII kept as is).
3. `simple_random`: `random.Random(seed).sample(sorted_population, n)`: Python's Mersenne
   Twister seeded with the integer seed, which gives the same numbers on every platform and
   does not use hash randomisation. `systematic`: `random.Random(seed).random()` gives a
   start `u` in [0, 1); with interval `k = N / n` the items at positions
   `floor((u + i) * k)` for i = 0 … n-1 are drawn.
"""

from __future__ import annotations

import json
import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ik.engine.errors import InputError
from ik.engine.result import sha256_bytes

METHODS = ("simple_random", "systematic")


@dataclass(frozen=True, slots=True)
class Sample:
    """A drawn sample and what is needed to draw it again."""

    population_sha256: str
    population_size: int
    n: int
    seed: int
    method: str
    items: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "population_sha256": self.population_sha256,
            "population_size": self.population_size,
            "n": self.n,
            "seed": self.seed,
            "method": self.method,
            "items": list(self.items),
        }


def population_fingerprint(population: Sequence[str]) -> str:
    """SHA-256 of the sorted keys as compact JSON; refuses duplicate keys."""
    ordered = _sorted_unique(population)
    return sha256_bytes(_canonical(ordered))


def _canonical(ordered: list[str]) -> bytes:
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sorted_unique(population: Sequence[str]) -> list[str]:
    ordered = sorted(population)
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if previous == current:
            raise InputError(f"Populationen innehåller {current!r} två gånger")
    return ordered


def draw_sample(
    population: Sequence[str], n: int, seed: int | None = None, method: str = "simple_random"
) -> Sample:
    """Draw n of the population's keys so that anyone with the seed can draw them again.

    Without a seed one is generated with `secrets` and recorded in the sample. See the module
    docstring for the exact algorithms.
    """
    if method not in METHODS:
        raise InputError(f"Okänd urvalsmetod {method!r} (välj {' eller '.join(METHODS)})")
    ordered = _sorted_unique(population)
    if not 0 <= n <= len(ordered):
        raise InputError(
            f"Stickprovet kan inte vara {n} poster när populationen har {len(ordered)}"
        )
    if seed is None:
        seed = secrets.randbelow(10**9)
    if seed < 0:
        raise InputError(f"Fröet måste vara ett icke-negativt heltal, inte {seed}")
    rng = random.Random(seed)
    simple = method == "simple_random"
    items = rng.sample(ordered, n) if simple else _systematic(ordered, n, rng)
    return Sample(sha256_bytes(_canonical(ordered)), len(ordered), n, seed, method, tuple(items))


def _systematic(ordered: list[str], n: int, rng: random.Random) -> list[str]:
    if n == 0:
        return []
    start = rng.random()
    interval = len(ordered) / n
    return [ordered[math.floor((start + i) * interval)] for i in range(n)]


def redraw(sample: Sample, population: Sequence[str]) -> Sample:
    """Draw the recorded sample again; refuse if the population is not the one sampled."""
    fingerprint = population_fingerprint(population)
    if fingerprint != sample.population_sha256:
        raise InputError(
            "Populationen är inte densamma som när stickprovet drogs "
            f"(fingeravtryck {fingerprint[:12]}… i stället för {sample.population_sha256[:12]}…, "
            f"{len(population)} poster i stället för {sample.population_size})"
        )
    again = draw_sample(population, sample.n, sample.seed, sample.method)
    if again.items != sample.items:
        raise InputError("Stickprovet gick inte att återskapa med samma frö och population")
    return again


def attribute_sample_size(
    confidence: float,
    tolerable_rate: float,
    expected_rate: float = 0.0,
    population: int | None = None,
) -> int:
    """Sample size for a test of controls (attribute sampling).

    The smallest n for which finding at most k deviations would let us say, with the given
    confidence, that the population's deviation rate is below the tolerable rate:

        P(X <= k | n, tolerable_rate) <= 1 - confidence,   k = ceil(n * expected_rate)

    With no expected deviations (k = 0) this is (1 - t)^n <= 1 - c, so
    n = ceil(ln(1 - c) / ln(1 - t)): 59 for 95 % / 5 %, 22 for 90 % / 10 %. With expected
    deviations X is binomial, which reproduces the AICPA audit-sampling tables (95 % / 5 % /
    1 % expected gives 93 with one deviation allowed). With `population` given the exact
    hypergeometric distribution replaces the binomial, assuming ceil(t * N) deviations in the
    population; this is the finite-population correction and never gives a larger n.
    """
    _check_rates(confidence, tolerable_rate, expected_rate)
    if population is not None and population < 1:
        raise InputError(f"Populationen måste ha minst en post, inte {population}")
    risk = 1.0 - confidence
    limit = population if population is not None else 10_000
    for n in range(1, limit + 1):
        k = math.ceil(n * expected_rate - 1e-9)
        if _tail(n, k, tolerable_rate, population) <= risk + 1e-12:
            return n
    if population is not None:
        return population
    raise InputError("Stickprovet blir orimligt stort; höj den tolerabla avvikelsen")


def _check_rates(confidence: float, tolerable: float, expected: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise InputError(f"Konfidensnivån ska ligga mellan 0 och 1, inte {confidence}")
    if not 0.0 < tolerable < 1.0:
        raise InputError(f"Tolerabel avvikelse ska ligga mellan 0 och 1, inte {tolerable}")
    if not 0.0 <= expected < tolerable:
        raise InputError(
            f"Förväntad avvikelse ({expected}) ska vara minst 0 och lägre än "
            f"den tolerabla ({tolerable})"
        )


def _tail(n: int, k: int, rate: float, population: int | None) -> float:
    """P(X <= k) for n draws when the deviation rate is `rate`."""
    if population is None:
        # Log space: the binomial coefficients overflow a float long before n gets silly.
        log_p, log_q = math.log(rate), math.log1p(-rate)
        return sum(math.exp(_log_comb(n, i) + i * log_p + (n - i) * log_q) for i in range(k + 1))
    deviations = math.ceil(rate * population - 1e-9)
    total = math.comb(population, n)
    favourable = sum(  # exact integers: no rounding in the finite-population case
        math.comb(deviations, i) * math.comb(population - deviations, n - i)
        for i in range(min(k, deviations, n) + 1)
    )
    return favourable / total


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
