"""借阅 (/archive/loans/): the list, the request, a loan's page (routes), the archivist's and the
borrower's actions (action_routes), the viewer (viewer_routes) and their forms."""
