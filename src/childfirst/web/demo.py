"""Demo accounts: one per role, for the synthetic force area, with passwords to print at start-up."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from childfirst.domain.roles import Role
from childfirst.store.access import Account
from childfirst.store.database import Database
from childfirst.web.auth import create_account, hash_password

# The partner agency each partner demo account works for.
DEMO_AGENCIES = {
    Role.SCHOOL: "northmoor-primary",
    Role.HEALTH: "northmoor-health",
    Role.CHILDRENS_SOCIAL_CARE: "northmoor-council",
}


def demo_username(role: Role) -> str:
    return f"demo.{role.value}"


def ensure_demo_accounts(
    db: Database, *, deterministic: bool = False
) -> list[tuple[str, str, Role]]:
    """Create (or reset the password of) one demo account per role; (username, password, role).

    Passwords are random unless ``deterministic``, which is only for development on a laptop.
    """
    created: list[tuple[str, str, Role]] = []
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
                    agency_code=DEMO_AGENCIES.get(role),
                )
            else:
                account.password_hash = hash_password(password)
                account.active = True
            created.append((username, password, role))
    return created
