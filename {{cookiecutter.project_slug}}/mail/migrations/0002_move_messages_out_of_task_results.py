"""Mail queued before QueuedMail existed kept the whole message, links included, in its task's arguments.

Finished mail tasks are deleted. Waiting ones get a QueuedMail row and keep
only its id. One that a worker of the previous version runs at this moment
is left to it.
"""

from django.db import migrations

DELIVER = "mail.tasks.deliver"


def move_messages(apps, schema_editor):
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    QueuedMail = apps.get_model("mail", "QueuedMail")
    mail_tasks = TaskResult.objects.filter(task_path=DELIVER)
    mail_tasks.filter(status__in=["SUCCESSFUL", "FAILED"]).delete()
    for task_result in mail_tasks.filter(status="READY"):
        message, *attempt = task_result.args_kwargs["args"]
        if isinstance(message, dict):
            queued = QueuedMail.objects.create(message=message)
            task_result.args_kwargs = {"args": [queued.pk, *attempt], "kwargs": {}}
            task_result.save(update_fields=["args_kwargs"])


class Migration(migrations.Migration):

    dependencies = [
        ("mail", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(move_messages, migrations.RunPython.noop)]
