"""The consolidated report: built from plain data, written by the command and the download."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ik.demo import exempelkommun
from ik.engine.result import Verdict
from ik.org.models import Organisation, Person, Role
from ik.oversight.queries import load_overview
from ik.reports.data import CommitteeInfo, OrganisationInfo
from ik.reports.oversight import (
    AverageKind,
    CommitteeAnswer,
    CommonPointComparison,
    OversightData,
    Placement,
    aggregate,
    build_oversight,
    title,
)
from ik.reports.tests.readback import cell_texts, docx_text, flat, pdf_text, xlsx_cells
from ik.test import make_user

COMMITTEES = (
    "Kommunstyrelsen",
    "Barn- och utbildningsnämnden",
    "Socialnämnden",
    "Samhällsbyggnadsnämnden",
    "Kultur- och fritidsnämnden",
)
COMMON_QUESTIONS = (
    "Betalas nämndens fakturor senast på förfallodagen?",
    "Finns deltagarförteckning och syfte för all representation?",
)


def _answer(name: str, value: str | None, weight: int | None = None) -> CommitteeAnswer:
    return CommitteeAnswer(
        committee=CommitteeInfo(name=name),
        placement=Placement.ENTRY,
        verdict=Verdict.GREEN,
        measured_value=Decimal(value) if value is not None else None,
        weight=weight,
    )


def _point(*answers: CommitteeAnswer) -> CommonPointComparison:
    return CommonPointComparison(
        process="Försent betalda fakturor",
        question="Betalas fakturor i tid?",
        measure_unit="%",
        target=Decimal(5),
        warning_limit=Decimal(7),
        answers=answers,
    )


def test_the_municipal_value_is_weighted_when_every_committee_has_a_count():
    total = aggregate(_point(_answer("A", "2", 900), _answer("B", "12", 100)))
    assert (total.kind, total.value, total.verdict) == (
        AverageKind.WEIGHTED,
        Decimal("3.0"),
        Verdict.GREEN,
    )
    assert total.weight_total == 1000


def test_one_committee_without_a_count_gives_the_plain_mean():
    total = aggregate(_point(_answer("A", "2", 900), _answer("B", "12")))
    assert (total.kind, total.value, total.verdict) == (
        AverageKind.MEAN,
        Decimal("7.0"),
        Verdict.YELLOW,
    )


def test_committees_without_a_value_or_followup_are_left_out_of_the_mean():
    missing = CommitteeAnswer(committee=CommitteeInfo(name="C"), placement=Placement.NO_FOLLOWUP)
    total = aggregate(_point(_answer("A", "4"), _answer("B", None), missing))
    assert (total.value, total.measured, total.missing) == (Decimal("4.0"), 1, 1)


def test_the_title_names_year_and_cutoff():
    data = OversightData(
        organisation=OrganisationInfo(name="K"), year=2018, cutoff=date(2018, 8, 31)
    )
    assert title(data) == "Internkontroll 2018 – samlad uppföljning per 31 augusti 2018"
    assert build_oversight(data).meta.title == title(data)


@pytest.fixture
def demo(db):
    return exempelkommun.load({})


def _report(*args: object) -> str:
    out = io.StringIO()
    call_command("report", "oversight", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def _text(fmt: str, data: bytes) -> str:
    if fmt == "docx":
        return flat(docx_text(data))
    if fmt == "pdf":
        return flat(pdf_text(data))
    return flat("\n".join(xlsx_cells(data)))


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_each_format_carries_the_committees_and_the_common_points(demo, tmp_path, fmt):
    output = tmp_path / f"samlad.{fmt}"
    message = _report(
        "--organisation",
        "Exempelkommun",
        "--year",
        2018,
        "--cutoff",
        "2018-08-31",
        "--format",
        fmt,
        "--output",
        output,
    )
    assert "Skrev" in message
    text = _text(fmt, output.read_bytes())
    for name in COMMITTEES:
        assert flat(name) in text, name
    for question in COMMON_QUESTIONS:
        assert flat(question) in text, question
    assert flat("3,2 %") in text and flat("9,4 %") in text
    if fmt != "xlsx":
        assert flat("Internkontroll 2018 – samlad uppföljning per 31 augusti 2018") in text


def test_the_report_tables_hold_summary_comparison_and_entries(demo):
    data = load_overview(demo, 2018, date(2018, 8, 31), with_entries=True)
    document = build_oversight(data)
    titles = [t.title for t in document.tables()]
    assert titles[0] == "Sammanställning per nämnd per 2018-08-31"
    assert "Försent betalda fakturor" in titles
    assert "Kommunstyrelsen per 2018-08-31" in titles
    texts = cell_texts(document)
    assert {"Process", "Kontrollmoment", "Bedömning", "Uppföljning", "Hela kommunen"} <= texts
    assert "Ingen uppföljning per datumet" in texts


def test_the_cutoff_defaults_to_the_latest_of_the_year(demo, tmp_path):
    output = tmp_path / "samlad.pdf"
    _report("--organisation", "exempelkommun", "--year", 2018, "--output", output)
    assert flat("per 31 december 2018") in flat(pdf_text(output.read_bytes()))


def test_unknown_organisation_year_and_cutoff_list_what_exists(demo, tmp_path):
    out = tmp_path / "a.pdf"
    with pytest.raises(CommandError, match="Det finns: Exempelkommun"):
        _report("--organisation", "Okänd", "--year", 2018, "--output", out)
    with pytest.raises(CommandError, match="inga internkontrollplaner för 2017.*finns för: 2018"):
        _report("--organisation", "exempelkommun", "--year", 2017, "--output", out)
    with pytest.raises(CommandError, match="per 2018-06-30.*2018-08-31, 2018-12-31"):
        _report(
            "--organisation",
            "exempelkommun",
            "--year",
            2018,
            "--cutoff",
            "2018-06-30",
            "--output",
            out,
        )
    with pytest.raises(CommandError, match="--organisation"):
        _report("--year", 2018, "--output", out)


def test_followup_and_plan_still_need_a_committee(demo, tmp_path):
    with pytest.raises(CommandError, match="--committee"):
        call_command("report", "plan", "--year", "2018", "--output", str(tmp_path / "a.pdf"))


def test_the_page_offers_each_format_for_download(demo, client):
    client.force_login(make_user("rut", organisation=demo, role=Role.AUDITOR))
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        url = reverse("oversight:overview_report", args=["exempelkommun", fmt])
        response = client.get(url, {"ar": 2018, "per": "2018-08-31"})
        assert response.status_code == 200, fmt
        assert response.content.startswith(magic)
        assert "samlad-uppfoljning-exempelkommun-2018-08-31" in response["Content-Disposition"]
    url = reverse("oversight:overview_report", args=["exempelkommun", "odt"])
    assert client.get(url).status_code == 404


def test_the_report_lists_open_deviations_and_late_actions_as_at_the_cutoff(demo):
    august = build_oversight(load_overview(demo, 2018, date(2018, 8, 31), with_entries=True))
    december = build_oversight(load_overview(demo, 2018, date(2018, 12, 31), with_entries=True))
    sn_august = next(t for t in august.tables() if t.title.startswith("Öppna avvikelser Soc"))
    # The action due 2018-11-30 is not late in the report per 31 August, whatever today is.
    assert [c.text for c in sn_august.rows[0]][3:] == [
        "Påminn attestanter om attestrutinen och följ upp varje månad.",
        "Ekonomichef",
        "2018-11-30",
        "Pågår",
    ]
    sn_december = next(t for t in december.tables() if t.title.startswith("Öppna avvikelser Soc"))
    assert sn_december.rows[0][-1].text == "Försenad"
    # BUN closed its action on 2018-12-15: open in August, gone in December.
    assert any(t.title.startswith("Öppna avvikelser Barn") for t in august.tables())
    assert not any(t.title.startswith("Öppna avvikelser Barn") for t in december.tables())


def test_the_report_carries_diarienummer_handlaggare_and_proposed_decision(demo, client):
    controller = make_user("kim", organisation=demo, role=Role.CONTROLLER)
    officer = Person.objects.create(organisation=demo, name="Åsa Controller", phone="019-10 10 10")
    url = reverse("oversight:overview_case", args=["exempelkommun"])
    query = "?ar=2018&per=2018-08-31"
    client.force_login(controller)
    response = client.post(
        url + query,
        {
            "case_number": "KS/2018:77",
            "document_date": "2018-09-20",
            "case_officer": officer.pk,
            "proposed_decisions": "",
            "distribution": "Revisorerna\nAkten",
        },
    )
    assert response.status_code == 302
    report = reverse("oversight:overview_report", args=["exempelkommun", "docx"])
    text = docx_text(client.get(report, {"ar": 2018, "per": "2018-08-31"}).content)
    for expected in (
        "Diarienummer: KS/2018:77",
        "Datum: 2018-09-20",
        "Förslag till beslut",
        "1. Kommunstyrelsen godkänner den samlade uppföljningen av nämndernas interna kontroll "
        "per 31 augusti 2018.",
        "Revisorerna",
        "Handläggare",
        "Åsa Controller",
        "Tfn 019-10 10 10",
    ):
        assert expected in text, expected


def test_the_case_page_is_the_controllers_only(demo, client):
    url = reverse("oversight:overview_case", args=["exempelkommun"])
    client.force_login(make_user("rut", organisation=demo, role=Role.AUDITOR))
    assert client.get(url, {"ar": 2018, "per": "2018-08-31"}).status_code == 403
    client.force_login(make_user("kim", organisation=demo, role=Role.CONTROLLER))
    assert client.get(url, {"ar": 2018, "per": "2018-08-31"}).status_code == 200
    assert client.put(url).status_code == 405
    assert client.get(url, {"ar": 2018, "per": "2018-07-01"}).status_code == 404
    other = Organisation.objects.create(code="annan", name="Annan kommun")
    client.force_login(make_user("ulf", organisation=other, role=Role.CONTROLLER))
    assert client.get(url).status_code == 404
