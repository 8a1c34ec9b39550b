"""newscast data load --format {nyt,jhu,csv} FILE_OR_URL [--dataset SLUG] [--create NAME]
[--date YYYY-MM-DD]"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newscast.datadesk.models import Dataset, LoadRun, SourceFormat
from newscast.datadesk.services import LoadRefused, dataset_for_load, dataset_load


class Command(BaseCommand):
    help = (
        "Load a county CSV (a file path or an http(s) URL) into a dataset and print the load "
        "report. Exits with status 1 when the load is refused; nothing served changes then."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="File path or http(s) URL.")
        parser.add_argument(
            "--format",
            dest="source_format",
            choices=[choice.value for choice in SourceFormat],
            help="Source format; defaults to the dataset's.",
        )
        parser.add_argument(
            "--dataset",
            default="coronavirus",
            help="Dataset slug (default: coronavirus). It must exist, or pass --create.",
        )
        parser.add_argument(
            "--create",
            metavar="NAME",
            help='Create the dataset with this name ("Coronavirus Cases") if it does not '
            "exist yet, with this source and format; an existing dataset is loaded as it is.",
        )
        parser.add_argument(
            "--date",
            dest="report_day",
            type=report_day,
            help="The day a JHU daily report covers (YYYY-MM-DD), when its file name has no "
            "MM-DD-YYYY.",
        )

    def handle(self, *args, source, source_format, dataset, create, report_day, **options):
        if create:
            try:
                target = dataset_for_load(dataset, create, source, source_format)
            except ValidationError as error:
                problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                raise CommandError(f"Cannot create dataset {dataset!r}: {problems}") from None
        else:
            target = Dataset.objects.filter(slug=dataset).first()
        if target is None:
            known = ", ".join(Dataset.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(
                f'No dataset {dataset!r} (datasets: {known}). Pass --create "Its Name" to '
                "create it, add it in the admin under Datasets, or pass --dataset."
            )
        try:
            run = dataset_load(target, source, source_format, report_day)
        except LoadRefused as refused:
            self.stdout.write(load_report(refused.run))
            raise CommandError(f"Load refused: {refused.run.message}") from None
        self.stdout.write(load_report(run))


def report_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date: write it as 2020-04-12.") from None


def load_report(run: LoadRun) -> str:
    """The load record in a few lines, for the terminal and the job log."""
    lines = [
        f"{run.get_outcome_display()}: {run.source} ({run.source_format}) into {run.dataset.slug}",
        f"  checksum  {run.checksum or '-'}",
        f"  dates     {run.first_date or '-'} to {run.last_date or '-'}",
        f"  rows      {run.rows_read:,} read, {run.rows_added:,} added, "
        f"{run.rows_changed:,} changed, {run.rows_unchanged:,} unchanged, "
        f"{run.rows_rejected:,} rejected, {run.rows_skipped:,} skipped",
        f"  revised   {run.rows_revised_down:,} rows whose count fell (kept, flagged)",
        f"  duration  {run.duration or 0:.2f} s",
    ]
    for reason, count in sorted(run.rejection_counts.items()):
        lines.append(f"  rejected  {count:,} x {reason}")
    for rejection in run.rejections[:10]:
        lines.append(f"    line {rejection['line']}: {rejection['reason']}: {rejection['detail']}")
    for kind, count in sorted(run.warning_counts.items()):
        lines.append(f"  warning   {count:,} x {kind}")
    for warning in run.warnings[:10]:
        where = f"line {warning['line']}: " if warning["line"] else ""
        lines.append(f"    {where}{warning['detail']}")
    if run.message:
        lines.append(f"  {run.message}")
    return "\n".join(lines)
