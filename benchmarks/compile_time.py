"""Compile time of the bundled courses on its own, without seeding or a server.

    .venv/bin/python benchmarks/compile_time.py              # median of 7 fresh processes
    .venv/bin/python benchmarks/compile_time.py --runs 15
    .venv/bin/python benchmarks/compile_time.py --profile    # cProfile of warm compiles
    .venv/bin/python benchmarks/compile_time.py --digest     # a hash of the compiled model
    .venv/bin/python benchmarks/compile_time.py --loads 2 [--uncached]  # for cachegrind

Each run is `run.compile_time()`, the very measurement `make bench` reports (a fresh
process, `Catalog.load()` cold, then again warm), so the figures compare directly.
The digest covers everything a learner sees (every rendered fragment, id, line and
warning): it must not change when only the speed of the compiler does.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import statistics
import time

from run import COURSES, compile_time

from learning.content.catalog import Catalog


def measure(runs: int) -> None:
    colds, warms = [], []
    for _ in range(runs):
        cold, warm = compile_time()
        colds.append(cold)
        warms.append(warm)
    for label, values in (("cold", colds), ("warm", warms)):
        print(
            f"{label}: median {statistics.median(values):.0f} ms "
            f"(min {min(values):.0f}, max {max(values):.0f}, {runs} fresh processes)"
        )


def profile(repeat: int, limit: int) -> None:
    catalog = Catalog(COURSES)
    catalog.load()  # imports and first-use setup are not what is being looked at
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(repeat):
        catalog.load()
    profiler.disable()
    elapsed = (time.perf_counter() - start) / repeat * 1000
    print(f"{repeat} warm compiles under cProfile, {elapsed:.0f} ms each (inflated by it)")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)


def digest() -> str:
    """Of the first compile in a process and of a second one (`cold warm`)."""
    catalog = Catalog(COURSES)
    digests = []
    for _ in range(2):
        catalog.load()
        assert len(catalog.courses) == 2, catalog.results
        # The reprs of the frozen dataclasses hold every field; media_dir is absolute,
        # so it is made relative to compare checkouts in different places.
        text = repr(sorted(catalog.results.items())).replace(str(COURSES), "courses")
        digests.append(hashlib.sha256(text.encode()).hexdigest())
    return " ".join(digests)


def loads(count: int, *, uncached: bool) -> None:
    """One compile, then `count` more, each a cache miss with `uncached`.

    Wall-clock time on the shared machine swings by a third; instructions do not.
    Run under `valgrind --tool=cachegrind --cache-sim=no` with PYTHONHASHSEED=0 for
    0 and 2 loads and halve the difference: the instructions of one compile.
    """
    from learning.content import markdown

    catalog = Catalog(COURSES)
    catalog.load()
    for _ in range(count):
        if uncached:
            markdown._parse_cache.cache_clear()
        catalog.load()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes (default 7)")
    parser.add_argument("--profile", action="store_true", help="cProfile warm compiles")
    parser.add_argument("--repeat", type=int, default=5, help="compiles to profile")
    parser.add_argument("--limit", type=int, default=30, help="rows of profile output")
    parser.add_argument("--digest", action="store_true", help="hash of the compiled model")
    parser.add_argument("--loads", type=int, help="compile 1 + LOADS times, print nothing")
    parser.add_argument("--uncached", action="store_true", help="with --loads: no parse cache")
    args = parser.parse_args()
    if args.loads is not None:
        loads(args.loads, uncached=args.uncached)
    elif args.digest:
        print(digest())
    elif args.profile:
        profile(args.repeat, args.limit)
    else:
        measure(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
