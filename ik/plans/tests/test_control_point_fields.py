"""Control points hold what real plans hold, and the committee orders them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ik.followups.models import FollowUpEntry
from ik.followups.services import entries_for_new_point, entry_record
from ik.org.models import AuditEvent, Unit
from ik.plans.models import CommonControlPoint, ControlPoint
from ik.plans.services import (
    common_create,
    control_point_create,
    control_point_move,
    plan_adopt,
)
from ik.reports.queries import plan_document
from ik.test import TEST_SETUP, BaseTestCase


def _order(plan) -> list[str]:
    return list(plan.control_points.order_by("position", "id").values_list("question", flat=True))


class ControlPointFieldTests(BaseTestCase):
    def test_a_point_with_code_kind_purpose_scope_and_unit_is_saved_without_method(self):
        self.client.force_login(self.controller)
        url = reverse("plans:control_point_create", kwargs={"plan_id": self.plan.public_id})
        form = self.client.get(url).context["form"]
        response = self.client.post(
            url,
            {
                "code": "V1",
                "kind": "direct_action",
                "process_name": "Miljötillsyn",
                "question": "Inför rutin för delegationsbeslut",
                "purpose": "Att besluten fattas av rätt person",
                "scope": "Beslut under 2019",
                "owner_text": "Miljöchef",
                "unit_text": "Miljöförvaltningen",
                "direction": "at_most",
                "form_token": form["form_token"].initial,
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        point = self.plan.control_points.get(code="V1")
        assert point.is_direct_action
        assert (point.method, point.frequency) == ("", "")
        assert point.unit_text == "Miljöförvaltningen"
        html = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert "V1. Miljötillsyn" in html
        assert "Syfte: Att besluten fattas av rätt person" in html
        assert "Omfattning: Beslut under 2019" in html
        assert "Miljöförvaltningen" in html
        assert "Direktåtgärd" in html

    def test_documents_number_by_code_and_show_purpose_scope_and_unit(self):
        self.point.code = "P"
        self.point.purpose = "Undvika dröjsmålsränta"
        self.point.unit_text = "Ekonomiavdelningen"
        self.point.save()
        document = plan_document(self.plan)
        table = next(b for s in document.sections for b in s.blocks if hasattr(b, "rows"))
        first = [cell.text for cell in table.rows[0]]
        assert first[0] == "P. Process 1"
        assert first[1] == "Fråga 1?\nSyfte: Undvika dröjsmålsränta"
        assert first[3] == "Ekonomichef\nEkonomiavdelningen"
        assert [cell.text for cell in table.rows[1]][0] == "2. Process 2"


class DirectActionFollowUpTests(BaseTestCase):
    def setUp(self):
        self.action_point = control_point_create(
            on_added=entries_for_new_point,
            plan=self.plan,
            by=TEST_SETUP,
            process_name="Arkiv",
            kind=ControlPoint.Kind.DIRECT_ACTION,
            question="Ta fram en arkivbeskrivning",
            owner_text="Arkivarie",
        )
        self.action_entry = self.followup.entries.get(control_point=self.action_point)

    def test_the_report_form_offers_only_done_or_not_done(self):
        self.client.force_login(self.controller)
        url = reverse("followups:entry_edit", kwargs={"entry_id": self.action_entry.public_id})
        form = self.client.get(url).context["form"]
        assert [v for v, _ in form.fields["execution_status"].choices] == ["done", "not_done"]
        assert "assessment" not in form.fields
        assert "measured_value" not in form.fields

    def test_a_direct_action_takes_no_measured_value_or_colour(self):
        with pytest.raises(ValidationError):
            entry_record(
                entry=self.action_entry,
                by=TEST_SETUP,
                execution_status=FollowUpEntry.Execution.DONE,
                result_text="Klar",
                assessment="green",
            )
        with pytest.raises(ValidationError):
            entry_record(
                entry=self.action_entry,
                by=TEST_SETUP,
                execution_status=FollowUpEntry.Execution.IN_PROGRESS,
                result_text="",
            )
        entry_record(
            entry=self.action_entry,
            by=TEST_SETUP,
            execution_status=FollowUpEntry.Execution.DONE,
            result_text="Beskrivningen är antagen.",
        )
        self.action_entry.refresh_from_db()
        assert self.action_entry.execution_status == "done"
        assert self.action_entry.assessment == ""


class ControlPointMoveTests(BaseTestCase):
    def url(self, point, direction="upp"):
        name = (
            "plans:control_point_move_up" if direction == "upp" else "plans:control_point_move_down"
        )
        return reverse(name, kwargs={"point_id": point.public_id})

    def test_moving_a_point_up_and_down_reorders_the_plan_without_javascript(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.url(self.other_point))
        assert response.status_code == 302
        assert response["Location"].endswith("#kontrollmoment-1")
        assert _order(self.plan) == ["Fråga 2?", "Fråga 1?"]
        self.client.post(self.url(self.other_point, "ned"))
        assert _order(self.plan) == ["Fråga 1?", "Fråga 2?"]
        assert list(
            self.plan.control_points.values_list("position", flat=True).order_by("position")
        ) == [1, 2]
        event = AuditEvent.objects.filter(action="control_point_move").latest("id")
        assert event.actor == self.controller

    def test_the_first_point_stays_first_when_moved_up(self):
        control_point_move(point=self.point, by=TEST_SETUP, up=True)
        assert _order(self.plan) == ["Fråga 1?", "Fråga 2?"]

    def test_a_common_point_can_be_placed_between_the_committees_own(self):
        common = common_create(
            organisation=self.org,
            by=TEST_SETUP,
            on_added=entries_for_new_point,
            year=2018,
            process="Gemensamt",
            question="Gemensam fråga?",
            method="Genomgång",
            owner_text="Controller",
            frequency="1 gång per år",
        )
        point = self.plan.control_points.get(common=common)
        assert _order(self.plan)[-1] == "Gemensam fråga?"
        control_point_move(point=point, by=TEST_SETUP, up=True)
        assert _order(self.plan) == ["Fråga 1?", "Gemensam fråga?", "Fråga 2?"]
        assert CommonControlPoint.objects.filter(pk=common.pk).exists()

    def test_an_adopted_plan_keeps_its_order(self):
        plan_adopt(
            plan=self.plan,
            by=TEST_SETUP,
            decided_on=date(2017, 12, 6),
            decision_paragraph="§ 1",
            case_number="KS/2017:1",
        )
        self.client.force_login(self.controller)
        response = self.client.post(self.url(self.other_point), follow=True)
        assert "Planen är fastställd" in response.content.decode()
        assert _order(self.plan) == ["Fråga 1?", "Fråga 2?"]

    def test_the_plan_page_has_move_buttons_for_writers_only(self):
        self.client.force_login(self.controller)
        html = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert self.url(self.other_point) in html
        assert self.url(self.point) not in html  # the first cannot go further up
        self.client.force_login(self.auditor)
        html = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert "Flytta upp" not in html

    def test_stranger_gets_404(self):
        self.client.force_login(self.stranger)
        assert self.client.post(self.url(self.other_point)).status_code == 404

    def test_auditor_gets_403(self):
        self.client.force_login(self.auditor)
        assert self.client.post(self.url(self.other_point)).status_code == 403
        assert _order(self.plan) == ["Fråga 1?", "Fråga 2?"]

    def test_get_is_not_allowed(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url(self.other_point)).status_code == 405
        assert self.client.get(self.url(self.point, "ned")).status_code == 405


def test_a_point_is_numbered_by_its_code_or_else_its_position():
    point = ControlPoint(question="Q", owner_text="O", position=3, target=Decimal(5))
    assert point.number == "3"
    point.code = " V2 "
    assert point.number == "V2"


class ControlPointUnitTests(BaseTestCase):
    def test_the_form_offers_the_committees_active_units_and_the_page_shows_the_one_chosen(self):
        ekonomi = Unit.objects.create(committee=self.ks, name="Ekonomiavdelningen")
        Unit.objects.create(committee=self.ks, name="Nedlagd", is_active=False)
        Unit.objects.create(committee=self.sn, name="Socialförvaltningen")
        self.client.force_login(self.controller)
        url = reverse("plans:control_point_edit", kwargs={"point_id": self.point.public_id})
        form = self.client.get(url).context["form"]
        assert [u.name for u in form.fields["unit"].queryset] == ["Ekonomiavdelningen"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(
            process_name="Process 1",
            unit=str(ekonomi.pk),
            version=str(self.point.version),
            target="5",
        )
        data.pop("owner_person", None)
        response = self.client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
        self.point.refresh_from_db()
        assert self.point.unit == ekonomi
        assert self.point.unit_label == "Ekonomiavdelningen"
        html = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert "<div>Ekonomiavdelningen</div>" in html
