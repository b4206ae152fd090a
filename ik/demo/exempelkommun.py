"""Exempelkommun: a fictional municipality with five committees sharing three common control
points, with plans and follow-ups in different states for the multi-committee views.

Its plans are for the year the demo is loaded (`today()`), with the decisions of the year
before, so the start page and the current-year pages show live work. Mjölby stays in 2018.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ik.demo import risks
from ik.followups.models import Deviation, FollowUp, FollowUpEntry
from ik.followups.services import (
    action_close,
    action_create,
    deviation_register,
    entries_for_new_point,
    entry_record,
    followup_create,
    followup_update,
)
from ik.org.actors import LOADDEMO
from ik.org.models import Committee, Organisation, Person, Unit
from ik.plans.models import CommonControlPoint, CycleDeadline, Direction
from ik.plans.services import control_point_create, plan_adopt, plan_create

COMMON: list[dict[str, Any]] = [
    {
        "process": "Försent betalda fakturor",
        "question": "Betalas nämndens fakturor senast på förfallodagen?",
        "method": "Automatisk kontroll av samtliga betalda fakturor i ekonomisystemet",
        "owner_text": "Ekonomichef",
        "frequency": "2 gånger per år",
        "measure_unit": "%",
        "target": Decimal(5),
        "direction": Direction.AT_MOST,
        "warning_limit": Decimal(7),
    },
    {
        "process": "Systemprioritering uppstart",
        "question": "Startas nämndens verksamhetssystem i fastställd prioriteringsordning efter "
        "ett driftstopp?",
        "method": "Simulering av ett driftstopp",
        "owner_text": "IT-chef",
        "frequency": "En gång per år",
    },
    {
        "process": "Representation",
        "question": "Finns deltagarförteckning och syfte för all representation?",
        "method": "Stickprov på 10 verifikationer på konto 71xx",
        "owner_text": "Förvaltningschef",
        "frequency": "2 gånger per år",
    },
]

# code, name, administration, own control points (process, question, method, owner, freq)
COMMITTEES = [
    (
        "ks",
        "Kommunstyrelsen",
        "Kommunledningsförvaltningen",
        True,
        [
            (
                "Personal",
                "Följs rutinen för avslut av behörigheter när anställda slutar?",
                "Stickprov på 10 avslutade anställningar",
                "HR-chef",
                "En gång per år",
            ),
            (
                "Upphandling",
                "Görs direktupphandlingar över 100 000 kr enligt riktlinjen?",
                "Genomgång av samtliga direktupphandlingar",
                "Upphandlingschef",
                "2 gånger per år",
            ),
        ],
    ),
    (
        "bun",
        "Barn- och utbildningsnämnden",
        "Utbildningsförvaltningen",
        False,
        [
            (
                "Elevhälsa",
                "Dokumenteras elevhälsans insatser i journalsystemet?",
                "Stickprov på 15 elevakter",
                "Elevhälsochef",
                "En gång per år",
            ),
            (
                "Skolskjuts",
                "Fattas beslut om skolskjuts inom fyra veckor?",
                "Genomgång av samtliga ansökningar",
                "Administrativ chef",
                "2 gånger per år",
            ),
        ],
    ),
    (
        "sn",
        "Socialnämnden",
        "Socialförvaltningen",
        False,
        [
            (
                "Barn och unga",
                "Inleds utredning inom 14 dagar efter anmälan?",
                "Stickprov på 20 anmälningar",
                "Enhetschef barn och unga",
                "4 gånger per år",
            ),
            (
                "Äldreomsorg",
                "Har alla brukare en aktuell genomförandeplan?",
                "Stickprov på 25 brukare",
                "Verksamhetschef äldreomsorg",
                "2 gånger per år",
            ),
        ],
    ),
    (
        "sbn",
        "Samhällsbyggnadsnämnden",
        "Samhällsbyggnadsförvaltningen",
        False,
        [
            (
                "Bygglov",
                "Handläggs bygglov inom lagstadgad tid?",
                "Genomgång av samtliga ärenden",
                "Bygglovschef",
                "2 gånger per år",
            ),
        ],
    ),
    (
        "kfn",
        "Kultur- och fritidsnämnden",
        "Kultur- och fritidsförvaltningen",
        False,
        [
            (
                "Föreningsbidrag",
                "Följs villkoren för utbetalda föreningsbidrag upp?",
                "Stickprov på 5 föreningar",
                "Fritidschef",
                "En gång per år",
            ),
        ],
    ),
]

# Late-payment share (%) per committee at 31 August, and how far each follow-up has come.
LATE_SHARE = {
    "ks": Decimal("3.2"),
    "bun": Decimal("6.1"),
    "sn": Decimal("9.4"),
    "kfn": Decimal("4.8"),
}


def today() -> date:
    """The loading day; the test suite pins it so that pages and documents stay stable."""
    return date.today()


def load(people: dict[str, Person]) -> Organisation:
    year = today().year

    def day(month: int, dom: int, offset: int = 0) -> date:
        return date(year + offset, month, dom)

    org = Organisation.objects.create(
        code="exempelkommun",
        name="Exempelkommun",
        postal_address="Exempelkommun\n123 45 EXEMPELSTAD",
        visiting_address="Storgatan 1",
        phone="012-345 00 00",
        website="www.exempelkommun.se",
        email="kommun@exempelkommun.se",
        bankgiro="123-4567",
    )
    for spec in COMMON:
        CommonControlPoint.objects.create(organisation=org, year=year, **spec)
    # The cycle's dates for the year: Samhällsbyggnadsnämnden has no adopted plan, Kultur- och
    # fritidsnämnden adopted after the date, and several follow-ups are missing or open.
    CycleDeadline.objects.create(
        organisation=org, year=year, kind=CycleDeadline.Kind.PLAN, due_on=day(12, 15, -1)
    )
    for cutoff, due_on in (
        (day(8, 31), day(9, 20)),
        (day(12, 31), day(1, 20, 1)),
    ):
        CycleDeadline.objects.create(
            organisation=org,
            year=year,
            kind=CycleDeadline.Kind.FOLLOWUP,
            cutoff=cutoff,
            due_on=due_on,
        )
    people["exempel_ekonomichef"] = Person.objects.create(
        organisation=org, name="Elin Exempel", title="Ekonomichef"
    )
    committees: dict[str, Committee] = {}
    for code, name, administration, is_ks, own in COMMITTEES:
        committee = Committee.objects.create(
            organisation=org,
            code=code,
            name=name,
            administration_name=administration,
            is_executive_board=is_ks,
            short_name=code.upper() + "-förvaltning",
        )
        Unit.objects.create(
            committee=committee,
            name=administration,
            kind=Unit.Kind.ADMINISTRATION,
            code=str(len(committees) + 1),
        )
        committees[code] = committee
        plan = plan_create(
            committee=committee,
            year=year,
            by=LOADDEMO,
            case_number=f"{code.upper()}/{year - 1}:{100 + len(committees)}",
        )
        for process, question, method, owner, freq in own:
            control_point_create(
                on_added=entries_for_new_point,
                plan=plan,
                by=LOADDEMO,
                process_name=process,
                question=question,
                method=method,
                owner_text=owner,
                frequency=freq,
            )
        for point in plan.control_points.filter(common__process="Försent betalda fakturor"):
            point.owner_person = people["exempel_ekonomichef"]
            point.save(update_fields=["owner_person"])
        if code == "sbn":
            continue  # a plan still in draft, not yet adopted
        plan_adopt(
            plan=plan,
            by=LOADDEMO,
            decided_on=day(12, 12 + len(committees), -1),
            decision_paragraph=f"§ {140 + len(committees)}",
            case_number=plan.case_number,
        )
        if code == "sn":
            followup_create(plan=plan, cutoff=day(8, 31), by=LOADDEMO, due_on=day(9, 10))
            _fill(plan.followups.get(), code, year, complete=False)
        elif code in LATE_SHARE:
            followup = followup_create(plan=plan, cutoff=day(8, 31), by=LOADDEMO, due_on=day(9, 10))
            _fill(followup, code, year, complete=code != "bun")
            if code == "ks":
                followup_update(
                    followup=followup,
                    by=LOADDEMO,
                    status=FollowUp.Status.REPORTED,
                    decision_paragraph="§ 201",
                    meeting_date=day(10, 3),
                )
                followup_create(plan=plan, cutoff=day(12, 31), by=LOADDEMO, due_on=day(1, 10, 1))
    risks.load_exempelkommun(org, year)
    return org


def _fill(followup: FollowUp, code: str, year: int, *, complete: bool) -> None:
    for entry in followup.entries.select_related("control_point__process", "control_point__common"):
        point = entry.control_point
        if point.process.name == "Försent betalda fakturor" and code in LATE_SHARE:
            value = LATE_SHARE[code]
            entry_record(
                entry=entry,
                by=LOADDEMO,
                execution_status=FollowUpEntry.Execution.DONE,
                measured_value=value,
                result_text=f"{str(value).replace('.', ',')} % av de betalda "
                "fakturorna betalades efter förfallodagen.",
            )
            if entry.assessment != "green":
                _deviation(entry, code, year)
        elif complete:
            entry_record(
                entry=entry,
                by=LOADDEMO,
                execution_status=FollowUpEntry.Execution.DONE,
                assessment="green",
                result_text="Kontrollen är genomförd utan anmärkning.",
            )
        elif point.common_id is None:
            entry_record(
                entry=entry,
                by=LOADDEMO,
                execution_status=FollowUpEntry.Execution.IN_PROGRESS,
                result_text="Kontrollen pågår.",
            )


def _deviation(entry: FollowUpEntry, code: str, year: int) -> None:
    severity = (
        Deviation.Severity.SIGNIFICANT if entry.assessment == "red" else Deviation.Severity.MINOR
    )
    deviation = deviation_register(
        entry=entry,
        by=LOADDEMO,
        severity=severity,
        description="Andelen försent betalda fakturor ligger över målet högst 5 %.",
    )
    action = action_create(
        deviation=deviation,
        by=LOADDEMO,
        owner_text="Ekonomichef",
        due_date=date(year, 11, 30),
        description="Påminn attestanter om attestrutinen och följ upp varje månad.",
    )
    if code == "bun":
        action_close(
            action=action,
            by=LOADDEMO,
            closed_on=date(year, 12, 15),
            effect_check="Uppföljningen i november visade 4,1 % sena betalningar.",
        )
