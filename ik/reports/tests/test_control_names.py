"""The committee reads automated controls by their Swedish names, never the internal ones."""

from ik.engine.controls.registry import CONTROLS
from ik.followups.control_names import relabel_automatic_deviations
from ik.followups.models import Deviation
from ik.reports.queries import followup_document
from ik.reports.render import render
from ik.reports.tests.readback import docx_text
from ik.test import BaseTestCase


class ControlNameTests(BaseTestCase):
    def test_a_deviation_stored_with_the_internal_name_reaches_the_committee_by_label(self):
        old = Deviation.objects.create(
            entry=self.entry,
            severity=Deviation.Severity.SIGNIFICANT,
            description="Automatisk kontroll (late_payments): 8 % betalades för sent.",
        )
        kept = Deviation.objects.create(
            entry=self.entry,
            severity=Deviation.Severity.MINOR,
            description="Automatisk kontroll (okänd_kontroll) lämnas som den är.",
        )
        assert relabel_automatic_deviations(Deviation) == 1
        old.refresh_from_db()
        kept.refresh_from_db()
        assert old.description == (
            "Automatisk kontroll (Försent betalda fakturor): 8 % betalades för sent."
        )
        assert kept.description == "Automatisk kontroll (okänd_kontroll) lämnas som den är."
        text = docx_text(render(followup_document(self.followup), "docx"))
        assert "Automatisk kontroll (Försent betalda fakturor)" in text
        assert not [name for name in CONTROLS if f"({name})" in text]
