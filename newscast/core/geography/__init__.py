"""Reference geography: states and counties with FIPS codes, populations and map shapes."""
