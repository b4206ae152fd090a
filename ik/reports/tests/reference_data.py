"""The reference committee item (Mjölby kommun, KS/2017:335) as plain builder input,
plus the texts the rendered documents must contain verbatim."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ik.reports.data import (
    CommitteeInfo,
    ControlPointRow,
    EntryRow,
    Execution,
    FollowUpData,
    OrganisationInfo,
    PersonInfo,
    PlanData,
    PlanInfo,
    ProposalSource,
)

ORGANISATION = OrganisationInfo(
    name="Mjölby kommun",
    code="mjolby",
    postal_address="595 80 MJÖLBY",
    visiting_address="Burensköldsvägen 11-13",
    phone="0142 - 850 00",
    fax="0142-851 20",
    website="www.mjolby.se",
    email="kommunstyrelsen@mjolby.se",
    bankgiro="",
)

COMMITTEE = CommitteeInfo(
    name="Kommunstyrelsen",
    code="ks",
    short_name="KS-förvaltning",
    administration_name="Kommunstyrelsens förvaltning",
    is_executive_board=True,
)

PLAN = PlanInfo(
    year=2018,
    adopted=True,
    decided_on=dt.date(2017, 12, 6),
    decision_paragraph="276",
    case_number="KS/2017:335",
)

SUMMARY = (
    "Utöver de tre redan beslutade kommungemensamma internkontrollmomenten som gäller samtliga "
    "nämnder beslutade kommunstyrelsen om två ytterligare internkontrollmoment avseende "
    "kommunstyrelsens förvaltning. Resultatet av kontrollerna per sista augusti 2018 visar att "
    "det första kommungemensamma momentet, försent betalda fakturor, där pågår analysarbete. "
    "Andra momentet avser uppstart av system vid driftstopp där IT-avdelningen utreder "
    "lämpligaste väg för att simulera ett driftstopp under hösten. Arbetet med ny energiplan har "
    "inletts och en projektgrupp med representanter från förvaltningar och bolag har startats "
    "upp. De två återstående kontrollmomenten kommer att genomföras under hösten."
)

# (process, common, question, method, owner, frequency, follow-up text)
REFERENCE_ROWS = (
    (
        "Försent betalda fakturor",
        True,
        "Betalas kommunens fakturor innan förfallodag?",
        "Genomgång av samtliga fakturor i Raintance",
        "Ekonomichef, Ekonomiska avdelningen",
        "2 gånger per år",
        "Senaste uppföljningen visar för KS-förvaltningsdel i snitt 8% försent betalda fakturor "
        "vilket är en försämring och ligger över det uppsatta målet om 5%. En analys av orsaker "
        "pågår. Nuvarande rutiner kommer att revideras.",
    ),
    (
        "Systemprioritering uppstart",
        True,
        "Sker uppstart av kommunens digitala system i enlighet med fastställd "
        "prioriteringsordning?",
        "Simulering av ett driftstopp",
        "IT-chef, IT-enheten",
        "2 gånger per år",
        "Under våren har IT-rådet uppdaterat listan över prioritering av system vid uppstart "
        "efter driftstopp. IT-avdelningen utreder hur man lämpligast ska kunna simulera "
        "driftstopp för att kunna genomföra kontrollmomentet under hösten.",
    ),
    (
        "Framtagande av ny energiplan",
        True,
        "Att alla förvaltningar aktivt deltar i framtagandet av ny energiplan",
        "Avstämning av det löpande arbetet",
        "Hållbarhetsstrategen",
        "2 gånger per år",
        "En inledande workshop med politiker har genomförts inför framtagandet av en ny "
        "energiplan. En motsvarande workshop för tjänstemän genomförs den 2 okt. Till den är "
        "samtliga förvaltningar representerade och alla representanter har tackat ja till "
        "inbjudan. En projektgrupp med representanter från förvaltningar och kommunala bolag "
        "har även startats upp.",
    ),
    (
        "Kompetens digitala system",
        False,
        "Undersöka att de personer som har viktiga och rent samhällsnyttiga funktioner har ett "
        "kompetensöverläpp.",
        "Stickprov på 2 vitala roller inom IT inom system och nätverk.",
        "IT-chef, IT-enheten",
        "En gång per år",
        "Detta kommer att genomföras som en egen övning på IT-avdelningen under hösten 2018.",
    ),
    (
        "Larm övervakning digitala system",
        False,
        "Att samhällskritiska system har larm om dessa inte fungerar.",
        "Att kontrollera 2 system som anses vara kritiska.",
        "IT-chef, IT-enheten",
        "En gång per år",
        "Detta kommer att genomföras under hösten 2018. De områden som valts ut för kontroll är "
        "inom räddningstjänsten och vård och omsorg.",
    ),
)

EXECUTIONS = (
    Execution.IN_PROGRESS,
    Execution.IN_PROGRESS,
    Execution.IN_PROGRESS,
    Execution.NOT_STARTED,
    Execution.NOT_STARTED,
)


def control_points() -> tuple[ControlPointRow, ...]:
    """The five control points of the reference plan; the first is measured against 5 %."""
    points = []
    for position, (process, common, question, method, owner, frequency, _) in enumerate(
        REFERENCE_ROWS, start=1
    ):
        measured = position == 1
        points.append(
            ControlPointRow(
                position=position,
                process=process,
                question=question,
                method=method,
                owner=owner,
                frequency=frequency,
                common=common,
                measure_unit="%" if measured else "",
                target=Decimal(5) if measured else None,
            )
        )
    return tuple(points)


def followup_data(**changes: object) -> FollowUpData:
    """The follow-up per 2018-08-31 as in the reference document."""
    entries = tuple(
        EntryRow(
            control_point=point,
            execution=execution,
            result_text=row[6],
            measured_value=Decimal(8) if point.position == 1 else None,
        )
        for point, execution, row in zip(control_points(), EXECUTIONS, REFERENCE_ROWS, strict=True)
    )
    values: dict[str, object] = {
        "organisation": ORGANISATION,
        "committee": COMMITTEE,
        "plan": PLAN,
        "cutoff": dt.date(2018, 8, 31),
        "entries": entries,
        "summary": SUMMARY,
        "proposal_source": ProposalSource.ADMINISTRATION,
        "decision_paragraph": "137",
        "meeting_date": dt.date(2018, 9, 26),
        "case_officer": PersonInfo("Carina Brofeldt", "Bitr Kommundirektör", "0142-851 56"),
        "signatory": PersonInfo("Carina Brofeldt", "Bitr Kommundirektör", "0142-851 56"),
    }
    values.update(changes)
    return FollowUpData(**values)  # type: ignore[arg-type]


def plan_data(**changes: object) -> PlanData:
    """The reference plan for 2018, adopted § 276/2017-12-06."""
    values: dict[str, object] = {
        "organisation": ORGANISATION,
        "committee": COMMITTEE,
        "plan": PLAN,
        "control_points": control_points(),
    }
    values.update(changes)
    return PlanData(**values)  # type: ignore[arg-type]


COLUMN_HEADERS = (
    "Process",
    "Kontrollmoment",
    "Kontrollmetod",
    "Kontrollansvarig",
    "Tidpunkt/frekvens",
    "Uppföljning 180831",
)


def reference_cells() -> list[str]:
    """The 30 cells of the reference appendix table, in reading order."""
    cells = []
    for position, (process, common, question, method, owner, frequency, text) in enumerate(
        REFERENCE_ROWS, start=1
    ):
        label = f"{position}. {process}" + (" (kommungemensamt)" if common else "")
        cells += [label, question, method, owner, frequency, text]
    return cells


GOLDEN_TEXTS = (
    "Uppföljning av internkontrollplan per 31 augusti 2018",
    "Bakgrund",
    "Kommunstyrelsen beslutade vid sitt sammanträde § 276/2017-12-06 om kommunstyrelsens "
    "förvaltnings internkontrollplan för 2018.",
    "Sammanfattning",
    SUMMARY,
    "Beslutsunderlag",
    "Missiv",
    "Uppföljning av internkontrollplan per 31 augusti 2018.",
    "Kommunstyrelsens förvaltnings förslag till beslut",
    "1. Kommunstyrelsen godkänner uppföljning av internkontrollplanen per 31 augusti 2018.",
    "Beslutet skickas till",
    "Kommunstyrelsen",
    "Akten",
    "Kommunstyrelsens förvaltning",
    "Carina Brofeldt",
    "Bitr Kommundirektör",
    "Handläggare",
    "Tfn 0142-851 56",
    "KS/2017:335",
    "Uppföljning av internkontrollplan för KS-förvaltning per 31 aug 2018",
)


def golden_texts() -> list[str]:
    """Every heading, decision sentence, column header and cell the documents must carry."""
    return [*GOLDEN_TEXTS, *COLUMN_HEADERS, *reference_cells()]
