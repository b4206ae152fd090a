import datetime as dt
import random
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.controls.late_payments.control import late_payments
from ik.engine.ledger import read_ledger

Invoice = tuple[str, dt.date, dt.date | None, int]  # unit, due, paid, amount in öre
HEADER = "FAKTURANR;ANSVAR;FORFALLODATUM;BETALDATUM;BELOPP_SEK"
START = dt.date(2018, 1, 1)

invoices = st.lists(
    st.tuples(
        st.sampled_from(["KS", "BUN", "SOC"]),
        st.integers(0, 364).map(lambda d: START + dt.timedelta(days=d)),
        st.one_of(st.none(), st.integers(-30, 60)),
        st.integers(-50_000, 5_000_000),
    ).map(lambda t: (t[0], t[1], None if t[2] is None else t[1] + dt.timedelta(days=t[2]), t[3])),
    min_size=1,
    max_size=40,
)


def late_share(rows: Sequence[Invoice]) -> float | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        lines = [HEADER]
        for number, (unit, due, paid, ore) in enumerate(rows, start=1):
            paid_text = "" if paid is None else paid.strftime("%Y%m%d")
            amount = f"{ore / 100:.2f}".replace(".", ",")
            lines.append(f"{number};{unit};{due.isoformat()};{paid_text};{amount}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ledger = read_ledger(path)
        try:
            return late_payments(ledger).value
        finally:
            ledger.close()


@settings(max_examples=25, deadline=None)
@given(invoices)
def test_late_share_lies_between_zero_and_one(rows: list[Invoice]) -> None:
    share = late_share(rows)
    has_paid = any(paid is not None and ore >= 0 for _, _, paid, ore in rows)
    assert (share is not None) == has_paid
    assert share is None or 0.0 <= share <= 1.0


@settings(max_examples=20, deadline=None)
@given(invoices, st.randoms(use_true_random=False))
def test_late_share_is_unchanged_by_row_order(rows: list[Invoice], rnd: random.Random) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert late_share(shuffled) == late_share(rows)


@settings(max_examples=20, deadline=None)
@given(
    invoices,
    st.lists(
        st.tuples(st.sampled_from(["KS", "X"]), st.integers(0, 364), st.integers(0, 10_000)),
        min_size=1,
        max_size=10,
    ),
)
def test_late_share_is_unchanged_by_adding_unpaid_invoices(
    rows: list[Invoice], unpaid: list[tuple[str, int, int]]
) -> None:
    extra: list[Invoice] = [(u, START + dt.timedelta(days=d), None, ore) for u, d, ore in unpaid]
    assert late_share(rows + extra) == late_share(rows)


def test_late_share_agrees_with_a_plain_sql_count_in_sqlite() -> None:
    rnd = random.Random(20180831)
    rows: list[Invoice] = []
    for _ in range(3000):
        due = START + dt.timedelta(days=rnd.randrange(365))
        paid = None if rnd.random() < 0.1 else due + dt.timedelta(days=rnd.randint(-20, 25))
        ore = rnd.randint(-100_000, 10_000_000)
        rows.append((rnd.choice(["KS", "BUN", "SOC", "TN"]), due, paid, ore))
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE inv (due TEXT, paid TEXT, ore INTEGER)")
    db.executemany(
        "INSERT INTO inv VALUES (?, ?, ?)",
        [(d.isoformat(), None if p is None else p.isoformat(), o) for _, d, p, o in rows],
    )
    late, paid = db.execute(
        "SELECT sum(paid > due), count(*) FROM inv WHERE paid IS NOT NULL AND ore >= 0"
    ).fetchone()
    assert late_share(rows) == late / paid
