"""The declared rules, one module per theme of the case-review learning."""
