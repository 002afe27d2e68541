"""Who does the work: the roles that own actions and, later, that people sign in as."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CALL_HANDLER = "call_handler"
    RESPONSE_OFFICER = "response_officer"
    CUSTODY_OFFICER = "custody_officer"
    PUBLIC_PROTECTION = "public_protection"
    MISSING_COORDINATOR = "missing_coordinator"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    SCHOOL = "school"
    HEALTH = "health"
    CASE_REVIEWER = "case_reviewer"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")
