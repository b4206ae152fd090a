"""Reproducible samples and attribute-sampling sizes."""

import hashlib
import json
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.errors import InputError
from ik.engine.sampling import (
    attribute_sample_size,
    draw_sample,
    population_fingerprint,
    redraw,
)

POPULATION = [f"System {i:02d}" for i in range(30)]


def test_sample_records_what_an_auditor_needs_to_redraw_it():
    sample = draw_sample(POPULATION, 4, seed=2018)
    assert sample.population_size == 30
    assert sample.n == 4 and len(sample.items) == 4
    assert sample.seed == 2018 and sample.method == "simple_random"
    assert set(sample.items) <= set(POPULATION)
    assert len(set(sample.items)) == 4


def test_fingerprint_is_sha256_of_the_sorted_keys_as_compact_json():
    keys = ["Öst", "Ärende", "b", "A"]
    expected = hashlib.sha256(
        json.dumps(sorted(keys), ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert population_fingerprint(keys) == expected
    assert population_fingerprint(list(reversed(keys))) == expected


def test_simple_random_draw_follows_the_documented_algorithm():
    # Anyone can reproduce the draw with the standard library and the sorted population.
    shuffled = random.Random(1).sample(POPULATION, len(POPULATION))
    sample = draw_sample(shuffled, 5, seed=42)
    assert list(sample.items) == random.Random(42).sample(sorted(POPULATION), 5)


def test_draw_is_pinned_so_a_change_of_algorithm_is_noticed():
    # Recorded once; a sample drawn in an earlier year must still redraw the same way.
    assert draw_sample(["a", "b", "c", "d", "e", "f"], 3, seed=7).items == ("c", "b", "d")


def test_systematic_draw_takes_one_item_per_interval():
    sample = draw_sample(POPULATION, 5, seed=3, method="systematic")
    positions = [sorted(POPULATION).index(item) for item in sample.items]
    assert [p // 6 for p in positions] == [0, 1, 2, 3, 4]
    assert len({p % 6 for p in positions}) == 1


def test_missing_seed_is_generated_and_recorded():
    sample = draw_sample(POPULATION, 3)
    assert isinstance(sample.seed, int) and sample.seed >= 0
    assert redraw(sample, POPULATION).items == sample.items


def test_redraw_refuses_a_changed_population():
    sample = draw_sample(POPULATION, 3, seed=1)
    with pytest.raises(InputError, match="inte densamma"):
        redraw(sample, POPULATION + ["System 99"])


@pytest.mark.parametrize(
    ("population", "n", "method", "message"),
    [
        (["a", "b"], 3, "simple_random", "kan inte vara 3"),
        (["a", "b"], -1, "simple_random", "kan inte vara -1"),
        (["a", "a"], 1, "simple_random", "två gånger"),
        (["a", "b"], 1, "klumpvis", "Okänd urvalsmetod"),
    ],
)
def test_impossible_samples_are_refused(population, n, method, message):
    with pytest.raises(InputError, match=message):
        draw_sample(population, n, seed=1, method=method)


@settings(max_examples=50, deadline=None)
@given(
    population=st.lists(st.text(min_size=1, max_size=8), unique=True, min_size=1, max_size=40),
    data=st.data(),
    seed=st.integers(0, 2**40),
    method=st.sampled_from(["simple_random", "systematic"]),
)
def test_redraw_gives_the_same_items_whatever_order_the_population_comes_in(
    population, data, seed, method
):
    n = data.draw(st.integers(0, len(population)))
    sample = draw_sample(population, n, seed, method)
    assert len(set(sample.items)) == n
    again = redraw(sample, data.draw(st.permutations(population)))
    assert again == sample


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected", "n"),
    [
        # AICPA attribute-sampling tables (large populations).
        (0.95, 0.05, 0.0, 59),
        (0.95, 0.10, 0.0, 29),
        (0.95, 0.03, 0.0, 99),
        (0.90, 0.10, 0.0, 22),
        (0.90, 0.05, 0.0, 45),
        (0.95, 0.05, 0.01, 93),
        (0.95, 0.05, 0.02, 181),
        (0.95, 0.03, 0.005, 157),
        (0.95, 0.06, 0.015, 103),
        (0.90, 0.05, 0.01, 77),
    ],
)
def test_attribute_sample_size_matches_published_tables(confidence, tolerable, expected, n):
    assert attribute_sample_size(confidence, tolerable, expected) == n


def test_zero_expected_deviations_follow_the_closed_formula():
    for confidence in (0.8, 0.9, 0.95, 0.99):
        for tolerable in (0.02, 0.05, 0.1, 0.2):
            formula = math.ceil(math.log(1 - confidence) / math.log(1 - tolerable))
            assert attribute_sample_size(confidence, tolerable) == formula


def test_small_population_needs_fewer_items_and_never_more_than_it_has():
    assert attribute_sample_size(0.95, 0.05, population=100) < 59
    assert attribute_sample_size(0.95, 0.05, population=1_000_000) == 59
    assert attribute_sample_size(0.95, 0.5, population=2) <= 2


@settings(max_examples=40, deadline=None)
@given(
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    tolerable=st.sampled_from([0.02, 0.05, 0.1]),
    population=st.integers(20, 5000),
)
def test_finite_population_size_is_the_smallest_that_gives_the_confidence(
    confidence, tolerable, population
):
    n = attribute_sample_size(confidence, tolerable, population=population)
    assert n <= attribute_sample_size(confidence, tolerable)
    deviations = math.ceil(tolerable * population)

    def miss(k):  # chance that k draws contain no deviation
        return math.comb(population - deviations, k) / math.comb(population, k)

    assert miss(n) <= 1 - confidence + 1e-12  # same float tolerance as the engine
    assert n == 1 or miss(n - 1) > 1 - confidence


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected"),
    [(1.0, 0.05, 0.0), (0.95, 0.0, 0.0), (0.95, 0.05, 0.05), (0.95, 0.05, -0.01)],
)
def test_impossible_rates_are_refused(confidence, tolerable, expected):
    with pytest.raises(InputError):
        attribute_sample_size(confidence, tolerable, expected)
