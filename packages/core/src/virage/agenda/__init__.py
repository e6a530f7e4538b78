"""The shared agenda: appointments, recurring visits, availability, free slots, calendar feeds."""
