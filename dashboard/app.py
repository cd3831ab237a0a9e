"""The app's navigation, language and page settings, nothing else.

`streamlit_app.py` at the top of a checkout (what Community Cloud runs) and
`refusal-monitor serve` (an installed package) both run this file's `main`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.text import LANGS, strings, t
from dashboard.ui import LANG_KEY, lang

HERE = Path(__file__).resolve().parent
STYLE = """<style>
/* Phone: the chart toolbars would cover labels; the map and table take the full width. */
@media (max-width: 640px) { .modebar-container { display: none !important; } }
</style>"""


def main() -> None:
    # A local icon: a Material icon name would make the browser fetch the favicon from Google's fonts host.
    st.set_page_config(page_title="Refusal Monitor", page_icon=str(HERE / "static" / "favicon.png"), layout="wide")
    language = lang()
    st.html(STYLE)
    with st.sidebar:
        st.segmented_control(t(language, "language"), LANGS, key=LANG_KEY, required=True,
                             format_func=lambda code: strings(code)["lang_name"], persist_state="session")
    language = lang()
    if language == "ru":
        st.query_params["lang"] = "ru"
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    navigation = st.navigation([
        st.Page(HERE / "pages" / "overview.py", title=t(language, "page_overview"), icon=":material/map:",
                default=True),
        st.Page(HERE / "pages" / "methodology.py", title=t(language, "page_methodology"), icon=":material/menu_book:",
                url_path="methodology"),
    ])
    navigation.run()


if __name__ == "__main__":
    main()
