"""Contract compliance and direct procurement: rules, boundary days and sums by supplier."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ik.engine.contracts import Contract
from ik.engine.controls.contract_compliance.control import contract_compliance
from ik.engine.controls.contracts_common import segments
from ik.engine.controls.direct_procurement.control import direct_procurement
from ik.engine.controls.direct_procurement.limits import LOU_LIMITS, limit_on
from ik.engine.controls.ledger_common import Period, invoice_key_sql
from ik.engine.errors import InputError
from ik.engine.ledger import read_ledger
from ik.engine.result import Verdict

HEADER = "FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FAKTURADATUM;BELOPP_SEK"
# Supplier name -> organisation number as the ledger writes it ("" = none).
SUPPLIERS = {
    "Alfa AB": "556012-5790",
    "Beta AB": "5564756467",
    "Gamma HB": "",
    "Delta ApS": "DK12345678",
}
Line = tuple[str, str, dt.date, int]  # supplier, unit, invoice date, amount in öre


def write_ledger(folder: str, lines: Sequence[Line]) -> Path:
    path = Path(folder) / "reskontra.csv"
    rows = [HEADER]
    for number, (supplier, unit, day, ore) in enumerate(lines, start=1):
        amount = f"{ore / 100:.2f}".replace(".", ",")
        rows.append(f"F{number};{supplier};{SUPPLIERS[supplier]};{unit};{day.isoformat()};{amount}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run_compliance(lines: Sequence[Line], contracts: Sequence[Contract], **kwargs):
    with tempfile.TemporaryDirectory() as tmp:
        ledger = read_ledger(write_ledger(tmp, lines))
        try:
            return contract_compliance(ledger, tuple(contracts), **kwargs)
        finally:
            ledger.close()


def run_direct(lines: Sequence[Line], contracts: Sequence[Contract] = (), **kwargs):
    with tempfile.TemporaryDirectory() as tmp:
        ledger = read_ledger(write_ledger(tmp, lines))
        try:
            return direct_procurement(ledger, tuple(contracts), **kwargs)
        finally:
            ledger.close()


D = dt.date


def test_a_contract_covers_invoices_on_its_first_and_last_day_and_not_after() -> None:
    contract = Contract("Alfa AB", "A-1", D(2018, 1, 1), D(2018, 6, 30), orgnr="5560125790")
    lines = [
        ("Alfa AB", "KS", D(2018, 1, 1), 100_00),
        ("Alfa AB", "KS", D(2018, 6, 30), 100_00),
        ("Alfa AB", "KS", D(2018, 7, 1), 200_00),
    ]
    result = run_compliance(lines, [contract])
    assert result.value == pytest.approx(0.5)
    assert result.details["covered_invoices"] == 2 and result.details["invoices"] == 3
    (finding,) = result.findings
    assert finding.kind == "expired_contract" and finding.data["contract_ended"] == "2018-06-30"
    assert finding.data["amount"] == 200.0


def test_suppliers_are_matched_by_number_however_written_and_else_by_name() -> None:
    contracts = [
        Contract("Alfa Aktiebolag", "A-1", D(2018, 1, 1), orgnr="5560125790"),
        Contract("gamma  hb", "G-1", D(2018, 1, 1)),
        Contract("Beta AB", "B-1", D(2018, 1, 1), orgnr="5560000000"),
    ]
    lines = [
        ("Alfa AB", "KS", D(2018, 3, 1), 100_00),
        ("Gamma HB", "KS", D(2018, 3, 1), 100_00),
        ("Beta AB", "KS", D(2018, 3, 1), 100_00),
    ]
    result = run_compliance(lines, contracts)
    # Beta's ledger number differs from the contract's: another company with the same name.
    assert result.value == pytest.approx(2 / 3)
    assert [f.data["supplier"] for f in result.findings] == ["Beta AB"]


def test_shares_per_unit_and_per_category_and_the_verdict_against_the_target() -> None:
    contracts = [Contract("Alfa AB", "A-1", D(2018, 1, 1), orgnr="5560125790", category="IT")]
    lines = [
        ("Alfa AB", "KS", D(2018, 3, 1), 900_00),
        ("Gamma HB", "SOC", D(2018, 3, 1), 100_00),
    ]
    result = run_compliance(lines, contracts, target=0.9)
    assert result.value == pytest.approx(0.9) and result.verdict is Verdict.GREEN
    units = {u.unit: u.value for u in result.by_unit}
    assert units == {"KS": 1.0, "SOC": 0.0}
    categories = {c["category"]: c["share"] for c in result.details["by_category"]}
    assert categories == {"IT": 1.0, "(utan avtal)": 0.0}
    assert run_compliance(lines, contracts, target=0.95).verdict is Verdict.RED


def test_outside_spend_is_listed_by_supplier_largest_first_and_the_period_limits_it() -> None:
    lines = [
        ("Gamma HB", "KS", D(2018, 3, 1), 100_00),
        ("Beta AB", "KS", D(2018, 3, 2), 300_00),
        ("Delta ApS", "KS", D(2019, 1, 5), 900_00),
    ]
    result = run_compliance(lines, [], period=Period(D(2018, 1, 1), D(2018, 12, 31)))
    assert [f.data["supplier"] for f in result.findings] == ["Beta AB", "Gamma HB"]
    assert result.value == 0.0 and result.details["purchase_amount"] == 400.0


contracts_strategy = st.lists(
    st.builds(
        lambda name, start, length, framework: Contract(
            name,
            "X",
            D(2018, 1, 1) + dt.timedelta(days=start),
            None if length is None else D(2018, 1, 1) + dt.timedelta(days=start + length),
            orgnr={"Alfa AB": "5560125790", "Delta ApS": "DK12345678"}.get(name, ""),
            framework=framework,
        ),
        st.sampled_from(sorted(SUPPLIERS)),
        st.integers(0, 364),
        st.one_of(st.none(), st.integers(0, 120)),
        st.booleans(),
    ),
    max_size=5,
).map(
    lambda cs: [
        Contract(c.supplier, f"X{i}", c.valid_from, c.valid_to, c.orgnr, framework=c.framework)
        for i, c in enumerate(cs)
    ]
)
lines_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(SUPPLIERS)),
        st.sampled_from(["KS", "SOC"]),
        st.integers(0, 729).map(lambda d: D(2018, 1, 1) + dt.timedelta(days=d)),
        st.integers(-20_000_00, 500_000_00),
    ),
    min_size=1,
    max_size=30,
)


def _covered(line: Line, contracts: Sequence[Contract], framework: bool | None = None) -> bool:
    """Whether a contract (with `framework`: a framework agreement, or not) covers the line."""
    return any(
        c.supplier == line[0] and c.valid_on(line[2]) and framework in (None, c.framework)
        for c in contracts
    )


@settings(max_examples=25, deadline=None)
@given(lines_strategy, contracts_strategy)
def test_covered_spend_is_the_sum_of_the_lines_a_contract_covered_on_their_day(
    lines: list[Line], contracts: list[Contract]
) -> None:
    result = run_compliance(lines, contracts)
    spend = sum(ore for *_, ore in lines)
    covered = sum(line[3] for line in lines if _covered(line, contracts))
    assert result.details["purchase_amount"] == pytest.approx(spend / 100)
    assert result.details["covered_amount"] == pytest.approx(covered / 100)
    expected = None if spend <= 0 else covered / spend
    assert result.value == (None if expected is None else pytest.approx(expected))
    # A line a framework agreement covers counts under it, even when another contract does too.
    framework = sum(line[3] for line in lines if _covered(line, contracts, framework=True))
    assert result.details["framework_amount"] == pytest.approx(framework / 100)
    assert result.details["other_contract_amount"] == pytest.approx((covered - framework) / 100)
    share = result.details["framework_share"]
    assert share == (None if spend <= 0 else pytest.approx(framework / spend))


def _window_start(day: dt.date, window: str) -> dt.date:
    if window == "calendar":
        return D(day.year, 1, 1)
    try:
        back = day.replace(year=day.year - 1)
    except ValueError:
        back = day.replace(year=day.year - 1, day=28)
    return back + dt.timedelta(days=1)


def _expected_flags(
    lines: Sequence[Line], contracts: Sequence[Contract], window: str, limit: int, period: Period
) -> tuple[set[str], set[str]]:
    outside = [line for line in lines if not _covered(line, contracts)]
    over: set[str] = set()
    near: set[str] = set()
    for supplier in SUPPLIERS:
        mine = [line for line in outside if line[0] == supplier]
        for day in {line[2] for line in mine if period.start <= line[2] <= period.end}:
            total = sum(o for _, _, d, o in mine if _window_start(day, window) <= d <= day)
            if total > limit * 100:
                over.add(supplier)
            elif total >= limit * 90:
                near.add(supplier)
    return over, near - over


@settings(max_examples=30, deadline=None)
@given(
    lines_strategy,
    contracts_strategy,
    st.sampled_from(["calendar", "rolling"]),
    st.integers(0, 500).map(lambda d: D(2018, 6, 1) + dt.timedelta(days=d)),
)
def test_suppliers_over_and_near_the_limit_match_a_plain_sum_over_each_window(
    lines: list[Line], contracts: list[Contract], window: str, start: dt.date
) -> None:
    period = Period(start, D(2019, 12, 31))
    result = run_direct(lines, contracts, window=window, limit=Decimal(600_000), period=period)
    over, near = _expected_flags(lines, contracts, window, 600_000, period)
    found = {
        kind: {f.data["supplier"] for f in result.findings if f.kind == kind}
        for kind in ("over_limit", "near_limit")
    }
    assert found["over_limit"] == over
    assert found["near_limit"] == near
    assert result.value == len(over)


def test_rolling_twelve_months_leave_out_the_day_exactly_a_year_back() -> None:
    lines = [
        ("Gamma HB", "KS", D(2018, 3, 1), 400_000_00),
        ("Gamma HB", "KS", D(2019, 3, 1), 400_000_00),
        ("Beta AB", "KS", D(2018, 3, 2), 400_000_00),
        ("Beta AB", "KS", D(2019, 3, 1), 400_000_00),
    ]
    result = run_direct(lines, window="rolling", limit=Decimal(700_000))
    assert [f.data["supplier"] for f in result.findings if f.kind == "over_limit"] == ["Beta AB"]
    calendar = run_direct(lines, window="calendar", limit=Decimal(700_000))
    assert calendar.findings == () and calendar.verdict is Verdict.GREEN


def test_the_limit_in_force_on_the_day_is_used_across_the_2022_change() -> None:
    assert limit_on(D(2022, 1, 31)) == 615_312 and limit_on(D(2022, 2, 1)) == 700_000
    assert limit_on(D(2014, 6, 30)) is None and limit_on(LOU_LIMITS[0][0]) == 505_800
    january = [("Gamma HB", "KS", D(2022, 1, 20), 650_000_00)]
    assert run_direct(january).findings[0].kind == "over_limit"
    february = [
        ("Gamma HB", "KS", D(2022, 1, 20), 300_000_00),
        ("Gamma HB", "KS", D(2022, 2, 20), 350_000_00),
    ]
    (finding,) = run_direct(february).findings
    assert finding.kind == "near_limit" and finding.data["limit"] == 700_000.0
    assert run_direct(february).verdict is Verdict.YELLOW


def test_dates_before_the_table_need_a_limit_of_ones_own() -> None:
    lines = [("Gamma HB", "KS", D(2013, 5, 1), 100_00)]
    with pytest.raises(InputError, match="inte känd för 2013-05-01"):
        run_direct(lines)
    assert run_direct(lines, limit=Decimal(50)).findings[0].kind == "over_limit"


def test_one_off_suppliers_are_counted_and_posting_lines_gather_into_invoices() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "konteringar.csv"
        path.write_text(
            "FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FAKTURADATUM;BELOPP_SEK\n"
            "F-001;Gamma HB;;KS;2018-03-01;100,00\n"
            "f1;Gamma HB;;SOC;2018-03-01;50,00\n"
            "7;Beta AB;556475-6467;KS;2018-03-01;10,00\n"
            "8;Beta HB;5564756467;KS;2018-04-01;10,00\n",
            encoding="utf-8",
        )
        ledger = read_ledger(path)
        try:
            result = direct_procurement(ledger, (), limit=Decimal(1000))
        finally:
            ledger.close()
    # Gamma's two lines are one invoice; Beta, under two names, is one supplier by number.
    assert result.details["one_off_suppliers"] == 1
    assert result.details["suppliers_outside_contracts"] == 2


def test_spend_under_framework_agreements_is_told_apart_from_other_contracts() -> None:
    contracts = [
        Contract(
            "Alfa AB", "R-1", D(2018, 1, 1), orgnr="5560125790", category="IT", framework=True
        ),
        Contract("Beta AB", "A-2", D(2018, 1, 1), orgnr="5564756467", category="Bygg"),
        # Gamma has both kinds on the same days: its spend counts under the framework agreement.
        Contract("Gamma HB", "R-3", D(2018, 1, 1), D(2018, 6, 30), category="IT", framework=True),
        Contract("Gamma HB", "A-3", D(2018, 1, 1), category="IT"),
    ]
    lines = [
        ("Alfa AB", "KS", D(2018, 3, 1), 500_00),
        ("Beta AB", "SOC", D(2018, 3, 1), 200_00),
        ("Gamma HB", "KS", D(2018, 3, 1), 100_00),
        ("Gamma HB", "SOC", D(2018, 9, 1), 100_00),
        ("Delta ApS", "SOC", D(2018, 3, 1), 100_00),
    ]
    result = run_compliance(lines, contracts)
    details = result.details
    assert result.value == pytest.approx(0.9)
    assert details["framework_amount"] == 600.0 and details["framework_share"] == pytest.approx(0.6)
    assert details["other_contract_amount"] == 300.0
    assert details["other_contract_share"] == pytest.approx(0.3)
    assert details["framework_invoices"] == 2 and details["other_contract_invoices"] == 2
    assert details["framework_invoice_share"] == pytest.approx(2 / 5)
    units = {u.unit: u.extra for u in result.by_unit}
    assert units["KS"]["framework_share"] == 1.0 and units["KS"]["other_contract_share"] == 0.0
    assert units["SOC"]["framework_amount"] == 0.0
    assert units["SOC"]["other_contract_share"] == pytest.approx(0.75)
    categories = {c["category"]: c for c in details["by_category"]}
    assert categories["IT"]["framework_amount"] == 600.0
    assert categories["IT"]["other_contract_amount"] == 100.0
    assert categories["Bygg"]["framework_share"] == 0.0
    summary = result.summary.replace("\xa0", " ")
    assert "60,0 % av inköpen under ramavtal och 30,0 % under andra avtal" in summary


def test_suppliers_a_framework_agreement_covers_are_left_out_of_direct_purchases() -> None:
    contracts = [
        Contract("Alfa AB", "R-1", D(2018, 1, 1), orgnr="5560125790", framework=True),
        Contract("Beta AB", "A-2", D(2018, 1, 1), orgnr="5564756467"),
        Contract("Gamma HB", "R-3", D(2017, 1, 1), D(2017, 12, 31), framework=True),
    ]
    lines = [
        ("Alfa AB", "KS", D(2018, 3, 1), 800_000_00),
        ("Beta AB", "KS", D(2018, 3, 1), 900_000_00),
        # Gamma's framework agreement had ended: these are direct purchases over the limit.
        ("Gamma HB", "KS", D(2018, 3, 1), 800_000_00),
    ]
    result = run_direct(lines, contracts, limit=Decimal(700_000))
    assert [f.data["supplier"] for f in result.findings] == ["Gamma HB"]
    assert result.details["suppliers_under_framework"] == 1
    assert result.details["amount_under_framework"] == 800_000.0
    assert result.details["suppliers_under_other_contracts"] == 1
    assert result.details["amount_under_other_contracts"] == 900_000.0
    assert "1 leverantör under ramavtal och 1 under andra avtal räknades inte" in result.summary


@settings(max_examples=60, deadline=None)
@given(contracts_strategy, st.integers(-30, 900))
def test_segments_give_each_day_the_status_its_contracts_give_it(
    contracts: list[Contract], offset: int
) -> None:
    day = D(2018, 1, 1) + dt.timedelta(days=offset)
    mine = [c for c in contracts if c.supplier == "Alfa AB"]
    (segment,) = [s for s in segments(mine) if s[0] <= day <= s[1]]
    valid = [c for c in mine if c.valid_on(day)]
    ended = [c.valid_to for c in mine if c.valid_to is not None and c.valid_to < day]
    assert segment[2] == bool(valid)
    assert segment[3] == any(c.framework for c in valid)
    assert segment[4] == max(ended, default=None)


class _NumberedLedger:
    def has(self, name: str) -> bool:
        return name == "invoice_no"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(0, 10**21).map(str),
            st.text(alphabet="0123456789 -Ff/", max_size=12),
            st.just("00123"),
            st.just(" 7"),
            st.just("+7"),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_plain_invoice_numbers_take_a_shortcut_to_the_same_key(numbers: list[str]) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT unnest(?::VARCHAR[]) AS invoice_no", [numbers])
    con.execute("ALTER TABLE t ADD COLUMN row BIGINT DEFAULT 1")
    key = invoice_key_sql(_NumberedLedger())  # type: ignore[arg-type]
    cleaned = key.split(" ELSE ", 1)[1].rsplit(" END", 1)[0]
    found = con.execute(f"SELECT {key}, {cleaned} FROM t").fetchall()  # noqa: S608
    assert all(fast == slow for fast, slow in found)
