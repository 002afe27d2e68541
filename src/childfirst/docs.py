"""The generated documents, each rendered from the code it describes."""

from __future__ import annotations

from pathlib import Path


def generated(root: Path = Path("docs")) -> dict[Path, str]:
    from childfirst.cli_doc import render as render_cli
    from childfirst.ingest.format_doc import render as render_format
    from childfirst.learning.coverage import render as render_coverage
    from childfirst.rules.catalogue_doc import render as render_rules

    return {
        root / "data-format.md": render_format(),
        root / "cli.md": render_cli(),
        root / "rules.md": render_rules(),
        root / "coverage.md": render_coverage(),
    }
