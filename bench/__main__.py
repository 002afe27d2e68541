"""`make bench`: every benchmark, each printing its own figures.

Figures are medians of repeated runs, with a baseline measured in the same run where one applies:
this machine is shared and its speed varies.
"""

from __future__ import annotations

import sys

from bench import (
    bench_concurrency,
    bench_import,
    bench_linkage,
    bench_rules,
    bench_search,
    bench_synth,
    bench_web,
)


def main() -> int:
    quick = "--quick" in sys.argv
    bench_synth.main()
    bench_import.main(quick=quick)
    bench_rules.main(quick=quick)
    bench_linkage.main()
    bench_search.main(quick=quick)
    bench_web.main(quick=quick)
    bench_concurrency.main(quick=quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
