"""Data shipped with the application: templates a cycle copies and edits."""
