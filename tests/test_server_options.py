"""`refusal-monitor serve` runs an installed wheel, from a folder with no .streamlit/config.toml:
it must pass, as flags, every option the checkout's config sets (usage statistics off, the
grid's raw CSV export hidden, the options that keep a reload quick)."""

from __future__ import annotations

import tomllib

from refusal_monitor.settings import CHECKOUT, STREAMLIT_OPTIONS, streamlit_flags


def _flattened(config: dict) -> dict:
    return {f"{section}.{name}": value for section, options in config.items() for name, value in options.items()}


def test_serve_passes_exactly_the_options_of_the_checkout_config():
    config = tomllib.loads((CHECKOUT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert STREAMLIT_OPTIONS == _flattened(config)


def test_each_option_becomes_one_flag_and_its_value_as_streamlit_reads_it():
    flags = streamlit_flags()
    pairs = dict(zip(flags[::2], flags[1::2], strict=True))
    assert pairs["--client.disableDataExport"] == "true"
    assert pairs["--server.fileWatcherType"] == "none"
    assert pairs["--theme.primaryColor"] == "#0072B2"
    assert len(pairs) == len(STREAMLIT_OPTIONS)
