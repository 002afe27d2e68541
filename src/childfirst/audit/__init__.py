"""The audit log: who looked at or changed what, when and why, kept so that cutting it short or
rewriting it is noticed.

``keys`` finds the audit key, which lives outside the database; ``chain`` appends entries, each
sealed with a keyed hash of its content and of the entry before it; ``checkpoints`` signs the log's
head so that it can be kept elsewhere; ``verify`` checks all of it; ``grants`` gives the PostgreSQL
privileges under which the application cannot change or delete an entry.
"""
