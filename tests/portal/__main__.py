"""`python -m tests.portal --base-port 8100 --sources-out FILE`: run the replica portals in the foreground."""

from __future__ import annotations

import argparse
import time

from tests.portal.server import Replica


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Serve the replica government portals on 127.0.0.1.")
    ap.add_argument("--base-port", type=int, default=None, help="first port (one per portal); default: ephemeral")
    ap.add_argument("--sources-out", help="write the sources registry YAML for these URLs here")
    ap.add_argument("--no-faults", action="store_true", help="do not start the faults portal")
    ap.add_argument("--include-faults", action="store_true", help="list the faults portal in the sources YAML")
    ap.add_argument("--homes", action="store_true", help="also start the portals entered at their home page")
    args = ap.parse_args(argv)
    with Replica.start(faults=not args.no_faults, base_port=args.base_port, homes=args.homes) as rep:
        for pid in rep.portal_ids:
            print(f"{pid:22s} {rep.start_url(pid)}", flush=True)
        if args.sources_out:
            rep.write_sources(args.sources_out, include_faults=args.include_faults)
            print(f"sources written to {args.sources_out}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopping", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
