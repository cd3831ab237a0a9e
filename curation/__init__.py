"""Curation: a person decides on the extractor's proposals, and the one validating, locked,
atomic writer records the decision."""
