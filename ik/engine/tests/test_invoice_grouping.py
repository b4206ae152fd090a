"""Property tests: posting lines are gathered into invoices before duplicates are sought."""

import random
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.controls.duplicate_payments.control import duplicate_payments
from ik.engine.ledger import read_ledger

Line = tuple[str, str, int]  # unit, account, amount in öre
HEADER = "LEVERANTOR;FAKT NR;ANSVAR;KONTO;UTFALL"

# An invoice: 1–4 lines, each on its own unit and account, as a posting-level export splits it.
invoice_lines = st.lists(
    st.tuples(
        st.sampled_from(["KS", "BUN", "SOC", "TEK"]),
        st.sampled_from(["4010", "6110", "7110", "5410"]),
        st.integers(1, 5_000_000),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda line: (line[0], line[1]),
)
ledgers = st.tuples(st.lists(invoice_lines, min_size=1, max_size=25), st.randoms())


def _write(rows: Sequence[tuple[int, Line]], folder: str) -> Path:
    path = Path(folder) / "konteringar.csv"
    lines = [HEADER]
    for number, (unit, account, ore) in rows:
        amount = f"{ore / 100:.2f}".replace(".", ",")
        lines.append(f"Leverantör {number};F-{number:05d};{unit};{account};{amount}")
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    return path


def _postings(invoices: Sequence[Sequence[Line]], shuffle: random.Random) -> list[tuple[int, Line]]:
    rows = [(number, line) for number, lines in enumerate(invoices) for line in lines]
    shuffle.shuffle(rows)
    return rows


@settings(max_examples=25, deadline=None)
@given(ledgers)
def test_split_invoices_in_any_order_are_counted_once_and_never_duplicates(case) -> None:
    invoices, shuffle = case
    with tempfile.TemporaryDirectory() as folder:
        ledger = read_ledger(_write(_postings(invoices, shuffle), folder))
        try:
            result = duplicate_payments(ledger)
        finally:
            ledger.close()
    assert result.details["invoices"] == len(invoices)
    assert [f for f in result.findings if f.data["rule"] == "same_invoice_no"] == []


@settings(max_examples=25, deadline=None)
@given(ledgers, st.data())
def test_an_invoice_registered_twice_is_found_with_its_whole_amount_as_excess(case, data) -> None:
    invoices, shuffle = case
    twice = data.draw(st.integers(0, len(invoices) - 1))
    rows = _postings(invoices, shuffle) + [(twice, line) for line in invoices[twice]]
    with tempfile.TemporaryDirectory() as folder:
        ledger = read_ledger(_write(rows, folder))
        try:
            result = duplicate_payments(ledger)
        finally:
            ledger.close()
    same_number = [f for f in result.findings if f.data["rule"] == "same_invoice_no"]
    assert len(same_number) == 1
    assert same_number[0].data["invoice_numbers"] == [f"F-{twice:05d}"]
    assert len(same_number[0].data["rows"]) == 2 * len(invoices[twice])
    total = sum(Decimal(ore) / 100 for _, _, ore in invoices[twice])
    assert Decimal(str(same_number[0].data["excess_amount"])) == total
