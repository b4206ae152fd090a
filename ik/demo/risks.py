"""Risk analyses for the demo plans: Mjölby KS 2018 behind its five controls, and a few
risks in Exempelkommun."""

from __future__ import annotations

from typing import Any

from ik.org.actors import LOADDEMO
from ik.org.models import Organisation
from ik.plans.models import Plan
from ik.risks.models import Handling
from ik.risks.services import categories_for, risk_create

# (description, process, category, likelihood, impact, handling, action, owner,
#  control point positions)
MJOLBY_KS_2018: list[tuple[Any, ...]] = [
    (
        "Fakturor betalas efter förfallodagen, vilket ger dröjsmålsränta och "
        "påminnelseavgifter och skadar förtroendet hos leverantörerna.",
        "Försent betalda fakturor",
        "Verksamhet",
        4,
        3,
        Handling.CONTROL,
        "",
        "Ekonomichef, Ekonomiska avdelningen",
        [1],
    ),
    (
        "Verksamhetskritiska system startar i fel ordning efter ett driftstopp, så att "
        "återställningen drar ut på tiden.",
        "Systemprioritering uppstart",
        "IT",
        3,
        4,
        Handling.CONTROL,
        "",
        "IT-chef, IT-enheten",
        [2],
    ),
    (
        "Förvaltningarna deltar inte i arbetet med ny energiplan, så att planen saknar "
        "förankring i verksamheterna.",
        "Framtagande av ny energiplan",
        "Omvärld",
        2,
        3,
        Handling.CONTROL,
        "",
        "Hållbarhetsstrategen",
        [3],
    ),
    (
        "Bara en person kan driva vitala IT-funktioner, så att system står utan kompetens "
        "vid sjukdom eller semester.",
        "Kompetens digitala system",
        "IT",
        3,
        3,
        Handling.CONTROL,
        "",
        "IT-chef, IT-enheten",
        [4],
    ),
    (
        "Samhällskritiska system saknar fungerande larm, så att ett avbrott upptäcks sent.",
        "Larm övervakning digitala system",
        "IT",
        2,
        4,
        Handling.CONTROL,
        "",
        "IT-chef, IT-enheten",
        [5],
    ),
    (
        "Leverantörers bankkonton ändras efter falska ändringsmeddelanden, så att "
        "betalningar går till bedragare.",
        "Leverantörsregister",
        "Oegentligheter och korruption",
        3,
        4,
        Handling.CONTROL,
        "",
        "Ekonomichef, Ekonomiska avdelningen",
        [],
    ),
    (
        "Inköp görs utanför ramavtalen, i strid med lagen om offentlig upphandling och till "
        "högre kostnad.",
        "Inköp",
        "Legal",
        3,
        2,
        Handling.DIRECT_ACTION,
        "Påminnelse om avtalskatalogen till alla beställare under våren 2018.",
        "Upphandlingschef",
        [],
    ),
    (
        "Personuppgifter behandlas utan registerförteckning när dataskyddsförordningen "
        "börjar gälla den 25 maj 2018.",
        "Dataskydd",
        "Legal",
        2,
        3,
        Handling.DIRECT_ACTION,
        "Dataskyddsombud utses och registerförteckning upprättas före den 25 maj 2018.",
        "Kommunsekreterare",
        [],
    ),
    (
        "Representation bokförs utan deltagarlista och syfte.",
        "Representation",
        "Rapportering",
        2,
        1,
        Handling.ACCEPT,
        "",
        "Ekonomichef, Ekonomiska avdelningen",
        [],
    ),
]

EXEMPEL: dict[str, list[tuple[Any, ...]]] = {
    "ks": [
        (
            "Behörigheter ligger kvar när anställda slutar, så att obehöriga kan nå system.",
            "Personal",
            "IT",
            3,
            3,
            Handling.CONTROL,
            "",
            "HR-chef",
            ["Personal"],
        ),
        (
            "Direktupphandlingar görs utan konkurrens och dokumentation.",
            "Upphandling",
            "Legal",
            3,
            3,
            Handling.CONTROL,
            "",
            "Upphandlingschef",
            ["Upphandling"],
        ),
        (
            "Fakturor betalas för sent.",
            "Försent betalda fakturor",
            "Verksamhet",
            2,
            3,
            Handling.CONTROL,
            "",
            "Ekonomichef",
            ["Försent betalda fakturor"],
        ),
    ],
    "sn": [
        (
            "Anmälningar om barn som far illa utreds inte i tid.",
            "Barn och unga",
            "Verksamhet",
            3,
            4,
            Handling.CONTROL,
            "",
            "Enhetschef barn och unga",
            ["Barn och unga"],
        ),
        (
            "Brukares kontanter hanteras utan kvittens, så att förskingring inte upptäcks.",
            "Äldreomsorg",
            "Oegentligheter och korruption",
            2,
            4,
            Handling.DIRECT_ACTION,
            "Ny rutin för kvittens av brukarnas kontanter införs under första kvartalet.",
            "Verksamhetschef äldreomsorg",
            [],
        ),
    ],
}


def _create(plan: Plan, rows: list[tuple[Any, ...]], points: dict[Any, Any]) -> None:
    categories = {c.name: c for c in categories_for(plan.committee.organisation_id)}
    for description, process, category, likelihood, impact, handling, action, owner, keys in rows:
        risk_create(
            plan=plan,
            by=LOADDEMO,
            description=description,
            process=process,
            category=categories[category],
            likelihood=likelihood,
            impact=impact,
            handling=handling,
            action_text=action,
            owner_text=owner,
            control_points=[points[k] for k in keys],
        )


def load_mjolby(plan: Plan) -> None:
    """The risk analysis behind KS's plan 2018: four red risks, one without a control."""
    _create(plan, MJOLBY_KS_2018, {p.position: p for p in plan.control_points.all()})


def load_exempelkommun(organisation: Organisation, year: int) -> None:
    for code, rows in EXEMPEL.items():
        plan = Plan.objects.get(
            committee__organisation=organisation, committee__code=code, year=year
        )
        points = {p.process.name: p for p in plan.control_points.select_related("process")}
        _create(plan, rows, points)
