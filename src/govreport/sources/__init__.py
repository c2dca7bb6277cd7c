"""Sources: turning a published document (HTML, DOCX, PDF) or a text file into what the pipeline reads."""
