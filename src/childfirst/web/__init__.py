"""The web application and JSON API: a thin layer over the library.

``create_app(settings)`` builds the application; ``Settings.from_environment()`` reads and checks its
configuration; ``audit.verify`` checks the audit log's chain.
"""

from __future__ import annotations

from childfirst.web.app import create_app
from childfirst.web.settings import Settings

__all__ = ["Settings", "create_app"]
