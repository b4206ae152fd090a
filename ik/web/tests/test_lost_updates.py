"""Two browsers on the same object, and a form sent twice: nothing is lost or doubled.

Each test is the fault itself: two people open the same form, both save, and the one who
saves second is told what the first one saved instead of overwriting it; or a creating form
is sent again (back + send), and nothing new is created.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from ik.followups.models import Action, Deviation, FollowUpEntry
from ik.followups.services import entry_record
from ik.org.actors import DB_WORKER
from ik.plans.models import ControlPoint
from ik.risks.models import Risk
from ik.systems.models import System
from ik.test import BaseTestCase


def _form_data(client: Client, url: str) -> dict[str, Any]:
    """What the browser would send back unchanged: the form's fields as shown."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        shown = field.field.widget.format_value(value)
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif isinstance(shown, list):  # a select shows its choice as a list of one
            data[field.html_name] = shown[0] if shown else ""
        else:
            data[field.html_name] = str(shown or "")
    return data


class TwoBrowsersTests(BaseTestCase):
    def setUp(self) -> None:
        self.anna, self.bo = Client(), Client()
        self.anna.force_login(self.controller)
        self.bo.force_login(self.controller)

    def _both_open_then_save(self, url: str, field: str, anna: str, bo: str) -> str:
        """Anna and Bo open `url`; Anna saves first, then Bo; Bo's page is returned."""
        return self._second_save(url, field, anna, bo).content.decode()

    def _second_save(self, url: str, field: str, anna: str, bo: str) -> Any:
        anna_form, bo_form = _form_data(self.anna, url), _form_data(self.bo, url)
        first = self.anna.post(url, {**anna_form, field: anna})
        assert first.status_code == 302, first.context["form"].errors
        second = self.bo.post(url, {**bo_form, field: bo})
        assert second.status_code in (200, 422)
        return second

    def test_the_later_save_of_an_entry_is_refused_showing_both_values(self) -> None:
        url = reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id})
        page = self._both_open_then_save(url, "result_text", "Annas resultat", "Bos resultat")
        assert "Någon annan har sparat här sedan du öppnade sidan" in page
        assert "Resultat: sparat nu ”Annas resultat”, ditt ”Bos resultat”" in page
        self.entry.refresh_from_db()
        assert self.entry.result_text == "Annas resultat"

    def test_saving_again_after_seeing_the_difference_saves_on_purpose(self) -> None:
        url = reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id})
        refused = self._second_save(url, "result_text", "Annas resultat", "Bos resultat")
        again = self.bo.post(url, refused.context["form"].data)
        assert again.status_code == 302
        self.entry.refresh_from_db()
        assert self.entry.result_text == "Bos resultat"

    def test_a_control_run_saved_in_between_also_makes_the_entry_form_stale(self) -> None:
        url = reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id})
        opened = _form_data(self.bo, url)
        entry_record(
            entry=FollowUpEntry.objects.get(pk=self.entry.pk),
            by=DB_WORKER,
            execution_status="in_progress",
            result_text="Från körningen",
            measured_value=None,
            assessment="",
            not_done_reason="",
        )
        page = self.bo.post(url, {**opened, "result_text": "Bos"}).content.decode()
        assert "Resultat: sparat nu ”Från körningen”, ditt ”Bos”" in page

    def test_the_later_save_of_a_plan_is_refused(self) -> None:
        url = reverse("plans:plan_edit", kwargs={"plan_id": self.plan.public_id})
        page = self._both_open_then_save(url, "case_number", "KS/2017:1", "KS/2017:2")
        assert "sparat nu ”KS/2017:1”, ditt ”KS/2017:2”" in page
        self.plan.refresh_from_db()
        assert self.plan.case_number == "KS/2017:1"

    def test_the_later_save_of_a_control_point_is_refused(self) -> None:
        url = reverse("plans:control_point_edit", kwargs={"point_id": self.point.public_id})
        page = self._both_open_then_save(url, "frequency", "Varje månad", "Varje vecka")
        assert "sparat nu ”Varje månad”, ditt ”Varje vecka”" in page
        assert ControlPoint.objects.get(pk=self.point.pk).frequency == "Varje månad"

    def test_the_later_status_change_of_an_action_is_refused(self) -> None:
        url = reverse("followups:action_edit", kwargs={"action_id": self.action.public_id})
        page = self._both_open_then_save(url, "status", "in_progress", "done")
        assert "Någon annan har sparat här" in page
        assert Action.objects.get(pk=self.action.pk).status == "in_progress"

    def test_the_later_save_of_a_risk_is_refused(self) -> None:
        url = reverse("risks:risk_edit", kwargs={"risk_id": self.risk.public_id})
        page = self._both_open_then_save(url, "description", "Annas risk", "Bos risk")
        assert "sparat nu ”Annas risk”, ditt ”Bos risk”" in page
        assert Risk.objects.get(pk=self.risk.pk).description == "Annas risk"

    def test_the_later_save_of_a_system_is_refused(self) -> None:
        url = reverse("systems:system_edit", kwargs={"system_id": self.system.public_id})
        page = self._both_open_then_save(url, "name", "E-post (Exchange)", "E-post (Gmail)")
        assert "sparat nu ”E-post (Exchange)”, ditt ”E-post (Gmail)”" in page
        assert System.objects.get(pk=self.system.pk).name == "E-post (Exchange)"

    def test_a_save_that_leaves_out_its_version_is_refused_not_taken_blind(self) -> None:
        # A hand-made request, or a page cached from before versions, cannot be checked.
        url = reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id})
        anna_form = _form_data(self.anna, url)
        self.anna.post(url, {**anna_form, "result_text": "Annas resultat"})
        blind = {k: v for k, v in _form_data(self.bo, url).items() if k != "version"}
        page = self.bo.post(url, {**blind, "result_text": "Bos resultat"}).content.decode()
        assert "Sidan saknar uppgift om vilken version du utgick från" in page
        assert FollowUpEntry.objects.get(pk=self.entry.pk).result_text == "Annas resultat"


class SentTwiceTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.controller)

    def _send_twice(self, url: str, **fields: Any) -> tuple[Any, Any]:
        data = {**_form_data(self.client, url), **fields}
        first = self.client.post(url, data)
        assert first.status_code == 302, first.context["form"].errors
        second = self.client.post(url, data, follow=True)
        return first, second

    def test_back_and_resend_on_registrera_avvikelse_creates_no_duplicate(self) -> None:
        url = reverse("followups:deviation_create", kwargs={"entry_id": self.entry.public_id})
        before = Deviation.objects.count()
        first, second = self._send_twice(
            url, description="Två fakturor saknade attest", severity="minor"
        )
        assert Deviation.objects.count() == before + 1
        assert second.redirect_chain[0][0] == first.url
        assert "Avvikelsen var redan registrerad" in second.content.decode()

    def test_a_resent_action_control_point_risk_and_system_are_created_once(self) -> None:
        cases = [
            (
                reverse(
                    "followups:action_create", kwargs={"deviation_id": self.deviation.public_id}
                ),
                {"description": "Ny rutin", "owner_text": "Chef", "due_date": "2018-12-31"},
                Action,
            ),
            (
                reverse("plans:control_point_create", kwargs={"plan_id": self.plan.public_id}),
                {
                    "process_name": "Inköp",
                    "question": "Följs avtalen?",
                    "method": "Stickprov",
                    "owner_text": "Inköpschef",
                    "frequency": "En gång per år",
                },
                ControlPoint,
            ),
            (
                reverse("risks:risk_create", kwargs={"plan_id": self.plan.public_id}),
                {"description": "Avtal följs inte", "likelihood": "2", "impact": "3"},
                Risk,
            ),
            (
                reverse("systems:system_create", kwargs={"org": "testkommun"}),
                {"name": "Ekonomisystem", "criticality": "verksamhetskritisk", "priority": "2"},
                System,
            ),
        ]
        for url, fields, model in cases:
            before = model.objects.count()
            self._send_twice(url, **fields)
            assert model.objects.count() == before + 1, model
