"""Alerts: the YAML rules, their evaluation over the data, and each alert's lifecycle in the state store.

May import data, state and the foundation; never Streamlit.
"""
