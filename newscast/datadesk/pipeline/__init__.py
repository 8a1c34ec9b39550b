"""The load pipeline, one module a stage: read the source, match rows to places, store the changes.

`newscast.datadesk.services.dataset_load` runs the stages in order; the write is one
transaction on PostgreSQL, short ones on SQLite.
"""
