"""The scoring and matrix maths, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ik.risks.matrix import (
    Tone,
    band_errors,
    build_matrix,
    default_scale,
    score,
    tone,
)

sizes = st.sampled_from([4, 5])
ORDER = {Tone.GREEN: 0, Tone.YELLOW: 1, Tone.RED: 2}


def test_the_default_four_by_four_bands_are_the_documented_ones():
    scale = default_scale()
    assert [tone(scale, s) for s in (1, 4, 5, 8, 9, 16)] == [
        Tone.GREEN,
        Tone.GREEN,
        Tone.YELLOW,
        Tone.YELLOW,
        Tone.RED,
        Tone.RED,
    ]
    assert scale.likelihood_labels == ("Osannolik", "Mindre sannolik", "Möjlig", "Sannolik")
    assert scale.impact_labels == ("Försumbar", "Lindrig", "Kännbar", "Allvarlig")


def test_the_five_by_five_defaults_turn_red_from_ten():
    scale = default_scale(5)
    assert (tone(scale, 9), tone(scale, 10), tone(scale, 25)) == (Tone.YELLOW, Tone.RED, Tone.RED)
    assert len(scale.likelihood_labels) == len(scale.impact_labels) == 5


def test_an_unknown_size_or_level_is_refused():
    with pytest.raises(ValueError):
        default_scale(3)
    with pytest.raises(ValueError):
        score(5, 1, size=4)
    with pytest.raises(ValueError):
        score(0, 2)


@given(size=sizes, data=st.data())
def test_score_is_likelihood_times_impact_and_within_the_scale(size, data):
    likelihood = data.draw(st.integers(1, size))
    impact = data.draw(st.integers(1, size))
    value = score(likelihood, impact, size)
    assert value == likelihood * impact
    assert 1 <= value <= size * size


@given(size=sizes, a=st.integers(1, 25), b=st.integers(1, 25))
def test_a_higher_score_never_gets_a_milder_colour(size, a, b):
    scale = default_scale(size)
    low, high = sorted((min(a, scale.max_score), min(b, scale.max_score)))
    assert ORDER[tone(scale, low)] <= ORDER[tone(scale, high)]


@given(
    size=sizes,
    risks=st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=40),
)
def test_the_matrix_counts_every_risk_once(size, risks):
    grid = build_matrix(default_scale(size), risks)
    assert grid.total == len(risks)
    assert sum(grid.count_by_tone().values()) == len(risks)
    assert len(grid.rows) == size and all(len(row) == size for row in grid.rows)


def test_the_matrix_puts_the_most_likely_row_first_and_counts_per_cell():
    grid = build_matrix(default_scale(), [(4, 3), (4, 3), (1, 1)])
    top, bottom = grid.rows[0], grid.rows[-1]
    assert [c.likelihood for c in top] == [4, 4, 4, 4]
    assert [c.impact for c in top] == [1, 2, 3, 4]
    assert top[2].count == 2 and top[2].score == 12 and top[2].tone is Tone.RED
    assert bottom[0].count == 1 and bottom[0].tone is Tone.GREEN
    assert grid.count_by_tone() == {Tone.GREEN: 1, Tone.YELLOW: 0, Tone.RED: 2}


@given(size=sizes, data=st.data())
def test_usable_bands_leave_every_colour_at_least_one_score(size, data):
    yellow = data.draw(st.integers(2, size * size - 1))
    red = data.draw(st.integers(yellow + 1, size * size))
    assert band_errors(size, yellow, red) == []
    scale = default_scale(size)
    scale = type(scale)(size, scale.likelihood_labels, scale.impact_labels, yellow, red)
    tones = {tone(scale, s) for s in range(1, size * size + 1)}
    assert tones == set(Tone)


@given(size=sizes, yellow=st.integers(-5, 30), red=st.integers(-5, 30))
def test_bands_without_room_for_every_colour_are_refused(size, yellow, red):
    usable = 2 <= yellow < red <= size * size
    assert (band_errors(size, yellow, red) == []) == usable


def test_band_errors_are_worded_for_the_user():
    assert band_errors(4, 5, 9) == []
    assert band_errors(4, 9, 5) == ["Rött måste börja på ett högre riskvärde än gult."]
    assert band_errors(4, 5, 17) == ["Rött måste börja på högst 16, det högsta riskvärdet."]
    assert len(band_errors(4, 1, 9)) == 1
