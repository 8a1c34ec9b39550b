"""Closings jobs for the worker: each hour, statuses whose date has ended in station time are
deleted (their history stays). Readers never see them anyway: the board reads only today and
tomorrow, so expiry at midnight needs no job; this keeps the table small."""

from datetime import timedelta

from newscast.closings.services import statuses_expire
from newscast.core.jobs import periodic_job


# Hourly; the board hides ended statuses anyway.
@periodic_job("closings_expire", every="hourly at :07", fresh_within=timedelta(hours=3), minute="7")
def closings_expire_job():
    return f"{statuses_expire()} ended statuses deleted (history kept)."
