"""Who is who: roles (config/roles.yaml), identities and the actors of writes, accounts, the audit trail, the CLI.

May import data, state and the foundation; never Streamlit (the sign-in page is cockpit.ui.signin).
"""
