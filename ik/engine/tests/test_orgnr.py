import pytest
from hypothesis import given
from hypothesis import strategies as st

from ik.engine.orgnr import is_valid_identity_number, luhn_ok, normalise_identity_number

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
    lambda s: s != "000000000"
)


@pytest.mark.parametrize(
    "text",
    ["556012-5790", "5560125790", "16556012-5790", "121212-1212", "19121212+1212", " 556012 5790 "],
)
def test_well_formed_numbers_with_correct_check_digit_are_valid(text: str) -> None:
    assert is_valid_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "556012-5791",
        "",
        "556012579",
        "55601257900",
        "0000000000",
        "ABCDEFGHIJ",
        "99556012-5790",
        "556012-579O",
    ],
)
def test_malformed_numbers_or_wrong_check_digit_are_invalid(text: str) -> None:
    assert not is_valid_identity_number(text)


@given(nine_digits)
def test_exactly_one_check_digit_completes_nine_digits(body: str) -> None:
    valid = [d for d in "0123456789" if is_valid_identity_number(body + d)]
    assert len(valid) == 1


@given(nine_digits, st.sampled_from(["", "-", " "]), st.sampled_from(["", "16", "19", "20"]))
def test_separators_and_century_do_not_change_validity(body: str, sep: str, century: str) -> None:
    for check in "0123456789":
        plain = body + check
        written = century + plain[:6] + sep + plain[6:]
        assert is_valid_identity_number(written) == is_valid_identity_number(plain)


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_of_a_valid_number_makes_it_invalid(
    body: str, position: int, delta: int
) -> None:
    check = next(d for d in "0123456789" if luhn_ok(body + d))
    number = body + check
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert not luhn_ok(changed)


def test_normalise_returns_ten_digits() -> None:
    assert normalise_identity_number("16556012-5790") == "5560125790"
    assert normalise_identity_number("12-34") is None
