# La page d'accueil.

home-title = Accueil
home-heading = Bienvenue sur HUD
home-lead = Découvrez d'un coup d'œil de quoi parlent les pages web, faites des recherches dans leur contenu, et bien plus encore.
home-open = Ouvrir
