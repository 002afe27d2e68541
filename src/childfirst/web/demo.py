"""Demo accounts for development: one per role, for the synthetic force area, with passwords to
print at start-up. Never made outside development (see ``childfirst serve``)."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from childfirst.domain.roles import Role
from childfirst.store.access import Account
from childfirst.store.database import Database
from childfirst.store.models import Location
from childfirst.store.sharing import Notification
from childfirst.web.auth import create_account, hash_password

# The partner agency each partner demo account works for (the school demo account works for a
# real school of the store when it has one: see ``demo_school``).
DEMO_AGENCIES = {
    Role.SCHOOL: "northmoor-primary",
    Role.HEALTH: "northmoor-health",
    Role.CHILDRENS_SOCIAL_CARE: "northmoor-csc",
}
# The synthetic area's force: every police demo account works for it and writes its records.
DEMO_FORCE = "northmoor-police"


def demo_school(db: Database) -> str | None:
    """A real school of the store: the one most notifications are addressed to, else the first
    school the schools' records name; None when the store has no school."""
    with db.session() as session:
        busiest = session.scalar(
            select(Notification.organisation)
            .where(Notification.agency == Role.SCHOOL.value, Notification.organisation.is_not(None))
            .group_by(Notification.organisation)
            .order_by(func.count().desc(), Notification.organisation)
            .limit(1)
        )
        if busiest is not None:
            return busiest
        return session.scalar(
            select(Location.id)
            .where(Location.location_type == "school", Location.agency_kind == "education")
            .order_by(Location.id)
            .limit(1)
        )


def demo_username(role: Role) -> str:
    return f"demo.{role.value}"


def ensure_demo_accounts(
    db: Database, *, deterministic: bool = False
) -> list[tuple[str, str, Role]]:
    """Create (or reset the password of) one demo account per role; (username, password, role).

    For development only: ``childfirst serve`` calls it in development mode and never otherwise.
    A demo account that has been disabled stays disabled (and is left out of the list): only an
    administrator who disabled it can decide otherwise. Passwords are random unless
    ``deterministic``, which is only for development on a laptop.
    """
    created: list[tuple[str, str, Role]] = []
    agencies: dict[Role, str] = {**DEMO_AGENCIES}
    school = demo_school(db)
    if school is not None:
        agencies[Role.SCHOOL] = school
    with db.session(write=True) as session:
        for role in Role:
            username = demo_username(role)
            password = f"demo-{role.value}" if deterministic else secrets.token_urlsafe(12)
            account = session.scalar(select(Account).where(Account.username == username))
            if account is None:
                create_account(
                    session,
                    username=username,
                    display_name=f"Demo {role.label}",
                    role=role,
                    password=password,
                    agency_code=agencies.get(role, DEMO_FORCE),
                )
            elif not account.active:
                continue
            else:
                account.password_hash = hash_password(password)
                account.agency_code = agencies.get(role, DEMO_FORCE)
            created.append((username, password, role))
    return created
