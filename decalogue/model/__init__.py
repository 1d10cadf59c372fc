"""What an assessment is: checklists, answers, scores. Pure: no disk writes, no UI."""
