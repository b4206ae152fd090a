"""An organisation words its documents its own way, without editing the output."""

import dataclasses
import datetime as dt

from django.urls import reverse

from ik.reports.data import Wording
from ik.reports.document import Heading
from ik.reports.followup import build_followup
from ik.reports.models import DocumentWording
from ik.reports.render_docx import render_docx
from ik.reports.tests.readback import docx_text, flat, pdf_text
from ik.reports.tests.reference_data import PLAN, followup_data
from ik.test import BaseTestCase

OREBRO = Wording(
    title="Tillsynsrapport {år} – Beslut",
    background_heading="Ärendebeskrivning",
    summary_heading="Ärendebeskrivning",
    basis=("Tjänsteskrivelse", "{rubrik}, bilaga"),
    proposer="Förvaltningens förslag till beslut",
)


def _headings(document) -> list[str]:
    return [b.text for b in document.blocks() if isinstance(b, Heading)]


def test_orebros_tillsynsrapport_with_one_arendebeskrivning():
    data = followup_data(
        plan=dataclasses.replace(PLAN, year=2025),
        cutoff=dt.date(2025, 12, 31),
        wording=OREBRO,
    )
    document = build_followup(data)
    headings = _headings(document)
    assert headings[0] == "Tillsynsrapport 2025 – Beslut"
    assert headings.count("Ärendebeskrivning") == 1
    assert "Bakgrund" not in headings and "Sammanfattning" not in headings
    assert "Förvaltningens förslag till beslut" in headings
    text = docx_text(render_docx(document))
    assert "Tillsynsrapport 2025 – Beslut, bilaga" in text
    assert document.meta.title == "Tillsynsrapport 2025 – Beslut"


def test_blank_wording_keeps_the_standard_and_stray_braces_print_as_written():
    standard = _headings(build_followup(followup_data()))
    assert standard[:3] == [
        "Uppföljning av internkontrollplan per 31 augusti 2018",
        "Bakgrund",
        "Sammanfattning",
    ]
    odd = build_followup(followup_data(wording=Wording(title="Rapport {okänd} {år")))
    assert _headings(odd)[0] == "Rapport {okänd} {år"


def test_a_committee_without_an_administration_is_proposed_to_by_the_administration():
    committee = dataclasses.replace(
        followup_data().committee, name="Överförmyndarnämnden", administration_name=""
    )
    headings = _headings(build_followup(followup_data(committee=committee)))
    assert "Förvaltningens förslag till beslut" in headings
    assert "Överförmyndarnämndens förslag till beslut" not in headings


class WordingPageTests(BaseTestCase):
    def url(self, org="testkommun", kind="followup"):
        return reverse("reports:document_wording", kwargs={"org": org, "kind": kind})

    def test_the_controller_sets_the_wording_and_the_next_document_uses_it(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            self.url(),
            {
                "title": "Tillsynsrapport {år} – Beslut",
                "background_heading": "Ärendebeskrivning",
                "summary_heading": "Ärendebeskrivning",
                "basis": "Tjänsteskrivelse\n{rubrik}",
                "proposer": "",
            },
        )
        assert response.status_code == 302
        assert DocumentWording.objects.get(kind="followup").title.startswith("Tillsynsrapport")
        url = reverse(
            "reports:followup_report",
            kwargs={"followup_id": self.followup.public_id, "fmt": "docx"},
        )
        text = docx_text(self.client.get(url).content)
        assert "Tillsynsrapport 2018 – Beslut" in text
        assert "Ärendebeskrivning" in text and "Bakgrund" not in text

    def test_wrong_organisation_404_reader_403_unknown_kind_404_put_405(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url(kind="okand")).status_code == 404
        assert self.client.put(self.url()).status_code == 405
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.get(self.url()).status_code == 403
        assert self.client.post(self.url(), {"title": "X"}).status_code == 403

    def _word(self, kind, **fields):
        blank = dict.fromkeys(
            ("title", "background_heading", "summary_heading", "basis", "proposer"), ""
        )
        self.client.force_login(self.controller)
        response = self.client.post(self.url(kind=kind), {**blank, **fields})
        assert response.status_code == 302

    def _texts(self, url, **query):
        """The downloaded document's text as DOCX and as PDF, whitespace removed."""
        docx = self.client.get(url.format(fmt="docx"), query)
        pdf = self.client.get(url.format(fmt="pdf"), query)
        assert docx.status_code == pdf.status_code == 200
        return {"docx": flat(docx_text(docx.content)), "pdf": flat(pdf_text(pdf.content))}

    def test_the_plan_prints_the_organisations_title_heading_basis_and_proposer(self):
        self._word(
            "plan",
            title="Plan för intern kontroll {år}, {nämnd}",
            background_heading="Ärendebeskrivning",
            basis="Tjänsteskrivelse\n{rubrik}",
            proposer="Kommunledningsförvaltningens förslag till beslut",
        )
        url = reverse(
            "reports:plan_report", kwargs={"plan_id": self.plan.public_id, "fmt": "FMT"}
        ).replace("FMT", "{fmt}")
        for fmt, text in self._texts(url).items():
            for expected in (
                "Plan för intern kontroll 2018, Kommunstyrelsen",
                "Ärendebeskrivning",
                "Beslutsunderlag",
                "Kommunledningsförvaltningens förslag till beslut",
                "Kommunstyrelsen fastställer internkontrollplan för 2018.",
            ):
                assert flat(expected) in text, (fmt, expected)
            assert flat("Internkontrollplan 2018 för") not in text, fmt

    def test_the_consolidated_report_prints_the_organisations_title_and_headings(self):
        self._word(
            "oversight",
            title="Uppsikt över nämndernas interna kontroll {år}",
            background_heading="Ärendebeskrivning",
            summary_heading="Ärendebeskrivning",
            proposer="Kommunledningens förslag till beslut",
        )
        url = reverse("oversight:overview_report", args=["testkommun", "FMT"])
        query = {"ar": 2018, "per": self.followup.cutoff.isoformat()}
        for fmt, text in self._texts(url.replace("FMT", "{fmt}"), **query).items():
            assert flat("Uppsikt över nämndernas interna kontroll 2018") in text, fmt
            assert text.count("Ärendebeskrivning") == 1, fmt
            assert flat("Kommunledningens förslag till beslut") in text, fmt
            assert flat("Sammanställning per nämnd") not in text, fmt
            assert flat("Förslag till beslut") not in text.replace(
                flat("Kommunledningens förslag till beslut"), ""
            ), fmt

    def test_each_kind_of_document_has_its_own_wording_and_the_follow_up_keeps_its_own(self):
        self._word("plan", title="Egen planrubrik")
        self._word("followup", title="Egen uppföljningsrubrik")
        page = self.client.get(reverse("web:organisation_settings", args=["testkommun"]))
        for kind in ("followup", "plan", "oversight"):
            assert self.url(kind=kind) in page.content.decode()
        form = self.client.get(self.url(kind="plan")).content.decode()
        assert "Rubrik för risksammanfattningen" in form and "Egen planrubrik" in form
        followup_url = reverse(
            "reports:followup_report",
            kwargs={"followup_id": self.followup.public_id, "fmt": "docx"},
        )
        text = docx_text(self.client.get(followup_url).content)
        assert "Egen uppföljningsrubrik" in text and "Egen planrubrik" not in text
