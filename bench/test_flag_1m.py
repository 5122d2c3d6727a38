"""flag_1m: the nightly flagging over 1,000,000 students, next to its floor.

The generated data (bench/generate.py) is as if the job had never run on it: every
print-ready student who is 17 is due for print, every student of 17 or older never
recorded is overdue. `manage.py flag_due_cards` for the day flags them all; the same
command again flags none. The floor is one hand-written UPDATE that sets the status the
due flag sets (due for print, since today) for the same students; the overdue flag is an
event only, with no column an UPDATE could set, so the floor leaves it out. The job also
writes an event for every flag and a history row for every status it moves.

Each is measured in five rounds after one to warm up, inside a transaction that is
rolled back so the next round finds the same data, after a VACUUM that clears what the
last one left behind (as autovacuum does between nights), the job first in every other
round (whichever runs second meets the first one's writes still going to disk); the
figures are the medians.
Prints {"scenario": "flag_1m", "ratio" (job / floor), "seconds", "floor_seconds",
"rerun_seconds", "due", "overdue", ...}.
Target: ratio at most 1.5, the rerun flags none and is cheaper.
"""

import io
import json
import statistics
import time

from django.core.management import call_command
from django.db import connection, transaction

from bench.report import emit
from students import dates

STUDENTS = 1_000_000
ROUNDS = 5

FLOOR = """
UPDATE students_student SET status = 'due_for_print', status_since = %(today)s, updated_at = now()
WHERE status = 'print_ready' AND (status_since IS NULL OR status_since <= %(today)s)
  AND (birth_date <= %(born_by)s OR marital_status <> 'belum_kawin')
"""


def rolled_back(work):
    """(seconds, result) of `work()`, run in a transaction that is then rolled back."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM students_student, students_studentevent, students_historicalstudent")
    with transaction.atomic():
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, result


def flag(today):
    out = io.StringIO()
    call_command("flag_due_cards", "--today", today.isoformat(), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def floor(today):
    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR, {"today": today, "born_by": dates.latest_birth_date(dates.CARD_AGE, today)}
        )
        return cursor.rowcount


def run_twice(today):
    first = flag(today)
    started = time.perf_counter()
    again = flag(today)
    return first, again, time.perf_counter() - started


def test_flag_1m(bench_data):
    made = bench_data.ensure(STUDENTS)
    today = dates.today()
    floors, runs, reruns = [], [], []
    rolled_back(lambda: run_twice(today))  # warms the caches and the server's buffers
    for number in range(ROUNDS):
        for part in ("floor", "job") if number % 2 else ("job", "floor"):
            if part == "floor":
                seconds, updated = rolled_back(lambda: floor(today))
                floors.append(seconds)
            else:
                seconds, (first, again, rerun) = rolled_back(lambda: run_twice(today))
                runs.append(seconds - rerun)
                reruns.append(rerun)
        print(f"\nround: floor {floors[-1]:.2f} s, job {runs[-1]:.2f} s, again {rerun:.2f} s")
        assert updated == len(first["due_for_print"])  # the floor sets the same students
        assert again["due_for_print"] == again["overdue_recording"] == []
    job, base = statistics.median(runs), statistics.median(floors)
    emit(
        "flag_1m",
        ratio=round(job / base, 2),
        seconds=round(job, 2),
        floor_seconds=round(base, 2),
        rerun_seconds=round(statistics.median(reruns), 2),
        due=len(first["due_for_print"]),
        overdue=len(first["overdue_recording"]),
        students=made["students"],
    )
