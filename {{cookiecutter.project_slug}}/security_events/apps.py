from django.apps import AppConfig


class SecurityEventsConfig(AppConfig):
    name = "security_events"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
