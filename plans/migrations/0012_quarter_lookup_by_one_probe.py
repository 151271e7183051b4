"""The summary's triggers look a due date's quarter up with one index probe (plans.summary.quarter_of).

migrate only creates *missing* triggers (plans.apps.keep_summary_triggers), so a change to the trigger
bodies needs this: create_triggers() replaces every function and trigger with the current bodies. The
figures are the same; only the look-up is cheaper.
"""

from django.db import migrations


def replace_triggers(apps, schema_editor):
    from plans import summary

    summary.create_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("plans", "0011_milestone_title_search_index")]

    operations = [migrations.RunPython(replace_triggers, migrations.RunPython.noop)]
