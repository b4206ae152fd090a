"""The audit log page and its CSV read back every kind of event IK writes.

A saved column mapping, a run started from the page and an imported organisation once left
the log answering 500 for good and its CSV cut short: their changes hold dicts. The table
below has one event per audit call site in the code, in the shape that call site writes, and
a test keeps the table in step with the code.
"""

import ast
import csv
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ik.accounts import trail
from ik.controls.services import control_run_request, ledger_mapping_delete, ledger_mapping_save
from ik.org.models import AuditEvent
from ik.test import BaseTestCase

IK = Path(__file__).resolve().parents[2]
AUDIT_CALLS = {"audit_record", "audit_changes", "_status_change"}
PLAN = "plans.plan"

# action -> (object type, changes as that call site writes them)
EVENTS: dict[str, tuple[str, dict]] = {
    "plan_create": (PLAN, {}),
    "item_archive": ("followups.followup", {"pdf": "ab" * 32, "docx": "cd" * 32}),
    "document_wording_save": ("reports.documentwording", {"title": ["", "Tillsynsrapport"]}),
    "oversight_case_save": ("reports.oversightcase", {"case_number": ["", "KS/2018:77"]}),
    "plan_update": (PLAN, {"case_number": ["", "KS/2017:335"], "decided_on": [None, "2017-12-06"]}),
    "plan_submit": (PLAN, {"status": ["draft", "submitted"]}),
    "plan_return": (PLAN, {"status": ["submitted", "draft"], "reason": "Komplettera"}),
    "plan_create_next_year": (PLAN, {}),
    "control_point_create": ("plans.controlpoint", {"question": "Fråga?", "target": "5"}),
    "control_point_update": ("plans.controlpoint", {"target": ["5", "4.5"]}),
    "control_point_add_common": ("plans.controlpoint", {}),
    "control_point_move": ("plans.controlpoint", {"position": [2, 1]}),
    "plan_import": (PLAN, {"source": "plan.xlsx", "created": 3, "common": 0}),
    "common_create": ("plans.commoncontrolpoint", {"year": 2018, "question": "Betalas?"}),
    "common_update": ("plans.commoncontrolpoint", {"question": ["Betalas?", "Betalas i tid?"]}),
    "deadline_create": ("plans.cycledeadline", {"year": 2018, "kind": "plan", "cutoff": None}),
    "deadline_update": ("plans.cycledeadline", {"due_on": ["2017-12-15", "2017-12-20"]}),
    "deadline_delete": ("plans.cycledeadline", {"year": 2018, "kind": "plan"}),
    "organisation_update": ("org.organisation", {"phone": ["", "0142-850 00"]}),
    "system_create": (
        "systems.system",
        {"name": "E-post", "criticality": "business", "depends_on": ["Nätverk", "Katalog"]},
    ),
    "system_update": ("systems.system", {"depends_on": [["Nätverk"], ["Nätverk", "Katalog"]]}),
    "system_delete": ("systems.system", {"name": "E-post", "priority": 3}),
    "competence_add": ("systems.system", {"system": "E-post", "person": "Anna", "role": "primary"}),
    "competence_remove": ("systems.system", {"system": "E-post", "person": "Anna", "role": "x"}),
    "system_register_import": (
        "org.organisation",
        {"replace": True, "systems": ["E-post", "Lön"], "deleted": [], "competence_rows": 4},
    ),
    "contract_register_import": (
        "org.organisation",
        {
            "mode": "update_end",
            "end_on": "2018-12-31",
            "added": ["AV-1 Vätterns El AB"],
            "changed": {"AV-2 Adda AB": {"valid_to": ["2018-12-31", "2019-12-31"]}},
            "removed": [],
            "ended": ["AV-0 Östgöta Städ AB"],
        },
    ),
    "contract_create": (
        "contracts.contract",
        {"supplier": "Adda AB", "contract_id": "R-1", "valid_from": "2018-01-01"},
    ),
    "contract_update": ("contracts.contract", {"valid_to": [None, "2019-06-30"]}),
    "procurement_settings_update": (
        "contracts.procurementsettings",
        {"window": ["calendar", "rolling"], "direct_procurement_limit": [None, "500000.00"]},
    ),
    "control_run_attach": ("controls.controlrun", {"input_sha256": "ab" * 32, "verdict": "red"}),
    "control_run_request": (
        "controls.controlrun",
        {"arguments": ["--target", "5"], "files": {"ledger": "cd" * 32}},
    ),
    "ledger_mapping_save": (
        "controls.ledgermapping",
        {"columns": {"amount": "Summa", "due_date": "Förfallodag", "extra": ["a", "b"]}},
    ),
    "ledger_mapping_delete": ("controls.ledgermapping", {"columns": {"amount": "Summa"}}),
    "reminder_settings_update": ("notifications.remindersettings", {"days_before": [14, 7]}),
    "risk_create": ("risks.risk", {"description": "Sent", "likelihood": 3, "control_points": []}),
    "risk_update": ("risks.risk", {"control_points": [["1"], ["1", "2"]], "impact": [2, 3]}),
    "risk_delete": ("risks.risk", {"description": "Sent", "likelihood": 3}),
    "risks_copy": ("risks.risk", {}),
    "risk_scale_update": (
        "risks.riskscale",
        {"size": [4, 5], "likelihood_labels": [["A", "B"], ["A", "B", "C"]]},
    ),
    "risk_category_create": ("risks.riskcategory", {}),
    "risk_category_delete": ("risks.riskcategory", {}),
    "organisation_import": (
        "org.organisation",
        {
            "files": 2,
            "counts": {"plans.plan": 3, "org.auditevent": 120},
            "accounts": ["anna: nytt konto anna-2 (användarnamnet var upptaget)"],
        },
    ),
    "role_grant": ("auth.user", {"role": "Revisor", "committee": ""}),
    "role_revoke": ("auth.user", {"role": "Revisor", "committee": "Kommunstyrelsen"}),
    "invitation_create": ("accounts.invitation", {"email": "a@b.se", "roles": "Revisor"}),
    "invitation_accept": ("accounts.invitation", {"username": "anna", "roles": "Revisor"}),
    "followup_create": ("followups.followup", {}),
    "followup_update": ("followups.followup", {"due_on": [None, "2018-09-10"]}),
    "followup_report": ("followups.followup", {"status": ["open", "reported"]}),
    "results_import": ("followups.followup", {"source": "resultat.xlsx", "recorded": 2}),
    "followup_reopen": ("followups.followup", {"status": ["reported", "open"], "reason": "Fel"}),
    "entry_record": ("followups.followupentry", {"measured_value": [None, "8"]}),
    "deviation_register": ("followups.deviation", {"description": "Sent", "severity": "minor"}),
    "deviation_update": (
        "followups.deviation",
        {"before": {"description": "Sent"}, "description": "Senare", "severity": "minor"},
    ),
    "action_create": ("followups.action", {"description": "Rutin", "due_date": "2018-12-31"}),
    "action_update": ("followups.action", {"status": ["planned", "ongoing"]}),
    "action_close": ("followups.action", {"status": ["done", "closed"], "effect": [None, "Ok"]}),
    "login_locked": ("auth.user", {"address": "10.0.0.1"}),
    "organisation_create": ("org.organisation", {"name": "Malmö stad", "code": "malmo"}),
    "committee_create": ("org.committee", {"name": "Miljönämnden", "position": 0}),
    "committee_update": ("org.committee", {"is_active": [True, False]}),
    "committee_delete": ("org.committee", {"name": "Ny", "code": "ny"}),
    "unit_create": ("org.unit", {"name": "IT", "kind": "avdelning", "parent": None}),
    "unit_update": ("org.unit", {"parent": [None, "Förvaltningen"]}),
    "unit_delete": ("org.unit", {"name": "IT", "kind": "enhet"}),
    "person_create": ("org.person", {"name": "Karin", "email": "k@t.se", "unit": None}),
    "person_update": ("org.person", {"phone": ["", "0142-1"]}),
    "structure_import": (
        "org.organisation",
        {
            "created": {"committees": 1, "units": 2, "people": 3},
            "updated": {"committees": 0, "units": 0, "people": 1},
        },
    ),
    "plan_delete": (PLAN, {"year": 2020, "status": "draft", "control_points": ["Fråga?"]}),
    "control_point_delete": ("plans.controlpoint", {"question": "Fråga?", "position": 2}),
    "followup_delete": ("followups.followup", {"cutoff": "2018-12-31", "due_on": None}),
}


