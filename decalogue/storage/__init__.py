"""Everything that touches disk: one atomic writer, assessment files, the workspace,
checklist resolution and cache."""
