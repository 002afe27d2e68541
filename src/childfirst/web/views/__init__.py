"""The HTML pages, one module per group of pages."""
