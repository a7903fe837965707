"""Benchmark: one ``export`` request against paging through ``records``, 50,000 rows.

Runs the loopback portal of ``tests/portal_server.py`` on 127.0.0.1 and times, for the
same dataset, ``PortalClient.export(fmt="csv")`` + ``pandas.read_csv`` against
``PortalClient.records()`` (100 rows per request) + ``DataFrame.from_records``.

The real API refuses paged records past ``offset + limit = 10,000``. To time what a
naive user would do if it did not, this bench raises that ceiling to the dataset size,
in the loopback server and in the client's guard, for paging only; the output says so.

Run ``python bench/bench_export_vs_records.py [--rows 50000] [--latency 0 0.02]``;
``--latency`` adds seconds to every answer to mimic the network to a real portal. At 0 ms
the export's time is mostly the loopback server writing its CSV in pure Python, so the
ratio there understates what a real portal, far away and indexed, shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from portal_server import Limits, make_dataset, serve_portal  # noqa: E402

from rouen_opendata import client as client_module  # noqa: E402
from rouen_opendata.client import PortalClient  # noqa: E402

DATASET = "comptages-velo"


def time_export(url: str, workdir: Path) -> tuple[int, float, float, int]:
    """Requests, fetch seconds, parse seconds and rows of the export route."""
    with PortalClient(base_url=url, api_key="") as client:
        started = time.perf_counter()
        path = client.export(DATASET, "csv", workdir / "export.csv")
        fetched = time.perf_counter()
        frame = pd.read_csv(path, sep=";", encoding="utf-8-sig")
        return client.request_count, fetched - started, time.perf_counter() - fetched, len(frame)


def time_records(url: str, rows: int) -> tuple[int, float, float, int]:
    """Requests, fetch seconds, parse seconds and rows of the paged records route."""
    with (
        PortalClient(base_url=url, api_key="") as client,
        mock.patch.object(client_module, "OFFSET_CEILING", rows),
    ):
        started = time.perf_counter()
        records = client.records(DATASET)
        fetched = time.perf_counter()
        frame = pd.DataFrame.from_records(records)
        return client.request_count, fetched - started, time.perf_counter() - fetched, len(frame)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one table per simulated latency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--latency",
        type=float,
        nargs="+",
        default=[0.0, 0.02],
        help="seconds added to every answer (one run per value)",
    )
    args = parser.parse_args(argv)
    dataset = make_dataset(DATASET, args.rows)
    print(f"Loopback portal, {args.rows:,} rows (7 fields incl. geo_point_2d and geo_shape).")
    print(
        f"NOTE: the real API refuses paged records past 10,000 rows; for this bench the "
        f"server's and the client's ceiling were raised to {args.rows:,} so that paging "
        f"could run at all. Exports have no such ceiling."
    )
    for latency in args.latency:
        limits = Limits(offset_ceiling=args.rows)
        with (
            serve_portal(dataset, limits=limits, latency=latency) as portal,
            tempfile.TemporaryDirectory() as tmp,
        ):
            export = time_export(portal.url, Path(tmp))
            paged = time_records(portal.url, args.rows)
        print(f"\nSimulated latency {latency * 1000:.0f} ms per answer")
        print(
            f"{'route':<22}{'requests':>9}{'fetch s':>10}{'frame s':>10}{'total s':>10}{'rows':>9}"
        )
        for name, (requests, fetch, parse, count) in (
            ("export csv (1 file)", export),
            ("records (100/page)", paged),
        ):
            print(
                f"{name:<22}{requests:>9}{fetch:>10.2f}{parse:>10.2f}{fetch + parse:>10.2f}"
                f"{count:>9,}"
            )
        speedup = (paged[1] + paged[2]) / (export[1] + export[2])
        print(
            f"export is {speedup:.1f}x faster end to end ({paged[1] / export[1]:.1f}x on "
            f"the fetch alone) with {paged[0] // export[0]}x fewer requests"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
