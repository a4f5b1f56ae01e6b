# Administrasjonsområdet.

admin-title = Administrasjon
