"""Given names and postcodes are compared in the forms agencies actually record."""

from __future__ import annotations

import pytest

from childfirst.linkage.clustering import cluster
from childfirst.linkage.frame import linkage_row, postcode
from childfirst.linkage.nicknames import canonical, equivalent


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Daniel", "Danny"),
        ("Elizabeth", "Beth"),
        ("Liz", "Elizabeth"),
        ("Mohammed", "Muhammad"),
        ("Mohamed", "Mohammed"),
        ("Katherine", "Catherine"),
        ("Kate", "Catherine"),
        ("Zoë", "Zoe"),
    ],
)
def test_nicknames_and_spellings_share_a_canonical_name(a: str, b: str) -> None:
    assert equivalent(a, b)


def test_different_names_stay_different() -> None:
    assert not equivalent("Daniel", "David")
    assert canonical("Unlisted") == "unlisted"


def test_postcodes_are_normalised_and_rubbish_dropped() -> None:
    assert postcode("nm9  5yt") == "NM9 5YT"
    assert postcode("NM95YT") == "NM9 5YT"
    assert postcode("not known") is None


def test_a_double_barrelled_surname_offers_each_part_and_aliases() -> None:
    row = linkage_row(
        "per_1",
        "northmoor-police",
        "Amy",
        None,
        "Smith-Jones",
        [{"family_name": "Khan", "kind": "maiden"}],
        None,
        "exact",
        "female",
    )
    assert set(row["surnames"]) >= {"smith-jones", "smith", "jones", "khan"}
    assert row["dob"] is None
    assert "ethnicity" not in row


def test_a_not_the_same_decision_splits_a_chain_of_strong_links() -> None:
    edges = [("a", "b", 0.99), ("b", "c", 0.98)]
    joined = cluster(["a", "b", "c"], edges, threshold=0.9)
    assert len(set(joined.cluster_of.values())) == 1
    split = cluster(["a", "b", "c"], edges, threshold=0.9, not_same=[("a", "c")])
    assert split.cluster_of["a"] != split.cluster_of["c"]
    assert split.cluster_of["a"] == split.cluster_of["b"]


def test_a_same_decision_links_records_the_model_left_apart() -> None:
    result = cluster(["a", "b"], [("a", "b", 0.2)], threshold=0.9, same=[("a", "b")])
    assert result.cluster_of["a"] == result.cluster_of["b"]
