"""A linkage model for a store too small to train one: the same comparisons, set by hand.

Training without labels needs many records: u probabilities from thousands of random pairs, m
probabilities from expectation maximisation over pairs sharing a date of birth or a name. A store
of one family has a handful of pairs, none of them the same person, and training on it divides by
zero. Below ``MIN_RECORDS`` records, or when a training blocking rule gives fewer than
``MIN_PAIRS`` pairs, the model's m and u probabilities are the priors here instead: cautious
values under which only records agreeing on name, date of birth and more link at once, twins (the
same surname, date of birth and address, another given name) wait for a person in the review
queue, and relatives at one address stay apart. The model saved from them is marked
(``PRIORS``), and the next batch link trains a model as soon as the store is large enough.
"""

from __future__ import annotations

from typing import Any

MIN_RECORDS = 200
MIN_PAIRS = 50
# The key of a saved model JSON set from these priors; its value says why nothing was trained.
PRIORS = "childfirst_priors"
# Two records picked at random are very rarely the same person.
PROBABILITY_TWO_RANDOM_RECORDS_MATCH = 1e-5

# (m, u) of each comparison's levels after its null level, in the order ``model.settings``
# declares them. The last is the "all other comparisons" level.
LEVELS: dict[str, tuple[tuple[float, float], ...]] = {
    # exact, nickname, Jaro-Winkler >= 0.92, among middle names or aliases, >= 0.8, other
    "given_name": (
        (0.80, 0.002),
        (0.08, 0.001),
        (0.06, 0.003),
        (0.035, 0.002),
        (0.0249, 0.02),
        (1e-4, 0.972),
    ),
    # exact, a part or previous surname in common, Jaro-Winkler >= 0.92, >= 0.8, other
    "surname": ((0.85, 0.005), (0.05, 0.002), (0.04, 0.003), (0.03, 0.02), (0.03, 0.97)),
    # exact, day and month transposed, one character different, same year, estimated year
    # within two, other (fixed by the declaration)
    "dob": (
        (0.85, 1e-4),
        (0.02, 1e-4),
        (0.0699, 0.002),
        (0.04, 0.01),
        (0.02, 0.05),
        (1e-4, 0.9378),
    ),
    # same latest postcode, one in common in the history, district in common, other
    "postcode": ((0.6, 0.002), (0.15, 0.001), (0.15, 0.05), (0.1, 0.947)),
    "sex": ((0.98, 0.5), (0.02, 0.5)),
    # exact, one digit different or two swapped, two digits different, other
    "identifier": ((0.95, 1e-6), (0.03, 1e-5), (0.01, 1e-4), (0.01, 0.999889)),
    "house_number": ((0.9, 0.05), (0.1, 0.95)),
    "street": ((0.85, 0.01), (0.05, 0.01), (0.1, 0.98)),
    "locality": ((0.85, 0.02), (0.05, 0.02), (0.1, 0.96)),
}


def with_priors(declared: dict[str, Any]) -> dict[str, Any]:
    """Splink settings (``SettingsCreator.create_settings_dict``) given the priors' m and u."""
    result = dict(declared)
    result["probability_two_random_records_match"] = PROBABILITY_TWO_RANDOM_RECORDS_MATCH
    for comparison in result["comparisons"]:
        name = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        values = LEVELS[name]
        if len(levels) != len(values):
            raise ValueError(f"the priors of {name} do not fit its {len(levels)} levels")
        for level, (m, u) in zip(levels, values, strict=True):
            level["m_probability"] = m
            level["u_probability"] = u
    return result


def too_little(records: int, pairs: dict[str, int], matches: int) -> str | None:
    """Why ``records`` are too few to train on, given the ``pairs`` each training blocking rule
    gives and the ``matches`` (pairs agreeing on name and date of birth) the share of pairs that
    are the same person is estimated from."""
    if records < MIN_RECORDS:
        return (
            f"{records:,} person records are too few to train a linkage model "
            f"(at least {MIN_RECORDS:,} are needed)"
        )
    for rule, count in pairs.items():
        if count < MIN_PAIRS:
            return (
                f"only {count:,} pairs of records agree on {rule}, too few to train a linkage "
                f"model (at least {MIN_PAIRS:,} are needed)"
            )
    if matches == 0:
        return (
            "no two person records agree on given name, surname and date of birth, so the share "
            "of pairs that are the same person cannot be estimated to train a linkage model"
        )
    return None
