from pathlib import Path

import pytest

from ik.engine.controls.duplicate_payments.control import duplicate_payments
from ik.engine.ledger import Ledger, read_ledger
from ik.engine.result import Verdict

LEDGER = """FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;BELOPP_SEK;KONTO
100;Alfa AB;1;2018-01-05;1000;4010
100;alfa ab ;1;2018-01-05;1000;4010
200;Beta AB;2;2018-02-01;500;4010
200;Beta AB;2;2018-02-01;500;4010
200;Beta AB;2;2018-02-15;-500;4010
300;Gamma AB;1;2018-03-01;750;4010
301;Gamma AB;2;2018-03-01;750;4010
400;Delta AB;1;2018-03-01;300;4010
400;Delta AB;1;2018-03-01;200;6110
500;Eps AB;1;2018-04-01;900;4010
501;Eps AB;1;2018-04-01;900;4010
CR1;Eps AB;1;2018-04-20;-900;4010
F-0600;Zeta;1;2018-05-01;100;4010
f600;Zeta;1;2018-05-02;120;4010
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return read_ledger(path)


def groups(ledger: Ledger) -> list[tuple[str, list[int]]]:
    result = duplicate_payments(ledger)
    return [(f.data["rule"], f.data["rows"]) for f in result.findings]


def test_same_supplier_and_invoice_number_is_a_duplicate(ledger: Ledger) -> None:
    assert ("same_invoice_no", [2, 3]) in groups(ledger)


def test_invoice_numbers_compare_without_punctuation_case_or_leading_zeros(
    ledger: Ledger,
) -> None:
    assert ("same_invoice_no", [14, 15]) in groups(ledger)


def test_same_supplier_amount_and_date_under_new_number_is_a_duplicate(ledger: Ledger) -> None:
    assert ("same_amount_and_date", [7, 8]) in groups(ledger)


def test_credit_note_reversing_an_invoice_is_not_a_duplicate(ledger: Ledger) -> None:
    flagged = {row for _, rows in groups(ledger) for row in rows}
    assert flagged.isdisjoint({4, 5, 6, 11, 12, 13})


def test_invoice_split_over_two_accounts_is_not_a_duplicate(ledger: Ledger) -> None:
    flagged = {row for _, rows in groups(ledger) for row in rows}
    assert flagged.isdisjoint({9, 10})


def test_value_counts_groups_and_excess_amount_is_reported(ledger: Ledger) -> None:
    result = duplicate_payments(ledger)
    assert result.value == 3
    assert result.verdict is Verdict.RED
    assert result.details["excess_amount"] == pytest.approx(1000 + 100 + 750)
    assert result.count_name == "duplicates"
    assert all(f.kind == "duplicate" for f in result.findings)
    assert result.summary.startswith("3 grupper med möjliga dubbelbetalningar")


def test_breakdown_per_unit_counts_postings_in_groups(ledger: Ledger) -> None:
    units = {u.unit: (u.n, u.count) for u in duplicate_payments(ledger).by_unit}
    assert units == {"1": (10, 5), "2": (4, 1)}


def test_clean_ledger_is_green(tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    path.write_text("fakturanr;leverantor;belopp\n1;A;10\n2;A;10\n3;B;10\n", "utf-8")
    result = duplicate_payments(read_ledger(path))
    assert (result.value, result.verdict, result.findings) == (0, Verdict.GREEN, ())


POSTINGS = """LEVERANTOR;FAKT NR;ANSVAR;KONTO;UTFALL
Alfa AB;100;1;4010;600,00
Alfa AB;100;2;4010;400,00
Alfa AB;100;1;6110;50,00
Beta AB;7;1;4010;900,00
Beta AB;8;1;4010;900,00
Gamma AB;55;1;4010;300,00
Gamma AB;55;2;6110;200,00
Gamma AB;56;1;4010;300,00
Gamma AB;56;2;6110;200,00
Delta AB;9;1;4010;250,00
Delta AB;9;1;4010;250,00
"""


def test_lines_of_one_split_invoice_are_one_invoice_not_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "konteringar.csv"
    path.write_text(POSTINGS, encoding="utf-8")
    result = duplicate_payments(read_ledger(path))
    flagged = {row for f in result.findings for row in f.data["rows"]}
    assert flagged.isdisjoint({2, 3, 4})
    assert result.details["invoices"] == 6


def test_invoice_registered_again_under_a_new_number_is_found_without_dates(
    tmp_path: Path,
) -> None:
    path = tmp_path / "konteringar.csv"
    path.write_text(POSTINGS, encoding="utf-8")
    result = duplicate_payments(read_ledger(path))
    found = {(f.data["rule"], tuple(f.data["rows"])) for f in result.findings}
    assert ("same_amount_and_lines", (7, 8, 9, 10)) in found
    assert ("same_amount_and_lines", (5, 6)) in found
    assert ("same_invoice_no", (11, 12)) in found
    gamma = next(f for f in result.findings if f.data["rows"] == [7, 8, 9, 10])
    assert gamma.data["excess_amount"] == 500


def test_result_says_which_rules_ran_and_why_the_others_did_not(tmp_path: Path) -> None:
    path = tmp_path / "konteringar.csv"
    path.write_text(POSTINGS, encoding="utf-8")
    rules = {r["rule"]: r for r in duplicate_payments(read_ledger(path)).details["rules"]}
    assert rules["same_invoice_no"]["ran"] and rules["same_amount_and_lines"]["ran"]
    assert not rules["same_amount_and_date"]["ran"]
    assert rules["same_amount_and_date"]["why"] == "filen saknar fakturadatum"
    summary = duplicate_payments(read_ledger(path)).summary
    assert "kördes inte: filen saknar fakturadatum" in summary


def test_every_finding_is_kept_in_the_result(tmp_path: Path) -> None:
    lines = ["fakturanr;leverantor;belopp"]
    for n in range(1200):
        lines += [f"{n};Lev {n};100", f"{n};Lev {n};100"]
    path = tmp_path / "manga.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = duplicate_payments(read_ledger(path))
    assert len(result.findings) == result.details["findings_total"] == 1200
    assert len(result.to_json()["findings"]) == 1200
