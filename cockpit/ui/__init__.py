"""The Streamlit layer: the widgets the pages (views/) and the frame (app.py) share, one module per concept.

The only part of cockpit/ that imports Streamlit; may import everything below it; only pages and the frame import ui.
"""
