from decimal import Decimal
from xml.etree import ElementTree

from ik.lib.charts import ValueRow, VerdictRow, target_bars, verdict_bars

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - the charts' own output, not user input


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{SVG}text")]


def test_verdict_bars_name_every_count_in_text_not_only_in_colour():
    chart = verdict_bars("c", "Bedömningar", [VerdictRow("Socialnämnden", 0, 1, 1, 4)])
    root = parse(chart.svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Bedömningar"
    assert chart.desc == "Socialnämnden: 0 grön, 1 gul, 1 röd, 4 ej bedömda."
    assert {"Grön", "Gul", "Röd", "Ej bedömd", "Socialnämnden", "6 moment"} <= set(texts(chart.svg))


def test_target_bars_draw_the_target_and_write_each_value_with_its_verdict():
    rows = [ValueRow("KS", Decimal("3.2"), "green"), ValueRow("SN", None, "")]
    chart = target_bars("t", "Försent betalda", rows, target=Decimal(5), unit="%")
    written = texts(chart.svg)
    assert "3,2\u00a0% (grön)" in written and "Inget mätvärde" in written
    assert "Mål 5\u00a0%" in written
    assert chart.desc == "Mål 5\u00a0%. KS: 3,2\u00a0%, grön; SN: inget mätvärde."


def test_labels_are_escaped_and_no_inline_style_reaches_the_csp():
    chart = verdict_bars("x", "<b>", [VerdictRow("A & <B>", 1, 0, 0, 0)])
    parse(chart.svg)  # well-formed
    assert "<b>" not in chart.svg and "A &amp; &lt;B&gt;" in chart.svg
    assert "style=" not in chart.svg
