"""Logs: a request id on every line, JSON on request, user ids but never names, tracebacks kept."""

import io
import json
import logging
from contextlib import contextmanager

from django.test import override_settings
from django.urls import reverse

from ik.ops.logs import JsonFormatter
from ik.test import BaseTestCase


@contextmanager
def console_log(*, json_format: bool):
    """The configured console handler, writing into a buffer; JSON formatter if asked."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    old_stream, old_formatter = handler.setStream(buffer), handler.formatter
    request_logger = logging.getLogger("ik.request")
    old_level = request_logger.level
    if json_format:
        handler.setFormatter(JsonFormatter())
        request_logger.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        handler.setStream(old_stream)
        handler.setFormatter(old_formatter)
        request_logger.setLevel(old_level)


def json_lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


class JsonLogTests(BaseTestCase):
    def test_each_request_is_one_json_line_with_ids_but_no_names(self):
        self.client.force_login(self.controller)
        with console_log(json_format=True) as buffer:
            response = self.client.get(reverse("web:home") + "?sok=hemligt")
        (line,) = [e for e in json_lines(buffer) if e["logger"] == "ik.request"]
        assert line["request_id"] == response["X-Request-ID"]
        assert line["user_id"] == self.controller.pk
        assert line["path"] == "/" and line["status"] == 200 and line["method"] == "GET"
        assert line["duration_ms"] >= 0
        text = buffer.getvalue()
        assert "hemligt" not in text
        assert self.controller.username not in text

    def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(self):
        with console_log(json_format=True) as buffer:
            kept = self.client.get(reverse("web:health"), HTTP_X_REQUEST_ID="nginx-abc123def")
            replaced = self.client.get(reverse("web:health"), HTTP_X_REQUEST_ID="<script>\n")
        assert kept["X-Request-ID"] == "nginx-abc123def"
        assert replaced["X-Request-ID"] != "<script>\n" and len(replaced["X-Request-ID"]) == 32
        lines = json_lines(buffer)
        assert [e["request_id"] for e in lines] == [kept["X-Request-ID"], replaced["X-Request-ID"]]
        assert all(e["user_id"] is None for e in lines)

    @override_settings(ROOT_URLCONF="ik.ops.tests.urls")
    def test_a_crash_reaches_the_log_with_its_traceback_as_one_line(self):
        self.client.raise_request_exception = False
        with console_log(json_format=True) as buffer:
            response = self.client.get("/boom/")
        assert response.status_code == 500
        raw = buffer.getvalue().splitlines()
        errors = [e for e in map(json.loads, raw) if e["level"] == "ERROR"]
        assert len(errors) == 1
        assert errors[0]["request_id"] == response["X-Request-ID"]
        assert "RuntimeError: något gick sönder" in errors[0]["traceback"]
        assert 'raise RuntimeError("något gick sönder")' in errors[0]["traceback"]

    @override_settings(ROOT_URLCONF="ik.ops.tests.urls")
    def test_the_text_format_keeps_tracebacks_and_the_request_id(self):
        self.client.raise_request_exception = False
        with console_log(json_format=False) as buffer:
            response = self.client.get("/boom/")
        text = buffer.getvalue()
        assert f"[{response['X-Request-ID']}]" in text
        assert "Traceback (most recent call last)" in text
        assert "RuntimeError: något gick sönder" in text
