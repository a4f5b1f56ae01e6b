# Nuages de mots : pages, nuages, explorations.

nav-pages = Pages
pages-card-title = Nuages de mots
pages-card-text = Enregistrez des pages web ; HUD les lit plusieurs fois par jour et montre de quoi elles parlent, et comment cela évolue.
pages-title = Pages
pages-empty = Aucune page pour l'instant.
page-add = Ajouter une page
page-add-login = Connectez-vous pour ajouter une page
page-add-submit = Ajouter la page
page-added = La page a été ajoutée. Sa première exploration est en route.
page-exists = Cette page est déjà enregistrée (page { $id }).
page-quota-reached = Vous avez enregistré { $max } pages, le maximum pour un compte. Supprimez l’une des vôtres pour en ajouter une autre.
page-delete = Supprimer cette page
page-delete-title = Supprimer « { $page } » ?
page-delete-consequences = { $crawls ->
    [0] Elle n’a pas encore été explorée. Elle disparaît de la liste pour tout le monde. Cette action est définitive.
    [one] Son exploration enregistrée et tous les nuages, tendances et comparaisons qui en sont tirés sont supprimés pour tout le monde, et elle disparaît des résultats de recherche. Cette action est définitive.
   *[other] Ses { $crawls } explorations enregistrées et tous les nuages, tendances et comparaisons qui en sont tirés sont supprimés pour tout le monde, et elle disparaît des résultats de recherche. Cette action est définitive.
}
page-delete-submit = Supprimer la page
page-deleted = « { $page } » a été supprimée, avec ses explorations.
page-inactive = en pause
page-never-crawled = Pas encore explorée.
field-url = Adresse (URL)
field-page-title = Titre (facultatif)
field-page-title-help = Affiché à la place du titre de la page.
page-title-too-long = { $max } caractères au maximum.
page-title-invalid = Le titre contient des caractères impossibles à afficher.
page-url-invalid = Ce n'est pas une adresse web. Exemple : https://example.org/actualites
page-url-scheme = Seules les adresses http et https peuvent être explorées.
page-url-credentials = Les adresses contenant un nom d'utilisateur ou un mot de passe ne peuvent pas être enregistrées.
page-url-too-long = L'adresse dépasse { $max } caractères.

cloud-title = Nuage de mots de { $page }
cloud-word-count = { $word } : { $count ->
    [one] une fois
   *[other] { $count } fois
}
cloud-at = Mots à un moment donné
cloud-from = Ou du jour
cloud-to = au jour
cloud-show = Afficher
cloud-time-help = Les heures sont dans votre fuseau horaire. Laissez tout vide pour la dernière exploration.
cloud-aggregate = { $crawls ->
    [one] Une exploration
   *[other] Somme de { $crawls } explorations
}
cloud-crawled-at = Explorée le { $time }
cloud-show-raw = Afficher sans les listes d'exclusion
cloud-raw = Sans les listes d'exclusion
cloud-show-filtered = Afficher avec les listes d'exclusion
cloud-left-out = { $count ->
    [one] Un mot rare n'a pas trouvé de place dans le nuage ; le tableau l'indique.
   *[other] { $count } mots rares n'ont pas trouvé de place dans le nuage ; le tableau les indique.
}
cloud-download-svg = Télécharger en SVG
cloud-download-png = Télécharger en PNG
cloud-no-words = Cette exploration n'a trouvé aucun mot à afficher.
cloud-no-crawl = Aucune exploration réussie sur cette période pour l'instant.
cloud-never-crawled = Pas encore explorée : HUD explore la page sous peu, et son nuage apparaîtra ici.
cloud-table = Tous les nombres sous forme de tableau
cloud-word = Mot
cloud-count = Nombre
cloud-bad-scale = Échelle inconnue ; l'échelle racine carrée est utilisée.
cloud-bad-vertical = La part de mots verticaux doit être un pourcentage de 0 à 100.
cloud-bad-words = Le nombre de mots doit être compris entre { $min } et { $max }.
cloud-bad-raw = Indiquez raw par 1 (les comptes avant les listes d'exclusion) ou 0.
when-invalid-time = Ce n'est pas une date avec heure (par exemple 2025-12-25 15:00) ; la dernière exploration est affichée.
when-invalid-date = Ce n'est pas une date (par exemple 2025-12-25) ; la dernière exploration est affichée.
when-range-reversed = La période se termine avant de commencer : elle ne contient aucune exploration.
when-range-clamped = La période dépasse { $max } jours : seules les explorations de ses { $max } derniers jours sont comptées.

crawl-history = Explorations
crawl-time = Heure
crawl-outcome = Résultat
crawl-words = Mots
outcome-ok = lue
outcome-not_modified = inchangée
outcome-http_error = erreur du serveur
outcome-timeout = délai dépassé
outcome-too_large = trop grande
outcome-not_html = pas une page web
outcome-blocked = non autorisée
outcome-unreachable = injoignable

ignore-too-many = { $max } mots au maximum par liste.
ignore-word-too-long = Des mots de { $max } caractères au maximum.
ignore-word-invalid = Un mot par élément : { $max } caractères au maximum, sans espaces, virgules ni caractères de contrôle.

admin-pages = Pages
admin-ignore-lists = Listes d'exclusion
admin-recrawl = Explorer maintenant
admin-page-active = Explorer cette page selon le calendrier
admin-page-saved = La page a été enregistrée.
admin-crawl-queued = Une exploration a été mise en file d'attente.
admin-crawl-pending = Une exploration de cette page est déjà en attente ou en cours.
ignore-none = Aucune liste d'exclusion pour l'instant.
ignore-add = Nouvelle liste d'exclusion
ignore-edit = Modifier la liste d'exclusion
ignore-delete = Supprimer
ignore-name = Nom
ignore-words = Mots
ignore-words-help = Séparez les mots par des espaces, des virgules ou des retours à la ligne ; majuscules et minuscules sont indifférentes.
ignore-word-count = { $count ->
    [one] un mot
   *[other] { $count } mots
}
ignore-saved = La liste d'exclusion a été enregistrée ; les nuages de ses pages ont changé.
ignore-deleted = La liste d'exclusion a été supprimée.
ignore-name-invalid = Un nom de { $max } caractères au maximum.
ignore-name-taken = Une autre liste d'exclusion porte déjà ce nom.

api-limit-range = Indiquez un nombre de 1 à { $max }.
api-cursor-invalid = Indiquez le curseur de l’en-tête Link de la réponse précédente (un identifiant de page).
api-trend-too-many = Indiquez au plus { $max } mots.

compare-title = Comparer des nuages
compare-side-a = À gauche
compare-side-b = À droite
compare-page = Page
compare-help = La même page à deux moments (samedi et dimanche), ou deux pages.
compare-shared = Mots communs aux deux :
compare-link = Comparer
compare-changes = Ce qui a changé de gauche à droite
compare-gained = Nouveaux à droite
compare-lost = Disparus à droite
compare-rises = Plus fortes hausses
compare-falls = Plus fortes baisses
compare-no-change = Rien ici.

trend-title = Tendances des mots
trend-words = Mots (séparés par des virgules ; huit au plus)
trend-too-many = Seuls les { $max } premiers mots sont affichés.
trend-point = { $word } : { $count } le { $time }
trend-span = { $crawls } explorations du { $from } au { $to }
trend-one-crawl = Une seule exploration pour l'instant : les courbes commencent dès que la page est explorée à nouveau.
trend-no-crawls = Pas encore explorée : les courbes commencent dès que la page aura été explorée.
