"""Refusal Monitor's entry file for `streamlit run` and Community Cloud: navigation lives in dashboard/app.py."""

from dashboard.app import main

main()
