"""`importplan`: plans from municipal files into a draft, atomically, and IK's own round trip."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ik.engine.tests.plan_files import municipal_csv, municipal_docx, municipal_xlsx
from ik.followups.services import entries_for_new_point
from ik.org.models import AuditEvent, Unit
from ik.plans.models import ControlPoint, Plan
from ik.plans.services import common_create, control_point_create, plan_adopt
from ik.reports.plan import POINT_SHEET
from ik.reports.queries import plan_document
from ik.reports.render import render
from ik.test import TEST_SETUP, BaseTestCase

COMPARED = (
    "code",
    "kind",
    "question",
    "purpose",
    "scope",
    "method",
    "owner_text",
    "unit_text",
    "unit",
    "owner_person",
    "frequency",
    "measure_unit",
    "target",
    "direction",
    "warning_limit",
    "local_note",
    "position",
)


def _run(path, *args, year=2019, committee="sn"):
    out = io.StringIO()
    call_command(
        "importplan",
        str(path),
        "--organisation",
        "testkommun",
        "--committee",
        committee,
        "--year",
        str(year),
        *args,
        stdout=out,
    )
    return out.getvalue()


class ImportPlanCommandTests(BaseTestCase):
    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = tmp_path

    def write(self, name, data):
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def test_a_municipal_workbook_becomes_a_draft_plan_in_file_order(self):
        livsmedel = Unit.objects.create(committee=self.sn, name="livsmedel")
        output = _run(self.write("plan.xlsx", municipal_xlsx()))
        plan = Plan.objects.get(committee=self.sn, year=2019)
        assert plan.is_draft
        points = list(plan.control_points.order_by("position").select_related("process"))
        assert [(p.position, p.code, p.process.name) for p in points] == [
            (1, "Å1", "Delegation"),
            (2, "V1", "Tillsyn"),
            (3, "V2", "Tillsyn"),
        ]
        assert points[0].kind == ControlPoint.Kind.DIRECT_ACTION
        assert points[1].purpose == "Säkra att tillsyn görs"
        assert (points[1].unit, points[1].unit_text) == (livsmedel, "Livsmedel")
        assert points[0].unit is None and points[0].unit_text == "Miljö"
        assert "Läste in 3 kontrollmoment" in output
        assert "Syfte" in output and "”Syfte med granskningen”" in output
        event = AuditEvent.objects.get(action="plan_import")
        assert event.system_actor == "importplan"

    def test_csv_and_word_files_are_read_too(self):
        _run(self.write("plan.csv", municipal_csv()))
        _run(self.write("plan.docx", municipal_docx()))
        plan = Plan.objects.get(committee=self.sn, year=2019)
        questions = list(
            plan.control_points.order_by("position").values_list("question", flat=True)
        )
        assert questions == [
            "Följs avtalen?",
            "Attesteras fakturor?",
            "Stämmer utbetalningarna?",
            "Finns jävsdeklarationer?",
        ]

    def test_dry_run_saves_nothing(self):
        output = _run(self.write("plan.xlsx", municipal_xlsx()), "--dry-run")
        assert "Skulle läsa in 3 kontrollmoment" in output
        assert not Plan.objects.filter(committee=self.sn, year=2019).exists()
        assert not AuditEvent.objects.filter(action="plan_import").exists()

    def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(self):
        rows = (("V1", "P", "Q", "", "", "", "Chef", "", ""), ("V2", "P", "", "", "", "", "Chef"))
        path = self.write("plan.xlsx", municipal_xlsx(rows))
        with pytest.raises(CommandError) as caught:
            _run(path)
        assert "rad 6" in str(caught.value) and "Kontrollmoment" in str(caught.value)
        assert not Plan.objects.filter(committee=self.sn, year=2019).exists()

    def test_a_row_the_model_refuses_names_its_row_and_nothing_is_kept(self):
        rows = (("V1", "P", "Q", "", "", "", "Chef", "", ""), ("V2", "P", "Q2", "", "", "", ""))
        with pytest.raises(CommandError, match="Rad 6, kolumn Kontrollansvarig"):
            _run(self.write("plan.xlsx", municipal_xlsx(rows)))
        assert not Plan.objects.filter(committee=self.sn, year=2019).exists()

    def test_an_unreadable_file_exits_with_an_error(self):
        with pytest.raises(CommandError, match="PDF"):
            _run(self.write("plan.xlsx", b"%PDF-1.4 not a plan"))
        with pytest.raises(CommandError, match="finns inte"):
            _run(self.tmp / "saknas.xlsx")

    def test_an_adopted_plan_is_refused(self):
        plan_adopt(
            plan=self.plan,
            by=TEST_SETUP,
            decided_on=date(2017, 12, 6),
            decision_paragraph="§ 1",
            case_number="KS/2017:1",
        )
        before = self.plan.control_points.count()
        with pytest.raises(CommandError, match="fastställd"):
            _run(self.write("plan.xlsx", municipal_xlsx()), year=2018, committee="ks")
        assert self.plan.control_points.count() == before

    def test_an_existing_draft_is_appended_to_and_its_open_followup_gets_entries(self):
        _run(self.write("plan.xlsx", municipal_xlsx()), year=2018, committee="ks")
        points = list(self.plan.control_points.order_by("position"))
        assert [p.question for p in points[:2]] == ["Fråga 1?", "Fråga 2?"]
        assert len(points) == 5
        assert self.followup.entries.count() == 5

    def test_map_and_sheet_and_header_row_options(self):
        data = municipal_xlsx(header=("Nr", "Process", "Vad", "", "", "", "Ansvarig", "", ""))
        path = self.write("plan.xlsx", data)
        _run(path, "--sheet", "IK-plan 2019", "--header-row", "4", "--map", "question=Vad")
        assert Plan.objects.get(committee=self.sn, year=2019).control_points.count() == 3
        with pytest.raises(CommandError, match="fält=Rubrik"):
            _run(path, "--map", "question")


class RoundTripTests(BaseTestCase):
    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = tmp_path

    def test_the_plan_spreadsheet_reads_back_into_another_year_unchanged(self):
        for year in (2018, 2019):
            common_create(
                organisation=self.org,
                by=TEST_SETUP,
                on_added=entries_for_new_point,
                year=year,
                process="Gemensamt",
                question="Betalas fakturor i tid?",
                method="Helkontroll",
                owner_text="Ekonomichef",
                frequency="Årligen",
                measure_unit="%",
                target=Decimal(5),
            )
        control_point_create(
            on_added=entries_for_new_point,
            plan=self.plan,
            by=TEST_SETUP,
            process_name="Arkiv",
            code="Å1",
            kind=ControlPoint.Kind.DIRECT_ACTION,
            question='=HYPERLINK("http://x") ska stå som text',
            purpose="Syfte; med semikolon",
            scope="Rad ett\nRad två",
            owner_text="Arkivarie",
            unit_text="Kansliet",
            unit=Unit.objects.create(committee=self.ks, name="Kansliet"),
            measure_unit="dagar",
            target=Decimal("2.5"),
            direction="at_least",
            warning_limit=Decimal("1.25"),
            local_note="Anteckning",
        )
        common = self.plan.control_points.get(common__isnull=False)
        common.local_note = "Vår anteckning"
        common.save()
        data = render(plan_document(self.plan), "xlsx")
        sheet = load_workbook(io.BytesIO(data))[POINT_SHEET]
        assert sheet.cell(row=5, column=4).data_type == "s"  # the formula stays text
        path = self.tmp / "plan.xlsx"
        path.write_bytes(data)

        _run(path, year=2019, committee="ks")

        new = Plan.objects.get(committee=self.ks, year=2019)
        old_points = list(self.plan.control_points.order_by("position").select_related("process"))
        new_points = list(new.control_points.order_by("position").select_related("process"))
        assert len(new_points) == len(old_points) == 4
        for old, point in zip(old_points, new_points, strict=True):
            for name in COMPARED:
                assert getattr(point, name) == getattr(old, name), (old.position, name)
            assert point.process.name == old.process.name
            assert point.is_common == old.is_common
