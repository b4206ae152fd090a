import io
import json

from ik.engine.result import (
    ControlResult,
    Direction,
    Finding,
    FindingRows,
    UnitBreakdown,
    Verdict,
)

AWKWARD = 'Åkesson "Bygg" AB\n\t\\ 1/2 \u2028 \x01'


def result_with(findings) -> ControlResult:
    return ControlResult(
        control="late_payments",
        value=0.25,
        target=0.05,
        direction=Direction.AT_MOST,
        verdict=Verdict.RED,
        summary=f"25,0\u00a0% av {AWKWARD}",
        rows=4,
        by_unit=(UnitBreakdown("100", 4, 1, 0.25, {"late_amount": 12.5}),),
        findings=findings,
        parameters={"target": 0.05},
        details={"findings_total": len(findings), "findings": []},
        count_name="late",
    )


def written(result: ControlResult, batch: int = 2) -> str:
    out = io.StringIO()
    result.write_json(out, batch=batch)
    return out.getvalue()


FINDINGS = tuple(
    Finding("late_payment", f"Faktura {n} från {AWKWARD}", row=n + 1, data={"amount": n * 0.5})
    for n in range(5)
)


def test_written_json_is_the_documented_json_with_every_finding() -> None:
    result = result_with(FINDINGS)
    assert json.loads(written(result)) == result.to_json()
    assert json.loads(written(result, batch=10_000)) == result.to_json()


def test_findings_kept_as_text_read_back_as_findings() -> None:
    rows = FindingRows(tuple(json.dumps(f.to_json()) for f in FINDINGS))
    assert list(rows) == list(FINDINGS)
    assert rows[-1] == FINDINGS[-1]
    assert list(rows[1:3]) == list(FINDINGS[1:3])
    assert len(rows) == 5
    assert json.loads(written(result_with(rows))) == result_with(FINDINGS).to_json()


def test_no_findings_write_an_empty_list() -> None:
    for empty in ((), FindingRows(())):
        assert json.loads(written(result_with(empty)))["findings"] == []
