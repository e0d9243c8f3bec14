"""The demo extracts' generator: one module per generated table, the stories they tell, and the command line.

May import cockpit.clock, cockpit.settings and cockpit.data (extracts, geo, schema); no domain package, no Streamlit.
"""
