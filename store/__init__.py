"""The dataset store's read side: the codebook and the validating loader. Writing is curation's job."""
