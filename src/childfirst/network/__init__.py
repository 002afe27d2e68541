"""The people around a child: household, family and associates, as one person each.

``child_network`` reads the store: the child's recorded relationships, the partners of the adults
who care for the child, the people living at the child's current address and the people who
appear in events with the child. Source records are resolved to master persons, so a man known to
two forces is one person in the picture. ``layout`` places the people around the child for a
drawing; the web page draws it and lists the same people in a table.
"""

from __future__ import annotations

from childfirst.network.build import Connection, Network, Relation, child_network
from childfirst.network.layout import HEIGHT, WIDTH, Positioned, layout

__all__ = [
    "HEIGHT",
    "WIDTH",
    "Connection",
    "Network",
    "Positioned",
    "Relation",
    "child_network",
    "layout",
]
