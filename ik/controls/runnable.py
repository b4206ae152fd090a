"""Which controls can be run from a follow-up entry, and what each one needs.

The web form collects files and parameters, turns them into the same arguments as
`runcontrol` on the command line, and the same adapter runs them: the page and the CLI
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Upload:
    key: str
    option: str
    label: str  # lower case, as it reads in a sentence; forms capitalise it
    required: bool
    help: str = ""


@dataclass(frozen=True)
class RunnableControl:
    name: str
    label: str
    description: str
    uploads: tuple[Upload, ...] = ()
    # Inputs taken from the organisation's own registers: "systems", "competence", "units".
    registers: tuple[str, ...] = ()
    # Form parameters, by name (see ik.controls.forms.PARAMETER_FIELDS).
    parameters: tuple[str, ...] = ()
    measures_share: bool = False


LEDGER = Upload(
    "ledger",
    "--ledger",
    "reskontrafil",
    True,
    "Export ur ekonomisystemet, CSV (semikolon, komma eller tabb) eller Excel.",
)
LEDGER_PARAMETERS = ("mapping", "overrides", "skip_bad_rows")

CONTROLS: dict[str, RunnableControl] = {
    c.name: c
    for c in (
        RunnableControl(
            "late_payments",
            "Försent betalda fakturor",
            "Andelen betalda fakturor som betalades efter förfallodagen, totalt och per enhet, "
            "med dagar sent och uppskattad dröjsmålsränta.",
            uploads=(LEDGER,),
            parameters=(
                *LEDGER_PARAMETERS,
                "period_start",
                "period_end",
                "target",
                "reference_rate",
            ),
            measures_share=True,
        ),
        RunnableControl(
            "duplicate_payments",
            "Dubbelbetalningar",
            "Samma leverantör och fakturanummer, eller samma leverantör, belopp och datum.",
            uploads=(LEDGER,),
            parameters=LEDGER_PARAMETERS,
        ),
        RunnableControl(
            "missing_orgnr",
            "Leverantörer utan organisationsnummer",
            "Rader vars leverantör saknar giltigt organisations- eller personnummer.",
            uploads=(LEDGER,),
            parameters=(*LEDGER_PARAMETERS, "target"),
            measures_share=True,
        ),
        RunnableControl(
            "account_review",
            "Konteringar på konton (representation)",
            "Alla konteringar på valda konton, per enhet: underlag för ett stickprov.",
            uploads=(LEDGER,),
            parameters=(*LEDGER_PARAMETERS, "accounts"),
        ),
        RunnableControl(
            "startup_order",
            "Uppstartsordning",
            "Prioritetslistan i systemregistret mot beroendena: cykler, system som startar före "
            "något de behöver, okända beroenden.",
            registers=("systems",),
        ),
        RunnableControl(
            "outage_drill",
            "Övning: driftstopp",
            "Loggen från en övning: startade systemen i rätt ordning och inom sin RTO?",
            uploads=(
                Upload(
                    "drill",
                    "--drill",
                    "övningslogg",
                    True,
                    "Kolumner system;uppe med tider som 2018-10-16 06:40.",
                ),
            ),
            registers=("systems",),
            parameters=("start",),
        ),
        RunnableControl(
            "competence_overlap",
            "Kompetensöverlapp",
            "Varje kritiskt system har minst två personer som kan det.",
            registers=("systems", "competence"),
            parameters=("sample", "seed", "key_person_threshold"),
            measures_share=True,
        ),
        RunnableControl(
            "alarm_coverage",
            "Larm på kritiska system",
            "Varje kritiskt system har larm och larmmottagare, och gärna en larmregel.",
            uploads=(
                Upload("alert_rules", "--alert-rules", "larmregler (Prometheus, YAML)", False),
            ),
            registers=("systems",),
            parameters=("sample", "seed"),
            measures_share=True,
        ),
        RunnableControl(
            "participation",
            "Deltagande",
            "Alla förvaltningar finns bland deltagarna (t.ex. arbetet med energiplanen).",
            uploads=(
                Upload(
                    "participants",
                    "--participants",
                    "deltagarlista",
                    True,
                    "CSV med kolumnen enhet (och gärna namn).",
                ),
            ),
            registers=("units",),
            parameters=("warning_limit",),
            measures_share=True,
        ),
    )
}
