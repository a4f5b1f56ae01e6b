# L'espace d'administration.

admin-title = Administration
