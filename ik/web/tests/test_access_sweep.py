"""Every URL pattern, checked against a stranger and a read-only user, so no view escapes."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ik.contracts.models import Contract
from ik.org.models import Committee, Person, Unit
from ik.reports.models import ArchivedItem
from ik.test import BaseTestCase

PUBLIC = {"login", "logout", "web:health", "ops:readiness"}
# An invitation link is opened before the invitee has an account; tested in ik/accounts/tests.
PUBLIC |= {"accounts:invitation_accept"}
# Not tied to an organisation: the same demo files for every signed-in user.
SHARED = {"controls:example_file"}
INDEX_PAGES = {"web:home", "web:organisation_index"}
# Not tied to an organisation: only a superuser sets up a new one; tested in ik/accounts/tests.
SUPERUSER_ONLY = {"accounts:organisation_setup"}
# The user's own settings: the same page whatever organisation, so never a 404.
OWN_SETTINGS = {"notifications:preferences", "notifications:calendar_regenerate"}
# Public by an unguessable token instead of a login; tested in ik/notifications/tests.
PUBLIC_BY_TOKEN = {"notifications:calendar_feed"}
# Django's own English, which must never reach a page: empty choices and form errors.
ENGLISH = ("Select an option", "---------", "This field is required", "Enter a valid")


def _patterns() -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []

    def walk(items: list[Any], namespace: str) -> None:
        for item in items:
            if isinstance(item, URLResolver):
                walk(item.url_patterns, item.namespace or namespace)
            elif isinstance(item, URLPattern) and item.name:
                name = f"{namespace}:{item.name}" if namespace else item.name
                found.append((name, list(item.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return found


ARCHIVED = b"%PDF-1.7\n"
ARCHIVED_SHA = hashlib.sha256(ARCHIVED).hexdigest()


def _archived(followup: Any) -> ArchivedItem:
    item = ArchivedItem(
        followup=followup, format="pdf", sha256=ARCHIVED_SHA, size=9, archived_at=timezone.now()
    )
    item.file.save("prov.pdf", ContentFile(ARCHIVED), save=False)
    item.save()
    return item


def write_archive_files(case: Any) -> None:
    """The archived items' bytes in the test's own media folder, which is new per test."""
    for item in (case.archived, case.foreign_archived):
        default_storage.save(item.file.name, ContentFile(ARCHIVED))


def add_structure(cls: Any) -> None:
    """A unit, a person and an archived item in each organisation, for the addresses of the
    structure pages and the archive."""
    cls.archived = _archived(cls.followup)
    cls.foreign_archived = _archived(cls.foreign_followup)
    cls.unit = Unit.objects.create(committee=cls.ks, name="Ekonomiska avdelningen")
    foreign_ks = Committee.objects.get(organisation__code="annan", code="ks")
    cls.foreign_unit = Unit.objects.create(committee=foreign_ks, name="Främmande enhet")
    cls.person = Person.objects.create(organisation=cls.org, name="Pia Person")
    cls.foreign_person = Person.objects.create(
        organisation=foreign_ks.organisation, name="Främling"
    )
    cls.contract = Contract.objects.create(
        organisation=cls.org, supplier="Adda AB", contract_id="R-1", valid_from=date(2018, 1, 1)
    )
    cls.foreign_contract = Contract.objects.create(
        organisation=foreign_ks.organisation,
        supplier="Främmande AB",
        contract_id="F-1",
        valid_from=date(2018, 1, 1),
    )


class AccessSweepTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        add_structure(cls)

    def setUp(self) -> None:
        super().setUp()
        write_archive_files(self)

    def kwargs_for(self, params: list[str], *, foreign: bool) -> dict[str, Any]:
        objects = {
            "org": "annan" if foreign else "testkommun",
            "committee": "ks",
            "plan_id": (self.foreign_plan if foreign else self.plan).public_id,
            "point_id": (
                self.foreign_plan.control_points.first() if foreign else self.point
            ).public_id,
            "followup_id": (self.foreign_followup if foreign else self.followup).public_id,
            "entry_id": (self.foreign_entry if foreign else self.entry).public_id,
            "deviation_id": (self.foreign_deviation if foreign else self.deviation).public_id,
            "action_id": (self.foreign_action if foreign else self.action).public_id,
        }
        objects["fmt"] = "pdf"
        objects["kind"] = "followup"
        objects["name"] = "exempel_larmregler.yml"
        objects["run_id"] = (self.foreign_run if foreign else self.control_run).public_id
        objects["mapping_id"] = (self.foreign_mapping if foreign else self.mapping).public_id
        objects["system_id"] = (self.foreign_system if foreign else self.system).public_id
        objects["competence_id"] = (
            self.foreign_competence if foreign else self.competence
        ).public_id
        objects["token"] = "no-such-calendar-token"
        objects["common_id"] = (self.foreign_common if foreign else self.common).public_id
        objects["deadline_id"] = (self.foreign_deadline if foreign else self.deadline).public_id
        objects["username"] = "stranger" if foreign else "secretary"
        objects["risk_id"] = (self.foreign_risk if foreign else self.risk).public_id
        objects["category_id"] = (self.foreign_category if foreign else self.category).public_id
        objects["unit_id"] = (self.foreign_unit if foreign else self.unit).public_id
        objects["person_id"] = (self.foreign_person if foreign else self.person).public_id
        objects["archive_id"] = (self.foreign_archived if foreign else self.archived).public_id
        objects["contract_id"] = (self.foreign_contract if foreign else self.contract).public_id
        missing = set(params) - set(objects)
        assert not missing, f"the sweep does not know the URL parameters {missing}"
        return {p: objects[p] for p in params}

    def test_the_sweep_covers_every_view(self):
        names = {name for name, _ in _patterns()}
        assert {"plans:plan_detail", "followups:entry_edit", "followups:action_close"} <= names
        assert len(names) >= 18

    def test_a_user_of_another_organisation_gets_404_everywhere(self):
        self.client.force_login(self.controller)
        checked = 0
        for name, params in _patterns():
            if name in PUBLIC | INDEX_PAGES | SHARED | OWN_SETTINGS | PUBLIC_BY_TOKEN:
                continue
            if name in SUPERUSER_ONLY:
                continue
            url = reverse(name, kwargs=self.kwargs_for(params, foreign=True))
            for method in ("get", "post"):
                response = getattr(self.client, method)(url)
                assert response.status_code in (404, 405), (name, method, response.status_code)
                checked += 1
        assert checked >= 30

    def test_a_read_only_user_can_change_nothing(self):
        self.client.force_login(self.auditor)
        for name, params in _patterns():
            if name in PUBLIC | PUBLIC_BY_TOKEN:
                continue
            url = reverse(name, kwargs=self.kwargs_for(params, foreign=False))
            response = self.client.post(url, {"description": "x", "year": "2030"})
            assert response.status_code in (403, 405), (name, response.status_code)

    def test_anonymous_users_are_sent_to_login(self):
        for name, params in _patterns():
            if name in PUBLIC | PUBLIC_BY_TOKEN:
                continue
            url = reverse(name, kwargs=self.kwargs_for(params, foreign=False))
            response = self.client.get(url)
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name

    def test_no_page_shows_djangos_english(self):
        self.client.force_login(self.controller)
        found = []
        checked = 0
        for name, params in _patterns():
            if name in PUBLIC | PUBLIC_BY_TOKEN | SUPERUSER_ONLY:
                continue
            url = reverse(name, kwargs=self.kwargs_for(params, foreign=False))
            response = self.client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            found += [(name, text) for text in ENGLISH if text in html]
            checked += 1
        assert not found
        assert checked >= 30

    def test_read_only_users_are_never_shown_a_link_that_ends_in_403(self):
        for reader in (self.auditor, self.politician):
            self.client.force_login(reader)
            links: set[str] = set()
            pages = []
            for name, params in _patterns():
                if name in PUBLIC | PUBLIC_BY_TOKEN | SUPERUSER_ONLY:
                    continue
                url = reverse(name, kwargs=self.kwargs_for(params, foreign=False))
                response = self.client.get(url)
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    pages.append(url)
                    links |= set(re.findall(r'href="(/[^"#?]*)', response.content.decode()))
            refused = sorted(link for link in links if self.client.get(link).status_code == 403)
            assert not refused, (reader.username, refused)
            assert len(pages) >= 10
