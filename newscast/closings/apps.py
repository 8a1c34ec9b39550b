from django.apps import AppConfig


class ClosingsConfig(AppConfig):
    name = "newscast.closings"
    label = "closings"
    verbose_name = "Closings desk"

    def ready(self):
        from newscast.closings.selectors import BOARD_VERSION_READ
        from newscast.core.versions import version_read_register

        # Every page's header mark is cached under the board's version.
        version_read_register("closings-board", BOARD_VERSION_READ)
