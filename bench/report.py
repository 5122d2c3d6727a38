"""The one line each scenario prints: `{"scenario": NAME, ...figures}`.

The line also goes to var/bench/latest.jsonl (one line per scenario, the newest run of
each kept), from which the README's performance table is copied.
"""

import json
import sys
from pathlib import Path

LATEST = Path(__file__).resolve().parent.parent / "var" / "bench" / "latest.jsonl"


def emit(scenario, **figures):
    """Print the scenario's JSON line and keep it as the latest figures for that scenario."""
    line = json.dumps({"scenario": scenario, **figures}, ensure_ascii=False)
    sys.stdout.write("\n" + line + "\n")
    sys.stdout.flush()
    LATEST.parent.mkdir(parents=True, exist_ok=True)
    kept = []
    if LATEST.exists():
        kept = [
            old
            for old in LATEST.read_text().splitlines()
            if old.strip() and json.loads(old).get("scenario") != scenario
        ]
    LATEST.write_text("\n".join([*kept, line]) + "\n")
    return line
