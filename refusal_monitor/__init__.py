"""Refusal Monitor: a sourced dataset and dashboard of Russian servicemen's refusals,
desertions and prosecutions. This package holds the shared settings and the command line;
each job has its own package (extract, lexicons, geography, store, curation, dashboard)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("refusal-monitor")
except PackageNotFoundError:  # a checkout that was never installed
    __version__ = "0+unknown"
