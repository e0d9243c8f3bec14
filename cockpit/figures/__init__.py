"""Figures: Plotly charts and pydeck maps built from the data, ready for a page or a document to show.

May import the domain packages, data and the foundation; never Streamlit.
"""
