"""The oversight and follow-up reports carry their charts, in PDF and in Word."""

import io
import zipfile
from datetime import date

import docx
from django.urls import reverse

from ik.reports.tests.pdftext import PdfFile
from ik.reports.tests.test_trends import late_payments_common, record
from ik.test import BaseTestCase


def _flat(text: str) -> str:
    return "".join(text.split())


def _pictures(data: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert any(n.startswith("word/media/") for n in package.namelist())
    word = docx.Document(io.BytesIO(data))
    return [
        (s._inline.docPr.get("title"), s._inline.docPr.get("descr")) for s in word.inline_shapes
    ]


class ReportChartTests(BaseTestCase):
    def setUp(self):
        common = late_payments_common(self.org, 2018, "Betalas fakturor i tid?")
        ks_point = self.plan.control_points.get(common=common)
        sn_point = self.sn_plan.control_points.get(common=common)
        record(self.plan, date(2018, 8, 31), ks_point, "8")
        record(self.sn_plan, date(2018, 8, 31), sn_point, "4")
        record(self.plan, date(2018, 12, 31), ks_point, "5")
        record(self.sn_plan, date(2018, 12, 31), sn_point, "3")
        record(self.plan, date(2018, 8, 31), self.point, "7")
        record(self.plan, date(2018, 12, 31), self.point, "4")
        self.client.force_login(self.controller)

    def _oversight(self, fmt: str) -> bytes:
        url = reverse("oversight:overview_report", args=["testkommun", fmt])
        response = self.client.get(url, {"ar": 2018, "per": "2018-12-31"})
        assert response.status_code == 200
        return b"".join(response.streaming_content) if response.streaming else response.content

    def test_the_oversight_pdf_has_the_verdicts_the_values_and_the_trend_as_figures(self):
        text = _flat(PdfFile(self._oversight("pdf")).text())
        assert _flat("Diagram 1: Bedömningar per nämnd per 31 december 2018") in text
        assert _flat("Diagram 2: Försent betalda fakturor: mätvärde per nämnd mot målet") in text
        assert (
            _flat(
                "Diagram 3: Försent betalda fakturor, hela kommunen: mätvärde per uppföljning 2018"
            )
            in text
        )

    def test_the_oversight_docx_has_each_chart_as_a_picture_with_its_words(self):
        titles = [title for title, _ in _pictures(self._oversight("docx"))]
        assert titles == [
            "Bedömningar per nämnd per 31 december 2018",
            "Försent betalda fakturor: mätvärde per nämnd mot målet högst 5\u00a0%",
            "Försent betalda fakturor, hela kommunen: mätvärde per uppföljning 2018",
        ]

    def test_the_follow_up_report_shows_each_measured_point_up_to_its_cut_off(self):
        followup = self.plan.followups.get(cutoff=date(2018, 12, 31))
        url = reverse("reports:followup_report", args=[followup.public_id, "docx"])
        pictures = _pictures(self.client.get(url).content)
        assert [t for t, _ in pictures] == [
            "Process 1: mätvärde per uppföljning 2018",
            "Försent betalda fakturor: mätvärde per uppföljning 2018",
        ]
        assert "31 dec 2018: 4\u00a0% (mål 5\u00a0%), grön" in pictures[0][1]
        pdf = self.client.get(url.replace("docx", "pdf")).content
        assert _flat("Diagram 1: Process 1: mätvärde per uppföljning 2018") in _flat(
            PdfFile(pdf).text()
        )
        earlier = self.plan.followups.get(cutoff=date(2018, 8, 31))
        url = reverse("reports:followup_report", args=[earlier.public_id, "docx"])
        word = docx.Document(io.BytesIO(self.client.get(url).content))
        assert not word.inline_shapes  # one value per point up to 31 August: no line yet
