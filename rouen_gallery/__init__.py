"""Build machinery of the reuse gallery: records, parameters, execution, cache, site."""
