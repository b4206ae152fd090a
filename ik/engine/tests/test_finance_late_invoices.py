"""Late payments counts invoices, not the posting lines a finance system exports them as."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.controls.late_payments.control import late_payments
from ik.engine.controls.late_payments.spec import SPEC
from ik.engine.ledger import read_ledger

# As a posting-level export saves it: a title row, invoice 1001 split over two units and
# three accounts, 1002 with one line still unpaid, two lines without a number, a totals row.
POSTINGS = """Leverantörsreskontra 2018, utbetalda fakturor
Fakturanr;Leverantör;Ansvar;Förfallodatum;Betaldatum;Belopp
1001;Ängsbygg AB;110;2018-03-31;2018-04-20;1 000,00
1001;Ängsbygg AB;120;2018-03-31;2018-04-20;2 500,00
1001;Ängsbygg AB;110;2018-03-31;2018-04-20;500,00
1002;Östra El AB;120;2018-03-31;2018-03-30;300,00
1002;Östra El AB;120;2018-03-31;;200,00
1003;Östra El AB;120;2018-05-31;2018-05-30;750,00
;Kiosken HB;130;2018-02-28;2018-03-02;90,00
;Kiosken HB;130;2018-02-28;2018-02-27;60,00
Summa;;;;;5 400,00
"""


@pytest.fixture
def postings(tmp_path: Path) -> Path:
    path = tmp_path / "reskontra.csv"
    path.write_bytes(POSTINGS.encode("cp1252"))
    return path


def test_an_invoice_split_over_lines_counts_once_for_its_whole_amount(postings: Path) -> None:
    result = late_payments(read_ledger(postings))
    details = result.details
    # 1001 late, 1003 on time, the two Kiosken lines one late and one on time; 1002 unpaid.
    assert (details["paid"], details["late"], details["unpaid"]) == (4, 2, 1)
    assert details["invoices_in_period"] == 5
    assert details["rows_in_period"] == 8
    assert details["late_amount"] == pytest.approx(4090.0)
    late = {f.data["invoice_no"]: f for f in result.findings}
    assert late["1001"].data["amount"] == pytest.approx(4000.0)
    assert late["1001"].data["days_late"] == 20
    assert late["1001"].row == 3  # the invoice's first line, counting the title row


def test_a_split_invoice_is_counted_under_the_unit_of_its_first_line(postings: Path) -> None:
    units = {u.unit: (u.n, u.count) for u in late_payments(read_ledger(postings)).by_unit}
    assert units == {"110": (1, 1), "120": (1, 0), "130": (2, 1)}


def test_json_lists_every_late_invoice_and_a_run_in_ik_the_first_thousand(tmp_path: Path) -> None:
    lines = ["Fakturanr;Leverantör;Förfallodatum;Betaldatum;Belopp"]
    lines += [f"{n};Lev {n % 7};2018-01-31;2018-02-15;100" for n in range(1, 1201)]
    path = tmp_path / "sena.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    options = {"ledger": str(path), "target": 5.0}
    everything = SPEC.run({**options, "json": True})
    assert len(everything.findings) == everything.details["findings_total"] == 1200
    stored = SPEC.run(options)
    assert (len(stored.findings), stored.details["findings_total"]) == (1000, 1200)
    assert stored.details["findings_shown"] == 1000


INVOICE = st.tuples(
    st.integers(min_value=-5, max_value=40),  # days paid after due; None below = unpaid
    st.booleans(),  # paid at all
    st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=4),  # line amounts
)


@settings(max_examples=40)
@given(st.lists(INVOICE, min_size=1, max_size=12))
def test_splitting_invoices_into_lines_never_changes_the_answer(tmp_path_factory, invoices):
    due = dt.date(2018, 6, 30)
    whole = ["Fakturanr;Leverantör;Förfallodatum;Betaldatum;Belopp"]
    split = list(whole)
    for n, (days, paid, amounts) in enumerate(invoices, start=1):
        paid_on = (due + dt.timedelta(days=days)).isoformat() if paid else ""
        whole.append(f"{n};Lev AB;{due};{paid_on};{sum(amounts)}")
        split += [f"{n};Lev AB;{due};{paid_on};{amount}" for amount in amounts]
    folder = tmp_path_factory.mktemp("delad")
    (folder / "hel.csv").write_text("\n".join(whole) + "\n", encoding="utf-8")
    (folder / "delad.csv").write_text("\n".join(split) + "\n", encoding="utf-8")
    a = late_payments(read_ledger(folder / "hel.csv"))
    b = late_payments(read_ledger(folder / "delad.csv"))
    keys = ("paid", "late", "unpaid", "invoices_in_period", "late_amount", "paid_amount")
    assert a.value == b.value
    assert {k: a.details[k] for k in keys} == {k: b.details[k] for k in keys}
