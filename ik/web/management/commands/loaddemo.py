"""`python manage.py loaddemo`: the demo organisations and users. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ik.demo import exempelkommun, mjolby, users
from ik.org.models import Organisation, Person


class Command(BaseCommand):
    help = "Läser in demodata: Mjölby kommun (referensärendet) och Exempelkommun."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            people: dict[str, Person] = {}
            if Organisation.objects.filter(code="mjolby").exists():
                self.stdout.write("Mjölby kommun finns redan; lämnas orörd.")
            else:
                mjolby.load(people)
                self.stdout.write("Mjölby kommun inläst.")
            if Organisation.objects.filter(code="exempelkommun").exists():
                self.stdout.write("Exempelkommun finns redan; lämnas orörd.")
            else:
                exempelkommun.load(people)
                self.stdout.write("Exempelkommun inläst.")
            accounts = users.load(people)
        self.stdout.write("")
        self.stdout.write(f"Demoanvändare (lösenord för alla: {users.DEMO_PASSWORD}):")
        roles: dict[str, list[str]] = {}
        for username, description in accounts:
            if description not in roles.setdefault(username, []):
                roles[username].append(description)
        for username, descriptions in roles.items():
            self.stdout.write(f"  {username:<22} {'; '.join(descriptions)}")
