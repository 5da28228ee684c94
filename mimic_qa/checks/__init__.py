"""Check execution: compile the spec's checks to set-based SQL and turn counts into results."""
