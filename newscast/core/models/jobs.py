"""Records every desk shares: one row per run of a scheduled job."""

from django.db import models


class JobRun(models.Model):
    """One run of a scheduled job, claimed for its time slot so two workers never both run it."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCESS = "success", "Succeeded"
        FAILURE = "failure", "Failed"
        # The worker stopped (killed, machine restarted) before the run finished.
        INTERRUPTED = "interrupted", "Interrupted"

    job = models.CharField(max_length=100, help_text="Job name, for example wire_poll.")
    slot = models.DateTimeField(help_text="The scheduled minute this run belongs to (UTC).")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RUNNING)
    summary = models.TextField(blank=True, help_text="What the run did, or why it failed.")
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid of the worker.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_job_slot")]
        indexes = [models.Index(fields=["job", "outcome", "-finished_at"])]

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.outcome})"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None
