import datetime as dt
from pathlib import Path

import pytest

from ik.engine.controls.late_payments.control import Period, late_payments
from ik.engine.controls.ledger_common import parse_period
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger, read_ledger
from ik.engine.result import Verdict

LEDGER = """FAKTURANR;LEVERANTOR;ANSVAR;FORFALLODATUM;BETALDATUM;BELOPP_SEK
1;Alfa AB;100;2018-01-31;2018-01-30;1000
2;Alfa AB;100;2018-01-31;2018-02-10;2000
3;Beta AB;200;2018-02-28;2018-02-28;500
4;Beta AB;200;2018-02-28;2018-03-05;1000
5;Gamma AB;200;2018-03-31;;700
6;Gamma AB;100;2018-03-31;2018-04-30;-300
7;Alfa AB;100;;2018-03-01;100
8;Gamma AB;300;2018-01-10;2018-01-09;400
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return read_ledger(path)


def test_late_share_counts_only_paid_invoices_with_due_dates(ledger: Ledger) -> None:
    result = late_payments(ledger)
    assert result.value == pytest.approx(2 / 5)
    assert (result.details["paid"], result.details["late"]) == (5, 2)


def test_credit_notes_unpaid_and_undated_invoices_are_reported_apart(ledger: Ledger) -> None:
    details = late_payments(ledger).details
    assert details["credit_notes"] == 1
    assert details["unpaid"] == 1
    assert details["paid_without_due_date"] == 1


def test_amount_weighted_share_and_days_late(ledger: Ledger) -> None:
    details = late_payments(ledger).details
    assert details["amount_share"] == pytest.approx(3000 / 4900)
    assert details["days_late_median"] == pytest.approx(7.5)
    assert details["days_late_p90"] == pytest.approx(9.5)


def test_interest_is_reference_rate_plus_eight_points_per_day_late(ledger: Ledger) -> None:
    # 2000 kr 10 days and 1000 kr 5 days late at (0 + 8) % a year.
    assert late_payments(ledger).details["interest_cost"] == pytest.approx(
        round((2000 * 10 + 1000 * 5) * 0.08 / 365, 2)
    )
    lower = late_payments(ledger, reference_rate=-0.5)
    assert lower.details["interest_cost"] == pytest.approx(
        round((2000 * 10 + 1000 * 5) * 0.075 / 365, 2)
    )
    assert lower.parameters["reference_rate"] == -0.5


def test_share_per_unit(ledger: Ledger) -> None:
    units = {u.unit: (u.n, u.count, u.value) for u in late_payments(ledger).by_unit}
    assert units == {"100": (2, 1, 0.5), "200": (2, 1, 0.5), "300": (1, 0, 0.0)}


def test_verdict_follows_the_target(ledger: Ledger) -> None:
    assert late_payments(ledger).verdict is Verdict.RED
    assert late_payments(ledger, target=0.4).verdict is Verdict.GREEN


def test_summary_is_one_swedish_sentence_with_share_count_and_target(ledger: Ledger) -> None:
    assert late_payments(ledger).summary == (
        "40,0\u00a0% av 5 betalda fakturor betalades efter förfallodagen (mål högst 5\u00a0%)."
    )


def test_period_filters_by_payment_date_inclusive(ledger: Ledger) -> None:
    result = late_payments(ledger, period=Period(dt.date(2018, 2, 1), dt.date(2018, 2, 28)))
    assert (result.details["paid"], result.details["late"]) == (2, 1)
    assert result.parameters["period"] == {"start": "2018-02-01", "end": "2018-02-28"}
    assert "under 2018-02-01–2018-02-28" in result.summary


def test_findings_list_late_invoices_worst_first_and_are_capped(ledger: Ledger) -> None:
    result = late_payments(ledger, max_findings=1)
    assert [f.row for f in result.findings] == [3]
    finding = result.findings[0]
    assert finding.kind == "late_payment"
    assert finding.data["days_late"] == 10
    assert finding.data["supplier"] == "Alfa AB"
    assert finding.data["invoice_no"] == "2"
    assert finding.data["amount"] == 2000.0
    assert finding.message == (
        "Faktura 2 från Alfa AB betalades 10 dagar efter förfallodagen (förföll 2018-01-31, "
        "betald 2018-02-10, belopp 2\u00a0000,00\u00a0kr)."
    )
    assert (finding.data["due_date"], finding.data["paid_date"]) == ("2018-01-31", "2018-02-10")
    assert (result.details["findings_total"], result.details["findings_shown"]) == (2, 1)


def test_finding_without_number_or_supplier_says_the_invoice_and_one_day(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text(
        "Förfallodatum;Betaldatum;Belopp\n2018-01-31;2018-02-01;-0,00\n"
        "2018-01-31;2018-02-01;1 234 567,5\n2018-01-31;2018-01-31;5\n",
        encoding="utf-8",
    )
    findings = late_payments(read_ledger(path)).findings
    assert [(f.row, f.message) for f in findings] == [
        (
            2,
            "Fakturan betalades 1 dag efter förfallodagen (förföll 2018-01-31, betald "
            "2018-02-01, belopp 0,00\u00a0kr).",
        ),
        (
            3,
            "Fakturan betalades 1 dag efter förfallodagen (förföll 2018-01-31, betald "
            "2018-02-01, belopp 1\u00a0234\u00a0567,50\u00a0kr).",
        ),
    ]
    assert [(f.data["supplier"], f.data["invoice_no"], f.data["amount"]) for f in findings] == [
        (None, None, 0.0),
        (None, None, 1234567.5),
    ]


def test_worst_suppliers_and_units(ledger: Ledger) -> None:
    details = late_payments(ledger).details
    assert [s["supplier"] for s in details["worst_suppliers"]] == ["Alfa AB", "Beta AB"]
    assert [u["unit"] for u in details["worst_units"]] == ["100", "200"]


def test_result_records_what_a_rerun_needs(ledger: Ledger) -> None:
    result = late_payments(ledger, target=0.1)
    assert result.input_sha256 == ledger.input_sha256
    assert result.rows == 8
    assert result.count_name == "late"
    assert result.parameters["target"] == 0.1
    assert result.parameters["mapping"]["paid_date"] == "BETALDATUM"
    assert result.to_json()["by_unit"][0]["late"] == 1


def test_no_paid_invoices_gives_no_value_and_a_yellow_light(ledger: Ledger) -> None:
    result = late_payments(ledger, period=Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31)))
    assert result.value is None
    assert result.verdict is Verdict.YELLOW
    assert "kan inte beräknas" in result.summary


def test_ledger_without_payment_dates_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "open.csv"
    path.write_text("faktura_nr;leverantor;belopp;datum\n1;A;10;2018-01-01\n", "utf-8")
    with pytest.raises(InputError, match="förfallodatum"):
        late_payments(read_ledger(path))


def test_period_text_is_parsed_and_checked() -> None:
    assert parse_period("2018-01-01:2018-08-31") == Period(
        dt.date(2018, 1, 1), dt.date(2018, 8, 31)
    )
    with pytest.raises(InputError, match="slutar"):
        parse_period("2018-08-31:2018-01-01")
    with pytest.raises(InputError, match="startdatum:slutdatum"):
        parse_period("2018")
