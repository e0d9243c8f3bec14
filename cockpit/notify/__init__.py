"""Notifications: alerts sent to contact points (e-mail, webhooks) by the routes in config/notifications.yaml.

May import alerts, data, state and the foundation; never Streamlit. Publishing imports it to send new critical alerts.
"""
