"""Reads that may lag behind the last write: the Board's dashboard and the exports read the
review data from a read replica when the deployment has one (docs/deployment.md, issue #16).

`DATABASE_REPLICA_URL` adds the `replica` alias; `ReplicaRouter` sends to it only the reads made
inside `replica_reads()` and only of the review data (organizations, members, reviews), so the
accounts, the sessions, the login lockouts, the job queue and every write stay on `default`.
Without a replica every read goes to `default`, as it always did.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
#: The apps whose reads may come from the replica: the review data, nothing of the session.
REPLICA_APPS = frozenset({"organizations", "members", "reviews"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside, the review data is read from the replica (when there is one): for screens and
    files that show the state of a moment and may lag a second behind, never before a write."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reading_replica() -> bool:
    """Whether reads of the review data would go to a replica here and now: inside
    `replica_reads()`, with a replica configured, and outside a transaction on the primary
    (a service's reads under its locks see its own writes)."""
    return (
        _replica_reads.get()
        and REPLICA in connections.settings
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReplicaRouter:
    """`default` for every write and every read outside `replica_reads()`."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if model._meta.app_label in REPLICA_APPS and reading_replica():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Also for an object read from the replica: it is saved on the primary.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: objects of either relate freely.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica takes its schema from the primary by replication.
        return db != REPLICA


class ReplicaReadsMixin:
    """A read-only view whose queries, the template's included, read the replica. Put it after
    the mixins that find the user's cycle and rights, and check access in `check_access`:
    those read the primary, so a role taken away is gone at once."""

    def check_access(self) -> None:
        """Raise PermissionDenied (or Http404) before any read from the replica."""

    def dispatch(self, request, *args, **kwargs):
        self.check_access()
        with replica_reads():
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            # A TemplateResponse renders after the view returns: render it here, inside.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response
