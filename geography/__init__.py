"""Reference geography: the region gazetteer, Russian name forms, and the optional geocoder."""
