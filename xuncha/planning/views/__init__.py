"""Pages of planning, one module per entity: plans (and coverage, proposals), rounds, inspections,
linkage (joint rounds) and analysis (priority ranking, alignment). Thin: reads through `selectors`,
writes through `services`; the five-year plans, annual plans and risk inputs are Resources."""
