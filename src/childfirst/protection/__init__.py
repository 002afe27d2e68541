"""Data protection: the retention review, erasure, restriction of processing and subject access.

Each operation is a library function taking the store and the actor, writing its change and its
audit entry in one transaction; the command line (``protection.cli``) is a thin layer over them.
"""
