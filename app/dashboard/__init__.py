"""The web dashboard: Jinja2 pages with htmx, and TypeScript islands built by Vite (web/).

It is one more client of the public API: pages read through the same services the API uses,
and the islands fetch `/v1` like any other client.
"""