def actions_written_by_the_code() -> set[str]:
    """Every literal `action=` passed to an audit call outside the tests."""
    found = set()
    for path in IK.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in AUDIT_CALLS:
                continue
            for keyword in node.keywords:
                if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                    found.add(keyword.value.value)
    return found


class EveryEventTests(BaseTestCase):
    def read_back(self):
        """The log's pages and its CSV, as an auditor reads them."""
        self.client.force_login(self.auditor)
        url = reverse("accounts:audit_log", kwargs={"org": self.org.code})
        pages, number = [], 1
        while True:
            response = self.client.get(url, {"sida": number})
            assert response.status_code == 200
            pages.append(response.content.decode())
            if "Äldre händelser" not in pages[-1]:
                break
            number += 1
        response = self.client.get(reverse("accounts:audit_log_csv", kwargs={"org": self.org.code}))
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body), delimiter=";"))
        return "".join(pages), rows[1:]

    def test_the_table_covers_every_audit_call_in_the_code(self):
        written = actions_written_by_the_code()
        assert {"ledger_mapping_save", "organisation_import", "login_locked"} <= written
        assert set(EVENTS) == written

    def test_one_event_of_each_kind_reads_back_on_the_page_and_in_the_csv(self):
        for action, (object_type, changes) in EVENTS.items():
            AuditEvent.objects.create(
                organisation=self.org,
                actor=self.controller,
                action=action,
                object_type=object_type,
                object_id="x",
                summary=f"Händelse {action}",
                changes=changes,
            )
        html, rows = self.read_back()
        assert len(rows) == AuditEvent.objects.filter(organisation=self.org).count()
        in_csv = {row[2] for row in rows}
        for action in EVENTS:
            assert f"Händelse {action}" in html
            assert action in in_csv
        mapping = next(r for r in rows if r[2] == "ledger_mapping_save")
        assert "amount: Summa" in mapping[6]
        assert "plans.plan: 3" in next(r for r in rows if r[2] == "organisation_import")[6]

    def test_the_log_survives_mappings_and_runs_saved_through_the_services(self):
        mapping = ledger_mapping_save(
            organisation=self.org, name="Raindance", columns={"amount": "BELOPP_SEK"}, by=self.owner
        )
        ledger_mapping_delete(mapping=mapping, by=self.owner)
        control_run_request(
            entry=self.entry,
            by=self.owner,
            control="late_payments",
            uploads={"ledger": SimpleUploadedFile("r.csv", b"a;b\n1;2\n")},
            arguments=["--target", "5"],
        )
        html, rows = self.read_back()
        assert len(rows) == AuditEvent.objects.filter(organisation=self.org).count()
        assert "Kolumner: amount: BELOPP_SEK" in html
        assert {"ledger_mapping_save", "ledger_mapping_delete", "control_run_request"} <= {
            r[2] for r in rows
        }


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(deadline=None)
@given(changes=json_values, object_type=st.sampled_from(sorted({t for t, _ in EVENTS.values()})))
def test_any_json_an_event_holds_is_described_for_the_page_and_the_csv(changes, object_type):
    for stored in (changes, {"columns": changes, "status": changes, "criticality": changes}):
        event = AuditEvent(object_type=object_type, changes=stored)
        described = trail.describe(event)
        assert all(isinstance(c.new, str) and isinstance(c.old, str) for c in described)
        assert isinstance(trail.changes_text(event), str)
