"""Overview page: the region map."""

import streamlit as st

from dashboard.figures import region_map
from dashboard.geo import TOPOJSON_URL

st.title("Refusal Monitor")
st.caption("Refusals to fight, desertions and prosecutions of Russian servicemen, as reported.")
st.plotly_chart(region_map({}), config={"topojsonURL": TOPOJSON_URL, "displaylogo": False},
                width="stretch")
