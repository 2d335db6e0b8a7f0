"""Check stage: diagnostics gathered from every stage of the pipeline."""
