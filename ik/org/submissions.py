"""Creating forms are sent once: a resent form (back + send again) creates nothing new."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction

from ik.org.models import FormSubmission


class AlreadySubmitted(Exception):
    """The form with this token was sent before; `redirect_to` is where that led."""

    def __init__(self, redirect_to: str) -> None:
        super().__init__(redirect_to)
        self.redirect_to = redirect_to


@dataclass(slots=True)
class Submission:
    redirect_to: str = ""


def add_token_field(form: forms.BaseForm) -> None:
    """Give a creating form a hidden one-time token, new each time the form is shown."""
    form.fields["form_token"] = forms.UUIDField(
        widget=forms.HiddenInput, required=False, initial=uuid.uuid4
    )


@contextmanager
def submitted_once(form: forms.BaseForm) -> Iterator[Submission]:
    """Run the creation in the block once per token; raise AlreadySubmitted on a resend.

    The token is claimed before the block runs, in the same transaction, so two sendings at
    the same moment meet at the unique token and only one creates anything. A block that
    fails gives the token back with everything else it did. Set `redirect_to` in the block.
    Takes `form_token` out of the form's cleaned data, so the block can pass the rest on.
    """
    token = form.cleaned_data.pop("form_token", None)
    submission = Submission()
    with transaction.atomic():
        if token is not None:
            try:
                with transaction.atomic():
                    row = FormSubmission.objects.create(token=token)
            except IntegrityError:
                earlier = FormSubmission.objects.filter(token=token).first()
                raise AlreadySubmitted(earlier.redirect_to if earlier else "") from None
        yield submission
        if token is not None:
            FormSubmission.objects.filter(pk=row.pk).update(redirect_to=submission.redirect_to)
