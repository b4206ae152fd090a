"""Hostile logos and Word templates on the organisation's settings page.

Each is refused at upload with a Swedish message naming what is wrong; one stored before
these checks existed no longer breaks the committee's documents.
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ik.lib.tests import hostile
from ik.reports.render_docx import DEFAULT_TEMPLATE
from ik.test import BaseTestCase


class HostileUploadTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.controller)

    def post(self, **files: SimpleUploadedFile) -> str:
        url = reverse("web:organisation_settings", kwargs={"org": "testkommun"})
        data = {"name": "Testkommun", "postal_address": "Box 1", **files}
        response = self.client.post(url, data)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def download(self, fmt: str) -> bytes:
        url = reverse(
            "reports:followup_report",
            kwargs={"followup_id": self.followup.public_id, "fmt": fmt},
        )
        response = self.client.get(url)
        assert response.status_code == 200
        return response.content

    def test_a_macro_enabled_word_file_is_refused_in_swedish_not_as_a_python_repr(self) -> None:
        page = self.post(
            word_template=SimpleUploadedFile("mall.docm", hostile.docx(main=hostile.DOCM_MAIN))
        )
        assert "Word-mallen innehåller makron (VBA-kod)" in page
        assert "object at 0x" not in page
        self.org.refresh_from_db()
        assert not self.org.word_template

    def test_a_docx_carrying_a_vba_project_is_refused(self) -> None:
        template = hostile.docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
        page = self.post(word_template=SimpleUploadedFile("mall.docx", template))
        assert "Word-mallen innehåller makron (VBA-kod)" in page

    def test_a_template_that_unpacks_to_gigabytes_is_refused_without_unpacking_it(self) -> None:
        bomb = hostile.docx_bomb(3 << 30)
        assert len(bomb) < 8 << 20
        page = self.post(word_template=SimpleUploadedFile("mall.docx", bomb))
        assert "Word-mallen packas upp till mer än 32 MB (delen word/document.xml)" in page

    def test_a_template_declaring_entities_is_refused(self) -> None:
        template = hostile.docx(prolog=hostile.BILLION_LAUGHS, text="&amp;lol9;")
        page = self.post(word_template=SimpleUploadedFile("mall.docx", template))
        assert "dokumenttypsdeklaration (DTD)" in page
        assert "word/document.xml" in page

    def test_a_corrupt_png_is_refused_at_upload(self) -> None:
        page = self.post(logo=SimpleUploadedFile("logo.png", hostile.png_corrupt()))
        assert "Logotypen är skadad och kan inte läsas som bild." in page
        self.org.refresh_from_db()
        assert not self.org.logo

    def test_a_logo_of_thirty_thousand_pixels_square_is_refused(self) -> None:
        page = self.post(logo=SimpleUploadedFile("logo.png", hostile.png(30_000, 30_000)))
        assert "30\u00a0000 × 30\u00a0000 bildpunkter; gränsen är 10\u00a0000" in page

    def test_a_good_logo_is_stored_as_ik_reencoded_it_and_used_in_the_pdf(self) -> None:
        source = io.BytesIO()
        Image.new("RGB", (2400, 600), "navy").save(source, format="JPEG")
        url = reverse("web:organisation_settings", kwargs={"org": "testkommun"})
        logo = SimpleUploadedFile("logo.jpg", source.getvalue())
        response = self.client.post(url, {"name": "Testkommun", "logo": logo})
        assert response.status_code == 302
        self.org.refresh_from_db()
        with self.org.logo.open("rb") as stored, Image.open(stored) as image:
            assert (image.format, image.size) == ("PNG", (1200, 300))
        assert b"/Subtype/Image" in self.download("pdf")

    def test_documents_still_download_with_a_corrupt_logo_stored_before_the_checks(self) -> None:
        self.org.logo.save("gammal.png", ContentFile(hostile.png_corrupt()))
        assert self.download("pdf").startswith(b"%PDF")
        assert self.download("docx").startswith(b"PK")

    def test_a_macro_template_stored_before_the_checks_never_reaches_a_document(self) -> None:
        template = DEFAULT_TEMPLATE.read_bytes()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(out, "w") as copy:
            for info in source.infolist():
                copy.writestr(info, source.read(info.filename))
            copy.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
        self.org.word_template.save("gammal.docx", ContentFile(out.getvalue()))
        with zipfile.ZipFile(io.BytesIO(self.download("docx"))) as document:
            assert "word/vbaProject.bin" not in document.namelist()
