"""What the pages and the API show and do, as plain functions over the store.

Pages and API routes call these and only format the result, so the two always agree.
"""
