"""Settings of the four desks, each read from the environment with a working default."""

from config.env import env

# Weather desk: the NWS API (or a proxy / replay server in tests).
NWS_BASE_URL = env.str("NWS_BASE_URL", default="https://api.weather.gov")

# Wire desk: the size cap of one feed download, in bytes.
WIRE_MAX_FEED_BYTES = env.int("WIRE_MAX_FEED_BYTES", default=10 * 1024 * 1024)
