"""Refusal Monitor: the entry file only defines navigation; pages live in dashboard/pages."""

import streamlit as st

st.set_page_config(page_title="Refusal Monitor", page_icon=":material/map:", layout="wide")
navigation = st.navigation([
    st.Page("dashboard/pages/overview.py", title="Overview", icon=":material/map:", default=True),
    st.Page("dashboard/pages/methodology.py", title="Methodology", icon=":material/menu_book:"),
])
navigation.run()
