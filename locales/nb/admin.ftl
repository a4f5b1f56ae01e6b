# The admin area.

admin-title = Administration
