"""The pages: each lays out one screen with cockpit.ui and the domain packages (no SQL, no thresholds, no joins).

They live in views/, not pages/: see the README. Nothing imports a page but the frame (app.py) and the war room.
"""
