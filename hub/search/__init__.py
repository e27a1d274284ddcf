"""Search as a shared part (issue 15 item 5): documents index into it now, later modules (case files,
meetings, reports) do the same through `hub.search.index`."""
