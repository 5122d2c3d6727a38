"""Figures over any number of students, read from counts the database keeps itself.

The dashboard and the home pages count students by school, status and age; counting the
student rows each time costs a scan of every student. On PostgreSQL, triggers (migration
0012) keep two tallies exact in the same transaction as every change, whoever makes it
(lifecycle, forms, imports, the retention purge, a hand-written UPDATE):

- StudentTally: students by school, status and age band, one row per school and a column
  per status and band. The bands are cut at two birth dates (TallyCuts): the figures ask
  "born on or before X" only for X the cuts are at, so a count is a sum of a few columns.
  The cuts are the latest birth dates of the ages a page needs (16 by the campaign's last
  day, 17 today); when a page needs other ones, the students born between the old and the
  new cuts change band (`_move_cuts`): a day's shift is a day's births, not a scan.
- RecordingTally: students recorded by school and day, split by whether their card has
  been printed and handed over since; the year's figures and the recordings per week are
  sums over it, one row per school and recording day.

A school's tally row is written by every change to its students, so two transactions
changing students of the same school take turns at its row (each for the rest of its own
transaction; a night's flagging, for a few seconds). Elsewhere (SQLite, `make run`) nothing
is kept and callers count the students themselves (`available()` is False).
"""

import datetime

from django.db import connection, transaction

from .models import Status
from .tally_models import BANDS, RecordingTally, StudentTally, TallyCuts

FAR_PAST = datetime.date(1, 1, 1)  # the cuts before any page asked (or after a flush)


def available():
    return connection.vendor == "postgresql"


def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _new_cuts(old, wanted):
    """The cuts to move to from `old` (first, second) so that `wanted` (one or two dates)
    are among them: with one, the old cut nearer to it moves (tomorrow's 17th birthdays
    replace today's, the campaign's cut stays)."""
    if len(wanted) == 2:
        return tuple(sorted(wanted))
    (day,) = wanted
    nearer = min(old, key=lambda cut: abs((cut - day).days))
    kept = old[1] if nearer == old[0] else old[0]
    return tuple(sorted((day, kept)))


def _sum_of(statuses, bands):
    """SQL adding the tally columns of `statuses` (None: all) in `bands`."""
    return " + ".join(
        f"t.{StudentTally.column(status, band)}"
        for status in (statuses if statuses is not None else Status.values)
        for band in bands
    )


@transaction.atomic
def _move_cuts(wanted):
    """Cut the bands at the dates `wanted` too, moving the students born between the old
    and the new cuts to their new band."""
    cuts, tally, students = (
        TallyCuts._meta.db_table,
        StudentTally._meta.db_table,
        "students_student",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {cuts} (id, first, second) VALUES (1, %s, %s) "  # noqa: S608
            "ON CONFLICT DO NOTHING",
            [FAR_PAST, FAR_PAST],
        )
        # Writers read the cuts FOR SHARE: none is halfway through a change meanwhile.
        cursor.execute(f"SELECT first, second FROM {cuts} WHERE id = 1 FOR UPDATE")  # noqa: S608
        old = cursor.fetchone()
        if wanted <= set(old):
            return
        first, second = _new_cuts(old, wanted)
        between = (
            "(birth_date > LEAST(%(o1)s, %(n1)s) AND birth_date <= GREATEST(%(o1)s, %(n1)s)) "
            "OR (birth_date > LEAST(%(o2)s, %(n2)s) AND birth_date <= GREATEST(%(o2)s, %(n2)s))"
        )
        columns = [
            (status, band, StudentTally.column(status, band))
            for status in Status.values
            for band in BANDS
        ]
        pivot = ", ".join(
            f"COALESCE(sum(n) FILTER (WHERE status = '{status}' AND band = {band}), 0)"
            for status, band, _column in columns
        )
        added = ", ".join(f"{column} = t.{column} + excluded.{column}" for *_key, column in columns)
        cursor.execute(
            f"INSERT INTO {tally} AS t (school_id, {', '.join(c for *_k, c in columns)}) "  # noqa: S608
            f"SELECT school_id, {pivot} FROM ("
            "SELECT school_id, status, band, sum(side) AS n FROM ("
            "SELECT school_id, status, (birth_date > %(n1)s)::int + (birth_date > %(n2)s)::int "
            f"AS band, 1 AS side FROM {students} WHERE {between} UNION ALL "
            "SELECT school_id, status, (birth_date > %(o1)s)::int + (birth_date > %(o2)s)::int, "
            f"-1 FROM {students} WHERE {between}) changed "
            "GROUP BY 1, 2, 3 HAVING sum(side) <> 0) moved GROUP BY school_id ORDER BY school_id "
            f"ON CONFLICT (school_id) DO UPDATE SET {added}",
            {"o1": old[0], "o2": old[1], "n1": first, "n2": second},
        )
        cursor.execute(
            f"UPDATE {cuts} SET first = %s, second = %s WHERE id = 1",  # noqa: S608
            [first, second],
        )


