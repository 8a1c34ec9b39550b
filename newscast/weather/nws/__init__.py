"""The National Weather Service API (api.weather.gov), in layers as pynws has them:
urls (where) -> client (HTTP through newscast.core.http, raw JSON) -> parse (JSON -> types,
units converted in `units`). Nothing here touches the database.
"""
