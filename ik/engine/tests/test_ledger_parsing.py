"""Property tests: every supported way of writing an amount or a date reads back the same."""

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.ledger import read_ledger

EXCEL_EPOCH = dt.date(1899, 12, 30)
amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2173, 12, 31))


def swedish(value: Decimal, thousands: str) -> str:
    return f"{value:,.2f}".replace(",", thousands).replace(".", ",")


AMOUNT_STYLES = {
    "space": lambda v: swedish(v, " "),
    "nbsp": lambda v: swedish(v, "\u00a0"),
    "narrow_nbsp": lambda v: swedish(v, "\u202f"),
    "plain_comma": lambda v: f"{v:.2f}".replace(".", ","),
    "point": lambda v: f"{v:.2f}",
    "english": lambda v: f"{v:,.2f}",
}
DATE_STYLES = {
    "iso": lambda d: d.isoformat(),
    "compact": lambda d: d.strftime("%Y%m%d"),
    "slash": lambda d: d.strftime("%d/%m/%Y"),
    "dotted": lambda d: d.strftime("%d.%m.%Y"),
    "serial": lambda d: str((d - EXCEL_EPOCH).days),
}


def read_column(header: str, cells: list[str], column: str) -> list[object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.csv"
        body = "".join(f'{i};"{cell}"\n' for i, cell in enumerate(cells, start=1))
        path.write_text(f"fakturanr;{header}\n{body}", encoding="utf-8")
        ledger = read_ledger(path)
        try:
            found = ledger.con.execute(f"SELECT {column} FROM {ledger.table} ORDER BY row")  # noqa: S608
            return [value for (value,) in found.fetchall()]
        finally:
            ledger.close()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(amounts, st.sampled_from(sorted(AMOUNT_STYLES))), min_size=1, max_size=30)
)
def test_every_amount_style_reads_back_the_same_amount(values: list[tuple[Decimal, str]]) -> None:
    cells = [AMOUNT_STYLES[style](value) for value, style in values]
    assert read_column("belopp", cells, "amount") == [value for value, _ in values]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(dates, st.sampled_from(sorted(DATE_STYLES))), min_size=1, max_size=30))
def test_every_date_style_reads_back_the_same_day(values: list[tuple[dt.date, str]]) -> None:
    # Serial numbers are read when they have five digits, as Excel writes dates since 1927.
    usable = [
        (d, s) for d, s in values if s != "serial" or 10_000 <= (d - EXCEL_EPOCH).days < 100_000
    ]
    cells = [DATE_STYLES[style](day) for day, style in usable] or ["2018-08-31"]
    expected = [day for day, _ in usable] or [dt.date(2018, 8, 31)]
    assert read_column("forfallodatum", cells, "due_date") == expected
