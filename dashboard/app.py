"""The app's navigation: the pages and the page settings, nothing else.

`streamlit_app.py` at the top of a checkout (what Community Cloud runs) and
`refusal-monitor serve` (an installed package) both run this file's `main`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def main() -> None:
    # A local icon: a Material icon name would make the browser fetch the favicon from Google's fonts host.
    st.set_page_config(page_title="Refusal Monitor", page_icon=str(HERE / "static" / "favicon.png"), layout="wide")
    navigation = st.navigation([
        st.Page(HERE / "pages" / "overview.py", title="Overview", icon=":material/map:", default=True),
        st.Page(HERE / "pages" / "methodology.py", title="Methodology", icon=":material/menu_book:"),
    ])
    navigation.run()


if __name__ == "__main__":
    main()
