"""childfirst: a child-centred safeguarding record and the engines built on it."""

from __future__ import annotations

__version__ = "0.1.0"
