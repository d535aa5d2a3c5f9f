"""Read queries used by views, pages and services."""
