"""The use cases of the platform (layer 3): each a method of a service built with a session
and a :class:`~tanzuji.services.context.Context`, checking its permission first and running
inside the caller's transaction. Faces (API, pages, command line) only call these."""
