import io

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ik.demo import mjolby
from ik.org.models import Committee, Organisation
from ik.reports.tests.readback import flat, pdf_text


@pytest.fixture
def demo(db):
    # The reference case, plus a second organisation that also has a "ks".
    mjolby.load({})
    other = Organisation.objects.create(code="exempelkommun", name="Exempelkommun")
    Committee.objects.create(organisation=other, code="ks", name="Kommunstyrelsen")


def _report(*args):
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


FOLLOWUP = ["followup", "--organisation", "mjolby", "--committee", "KS", "--year", "2018"]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_report_followup_writes_the_requested_format(demo, tmp_path, fmt):
    output = tmp_path / f"uppfoljning.{fmt}"
    message = _report(*FOLLOWUP, "--cutoff", "2018-08-31", "--format", fmt, "--output", output)
    assert "Skrev" in message
    data = output.read_bytes()
    if fmt == "docx":
        assert docx.Document(io.BytesIO(data)).tables
    elif fmt == "pdf":
        assert "Bakgrund" in pdf_text(data)
    else:
        assert len(load_workbook(io.BytesIO(data)).sheetnames) >= 2


def test_report_plan_takes_the_format_from_the_file_name(demo, tmp_path):
    output = tmp_path / "plan.pdf"
    _report(
        "plan",
        "--organisation",
        "Mjölby kommun",
        "--committee",
        "Kommunstyrelsen",
        "--year",
        "2018",
        "--output",
        output,
    )
    assert flat("Internkontrollplan 2018 för KS-förvaltning") in flat(pdf_text(output.read_bytes()))


def test_report_uses_an_organisations_own_word_template(demo, tmp_path):
    template = tmp_path / "mall.docx"
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "MJÖLBY BREVHUVUD"
    word.save(template)
    output = tmp_path / "ut.docx"
    _report(*FOLLOWUP, "--cutoff", "2018-08-31", "--output", output, "--template", template)
    header = docx.Document(output).sections[0].header.paragraphs[0].text
    assert header == "MJÖLBY BREVHUVUD"


def test_ambiguous_committee_asks_for_the_organisation(demo, tmp_path):
    with pytest.raises(CommandError, match="Exempelkommun, Mjölby kommun.*--organisation"):
        _report("plan", "--committee", "ks", "--year", "2018", "--output", tmp_path / "a.pdf")


def test_unknown_committee_lists_the_committees_that_exist(demo, tmp_path):
    with pytest.raises(CommandError, match=r"finns inte\. Det finns: .*Kommunstyrelsen \(ks, Mjö"):
        _report("plan", "--committee", "Okänd", "--year", "2018", "--output", tmp_path / "a.pdf")


def test_unknown_year_lists_the_plans_that_exist(demo, tmp_path):
    with pytest.raises(CommandError, match="ingen internkontrollplan för 2017.*2018"):
        _report(
            "plan",
            "--organisation",
            "mjolby",
            "--committee",
            "ks",
            "--year",
            "2017",
            "--output",
            tmp_path / "a.pdf",
        )


def test_unknown_cutoff_lists_the_followups_that_exist(demo, tmp_path):
    with pytest.raises(CommandError, match="per 2018-06-30.*2018-08-31"):
        _report(*FOLLOWUP, "--cutoff", "2018-06-30", "--output", tmp_path / "a.pdf")


def test_followup_without_cutoff_or_with_unknown_format_is_refused(demo, tmp_path):
    with pytest.raises(CommandError, match="--cutoff"):
        _report(*FOLLOWUP, "--output", tmp_path / "a.pdf")
    with pytest.raises(CommandError, match="docx, pdf eller xlsx"):
        _report(*FOLLOWUP, "--cutoff", "2018-08-31", "--output", tmp_path / "a.odt")


def test_unknown_organisation_lists_the_organisations(demo, tmp_path):
    with pytest.raises(CommandError, match="Det finns: Exempelkommun, Mjölby kommun"):
        _report(
            "plan",
            "--organisation",
            "Okänd",
            "--committee",
            "ks",
            "--year",
            "2018",
            "--output",
            tmp_path / "a.pdf",
        )


def _store_template(text: str) -> None:
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = text
    out = io.BytesIO()
    word.save(out)
    organisation = Organisation.objects.get(code="mjolby")
    organisation.word_template.save("mall.docx", ContentFile(out.getvalue()))


@pytest.mark.parametrize(
    "args",
    [
        [*FOLLOWUP, "--cutoff", "2018-08-31"],
        ["plan", "--organisation", "mjolby", "--committee", "ks", "--year", "2018"],
        ["oversight", "--organisation", "mjolby", "--year", "2018", "--cutoff", "2018-08-31"],
    ],
)
def test_every_docx_is_built_on_the_organisations_stored_template(demo, tmp_path, settings, args):
    settings.MEDIA_ROOT = tmp_path / "media"
    _store_template("MJÖLBY LAGRAD MALL")
    output = tmp_path / "ut.docx"
    _report(*args, "--output", output)
    assert docx.Document(output).sections[0].header.paragraphs[0].text == "MJÖLBY LAGRAD MALL"
