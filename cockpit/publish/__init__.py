"""Publishing: extracts checked, every model built and the alert rules evaluated once, as an immutable version.

May import the domain packages (alerts, demo), data, state and the foundation; never Streamlit. Pages only read.
"""
