"""The audit trail and the simple-history tables are append-only for the application.

On PostgreSQL a trigger refuses every UPDATE and DELETE of an audit row, and of a row of
every simple-history table (found from the models: any model with a `history_id`), so
the application's own database role cannot rewrite what happened. TRUNCATE (test
flushes, a restore) is not affected.

The one exception is the retention purge (students.retention): UU 27/2022 requires the
personal data of a student past retention to be erased, including from the history. It
runs `SET LOCAL ktpku.purge = 'on'` inside its transaction, and the trigger then lets an
UPDATE of a history row through (never a DELETE, never an audit row). The setting lasts
until that transaction ends.

SQLite (the embedded default) has no such role separation; nothing is created there.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ktpku_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_ARGV[0] = 'history'
            AND current_setting('ktpku.purge', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'ktpku: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused (append-only)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _tables(apps):
    yield "audit_auditevent", "audit"
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if "history_id" in names and "history_date" in names:
            yield model._meta.db_table, "history"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table, kind in _tables(apps):
        schema_editor.execute(
            f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION ktpku_append_only('{kind}')"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _kind in _tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS ktpku_append_only()")


def sync_roles(apps, schema_editor):
    from ktpku.roles import sync_roles as sync

    sync(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_events"),
        ("students", "0006_roster_import_layout_choices"),
        ("schools", "0002_load_regions"),
    ]
    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
