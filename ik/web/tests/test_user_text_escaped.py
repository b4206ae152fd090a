"""Whatever a user types is shown as text: on every page, in form help texts, in Word.

The attacker writes markup into every text field IK stores (names, questions, methods,
measure units, results, descriptions…) and every page and Word document is opened.
"""

from __future__ import annotations

import io

from django.db import models
from django.urls import reverse
from docx import Document

from ik.backup.graph import ik_models
from ik.org.models import AuditEvent
from ik.test import BaseTestCase
from ik.web.tests import test_access_sweep as sweep

IMG = "<img src=x onerror=alert(1)>"
BOLD = "<b>fet</b>"
# Keys and identifiers the code looks things up by, not text a reader sees.
NOT_TEXT = {"code", "username", "password", "control", "token", "key", "input_name"}


def text_fields(model: type[models.Model]) -> list[models.CharField]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not isinstance(f, (models.SlugField, models.EmailField))
        and not f.choices
        and not f.primary_key
        and f.name not in NOT_TEXT
        and not f.name.endswith(("_hash", "sha256", "digest"))
        and (f.max_length or 1000) >= len(BOLD) + 4
    ]


def hostile(field: models.CharField, pk: object) -> str:
    room = field.max_length or 1000
    text = f"{IMG}{BOLD} {pk}" if room >= len(IMG) + len(BOLD) + 8 else f"{BOLD}{pk}"
    return text[:room]


class UserTextTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        sweep.add_structure(cls)
        cls.filled = []
        for model in ik_models():
            if model is AuditEvent:
                continue
            fields = text_fields(model)
            for row in model._base_manager.all():
                model._base_manager.filter(pk=row.pk).update(
                    **{f.name: hostile(f, row.pk) for f in fields}
                )
            cls.filled += [f"{model._meta.label}.{f.name}" for f in fields]
        cls.point.refresh_from_db()

    def setUp(self):
        super().setUp()
        sweep.write_archive_files(self)

    def assert_inert(self, html: str, where: str) -> None:
        assert "<img" not in html.lower(), where
        assert "<b>fet" not in html, where

    def test_the_text_fields_users_fill_in_are_all_hostile(self):
        for name in (
            "plans.ControlPoint.measure_unit",
            "plans.ControlPoint.question",
            "org.Organisation.name",
            "followups.FollowUpEntry.result_text",
            "systems.System.name",
            "risks.Risk.description",
        ):
            assert name in self.filled

    def test_every_page_shows_user_text_as_text(self):
        self.client.force_login(self.controller)
        shown = 0
        for name, params in sweep._patterns():
            if name in sweep.PUBLIC | sweep.SHARED | sweep.PUBLIC_BY_TOKEN | sweep.OWN_SETTINGS:
                continue
            kwargs = sweep.AccessSweepTests.kwargs_for(self, params, foreign=False)
            response = self.client.get(reverse(name, kwargs=kwargs))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            self.assert_inert(html, name)
            shown += "&lt;b&gt;fet&lt;/b&gt;" in html
        assert shown >= 15

    def test_the_measure_unit_in_the_entry_forms_help_text_is_escaped(self):
        self.client.force_login(self.owner)
        html = self.client.get(reverse("followups:entry_edit", args=[self.entry.public_id]))
        html = html.content.decode()
        self.assert_inert(html, "entry_edit")
        assert 'class="helptext"' in html and "&lt;b&gt;fet&lt;/b&gt;" in html

    def test_word_documents_show_user_text_as_text(self):
        self.client.force_login(self.controller)
        for url in (
            reverse("reports:plan_report", args=[self.plan.public_id, "docx"]),
            reverse("reports:followup_report", args=[self.followup.public_id, "docx"]),
        ):
            response = self.client.get(url)
            assert response.status_code == 200
            document = Document(
                io.BytesIO(
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            )
            texts = [p.text for p in document.paragraphs]
            texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
            assert any(IMG in t and BOLD in t for t in texts), url
