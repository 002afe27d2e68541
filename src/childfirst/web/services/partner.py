"""What a partner agency is shown of a concern: the partner's view model.

A partner sees why the concern was raised, the learning behind it, the actions addressed to it and
its own organisation's notification. What the police record about their own handling stays with
the police: who acknowledged or closed the concern and why it was closed, who an action was given
to, who did it and what they noted, the concern's history (who did what), and the police records it
rests on. They are taken out here, in the view the pages and the API are given, not in templates.
"""

from __future__ import annotations

from typing import Final

from childfirst.web.services.models import ActionView, ConcernView

# The fields of a concern that only the police see (kept out of every partner view).
POLICE_ONLY: Final = frozenset(
    {"acknowledged_by", "acknowledged_at", "closed_by", "closed_reason", "history", "evidence"}
)
# The fields of an action that only the police see.
POLICE_ONLY_ACTION: Final = frozenset({"assigned_to", "done_by", "done_at", "note"})


def partner_action(action: ActionView) -> ActionView:
    """The action without who it was given to, who did it, when and what they noted."""
    return action.model_copy(update=dict.fromkeys(POLICE_ONLY_ACTION))


def for_partner(view: ConcernView) -> ConcernView:
    """``view`` as a partner agency may see it: without ``POLICE_ONLY`` fields."""
    return view.model_copy(
        update={
            "acknowledged_by": None,
            "acknowledged_at": None,
            "closed_by": None,
            "closed_reason": None,
            "history": [],
            "evidence": [],
            "actions": [partner_action(a) for a in view.actions],
        }
    )
