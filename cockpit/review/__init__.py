"""Review of areas and policies: a province's and a region's KPIs against target, policy progress, the league table.

May import the other domain packages, data, state and the foundation; never Streamlit.
"""
