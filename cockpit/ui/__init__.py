"""The Streamlit layer: the widgets the pages share, one module per concept; the only part of cockpit/ that imports
Streamlit. Pages (views/) and the frame (app.py) lay out with these; ui may import every domain package, data and the
foundation, and nothing but the pages and the frame imports ui.
"""
