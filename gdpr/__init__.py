"""A person's rights over their data: download it, have it erased, and retention.

An app of its own, on top of every other (pyproject's import layers), because none of the
design card's apps can hold it: erasing a person and gathering everything about them must
read and delete the rows of every app, which no app below may import.
"""
