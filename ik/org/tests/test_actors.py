"""Every change is made by a signed-in user or a named system actor, and the trail says which."""

import pytest
from django.urls import reverse

from ik.org.actors import SystemActor
from ik.org.audit import audit_record, history
from ik.org.models import AuditEvent
from ik.test import BaseTestCase


class ActorTrailTests(BaseTestCase):
    def test_a_user_is_recorded_as_the_user(self):
        event = audit_record(
            organisation=self.org, actor=self.controller, action="x", obj=self.plan, summary="A"
        )
        assert event.actor == self.controller and event.system_actor == ""

    def test_a_system_actor_is_recorded_by_name_and_shown_as_the_system(self):
        audit_record(
            organisation=self.org,
            actor=SystemActor("runcontrol"),
            action="x",
            obj=self.plan,
            summary="Körd från kommandoraden",
        )
        event = AuditEvent.objects.get(summary="Körd från kommandoraden")
        assert event.actor is None and event.system_actor == "runcontrol"
        assert history(self.plan)[0].actor == "Systemet (runcontrol)"
        self.client.force_login(self.auditor)
        response = self.client.get(reverse("accounts:audit_log_csv", args=[self.org.code]))
        csv = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Systemet (runcontrol);" in csv

    def test_an_actor_that_is_neither_a_user_nor_a_system_actor_is_refused(self):
        before = AuditEvent.objects.count()
        for anonymous in (None, "controller"):
            with pytest.raises(TypeError, match="User or a SystemActor"):
                audit_record(
                    organisation=self.org, actor=anonymous, action="x", obj=self.plan, summary="A"
                )
        assert AuditEvent.objects.count() == before
