"""Settings of the four desks, each read from the environment with a working default."""

from config.env import env

# Weather desk: the NWS API (or a proxy / replay server in tests).
NWS_BASE_URL = env.str("NWS_BASE_URL", default="https://api.weather.gov")
# NWS asks every client to identify itself with a contact address (403 without one).
NWS_USER_AGENT = env.str("NWS_USER_AGENT", default="")  # empty: NEWSCAST_USER_AGENT
# Off: the weather jobs make no NWS calls and the last stored data stays up (demo, offline).
NWS_ENABLED = env.bool("NWS_ENABLED", default=True)
# Requests in flight at once; NWS rate limits are unpublished, its clients keep to 8-10.
NWS_MAX_CONNECTIONS = env.int("NWS_MAX_CONNECTIONS", default=10)
# Where the RIDGE radar loops live (a replay server in tests).
NWS_RADAR_BASE_URL = env.str("NWS_RADAR_BASE_URL", default="https://radar.weather.gov")
# Extra county/zone UGC codes (comma list, e.g. MSC057,MSC115) whose warnings raise the banner.
WEATHER_BANNER_UGC = env.list("WEATHER_BANNER_UGC", default=[])
# Extra NWS stations (comma list, e.g. KGTR,KMSL) for the temperatures map, fetched with the cities.
WEATHER_MAP_STATIONS = env.list("WEATHER_MAP_STATIONS", default=[])

# Data desk: the size cap of one source download (the NYT full county history is ~100 MB).
DATADESK_MAX_SOURCE_BYTES = env.int("DATADESK_MAX_SOURCE_BYTES", default=512 * 1024 * 1024)

# Wire desk: the size cap of one feed download, in bytes.
WIRE_MAX_FEED_BYTES = env.int("WIRE_MAX_FEED_BYTES", default=10 * 1024 * 1024)
# Lead pictures downloaded from wire items: byte cap and pixel cap (width x height).
WIRE_MAX_PICTURE_BYTES = env.int("WIRE_MAX_PICTURE_BYTES", default=8 * 1024 * 1024)
WIRE_MAX_PICTURE_PIXELS = env.int("WIRE_MAX_PICTURE_PIXELS", default=40_000_000)
