"""The Refusal Monitor dashboard: pure data functions, figure builders and Streamlit pages."""
