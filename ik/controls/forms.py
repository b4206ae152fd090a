"""The form for running a control from a follow-up entry, and for saved column mappings."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import capfirst

from ik.controls.models import LedgerMapping
from ik.engine.controls.direct_procurement.spec import LOU
from ik.engine.controls.spec import ControlSpec
from ik.engine.mappings import FIELD_LABELS, FIELDS, PROFILES
from ik.lib.forms import SwedishDateField, SwedishDecimalField
from ik.lib.swedish import format_decimal


def _percent(label: str, help_text: str = "") -> SwedishDecimalField:
    return SwedishDecimalField(label=label, help_text=help_text)


# Each parameter: a form field factory, and how its cleaned value becomes CLI arguments.
PARAMETER_FIELDS: dict[str, Callable[[], forms.Field]] = {
    "mapping": lambda: forms.ChoiceField(label="Kolumnprofil"),
    "overrides": lambda: forms.CharField(
        label="Egna kolumnrubriker",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En rad per fält, t.ex. due_date=Förfallodag. Fält: "
        + ", ".join(f"{f} ({FIELD_LABELS[f]})" for f in FIELDS)
        + ".",
    ),
    "header_row": lambda: forms.IntegerField(
        label="Rubrikrad",
        required=False,
        min_value=1,
        help_text="Raden med kolumnrubriker, om filen har rubrikrader ovanför. "
        "Lämna tomt så hittas den.",
    ),
    "skip_bad_rows": lambda: forms.BooleanField(
        label="Hoppa över rader som inte går att läsa (de listas i resultatet)",
        required=False,
    ),
    "period_start": lambda: SwedishDateField(label="Betalda från och med", required=False),
    "period_end": lambda: SwedishDateField(label="Betalda till och med", required=False),
    "invoice_from": lambda: SwedishDateField(label="Fakturadatum från och med", required=False),
    "invoice_to": lambda: SwedishDateField(label="Fakturadatum till och med", required=False),
    "target": lambda: _percent("Mål: högst (%)"),
    "target_at_least": lambda: _percent("Mål: minst (%)"),
    "window": lambda: forms.ChoiceField(
        label="Köpen läggs samman per",
        choices=[("calendar", "Kalenderår"), ("rolling", "Rullande tolv månader")],
    ),
    "limit": lambda: SwedishDecimalField(
        label="Direktupphandlingsgräns (kr)",
        unit=None,
        help_text="Lämna tomt för lagens gräns vid varje datum (LOU, 700 000 kr från "
        "1 februari 2022).",
    ),
    "reference_rate": lambda: _percent(
        "Referensränta (%)",
        "Riksbankens referensränta; dröjsmålsräntan är den plus 8 procentenheter (räntelagen 6 §).",
    ),
    "accounts": lambda: forms.CharField(
        label="Konton (prefix)", initial="71", help_text="T.ex. 71 eller 7110, 7120."
    ),
    "sample": lambda: forms.IntegerField(
        label="Stickprov: antal",
        required=False,
        min_value=1,
        help_text="Lämna tomt för att kontrollera alla.",
    ),
    "seed": lambda: forms.IntegerField(
        label="Startvärde för stickprovet",
        required=False,
        min_value=0,
        help_text="Lämna tomt så väljs ett och sparas, så att stickprovet kan dras igen.",
    ),
    "key_person_threshold": lambda: forms.IntegerField(
        label="Nyckelperson: enda backup för minst", initial=3, min_value=1
    ),
    "start": lambda: forms.CharField(
        label="Driftstoppets start",
        required=False,
        help_text="T.ex. 2018-10-16 06:00, om loggen saknar en startrad.",
    ),
    "warning_limit": lambda: _percent(
        "Gul i stället för röd från (%)", "Lämna tomt så blir varje saknad deltagare rött."
    ),
}

MAX_UPLOAD_BYTES_DEFAULT = 2 * 1024**3


class ControlRunForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        control: ControlSpec,
        mappings: list[LedgerMapping],
        initial_target: Decimal | None = None,
        max_upload_bytes: int = MAX_UPLOAD_BYTES_DEFAULT,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.control = control
        self.mappings = {str(m.public_id): m for m in mappings}
        self.max_upload_bytes = max_upload_bytes
        for upload in control.uploads:
            self.fields[upload.key] = forms.FileField(
                label=capfirst(upload.label), required=upload.required, help_text=upload.help
            )
        for name in control.parameters:
            self.fields[name] = PARAMETER_FIELDS[name]()
        if "mapping" in self.fields:
            choice = self.fields["mapping"]
            assert isinstance(choice, forms.ChoiceField)
            choice.choices = [
                ("auto", "Känn igen automatiskt"),
                *[(p, p) for p in PROFILES],
                *[(f"saved:{k}", f"Sparad: {m.name}") for k, m in self.mappings.items()],
            ]
        for name in ("target", "target_at_least"):
            if name in self.fields and initial_target is not None:
                self.fields[name].initial = format_decimal(initial_target)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for upload in self.control.uploads:
            file: UploadedFile[bytes] | None = data.get(upload.key)
            if file is not None and file.size and file.size > self.max_upload_bytes:
                limit = format_decimal(Decimal(self.max_upload_bytes) / 1024**2, 0)
                self.add_error(upload.key, f"Filen är för stor; högst {limit} MB.")
        for first, last in (("period_start", "period_end"), ("invoice_from", "invoice_to")):
            self._check_period(data, first, last)
        own_limit: Decimal | None = data.get("limit")
        if own_limit is not None and own_limit <= 0:
            self.add_error("limit", "Ange ett belopp över noll, t.ex. 700 000.")
        for name in ("target", "target_at_least", "warning_limit"):
            value = data.get(name)
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                self.add_error(name, "Ange en procentsats mellan 0 och 100.")
        rate = data.get("reference_rate")
        # The reference rate was negative in 2016–2019 (−0,5 % in 2018).
        if rate is not None and not Decimal(-10) <= rate <= Decimal(50):
            self.add_error("reference_rate", "Ange referensräntan i procent, t.ex. −0,5 eller 2.")
        for line in (data.get("overrides") or "").splitlines():
            if line.strip() and "=" not in line:
                self.add_error("overrides", f"”{line.strip()}” ska skrivas som fält=Rubrik.")
        return data

    def _check_period(self, data: dict[str, Any], first: str, last: str) -> None:
        start, end = data.get(first), data.get(last)
        if bool(start) != bool(end):
            self.add_error(
                last if start else first, "Ange både från- och tilldatum, eller inget av dem."
            )
        elif start and end and start > end:
            self.add_error(last, "Tilldatumet ligger före frándatumet.")

    def arguments(self) -> list[str]:
        """The cleaned values as `runcontrol` arguments (files are added when the run starts)."""
        data = self.cleaned_data
        args: list[str] = []
        mapping = data.get("mapping")
        if mapping:
            if mapping.startswith("saved:"):
                args += ["--mapping", "auto"]
                saved = self.mappings[mapping[6:]]
                for field, header in saved.columns.items():
                    args += ["--map", f"{field}={header}"]
                if saved.header_row and data.get("header_row") is None:
                    args += ["--header-row", str(saved.header_row)]
            else:
                args += ["--mapping", mapping]
        for line in (data.get("overrides") or "").splitlines():
            if line.strip():
                args += ["--map", line.strip()]
        if data.get("header_row") is not None:
            args += ["--header-row", str(data["header_row"])]
        if data.get("skip_bad_rows"):
            args.append("--skip-bad-rows")
        for first, last in (("period_start", "period_end"), ("invoice_from", "invoice_to")):
            if data.get(first):
                args += ["--period", f"{data[first]}:{data[last]}"]
        if data.get("window"):
            args += ["--window", data["window"]]
        if data.get("limit") is not None:
            args += ["--limit", str(data["limit"])]
        elif "limit" in self.fields:
            # Left empty: the law's limit, not the organisation's own that the worker would add.
            args += ["--limit", LOU]
        for name, option in (
            ("target", "--target"),
            ("target_at_least", "--target"),
            ("reference_rate", "--reference-rate"),
        ):
            if data.get(name) is not None:
                args += [option, str(data[name])]
        if data.get("warning_limit") is not None:
            args += ["--warning-limit", str(data["warning_limit"] / 100)]
        if data.get("accounts"):
            args += ["--accounts", data["accounts"].replace(" ", "")]
        for name, option in (
            ("sample", "--sample"),
            ("seed", "--seed"),
            ("key_person_threshold", "--key-person-threshold"),
        ):
            if data.get(name) is not None:
                args += [option, str(data[name])]
        if data.get("start"):
            args += ["--start", data["start"]]
        return args


class LedgerMappingForm(forms.Form):
    name = forms.CharField(
        label="Namn", max_length=100, help_text="T.ex. ”Raindance, export från ekonomienheten”."
    )
    header_row = forms.IntegerField(
        label="Rubrikrad",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Raden med kolumnrubriker, om exporten har rubrikrader ovanför. "
        "Lämna tomt så hittas den.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in FIELDS:
            self.fields[f"col_{field}"] = forms.CharField(
                label=f"Kolumn för {FIELD_LABELS[field]}", required=False, max_length=200
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"col_{field}") for field in FIELDS) and not data.get("header_row"):
            raise forms.ValidationError("Ange rubriken för minst ett fält, eller rubrikraden.")
        return data

    def columns(self) -> dict[str, str]:
        return {
            field: self.cleaned_data[f"col_{field}"].strip()
            for field in FIELDS
            if self.cleaned_data.get(f"col_{field}", "").strip()
        }
