"""Request middleware for running IK in production: transactions only where something is written."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _marked_non_atomic(request: HttpRequest) -> bool:
    """A view under `transaction.non_atomic_requests` (the login) manages its own."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return DEFAULT_DB_ALIAS in getattr(view, "_non_atomic_requests", set())


class WriteTransactionMiddleware:
    """One transaction per writing request, none for reads.

    Django's ATOMIC_REQUESTS wraps every view, so every page view paid for BEGIN and COMMIT
    and `/halsa/` opened a database connection. Reads need no transaction (each service that
    writes is its own), so only unsafe methods get one; a view that raises rolls it back,
    exactly as ATOMIC_REQUESTS did.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in SAFE_METHODS or _marked_non_atomic(request):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if request.method not in SAFE_METHODS and transaction.get_connection().in_atomic_block:
            transaction.set_rollback(True)
