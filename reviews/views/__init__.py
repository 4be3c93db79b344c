"""Screens of the review cycle, by concern: ratings and pools, submissions, the dashboard."""
