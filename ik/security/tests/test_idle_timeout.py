"""A session left idle past the organisation's limit is signed out; an active one is not.

The fault: someone walks away from a signed-in browser in a shared office. Tests age the
session's last activity instead of waiting, so no test depends on the clock moving.
"""

from __future__ import annotations

import time

from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.org.models import DEFAULT_IDLE_MINUTES, Membership, Organisation, Role
from ik.security.idle import (
    ACTIVITY_COOKIE,
    IDLE_LIMIT,
    SIGNED_IN_AT,
    activity_cookie,
)
from ik.test import BaseTestCase


class IdleTimeoutTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.controller)
        self.home = reverse("web:home")
        assert self.client.get(self.home).status_code == 200

    def age_session(self, seconds: int) -> None:
        """The last request, and the sign-in, were `seconds` ago."""
        then = int(time.time()) - seconds
        session = self.client.session
        session[SIGNED_IN_AT] = then
        session.save()
        self.client.cookies[ACTIVITY_COOKIE] = activity_cookie(session.session_key, then)

    def last_activity(self) -> int:
        return signing.loads(self.client.cookies[ACTIVITY_COOKIE].value, salt="ik.security.idle")[1]

    def test_the_default_limit_is_eight_hours(self):
        assert DEFAULT_IDLE_MINUTES == 480
        assert self.client.session[IDLE_LIMIT] == 8 * 3600

    def test_a_request_costs_no_query_to_keep_the_time(self):
        with CaptureQueriesContext(connection) as first:
            self.client.get(self.home)
        self.age_session(3600)
        with CaptureQueriesContext(connection) as later:
            self.client.get(self.home)
        assert len(first) == len(later)

    def test_a_session_idle_longer_than_the_limit_is_signed_out(self):
        self.age_session(8 * 3600 + 1)
        response = self.client.get(self.home)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in self.client.session
        page = self.client.get(response["Location"]).content.decode()
        assert "Du har loggats ut efter 8 timmar utan aktivitet" in page
        assert self.client.get(self.home).status_code == 302  # still signed out

    def test_a_session_used_within_the_limit_stays_and_is_renewed(self):
        self.age_session(8 * 3600 - 60)
        assert self.client.get(self.home).status_code == 200
        assert int(time.time()) - self.last_activity() < 60

    def test_a_stolen_session_cannot_be_kept_alive_with_another_sessions_cookie(self):
        self.age_session(9 * 3600)
        self.client.cookies[ACTIVITY_COOKIE] = activity_cookie("another-session", int(time.time()))
        assert self.client.get(self.home).status_code == 302

    def test_a_form_posted_after_the_limit_changes_nothing(self):
        self.age_session(9 * 3600)
        url = reverse("web:organisation_settings", kwargs={"org": self.org.code})
        response = self.client.post(url, {"name": "Efter utloggning"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
        self.org.refresh_from_db()
        assert self.org.name == "Testkommun"

    def test_htmx_requests_are_sent_to_the_login_page(self):
        self.age_session(9 * 3600)
        response = self.client.get(self.home, headers={"HX-Request": "true"})
        assert response["HX-Redirect"].startswith(reverse("login"))

    def test_the_controller_sets_the_limit_on_the_settings_page(self):
        url = reverse("web:organisation_settings", kwargs={"org": self.org.code})
        assert "Utloggning efter inaktivitet" in self.client.get(url).content.decode()
        response = self.client.post(url, {"name": "Testkommun", "session_idle_minutes": 30})
        assert response.status_code == 302
        self.org.refresh_from_db()
        assert self.org.session_idle_minutes == 30
        self.client.force_login(self.controller)  # a limit applies from the next sign-in
        self.age_session(31 * 60)
        assert self.client.get(self.home).status_code == 302

    def test_a_limit_outside_the_bounds_is_refused_in_swedish(self):
        url = reverse("web:organisation_settings", kwargs={"org": self.org.code})
        html = self.client.post(url, {"name": "Testkommun", "session_idle_minutes": 1})
        assert "större än eller lika med 5" in html.content.decode()

    def test_a_user_in_two_organisations_gets_the_stricter_limit(self):
        Organisation.objects.filter(code="annan").update(session_idle_minutes=15)
        Membership.objects.create(
            user=self.controller,
            organisation=Organisation.objects.get(code="annan"),
            role=Role.AUDITOR,
        )
        self.client.force_login(self.controller)
        assert self.client.session[IDLE_LIMIT] == 15 * 60
        self.age_session(16 * 60)
        assert self.client.get(self.home).status_code == 302
