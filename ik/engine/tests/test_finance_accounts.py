from pathlib import Path

import pytest

from ik.engine.controls.account_review.control import account_review, parse_prefixes
from ik.engine.controls.missing_orgnr.control import missing_orgnr
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger, read_ledger
from ik.engine.result import Verdict

LEDGER = """kopare;faktura_nr;leverantor;leverantor_id;forvaltning;konto_nr;belopp;datum
Kommun;1;Alfa AB;556012-5790;KS;71000 Representation, extern;1 000,00;2018-01-05
Kommun;2;Beta AB;;KS;4010;200,00;2018-01-06
Kommun;3;Beta AB;;BUN;7110;300,00;2018-01-07
Kommun;4;Gamma HB;556012-5791;BUN;7210 Löner;400,00;2018-01-08
Kommun;5;Enskild firma;19121212-1212;BUN;7120;50,00;2018-01-09
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    path = tmp_path / "reskontra.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return read_ledger(path)


def test_missing_and_invalid_numbers_are_found_per_supplier(ledger: Ledger) -> None:
    result = missing_orgnr(ledger)
    found = [(f.kind, f.data["supplier"], f.data["postings"]) for f in result.findings]
    assert found == [("missing_orgnr", "Beta AB", 2), ("invalid_orgnr", "Gamma HB", 1)]
    assert result.findings[0].data["rows"] == [3, 4]


def test_missing_orgnr_share_and_units(ledger: Ledger) -> None:
    result = missing_orgnr(ledger)
    assert result.value == pytest.approx(3 / 5)
    assert result.verdict is Verdict.RED
    assert {u.unit: (u.n, u.count) for u in result.by_unit} == {"BUN": (3, 2), "KS": (2, 1)}
    assert result.details["amount"] == pytest.approx(900.0)
    assert result.count_name == "missing"


def test_account_review_matches_code_at_the_start_of_the_cell(ledger: Ledger) -> None:
    result = account_review(ledger)
    assert [f.row for f in result.findings] == [2, 4, 6]
    assert result.value == 3
    assert result.details["amount"] == pytest.approx(1350.0)
    assert result.details["population_rows"] == [2, 4, 6]
    assert {u.unit: (u.n, u.count) for u in result.by_unit} == {"BUN": (3, 2), "KS": (2, 1)}
    assert all(f.kind == "account_posting" for f in result.findings)


def test_account_review_takes_several_prefixes(ledger: Ledger) -> None:
    result = account_review(ledger, prefixes=["7110,72"])
    assert [f.row for f in result.findings] == [4, 5]
    assert result.parameters["prefixes"] == ["7110", "72"]


def test_account_prefix_must_be_digits() -> None:
    assert parse_prefixes(["71", "72, 73"]) == ("71", "72", "73")
    with pytest.raises(InputError, match="Kontoprefixet"):
        parse_prefixes(["7x"])


def test_account_review_needs_an_account_column(tmp_path: Path) -> None:
    path = tmp_path / "no_account.csv"
    path.write_text("fakturanr;belopp\n1;10\n", "utf-8")
    with pytest.raises(InputError, match=r"konto \(account\)"):
        account_review(read_ledger(path))
