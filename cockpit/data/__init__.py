"""The data: the extracts' contract and loading, snapshots and named queries, areas, indicators, geography, scopes.

Imports only the foundation modules (settings, clock, i18n, periods, config); everything else stands on it.
"""
