"""Mjölby kommun, Kommunstyrelsen: the internal control plan 2018 and its follow-up per
2018-08-31, as in the committee item KS/2017:335, § 137 (a public document)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ik.demo import contracts, risks, systems
from ik.followups.models import Deviation, FollowUp, FollowUpEntry
from ik.followups.services import (
    action_create,
    deviation_register,
    entries_for_new_point,
    entry_record,
    followup_create,
)
from ik.org.actors import LOADDEMO
from ik.org.models import Committee, Organisation, Person, Unit
from ik.plans.models import CommonControlPoint
from ik.plans.services import control_point_create, plan_adopt, plan_create

ORGANISATION = {
    "code": "mjolby",
    "name": "Mjölby kommun",
    "postal_address": "Mjölby kommun\nKommunstyrelsens förvaltning\n595 80 MJÖLBY",
    "visiting_address": "Burensköldsvägen 11-13",
    "phone": "0142 - 850 00",
    "fax": "0142-851 20",
    "website": "www.mjolby.se",
    "email": "kommunstyrelsen@mjolby.se",
    "bankgiro": "791-9848",
}

UNITS = [
    ("Kommunstyrelsens förvaltning", "forvaltning", "1"),
    ("Ekonomiska avdelningen", "avdelning", "11"),
    ("IT-enheten", "enhet", "12"),
    ("Utbildningsförvaltningen", "forvaltning", "3"),
    ("Socialförvaltningen", "forvaltning", "4"),
    ("Samhällsbyggnadsförvaltningen", "forvaltning", "5"),
    ("Kultur- och fritidsförvaltningen", "forvaltning", "6"),
]

# (process, kontrollmoment, kontrollmetod, kontrollansvarig, tidpunkt/frekvens, common,
#  owner key, result text at 2018-08-31, execution status)
POINTS = [
    (
        "Försent betalda fakturor",
        "Betalas kommunens fakturor innan förfallodag?",
        "Genomgång av samtliga fakturor i Raintance",
        "Ekonomichef, Ekonomiska avdelningen",
        "2 gånger per år",
        True,
        "ekonomichef",
        "Senaste uppföljningen visar för KS-förvaltningsdel i snitt 8% försent betalda fakturor "
        "vilket är en försämring och ligger över det uppsatta målet om 5%. En analys av orsaker "
        "pågår. Nuvarande rutiner kommer att revideras.",
        FollowUpEntry.Execution.IN_PROGRESS,
    ),
    (
        "Systemprioritering uppstart",
        "Sker uppstart av kommunens digitala system i enlighet med fastställd "
        "prioriteringsordning?",
        "Simulering av ett driftstopp",
        "IT-chef, IT-enheten",
        "2 gånger per år",
        True,
        "itchef",
        "Under våren har IT-rådet uppdaterat listan över prioritering av system vid uppstart "
        "efter driftstopp. IT-avdelningen utreder hur man lämpligast ska kunna simulera "
        "driftstopp för att kunna genomföra kontrollmomentet under hösten.",
        FollowUpEntry.Execution.IN_PROGRESS,
    ),
    (
        "Framtagande av ny energiplan",
        "Att alla förvaltningar aktivt deltar i framtagandet av ny energiplan",
        "Avstämning av det löpande arbetet",
        "Hållbarhetsstrategen",
        "2 gånger per år",
        True,
        None,
        "En inledande workshop med politiker har genomförts inför framtagandet av en ny "
        "energiplan. En motsvarande workshop för tjänstemän genomförs den 2 okt. Till den är "
        "samtliga förvaltningar representerade och alla representanter har tackat ja till "
        "inbjudan. En projektgrupp med representanter från förvaltningar och kommunala bolag "
        "har även startats upp.",
        FollowUpEntry.Execution.IN_PROGRESS,
    ),
    (
        "Kompetens digitala system",
        "Undersöka att de personer som har viktiga och rent samhällsnyttiga funktioner har ett "
        "kompetensöverläpp.",
        "Stickprov på 2 vitala roller inom IT inom system och nätverk.",
        "IT-chef, IT-enheten",
        "En gång per år",
        False,
        "itchef",
        "Detta kommer att genomföras som en egen övning på IT-avdelningen under hösten 2018.",
        FollowUpEntry.Execution.NOT_STARTED,
    ),
    (
        "Larm övervakning digitala system",
        "Att samhällskritiska system har larm om dessa inte fungerar.",
        "Att kontrollera 2 system som anses vara kritiska.",
        "IT-chef, IT-enheten",
        "En gång per år",
        False,
        "itchef",
        "Detta kommer att genomföras under hösten 2018. De områden som valts ut för kontroll är "
        "inom räddningstjänsten och vård och omsorg.",
        FollowUpEntry.Execution.NOT_STARTED,
    ),
]

SUMMARY = (
    "Utöver de tre redan beslutade kommungemensamma internkontrollmomenten som gäller "
    "samtliga nämnder beslutade kommunstyrelsen om två ytterligare internkontrollmoment "
    "avseende kommunstyrelsens förvaltning. Resultatet av kontrollerna per sista augusti 2018 "
    "visar att det första kommungemensamma momentet, försent betalda fakturor, där pågår "
    "analysarbete. Andra momentet avser uppstart av system vid driftstopp där IT-avdelningen "
    "utreder lämpligaste väg för att simulera ett driftstopp under hösten. Arbetet med ny "
    "energiplan har inletts och en projektgrupp med representanter från förvaltningar och "
    "bolag har startats upp. De två återstående kontrollmomenten kommer att genomföras under "
    "hösten."
)

# The working committee's protocol words the Sammanfattning a little differently.
PROTOCOL_SUMMARY = (
    "Utöver de tre redan beslutade kommungemensamma internkontrollmomenten som gäller "
    "samtliga nämnder beslutade kommunstyrelsen om två ytterligare internkontrollmoment "
    "avseende kommunstyrelsens förvaltning. Resultatet av kontrollerna per siste augusti 2018 "
    "visar att det första kommungemensamma momentet, försent betalda fakturor, där pågår "
    "analysarbete. Andra momentet avser uppstart av system vid driftstopp där IT-avdelningen "
    "utreder lämpligaste väg för att simulera ett driftstopp under hösten. Arbetet med ny "
    "energiplan har inletts och en projektgrupp med representanter från förvaltningar och "
    "bolag. De två återstående kontrollmomenten kommer att genomföras under hösten."
)


def load(people: dict[str, Person]) -> Organisation:
    """Create the Mjölby case. `people` receives the demo users' Person records by key."""
    org = Organisation.objects.create(**ORGANISATION)
    ks = Committee.objects.create(
        organisation=org,
        code="ks",
        name="Kommunstyrelsen",
        short_name="KS-förvaltning",
        administration_name="Kommunstyrelsens förvaltning",
        is_executive_board=True,
    )
    parent = None
    for name, kind, code in UNITS:
        unit = Unit.objects.create(
            committee=ks,
            name=name,
            kind=kind,
            code=code,
            parent=parent if kind != "forvaltning" else None,
        )
        if name == "Kommunstyrelsens förvaltning":
            parent = unit
    brofeldt = Person.objects.create(
        organisation=org, name="Carina Brofeldt", title="Bitr Kommundirektör", phone="0142-851 56"
    )
    asman = Person.objects.create(organisation=org, name="Carina Åsman", phone="0142-853 73")
    people["ekonomichef"] = Person.objects.create(
        organisation=org, name="Eva Ekonom", title="Ekonomichef, Ekonomiska avdelningen"
    )
    people["itchef"] = Person.objects.create(
        organisation=org, name="Ivar IT", title="IT-chef, IT-enheten"
    )
    people["sekreterare"] = asman

    for process, question, method, owner, freq, common, *_ in POINTS:
        if common:
            CommonControlPoint.objects.create(
                organisation=org,
                year=2018,
                process=process,
                question=question,
                method=method,
                owner_text=owner,
                frequency=freq,
                **(
                    {"measure_unit": "%", "target": Decimal(5)}
                    if process.startswith("Försent")
                    else {}
                ),
            )
    plan = plan_create(committee=ks, year=2018, by=LOADDEMO, case_number="KS/2017:335")
    for process, question, method, owner, freq, common, *_ in POINTS:
        if not common:
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
    for point in plan.control_points.all():
        owner_key = next(p[6] for p in POINTS if p[0] == point.process.name)
        if owner_key:
            point.owner_person = people[owner_key]
            point.save(update_fields=["owner_person"])
    plan_adopt(
        plan=plan,
        by=LOADDEMO,
        decided_on=date(2017, 12, 6),
        decision_paragraph="§ 276",
        case_number="KS/2017:335",
    )

    followup = followup_create(
        plan=plan,
        cutoff=date(2018, 8, 31),
        by=LOADDEMO,
        due_on=date(2018, 9, 10),
        summary=SUMMARY,
        decision_paragraph="§ 137",
        proposed_decisions="Kommunstyrelsen godkänner uppföljning av internkontrollplanen "
        "per 31 augusti 2018.",
        distribution="Kommunstyrelsen\nAkten",
        case_officer=brofeldt,
        signatory=brofeldt,
        minutes_officer=asman,
        protocol_body=FollowUp.ProtocolBody.WORKING_COMMITTEE,
        protocol_title="Redovisning internkontrollplan KSF",
        protocol_summary=PROTOCOL_SUMMARY,
    )
    entries = {
        e.control_point.process.name: e
        for e in followup.entries.select_related("control_point__process")
    }
    for process, *_, result, status in POINTS:
        entry = entries[process]
        entry_record(
            entry=entry,
            by=LOADDEMO,
            execution_status=status,
            result_text=result,
            measured_value=Decimal(8) if process.startswith("Försent") else None,
        )
    late = entries["Försent betalda fakturor"]
    deviation = deviation_register(
        entry=late,
        by=LOADDEMO,
        severity=Deviation.Severity.SIGNIFICANT,
        description="8 % av fakturorna betalades efter förfallodagen, mot målet högst 5 %.",
    )
    action_create(
        deviation=deviation,
        by=LOADDEMO,
        owner_text="Ekonomichef, Ekonomiska avdelningen",
        owner_person=people["ekonomichef"],
        due_date=date(2018, 12, 31),
        description="Analysera orsakerna till sena betalningar och revidera "
        "rutinerna för fakturahantering.",
    )
    risks.load_mjolby(plan)
    systems.load(org)
    contracts.load(org)
    return org
