"""Many municipalities on one instance: a page's queries do not grow with the data.

Each page is read by the controller of Testkommun with little data, then again after more
organisations, committees, plans, follow-ups and deviations are added (to Testkommun and
to others): the number of queries must stay the same.
"""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.services import action_create, deviation_register, followup_create
from ik.org.models import Committee, Organisation, Person
from ik.test import TEST_SETUP, BaseTestCase, make_plan


def grow(organisation: Organisation, *, committees: int, owner: Person | None) -> None:
    for c in range(committees):
        committee = Committee.objects.create(
            organisation=organisation, code=f"extra{c}", name=f"Extranämnd {c}"
        )
        for year in (2017, 2018):
            plan = make_plan(committee, year=year, points=3, owner=owner)
            followup = followup_create(plan=plan, cutoff=date(year, 8, 31), by=TEST_SETUP)
            entry = followup.entries.order_by("id")[0]
            deviation = deviation_register(
                entry=entry, by=TEST_SETUP, description="Avvikelse", severity="minor"
            )
            action_create(
                deviation=deviation,
                by=TEST_SETUP,
                description="Åtgärd",
                owner_text="Chef",
                owner_person=owner,
                due_date=date(year, 12, 31),
            )


class ConstantQueriesTests(BaseTestCase):
    def pages(self) -> dict[str, str]:
        org = self.org.code
        return {
            "start": reverse("web:home"),
            "organisation": reverse("web:organisation_detail", args=[org]),
            "committee": reverse("web:committee_detail", args=[org, "ks"]),
            "plan": self.plan.get_absolute_url(),
            "follow-up": reverse("followups:followup_detail", args=[self.followup.public_id]),
            "oversight": reverse("oversight:overview", args=[org]) + "?ar=2018",
            "common": reverse("plans:common_list", args=[org]) + "?ar=2018",
            "deadlines": reverse("plans:deadline_list", args=[org]) + "?ar=2018",
            "audit log": reverse("accounts:audit_log", args=[org]),
            "users": reverse("accounts:user_list", args=[org]),
        }

    def count(self) -> dict[str, int]:
        counts = {}
        for name, url in self.pages().items():
            self.client.get(url)  # warm caches that are per process, not per request
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(queries)
        return counts

    def test_pages_run_the_same_queries_with_fifty_times_the_data(self):
        self.client.force_login(self.controller)
        small = self.count()
        owner = self.point.owner_person
        grow(self.org, committees=3, owner=owner)
        for n in range(3):
            other = Organisation.objects.create(code=f"kommun{n}", name=f"Kommun {n}")
            grow(other, committees=2, owner=None)
        assert self.count() == small
