"""Refusal Monitor: the entry file only defines navigation; pages live in dashboard/pages."""

from pathlib import Path

import streamlit as st

# A local icon: a Material icon name would make the browser fetch the favicon from Google's fonts host.
st.set_page_config(page_title="Refusal Monitor", page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
                   layout="wide")
navigation = st.navigation([
    st.Page("dashboard/pages/overview.py", title="Overview", icon=":material/map:", default=True),
    st.Page("dashboard/pages/methodology.py", title="Methodology", icon=":material/menu_book:"),
])
navigation.run()
