"""The state store: what people record (alert actions, decisions, notes) in SQLite or PostgreSQL, and its tables.

Imports only the foundation modules; the domain packages keep their registers here.
"""
