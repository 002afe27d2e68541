"""The rules and learning catalogue: what each rule does, and the learning it serves."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from childfirst.errors import NotFoundError
from childfirst.learning import LearningEntry, entry
from childfirst.rules.registry import RULES
from childfirst.web.templating import render

router = APIRouter()


def _learning(ids: tuple[str, ...]) -> list[LearningEntry]:
    found = []
    for learning_id in ids:
        try:
            found.append(entry(learning_id))
        except NotFoundError:
            continue
    return found


@router.get("/catalogue", name="catalogue_page", response_class=HTMLResponse)
def catalogue_page(request: Request) -> HTMLResponse:
    rules = [(rule, _learning(rule.learning)) for rule in RULES]
    return render(request, "catalogue.html", {"rules": rules})
