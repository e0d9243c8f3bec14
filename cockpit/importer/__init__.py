"""Importing a ministry's own files (spreadsheets, DHIS2 and SDMX exports) into the contract, with a match report.

May import publish, data and the foundation; never Streamlit. The Data page (ui) and the command line drive it.
"""
