"""The calendar text follows RFC 5545: CRLF, folding at 75 octets, escaping, dates."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ik.notifications.ical import Event, calendar, escape_text, fold

STAMP = datetime(2018, 8, 20, 9, 30, tzinfo=timezone(timedelta(hours=2)))


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_every_line_ends_in_crlf_and_none_is_longer_than_75_octets():
    long = "Fakturor " * 40 + "åäö" * 30
    text = calendar([Event("a@ik", date(2018, 9, 10), long, long)], name="IK", stamp=STAMP)
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "\n" not in text.replace("\r\n", "")
    assert any(line.startswith(" ") for line in lines)


def test_folding_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "ö" * 100
    folded = fold(line)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")  # would raise on a split character
        assert len(part.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line


def test_text_escapes_backslash_semicolon_comma_and_newlines():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_events_are_all_day_with_a_utc_stamp_and_the_given_uid():
    text = calendar(
        [Event("entry-1@ik", date(2018, 9, 10), "Rapportera: 1, Fakturor; moms")],
        name="IK",
        stamp=STAMP,
    )
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines
    assert "UID:entry-1@ik" in lines
    assert "DTSTAMP:20180820T073000Z" in lines
    assert "DTSTART;VALUE=DATE:20180910" in lines
    assert "DTEND;VALUE=DATE:20180911" in lines
    assert "SUMMARY:Rapportera: 1\\, Fakturor\\; moms" in lines
    assert lines[-2:] == ["END:VCALENDAR", ""]


def test_the_same_events_give_the_same_text():
    events = [Event("x@ik", date(2018, 1, 1), "A")]
    stamp = datetime(2018, 1, 1, tzinfo=UTC)
    assert calendar(events, name="IK", stamp=stamp) == calendar(events, name="IK", stamp=stamp)


def test_a_naive_stamp_is_refused():
    with pytest.raises(ValueError):
        calendar([], name="IK", stamp=datetime(2018, 1, 1))
