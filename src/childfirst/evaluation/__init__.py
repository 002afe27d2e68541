"""Measuring the engines against a synthetic area's ground truth. No engine may import this."""
