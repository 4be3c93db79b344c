"""The demo data of `manage.py load_demo`: the 2021 bloc and its cycle (`year_2021`), then the
reorganization of 1/7/2025 and the 2026 cycle under QĐ 366 (`year_2026`).

The demo sits above every app: it writes through their services, and no app imports it.
"""
