"""Export: reports to JSON/tidy rows (convert), files and databases (sinks, batch), DataFrames, text (render).

Nothing in the reading pipeline imports this package; it only consumes finished reports.
"""
