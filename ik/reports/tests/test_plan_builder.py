import dataclasses

from ik.engine.result import Verdict
from ik.reports.data import RiskRow
from ik.reports.document import DocumentHeader, Heading
from ik.reports.plan import build_plan
from ik.reports.tests.reference_data import PLAN, plan_data


def _header(document):
    return next(b for b in document.blocks() if isinstance(b, DocumentHeader))


def test_adopted_plan_header_carries_year_case_date_and_paragraph():
    header = _header(build_plan(plan_data()))
    assert header.kind == "Internkontrollplan 2018"
    assert header.fields() == [
        ("Datum", "2017-12-06"),
        ("Diarienummer", "KS/2017:335"),
        ("Paragraf", "§ 276"),
        ("Status", "Fastställd"),
    ]


def test_plan_not_yet_adopted_is_marked_as_a_proposal():
    draft = dataclasses.replace(PLAN, adopted=False, decided_on=None, decision_paragraph="")
    header = _header(build_plan(plan_data(plan=draft)))
    assert header.fields() == [("Diarienummer", "KS/2017:335"), ("Status", "Förslag")]


def test_plan_table_marks_common_points_and_adds_target_column_for_measured_ones():
    table = build_plan(plan_data()).tables()[0]
    assert [c.title for c in table.columns] == [
        "Process",
        "Kontrollmoment",
        "Kontrollmetod",
        "Kontrollansvarig",
        "Tidpunkt/frekvens",
        "Mål",
    ]
    assert table.rows[0][0].text == "1. Försent betalda fakturor (kommungemensamt)"
    assert table.rows[0][5].text == "högst 5\u00a0%"
    assert table.rows[3][0].text == "4. Kompetens digitala system"
    assert table.rows[3][5].text == ""


def test_plan_without_targets_has_no_target_column():
    data = plan_data()
    points = tuple(dataclasses.replace(p, target=None) for p in data.control_points)
    table = build_plan(dataclasses.replace(data, control_points=points)).tables()[0]
    assert "Mål" not in [c.title for c in table.columns]


def test_risk_summary_appears_only_when_risks_are_given():
    assert Heading("Risksammanfattning") not in list(build_plan(plan_data()).blocks())
    risks = (
        RiskRow("Öppna portar", 2, 2, 4),
        RiskRow("Bristande attest", 3, 4, 12),
        RiskRow("Avtalstrohet", 2, 3, 6),
        RiskRow("Ändrade bankkonton", 2, 2, 4),
    )
    document = build_plan(plan_data(risks=risks))
    assert Heading("Risksammanfattning") in list(document.blocks())
    table = document.tables()[-1]
    assert [row[0].text for row in table.rows] == [
        "Bristande attest",
        "Avtalstrohet",
        "Ändrade bankkonton",
        "Öppna portar",
    ]
    assert [(row[4].text, row[4].tone) for row in table.rows][:2] == [
        ("Röd", Verdict.RED),
        ("Gul", Verdict.YELLOW),
    ]
