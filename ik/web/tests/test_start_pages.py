"""The start page by role: readers see their committees, controllers what is late."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.models import Action
from ik.followups.services import action_close, entry_record, followup_report
from ik.org.models import Role
from ik.test import TEST_SETUP, BaseTestCase, make_plan, make_user


class ReaderStartTests(BaseTestCase):
    def home(self, user):
        self.client.force_login(user)
        return self.client.get(reverse("web:home")).content.decode()

    def test_politician_sees_the_latest_followup_its_red_points_and_what_is_open(self):
        entry_record(
            entry=self.entry,
            by=TEST_SETUP,
            execution_status="done",
            result_text="8 %",
            assessment="red",
        )
        html = self.home(self.politician)
        assert "Nämndernas senaste uppföljningar" in html
        assert f'href="{self.followup.get_absolute_url()}">Per 31 augusti 2018</a>' in html
        assert f"#post-{self.entry.public_id}" in html  # the red assessment links to its card
        assert "1 avvikelse där någon åtgärd" in html and "Sent" in html
        assert "Rutin" in html  # overdue since 2018-12-31
        assert "Du har inga kontrollmoment" not in html
        # Nothing from the other organisation.
        assert self.foreign_followup.get_absolute_url() not in html and ">Y<" not in html

    def test_a_deviation_whose_actions_are_closed_is_no_longer_open(self):
        action_close(
            action=self.action,
            by=TEST_SETUP,
            closed_on=date(2018, 11, 1),
            effect_check="Kontrollerad",
        )
        html = self.home(self.auditor)
        assert "Inga öppna avvikelser." in html
        assert "Inga försenade åtgärder." in html
        assert Action.objects.get(pk=self.action.pk).status == Action.Status.CLOSED

    def test_followups_reported_since_the_previous_login_are_listed(self):
        self.auditor.set_password("lösenord-1")
        self.auditor.save()
        login = {"username": "auditor", "password": "lösenord-1"}
        self.client.post(reverse("login"), login)
        self.client.post(reverse("logout"))
        followup_report(
            followup=self.followup,
            by=TEST_SETUP,
            meeting_date=date(2018, 9, 20),
            decision_paragraph="7",
        )
        self.client.post(reverse("login"), login)
        html = self.client.get(reverse("web:home")).content.decode()
        assert "sammanträde 20 september 2018" in html

    def test_a_first_visit_says_so_instead_of_listing_everything(self):
        assert "Det här är ditt första besök" in self.home(self.auditor)

    def test_reader_start_costs_the_same_queries_however_many_committees(self):
        url = reverse("web:home")
        self.client.force_login(self.auditor)
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        for code in ("bun", "kfn", "snb"):
            committee = self.org.committees.create(code=code, name=code.upper())
            make_plan(committee, points=2)
        with CaptureQueriesContext(connection) as large:
            self.client.get(url)
        assert len(large) == len(small)


class ControllerStartTests(BaseTestCase):
    def test_controller_sees_per_named_organisation_what_is_late_with_links(self):
        self.client.force_login(self.controller)
        html = self.client.get(reverse("web:home")).content.decode()
        assert "Försenat i Testkommun" in html
        committee_url = reverse("web:committee_detail", args=["testkommun", "ks"])
        assert f'<a href="{committee_url}">Kommunstyrelsen</a>: Planen är inte fastställd.' in html
        assert "Försenat i Annan kommun" not in html
        assert reverse("plans:deadline_list", args=["testkommun"]) + "?ar=2018" in html

    def test_a_controller_of_two_organisations_sees_which_is_which(self):
        make_user("both", organisation=self.org, role=Role.CONTROLLER)
        both = type(self.controller).objects.get(username="both")
        both.memberships.create(
            organisation=self.foreign_plan.committee.organisation, role="controller"
        )
        self.client.force_login(both)
        html = self.client.get(reverse("web:home")).content.decode()
        assert "Försenat i Annan kommun" in html and "Försenat i Testkommun" in html
        assert '<div class="muted">Annan kommun</div>' in html


class SavedResultTests(BaseTestCase):
    def test_the_owner_sees_the_colour_of_the_result_just_saved(self):
        self.client.force_login(self.owner)
        response = self.client.post(
            reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id}),
            {
                "execution_status": "done",
                "result_text": "Åtta procent",
                "assessment": "red",
                "version": self.entry.version,
            },
            follow=True,
        )
        assert "Kontrollmoment 1 är sparat. Bedömning: Röd – väsentlig avvikelse." in (
            response.content.decode()
        )
