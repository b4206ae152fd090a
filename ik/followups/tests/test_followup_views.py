from datetime import date
from decimal import Decimal

from django.urls import reverse

from ik.followups.forms import FollowUpEditForm
from ik.followups.models import Action, Deviation, FollowUp, FollowUpEntry
from ik.followups.services import followup_create
from ik.org.models import AuditEvent
from ik.test import TEST_SETUP, BaseTestCase, mark_adopted


class EntryEditTests(BaseTestCase):
    def url(self, entry=None):
        return reverse("followups:entry_edit", kwargs={"entry_id": (entry or self.entry).public_id})

    def post(self, value, **extra):
        data = {
            "execution_status": "done",
            "result_text": "Kontrollerat.",
            "measured_value": value,
            "assessment": "",
            "version": FollowUpEntry.objects.get(pk=self.entry.pk).version,
            **extra,
        }
        return self.client.post(self.url(), data)

    def test_value_above_target_turns_the_assessment_red(self):
        self.client.force_login(self.owner)
        response = self.post("8")
        assert response.status_code == 302
        self.entry.refresh_from_db()
        assert self.entry.measured_value == Decimal(8)
        assert self.entry.assessment == "red"

    def test_decimal_comma_and_percent_sign_are_accepted(self):
        self.client.force_login(self.owner)
        self.post("4,5 %")
        self.entry.refresh_from_db()
        assert self.entry.measured_value == Decimal("4.5")
        assert self.entry.assessment == "green"

    def test_a_word_is_refused_with_a_clear_message_and_nothing_saved(self):
        self.client.force_login(self.owner)
        response = self.post("åtta")
        assert response.status_code == 422
        assert "”åtta” är inte ett tal" in response.content.decode()
        self.entry.refresh_from_db()
        assert self.entry.measured_value is None
        assert self.entry.result_text == ""

    def test_not_done_needs_a_reason(self):
        self.client.force_login(self.owner)
        response = self.post("", execution_status="not_done")
        assert "Ange varför kontrollen inte har genomförts" in response.content.decode()

    def test_the_change_is_recorded_in_the_audit_trail(self):
        self.client.force_login(self.owner)
        self.post("8")
        event = AuditEvent.objects.filter(action="entry_record").latest("at")
        assert event.actor == self.owner
        assert event.changes["assessment"] == ["", "red"]

    def test_htmx_request_gets_only_the_card(self):
        self.client.force_login(self.owner)
        response = self.client.post(
            self.url(),
            {
                "execution_status": "done",
                "result_text": "Klart.",
                "measured_value": "9",
                "version": self.entry.version,
            },
            headers={"HX-Request": "true"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert 'id="post-' in html and "Röd" in html

    def test_owner_of_another_point_gets_403_and_stranger_404(self):
        self.client.force_login(self.owner)
        assert self.client.get(self.url(self.other_entry)).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404

    def test_auditor_gets_403(self):
        self.client.force_login(self.auditor)
        assert self.post("1").status_code == 403

    def test_next_redirects_only_to_this_site(self):
        self.client.force_login(self.owner)
        response = self.post("1", next="https://evil.example/")
        assert response["Location"] == self.followup.get_absolute_url()
        response = self.post("1", next=self.plan.get_absolute_url())
        assert response["Location"] == self.plan.get_absolute_url()


class FollowUpCreateTests(BaseTestCase):
    def url(self):
        return reverse("followups:followup_create", kwargs={"plan_id": self.plan.public_id})

    def test_creates_an_entry_per_control_point(self):
        self.client.force_login(self.secretary)
        response = self.client.post(self.url(), {"cutoff": "2018-12-31", "confirmed": "on"})
        followup = FollowUp.objects.get(plan=self.plan, cutoff="2018-12-31")
        assert response["Location"] == followup.get_absolute_url()
        assert followup.entries.count() == 2

    def test_a_plan_that_is_not_adopted_asks_for_confirmation_first(self):
        self.client.force_login(self.secretary)
        assert "Planen är inte fastställd" in self.client.get(self.url()).content.decode()
        response = self.client.post(self.url(), {"cutoff": "2018-12-31"})
        assert response.status_code == 422
        assert not self.plan.followups.filter(cutoff="2018-12-31").exists()

    def test_an_adopted_plan_needs_no_confirmation(self):
        mark_adopted(self.plan)
        self.client.force_login(self.secretary)
        assert "Planen är inte fastställd" not in self.client.get(self.url()).content.decode()
        response = self.client.post(self.url(), {"cutoff": "2018-12-31"})
        assert response.status_code == 302

    def test_cutoff_outside_the_plans_year_is_refused(self):
        self.client.force_login(self.secretary)
        response = self.client.post(self.url(), {"cutoff": "2019-01-31", "confirmed": "on"})
        assert "Brytdatumet måste ligga inom planens år (2018)" in response.content.decode()
        assert self.plan.followups.count() == 1

    def test_a_second_followup_on_the_same_date_is_refused(self):
        self.client.force_login(self.secretary)
        response = self.client.post(self.url(), {"cutoff": "2018-08-31", "confirmed": "on"})
        assert "Det finns redan en uppföljning" in response.content.decode()

    def test_control_owner_cannot_create_followups(self):
        self.client.force_login(self.owner)
        assert self.client.post(self.url(), {"cutoff": "2018-12-31"}).status_code == 403


class FollowUpDetailTests(BaseTestCase):
    def test_lists_entries_with_deviations_and_actions(self):
        self.client.force_login(self.politician)
        url = self.followup.get_absolute_url()
        html = self.client.get(url).content.decode()
        assert "Fråga 1?" in html and "Sent" in html and "Rutin" in html
        assert "Registrera avvikelse" not in html

    def test_politician_of_another_committee_sees_404(self):
        self.client.force_login(self.politician)
        sn_followup = followup_create(plan=self.sn_plan, cutoff=date(2018, 8, 31), by=TEST_SETUP)
        assert self.client.get(sn_followup.get_absolute_url()).status_code == 404


class DeviationAndActionTests(BaseTestCase):
    def test_owner_registers_a_deviation_and_an_action(self):
        self.client.force_login(self.owner)
        url = reverse("followups:deviation_create", kwargs={"entry_id": self.entry.public_id})
        response = self.client.post(
            url, {"description": "För många sena", "severity": "significant"}
        )
        assert response.status_code == 302
        deviation = Deviation.objects.get(description="För många sena")
        url = reverse("followups:action_create", kwargs={"deviation_id": deviation.public_id})
        response = self.client.post(
            url, {"description": "Ny rutin", "owner_text": "Ekonomichef", "due_date": "2018-12-31"}
        )
        assert response.status_code == 302
        assert Action.objects.get(deviation=deviation).status == Action.Status.PLANNED

    def test_action_cannot_be_closed_without_an_effect_check(self):
        self.client.force_login(self.secretary)
        url = reverse("followups:action_close", kwargs={"action_id": self.action.public_id})
        response = self.client.post(url, {"effect_check": "  ", "closed_on": "2019-01-15"})
        assert response.status_code == 422
        assert "Beskriv hur åtgärdens effekt har kontrollerats" in response.content.decode()
        self.action.refresh_from_db()
        assert not self.action.is_closed

    def test_action_closes_with_its_effect_check(self):
        self.client.force_login(self.secretary)
        url = reverse("followups:action_close", kwargs={"action_id": self.action.public_id})
        response = self.client.post(
            url,
            {
                "effect_check": "Ny mätning visar 3 %.",
                "closed_on": "2019-01-15",
                "version": self.action.version,
            },
        )
        assert response.status_code == 302
        self.action.refresh_from_db()
        assert self.action.is_closed and self.action.effect_check == "Ny mätning visar 3 %."

    def test_closing_is_post_only(self):
        self.client.force_login(self.secretary)
        url = reverse("followups:action_close", kwargs={"action_id": self.action.public_id})
        assert self.client.get(url).status_code == 405

    def test_auditor_cannot_change_an_action(self):
        self.client.force_login(self.auditor)
        url = reverse("followups:action_edit", kwargs={"action_id": self.action.public_id})
        assert self.client.post(url, {"status": "done"}).status_code == 403

    def test_a_reader_following_a_link_sees_the_action_read_only(self):
        url = reverse("followups:action_edit", kwargs={"action_id": self.action.public_id})
        for reader in (self.auditor, self.politician):
            self.client.force_login(reader)
            assert url in self.client.get(self.followup.get_absolute_url()).content.decode()
            response = self.client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert "Rutin" in html
            assert "Spara status" not in html and "Avsluta åtgärd" not in html
        self.client.force_login(self.stranger)
        assert self.client.get(url).status_code == 404


class FollowUpEditTests(BaseTestCase):
    def test_the_eighteen_fields_come_in_three_parts_each_field_once(self):
        self.client.force_login(self.secretary)
        url = reverse("followups:followup_edit", kwargs={"followup_id": self.followup.public_id})
        html = self.client.get(url).content.decode()
        parts = html.split('<fieldset class="field-group"')[1:]
        legends = [part.split("<legend>")[1].split("</legend>")[0] for part in parts]
        assert legends == ["Uppföljningen", "Tjänsteskrivelsen", "Protokollsutdraget"]
        assert 'name="due_on"' in parts[0] and 'name="case_number"' not in parts[0]
        assert 'name="summary"' in parts[1] and 'name="protocol_summary"' not in parts[1]
        assert 'name="minutes_officer"' in parts[2]
        for name in FollowUpEditForm.Meta.fields:
            assert html.count(f'id="id_{name}"') == 1, name

    def test_an_empty_summary_is_offered_as_a_draft_from_the_entries(self):
        self.client.force_login(self.secretary)
        url = reverse("followups:followup_edit", kwargs={"followup_id": self.followup.public_id})
        html = self.client.get(url).content.decode()
        textarea = html.split('id="id_summary"')[1].split("</textarea>")[0]
        assert "Uppföljningen per 31 augusti 2018 omfattar 2 kontrollmoment." in textarea

    def test_saving_records_the_proposal_and_distribution(self):
        self.client.force_login(self.secretary)
        url = reverse("followups:followup_edit", kwargs={"followup_id": self.followup.public_id})
        response = self.client.post(
            url,
            {
                "summary": "Kort sammanfattning.",
                "proposal_source": "working_committee",
                "proposed_decisions": "Kommunstyrelsen godkänner uppföljningen.",
                "distribution": "Kommunstyrelsen\nAkten",
            },
        )
        assert response.status_code == 302
        self.followup.refresh_from_db()
        assert self.followup.distribution_lines() == ["Kommunstyrelsen", "Akten"]
        assert self.followup.proposal_source == "working_committee"
