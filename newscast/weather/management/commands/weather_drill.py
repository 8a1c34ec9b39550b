"""`newscast weather drill alert|update|cancel|clear`: play the recorded tornado-warning
sequence for Lee County (sample data, labelled so on the banner and alerts page), to train
staff or show the demo. `clear` removes every sample alert; live alerts are never touched.
The admin's Weather desk has the same steps as buttons (services.drill)."""

from newscast.core.commandline import LockAwareCommand
from newscast.weather.services.drill import DRILL_STEPS, alert_drill


class Command(LockAwareCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("step", choices=DRILL_STEPS)

    def handle(self, *args, step, **options):
        self.stdout.write(alert_drill(step))
