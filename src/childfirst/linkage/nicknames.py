"""The nickname table as linkage compares given names; it lives in ``childfirst.domain.nicknames``."""

from childfirst.domain.nicknames import canonical, clean, equivalent

__all__ = ["canonical", "clean", "equivalent"]
