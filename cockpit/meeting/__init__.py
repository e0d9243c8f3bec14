"""The meeting room: the war-room rotation and freshness, the four walls, the decisions register and the minutes.

May import the other domain packages (alerts, review, documents), data, state and the foundation; never Streamlit.
"""
