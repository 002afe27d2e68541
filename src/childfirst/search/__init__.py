"""Finding people and events: by name (spellings and nicknames), date of birth, address or postcode,
and events by reference, type and date. The web pages, the API and the command line share it."""
