"""What clients are shown: the output shapes shared by the REST API, live updates and pages.

One definition per shape: the API's views, the WebSocket consumers and the staff pages
all render through these, and the OpenAPI schema is generated from the same classes.
"""
