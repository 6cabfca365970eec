"""The papers theorycheck verifies: one folder per paper (metadata in its __init__.py, one module per section)."""
