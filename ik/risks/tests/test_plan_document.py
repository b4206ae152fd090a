"""The plan document carries the risk analysis once the plan has risks."""

from ik.reports.queries import load_plan, plan_document
from ik.reports.render import render
from ik.reports.tests.readback import docx_text
from ik.risks import services
from ik.risks.models import Risk
from ik.test import TEST_SETUP, BaseTestCase


class PlanDocumentTests(BaseTestCase):
    def test_the_docx_has_a_risk_summary_only_when_there_are_risks(self):
        Risk.objects.filter(plan=self.plan).delete()
        assert "Risksammanfattning" not in docx_text(render(plan_document(self.plan), "docx"))
        services.risk_create(
            plan=self.plan,
            by=TEST_SETUP,
            description="Leverantörers bankkonton ändras efter falska meddelanden",
            likelihood=3,
            impact=4,
        )
        text = docx_text(render(plan_document(self.plan), "docx"))
        assert "Risksammanfattning" in text
        assert "Leverantörers bankkonton ändras efter falska meddelanden\n3\n4\n12\nRöd" in text

    def test_the_colours_follow_the_organisations_scale(self):
        services.scale_update(organisation=self.org, by=TEST_SETUP, yellow_from=3, red_from=6)
        [row] = load_plan(self.plan).risks
        assert (row.score, row.tone.value) == (9, "red")
        services.scale_update(organisation=self.org, by=TEST_SETUP, yellow_from=10, red_from=12)
        [row] = load_plan(self.plan).risks
        assert row.tone.value == "green"
