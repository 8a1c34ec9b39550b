"""Admin view: "Load now", which queues a load of a dataset's source in the worker."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from newscast.core.queue import job_enqueue
from newscast.datadesk.models import Dataset
from newscast.datadesk.services import load_queue, load_unqueue
from newscast.datadesk.tasks import dataset_load_now

NOT_QUEUED = "Never queued: the job queue (Redis) could not be reached. Nothing was changed."


def load_now(request, pk: int):
    """GET asks to confirm; POST queues the load and goes to the load records."""
    if not request.user.has_perm("datadesk.change_dataset"):
        raise PermissionDenied
    dataset = get_object_or_404(Dataset, pk=pk)
    if request.method == "POST":
        if not dataset.source:
            messages.error(request, f"{dataset} has no source: set its URL or file first.")
            return redirect("wagtailsnippets_datadesk_dataset:edit", dataset.pk)
        command = f"newscast data load --dataset {dataset.slug} {dataset.source}"
        instead = f"run `{command}` on the server"
        run = load_queue(dataset)
        if not job_enqueue(request, dataset_load_now, dataset.pk, run.pk, instead=instead):
            load_unqueue(run, NOT_QUEUED)
            return redirect("wagtailsnippets_datadesk_dataset:edit", dataset.pk)
        messages.success(
            request,
            f"Loading {dataset} from {dataset.source}. The result is under Data loads; "
            "a refused load changes nothing on the site.",
        )
        return redirect("datadesk_loads:index")
    return TemplateResponse(request, "datadesk/admin/load_now.html", {"dataset": dataset})
