"""The faces of the platform on the web (layer 4): the JSON API under ``/api/v1`` now, pages
later. Routes parse the request, call one service inside one unit of work, and render."""
