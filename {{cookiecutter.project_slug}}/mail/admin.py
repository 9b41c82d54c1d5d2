"""The task queue in the admin, without each task's arguments and result.

A queued mail's arguments are its whole text, links to reset a password or confirm an address included.
"""

from django.contrib import admin
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

HIDDEN = {"args_kwargs", "return_value"}

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: DBTaskResult | None = None) -> list[str]:
        return [field for field in super().get_readonly_fields(request, obj) if field not in HIDDEN]
