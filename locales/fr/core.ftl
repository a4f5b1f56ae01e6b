# Commun à toutes les pages : mise en page, navigation, dates, pages d'erreur.

app-name = HUD
skip-to-content = Aller au contenu
nav-label = Navigation principale
nav-toggle = Afficher/masquer la navigation
breadcrumb-label = Fil d’Ariane
nav-admin = Admin
nav-language = Langue
color-mode = Thème de couleurs
color-mode-auto = Automatique (comme l’appareil)
color-mode-light = Clair
color-mode-dark = Sombre
nav-profile = Profil
nav-preferences = Préférences
nav-security = Sécurité
nav-logout = Se déconnecter
nav-login = Se connecter
nav-signup = S'inscrire
close = Fermer
save = Enregistrer
cancel = Annuler
edit = Modifier
pagination = Pages
pagination-previous = Précédente
pagination-next = Suivante
footer-tagline = HUD — pages web, nuages de mots et recherche
footer-api = API
footer-timezone = Heures affichées en { $zone }

# Formats chrono : %-d jour, %B nom du mois, %Y année, %H:%M heure, %Z abréviation du fuseau horaire.
datetime-format = %-d %B %Y à %H:%M %Z
date-format = %-d %B %Y
first-day-of-month = 1er
# Étiquettes de l'axe du temps des graphiques, selon l'écart des graduations (%S secondes, %b nom court du mois).
axis-seconds-format = %H:%M:%S
axis-minutes-format = %H:%M
axis-days-format = %-d %b
axis-months-format = %b %Y
axis-years-format = %Y

error-home = Retour à la page d'accueil
error-csrf = Le formulaire a expiré ou a été envoyé depuis un autre site. Revenez en arrière, rechargez la page et réessayez.
error-rate-limited = { $minutes ->
    [one] Trop de tentatives. Veuillez patienter une minute, puis réessayer.
   *[other] Trop de tentatives. Veuillez patienter { $minutes } minutes, puis réessayer.
}
error-400-title = Requête incorrecte
error-400-detail = La requête n'a pas pu être comprise.
error-401-title = Connexion requise
error-401-detail = Veuillez vous connecter : un jeton ou une session valide est requis.
error-403-title = Accès refusé
error-403-detail = Vous n'avez pas l'autorisation de consulter cette page.
error-404-title = Page introuvable
error-404-detail = La page que vous cherchez n'existe pas ou a été déplacée.
error-405-title = Méthode non autorisée
error-405-detail = Cette adresse n'accepte pas ce type de requête.
error-408-title = Délai de requête dépassé
error-408-detail = La requête a pris trop de temps. Veuillez réessayer.
error-413-title = Trop volumineux
error-413-detail = Ce que vous avez envoyé dépasse la taille autorisée.
error-415-title = Type de contenu non pris en charge
error-415-detail = Le corps de la requête n'est pas dans un format accepté par cette adresse.
error-422-title = Saisie invalide
error-422-detail = Certaines des données envoyées ne sont pas valides.
error-429-title = Trop de requêtes
error-429-detail = Vous envoyez des requêtes trop rapidement. Veuillez patienter un peu, puis réessayer.
error-4xx-title = Échec de la requête
error-4xx-detail = La requête n'a pas pu aboutir.
error-500-title = Une erreur s'est produite
error-500-detail = Une erreur inattendue s'est produite de notre côté. Elle a été enregistrée ; veuillez réessayer plus tard.
error-503-title = Service temporairement indisponible
error-503-detail = Le service est temporairement indisponible. Veuillez réessayer dans un instant.
api-json-syntax = Le corps n'est pas du JSON valide (ligne { $line }, colonne { $column }).
api-body-unreadable = Le corps de la requête n'a pas pu être lu.
api-field-missing = Ce champ est obligatoire.
api-field-invalid = Cette valeur n'a pas le bon type ou n'est pas autorisée ici.
api-body-not-object = Le corps doit être un objet JSON.
api-text-nul = Le texte ne peut pas contenir le caractère NUL.

## Uploaded images (avatars, captchas)
image-empty = Choisissez un fichier image à envoyer.
image-too-large = L'image dépasse { $max } Mo.
image-unsupported = Ce type de fichier n'est pas pris en charge. Utilisez PNG, JPEG, WebP ou GIF.
image-too-many-pixels = L'image est trop grande : { $max } pixels maximum en largeur et en hauteur.
image-too-many-megapixels = L'image compte trop de pixels : { $max } mégapixels au maximum. Envoyez une image plus petite.
image-corrupt = Impossible de lire l'image. Elle est peut-être endommagée.
upload-failed = Le fichier n'a pas été reçu en entier. Veuillez réessayer.