def sums(schools, counts, *, by_school):
    """Sums of students of the schools `schools` (a School queryset, or None for all).

    `counts` is {name: (statuses, born_by)}: the students with one of `statuses` (None:
    any) born on or before `born_by` (None: whenever; at most two different dates). With
    `by_school`, {school id: {name: count}} for every school that has students; else
    {name: count}. One query, which also reads where the bands are cut; when they are not
    cut at the dates asked for, they are moved there first and the sums read again.
    """
    wanted = {born_by for _statuses, born_by in counts.values() if born_by}
    columns, params = [], []
    for statuses, born_by in counts.values():
        if born_by is None:
            columns.append(_sum_of(statuses, BANDS))
            continue
        # Band 0 is born on or before the first cut, bands 0 and 1 before the second.
        columns.append(
            f"CASE %s::date WHEN c.first THEN {_sum_of(statuses, BANDS[:1])} "
            f"WHEN c.second THEN {_sum_of(statuses, BANDS[:2])} END"
        )
        params.append(born_by)
    columns.append(_sum_of(None, BANDS))  # every student: a school that has none is left out
    where, scope_params = "", []
    if schools is not None:
        subquery, scope_params = _sql(schools.order_by().values("pk"))
        where = f"WHERE t.school_id IN ({subquery})"
    if by_school:
        select, group = f"t.school_id, {', '.join(columns)}", ""
    else:
        select = ", ".join(f"COALESCE(sum({column}), 0)" for column in columns)
        group = "GROUP BY c.first, c.second"
    sql = (
        f"SELECT {select}, c.first, c.second FROM {StudentTally._meta.db_table} t "  # noqa: S608
        f"LEFT JOIN {TallyCuts._meta.db_table} c ON c.id = 1 {where} {group}"
    )
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *scope_params])
            rows = cursor.fetchall()
        if not rows or wanted <= set(rows[0][-2:]):
            break
        _move_cuts(wanted)
    names = list(counts)
    if by_school:
        return {row[0]: dict(zip(names, row[1:-3], strict=True)) for row in rows if row[-3]}
    if not rows:
        return dict.fromkeys(names, 0)
    return dict(zip(names, rows[0][:-3], strict=True))


def recordings_by_week(schools, first_day, last_day):
    """[(Monday, students recorded that week)] at the schools `schools` (None: all) between
    `first_day` and `last_day`; a student recorded on two days of a week counts twice."""
    scope, params = "", [first_day, last_day]
    if schools is not None:
        subquery, scope_params = _sql(schools.order_by().values("pk"))
        scope = f"AND school_id IN ({subquery})"
        params += scope_params
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('week', date)::date, sum(n) "  # noqa: S608
            f"FROM {RecordingTally._meta.db_table} WHERE date BETWEEN %s AND %s {scope} "
            "GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1",
            params,
        )
        return cursor.fetchall()
