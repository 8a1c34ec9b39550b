"""Closings jobs for the worker: each hour, statuses whose date has ended in station time are
deleted (their history stays). Readers never see them anyway: the board reads only today and
tomorrow, so expiry at midnight needs no job; this keeps the table small."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from newscast.closings.services import statuses_expire
from newscast.core.jobs import scheduled_job


@db_periodic_task(crontab(minute="7"))
@scheduled_job("closings_expire")
def closings_expire_job():
    return f"{statuses_expire()} ended statuses deleted (history kept)."
