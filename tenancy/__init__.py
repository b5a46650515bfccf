"""Networks (the tenants), their organisations and leader groups, people and their roles.

Every other app stands on these, so they live in an app of their own instead of inside
cohorts, which would otherwise be imported by programmes, assessments and resources alike.
"""
