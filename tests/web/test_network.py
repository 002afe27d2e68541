"""The child profile's picture of household and associates: drawn, described and tabled."""

from __future__ import annotations

import re

from childfirst.domain.roles import Role
from tests.web.conftest import CHILD, SignIn


def test_the_profile_draws_the_household_and_lists_the_same_people(signed_in: SignIn) -> None:
    page = signed_in(Role.PUBLIC_PROTECTION).client.get(f"/children/{CHILD}").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img" aria-labelledby="network-title network-desc"' in svg
    assert '<title id="network-title">Household and associates of Kayleigh Walsh</title>' in svg
    assert "2 family and household members on the inner ring" in svg
    assert len(re.findall(r'<g class="node node-household', svg)) == 2
    table = page[page.index("<caption>People around Kayleigh Walsh</caption>") :]
    assert "<td>parent; lives at the same address</td>" in table
    assert "<td>partner of Donna Walsh; lives at the same address</td>" in table


def test_the_api_gives_the_network_too(signed_in: SignIn) -> None:
    profile = signed_in(Role.SUPERVISOR).client.get(f"/api/v1/children/{CHILD}").json()
    people = {p["name"]: p for p in profile["network"]}
    assert set(people) == {"Donna Walsh", "Dean Cole"}
    assert people["Dean Cole"]["circle"] == "household"
    assert people["Dean Cole"]["age"] >= 40
