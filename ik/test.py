"""Shared test set-up: one organisation with named personas, and a stranger from another."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.test import TestCase

from ik.controls.models import ControlRun, LedgerMapping
from ik.followups.models import Action, Deviation, FollowUp, FollowUpEntry
from ik.followups.services import (
    action_create,
    deviation_register,
    entries_for_new_point,
    followup_create,
)
from ik.org.actors import SystemActor
from ik.org.models import Committee, Membership, Organisation, Person, Role
from ik.plans.models import CommonControlPoint, ControlPoint, CycleDeadline, Plan
from ik.plans.services import control_point_create, plan_create
from ik.risks.models import Handling, Risk, RiskCategory
from ik.systems.models import Competence, CompetenceRole, Criticality, System

PASSWORD = "test-lösenord-123"
# Objects the tests build as their starting point are made by this system actor.
TEST_SETUP = SystemActor("testdata")


def make_user(
    username: str,
    *,
    organisation: Organisation,
    role: Role,
    committee: Committee | None = None,
    person: Person | None = None,
) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.title()
    )
    Membership.objects.create(user=user, organisation=organisation, role=role, committee=committee)
    if person is not None:
        person.user = user
        person.save()
    return user


def make_plan(
    committee: Committee, *, year: int = 2018, points: int = 2, owner: Person | None = None
) -> Plan:
    """A plan whose first control point is quantitative (at most 5 %)."""
    plan = plan_create(committee=committee, year=year, by=TEST_SETUP, case_number="KS/2017:1")
    for i in range(points):
        extra: dict[str, Any] = {}
        if i == 0:
            extra = {"measure_unit": "%", "target": Decimal(5), "owner_person": owner}
        control_point_create(
            on_added=entries_for_new_point,
            plan=plan,
            by=TEST_SETUP,
            process_name=f"Process {i % 3 + 1}",
            question=f"Fråga {i + 1}?",
            method="Stickprov",
            owner_text="Ekonomichef",
            frequency="2 gånger per år",
            **extra,
        )
    return plan


def mark_adopted(plan: Plan) -> Plan:
    """The plan as the committee adopted it, without going through the adoption form."""
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.ADOPTED, decided_on=date(plan.year - 1, 12, 6)
    )
    plan.refresh_from_db()
    return plan


class BaseTestCase(TestCase):
    """Personas:

    controller – central controller of Testkommun; secretary – committee secretary of its
    KS; owner – control owner who owns the first control point; auditor – reads all of
    Testkommun; politician – reads KS only; stranger – controller of Annan kommun.
    """

    controller: Any
    secretary: Any
    owner: Any
    auditor: Any
    politician: Any
    stranger: Any
    org: Organisation
    ks: Committee
    sn: Committee
    plan: Plan
    point: ControlPoint
    other_point: ControlPoint
    followup: FollowUp
    entry: FollowUpEntry
    other_entry: FollowUpEntry
    deviation: Deviation
    action: Action
    sn_plan: Plan
    foreign_plan: Plan
    foreign_followup: FollowUp
    foreign_entry: FollowUpEntry
    foreign_deviation: Deviation
    foreign_action: Action
    control_run: ControlRun
    foreign_run: ControlRun
    mapping: LedgerMapping
    foreign_mapping: LedgerMapping
    system: System
    competence: Competence
    foreign_system: System
    foreign_competence: Competence
    category: RiskCategory
    risk: Risk
    foreign_category: RiskCategory
    foreign_risk: Risk
    common: CommonControlPoint
    foreign_common: CommonControlPoint
    deadline: CycleDeadline
    foreign_deadline: CycleDeadline

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = Organisation.objects.create(code="testkommun", name="Testkommun")
        cls.ks = Committee.objects.create(
            organisation=cls.org, code="ks", name="Kommunstyrelsen", is_executive_board=True
        )
        cls.sn = Committee.objects.create(organisation=cls.org, code="sn", name="Socialnämnden")
        owner_person = Person.objects.create(
            organisation=cls.org, name="Olle Ägare", title="Ekonomichef"
        )
        cls.controller = make_user("controller", organisation=cls.org, role=Role.CONTROLLER)
        cls.secretary = make_user(
            "secretary", organisation=cls.org, role=Role.SECRETARY, committee=cls.ks
        )
        cls.owner = make_user(
            "owner", organisation=cls.org, role=Role.CONTROL_OWNER, person=owner_person
        )
        cls.auditor = make_user("auditor", organisation=cls.org, role=Role.AUDITOR)
        cls.politician = make_user(
            "politician", organisation=cls.org, role=Role.POLITICIAN, committee=cls.ks
        )

        cls.plan = make_plan(cls.ks, owner=owner_person)
        cls.point, cls.other_point = list(cls.plan.control_points.order_by("position"))
        cls.followup = followup_create(
            plan=cls.plan, cutoff=date(2018, 8, 31), by=TEST_SETUP, due_on=date(2018, 9, 10)
        )
        cls.entry = cls.followup.entries.get(control_point=cls.point)
        cls.other_entry = cls.followup.entries.get(control_point=cls.other_point)
        cls.deviation = deviation_register(
            entry=cls.entry, by=TEST_SETUP, description="Sent", severity=Deviation.Severity.MINOR
        )
        cls.action = action_create(
            deviation=cls.deviation,
            by=TEST_SETUP,
            description="Rutin",
            owner_text="Ekonomichef",
            due_date=date(2018, 12, 31),
        )
        cls.sn_plan = make_plan(cls.sn, points=1)
        cls.control_run = ControlRun.objects.create(entry=cls.entry, control="late_payments")
        cls.mapping = LedgerMapping.objects.create(
            organisation=cls.org, name="Egen export", columns={"amount": "Summa"}
        )

        other = Organisation.objects.create(code="annan", name="Annan kommun")
        other_ks = Committee.objects.create(
            organisation=other, code="ks", name="Kommunstyrelsen", is_executive_board=True
        )
        cls.stranger = make_user("stranger", organisation=other, role=Role.CONTROLLER)
        cls.foreign_plan = make_plan(other_ks)
        cls.foreign_followup = followup_create(
            plan=cls.foreign_plan, cutoff=date(2018, 8, 31), by=TEST_SETUP
        )
        cls.foreign_entry = cls.foreign_followup.entries.order_by("id")[0]
        cls.foreign_deviation = deviation_register(
            entry=cls.foreign_entry, by=TEST_SETUP, description="X", severity="minor"
        )
        cls.foreign_run = ControlRun.objects.create(
            entry=cls.foreign_entry, control="late_payments"
        )
        cls.foreign_mapping = LedgerMapping.objects.create(
            organisation=other, name="Annan export", columns={"amount": "Summa"}
        )
        cls.foreign_action = action_create(
            deviation=cls.foreign_deviation,
            by=TEST_SETUP,
            description="Y",
            owner_text="Z",
            due_date=date(2018, 12, 31),
        )
        cls.system = System.objects.create(
            organisation=cls.org, name="E-post", criticality=Criticality.BUSINESS, priority=3
        )
        cls.competence = Competence.objects.create(
            system=cls.system, person_name="Anna Lind", role=CompetenceRole.PRIMARY
        )
        cls.foreign_system = System.objects.create(
            organisation=other, name="E-post", criticality=Criticality.BUSINESS, priority=3
        )
        cls.foreign_competence = Competence.objects.create(
            system=cls.foreign_system, person_name="Bo Ek", role=CompetenceRole.PRIMARY
        )
        cls.category = RiskCategory.objects.create(organisation=cls.org, name="Verksamhet")
        cls.risk = Risk.objects.create(
            plan=cls.plan,
            description="Fakturor betalas för sent",
            category=cls.category,
            likelihood=3,
            impact=3,
            handling=Handling.CONTROL,
        )
        cls.risk.control_points.add(cls.point)
        cls.foreign_category = RiskCategory.objects.create(organisation=other, name="IT")
        cls.foreign_risk = Risk.objects.create(
            plan=cls.foreign_plan, description="Driftstopp", likelihood=2, impact=2
        )
        # A common point for a year without plans, so the plans above stay as they are.
        common = {
            "year": 2017,
            "process": "Försent betalda fakturor",
            "question": "Betalas fakturorna i tid?",
            "method": "Helkontroll",
            "owner_text": "Ekonomichef",
            "frequency": "2 gånger per år",
        }
        cls.common = CommonControlPoint.objects.create(organisation=cls.org, **common)
        cls.foreign_common = CommonControlPoint.objects.create(organisation=other, **common)
        deadline = {"year": 2018, "kind": CycleDeadline.Kind.PLAN, "due_on": date(2017, 12, 15)}
        cls.deadline = CycleDeadline.objects.create(organisation=cls.org, **deadline)
        cls.foreign_deadline = CycleDeadline.objects.create(organisation=other, **deadline)
