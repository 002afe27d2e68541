"""Safeguarding rules: the case-review learning as declared, explainable checks over a child's history."""
