import uuid
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string

from ik.lib.breadcrumbs import Crumb, entry_trail, organisation_trail, plan_trail

ORG = SimpleNamespace(name="Mjölby kommun", code="mjolby")
COMMITTEE = SimpleNamespace(name="Kommunstyrelsen", code="ks", organisation=ORG)
PLAN = SimpleNamespace(year=2018, public_id=uuid.UUID(int=1), committee=COMMITTEE)
FOLLOWUP = SimpleNamespace(cutoff=date(2018, 8, 31), public_id=uuid.UUID(int=2), plan=PLAN)
ENTRY = SimpleNamespace(
    public_id=uuid.UUID(int=3), followup=FOLLOWUP, control_point=SimpleNamespace(number="V1")
)


def test_entry_trail_walks_from_the_organisation_down_to_the_current_page():
    trail = entry_trail(ENTRY, "Ny avvikelse")
    assert [c.label for c in trail] == [
        "Mjölby kommun",
        "Kommunstyrelsen",
        "Plan 2018",
        "Uppföljning per 2018-08-31",
        "Kontrollmoment V1",
        "Ny avvikelse",
    ]
    assert trail[0].url == "/o/mjolby/"
    assert trail[3].url and trail[4].url == f"{trail[3].url}#post-{ENTRY.public_id}"
    assert trail[-1].url is None


def test_linked_steps_sit_between_the_object_and_the_current_page():
    trail = plan_trail(PLAN, ("Riskanalys", "/risker/"), "Ny risk")
    assert trail[-2:] == [Crumb("Riskanalys", "/risker/"), Crumb("Ny risk")]


def test_the_partial_marks_the_last_crumb_as_the_current_page_without_a_link():
    html = render_to_string(
        "includes/breadcrumbs.html",
        {"breadcrumbs": organisation_trail(ORG, "Systemregister")},
    )
    assert '<nav aria-label="Brödsmulor" class="breadcrumbs">' in html
    assert '<li><a href="/o/mjolby/">Mjölby kommun</a></li>' in html
    assert '<li aria-current="page">Systemregister</li>' in html


def test_no_template_writes_its_own_breadcrumbs():
    root = Path(settings.BASE_DIR) / "templates"
    hand_written = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "Brödsmulor" in path.read_text() and path.name != "breadcrumbs.html"
    ]
    assert hand_written == []
