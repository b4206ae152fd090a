from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ik.engine.assessment import assess
from ik.engine.result import Direction, Verdict


def test_reference_document_eight_percent_against_at_most_five_is_red():
    assert assess(Decimal("8"), Decimal("5"), Direction.AT_MOST) is Verdict.RED


def test_value_equal_to_target_meets_it_in_both_directions():
    assert assess(5, 5, Direction.AT_MOST) is Verdict.GREEN
    assert assess(5, 5, Direction.AT_LEAST) is Verdict.GREEN


def test_warning_limit_gives_a_yellow_band_at_most():
    assert assess(6, 5, Direction.AT_MOST, warning_limit=7) is Verdict.YELLOW
    assert assess(7.5, 5, Direction.AT_MOST, warning_limit=7) is Verdict.RED


def test_warning_limit_gives_a_yellow_band_at_least():
    assert assess(90, 95, Direction.AT_LEAST, warning_limit=85) is Verdict.YELLOW
    assert assess(80, 95, Direction.AT_LEAST, warning_limit=85) is Verdict.RED
    assert assess(96, 95, Direction.AT_LEAST, warning_limit=85) is Verdict.GREEN


@given(st.decimals(-1000, 1000, places=2), st.decimals(-1000, 1000, places=2))
def test_directions_mirror_each_other(value, target):
    at_most = assess(value, target, Direction.AT_MOST)
    at_least = assess(-value, -target, Direction.AT_LEAST)
    assert at_most is at_least
