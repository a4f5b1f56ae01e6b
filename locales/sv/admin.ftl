# Administrationsdelen.

admin-title = Administration
