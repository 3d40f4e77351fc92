"""Case work: workflow, routing to agencies, deadlines, privacy, audit chain, takedown pack."""
