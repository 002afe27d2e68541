"""Import of source records: read, validate the whole batch, then write all of it or nothing."""
