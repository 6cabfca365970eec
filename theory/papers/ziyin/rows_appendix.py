"""`ziyin`, appendix statements that had no claim of their own (App. B.1-B.2, C.3, D.4-D.5)."""
