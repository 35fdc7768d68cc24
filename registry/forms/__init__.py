"""The registry's forms: organisations (profiles, members, claims), institutions
(institutions, officials, structures, seats, calls, meetings) and imports."""
