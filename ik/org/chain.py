"""The audit trail's hash chain: every event seals its own content and the event before it.

Each organisation's events form one chain in insertion order. An event stores the digest of
the organisation's previous event (`previous_digest`) and its own `digest`: SHA-256 over that
previous digest and the event's content. Changing an event afterwards (raw SQL, a bulk update
past the model's refusals) no longer matches its digest; deleting one leaves the next event
pointing at a digest that is not the one before it. Deleting the newest events leaves a
shorter chain that is whole, so `verifytrail` prints the newest digest for the operator to
note elsewhere (a committee's minutes, a ticket) and compare later.

This module only computes and checks; `AuditEvent.save` is the one place that links a new
event, under a lock on its organisation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

GENESIS = "0" * 64


class ChainedEvent(Protocol):
    id: Any
    public_id: Any
    organisation_id: int
    actor_id: int | None
    system_actor: str
    at: datetime
    action: str
    object_type: str
    object_id: str
    summary: str
    changes: Any
    previous_digest: str
    digest: str


def event_digest(event: ChainedEvent, previous: str) -> str:
    """The digest that seals `event` onto the chain after `previous`."""
    content = {
        "public_id": str(event.public_id),
        "organisation": event.organisation_id,
        "actor": event.actor_id,
        "system_actor": event.system_actor,
        "at": event.at.astimezone(UTC).isoformat(),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "changes": event.changes,
    }
    text = json.dumps(
        [previous, content], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BrokenLink:
    event_id: Any
    public_id: str
    at: datetime
    reason: str

    def describe(self) -> str:
        when = self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"händelse {self.event_id} ({self.public_id}, {when}): {self.reason}"


@dataclass(frozen=True, slots=True)
class ChainCheck:
    events: int
    head: str
    broken: BrokenLink | None


def check_chain(events: Iterable[ChainedEvent]) -> ChainCheck:
    """Walk one organisation's events in insertion order; stop at the first broken link."""
    previous, count = GENESIS, 0
    for event in events:
        reason = ""
        if event.previous_digest != previous:
            reason = (
                "länken till föregående händelse stämmer inte; en händelse före den har "
                "tagits bort eller ändrats"
            )
        elif event_digest(event, previous) != event.digest:
            reason = "innehållet stämmer inte med sin kontrollsumma; händelsen har ändrats"
        if reason:
            broken = BrokenLink(event.id, str(event.public_id), event.at, reason)
            return ChainCheck(count, previous, broken)
        previous, count = event.digest, count + 1
    return ChainCheck(count, previous, None)
