search-card-title = Recherche
search-card-text = Trouvez les pages dont les mots correspondent à votre recherche — avec tolérance aux fautes de frappe, OR, NOT, préfixes et plage de dates — les plus récentes d'abord ou par pertinence.
search-title = Recherche
search-label = Rechercher dans les pages explorées
search-placeholder = Rechercher dans les pages…
search-submit = Rechercher
search-help = Tous les mots doivent figurer. Utilisez OR pour l'un ou l'autre, -mot ou NOT mot pour exclure, des parenthèses pour regrouper et mot* pour un préfixe. Les petites fautes de frappe sont tolérées.
search-from = Du
search-to = Au (inclus)
search-time-help = Les jours sont comptés dans votre fuseau horaire.
search-sort = Ordre
search-sort-newest = Plus récentes d'abord
search-sort-relevance = Plus pertinentes d'abord
search-lang = Langue
search-lang-any = toutes, p. ex. nl
search-count = { $count ->
    [one] Une page trouvée.
   *[other] { $count } pages trouvées.
}
search-none = Aucune page ne correspond. Essayez moins de mots, OR ou une plage de dates plus large.
search-did-you-mean = Vouliez-vous dire :
search-crawled = explorée le { $time }
search-cloud = nuage de mots
search-error-empty = Saisissez un terme à rechercher.
search-error-too-long = Une recherche peut comporter { $max } caractères au maximum.
search-error-unbalanced = Les parenthèses ne sont pas équilibrées : chaque ( doit être fermée par une ).
search-error-dangling-operator = OR doit avoir un mot de chaque côté, NOT doit être suivi d'un mot.
search-error-too-deep = Les parenthèses peuvent être imbriquées sur { $max } niveaux au maximum.
search-error-only-negations = Indiquez ce que vous cherchez, pas seulement ce qu'il faut exclure : ajoutez un mot sans - ni NOT.
search-error-no-words = Votre recherche ne contient aucun mot exploitable (les mots très courants comme « le » et les nombres ne sont pas indexés ; les mots doivent comporter au moins trois lettres).
search-date-invalid = Ce n'est pas une date (par exemple 2025-12-25).
search-window-reversed = La période se termine avant de commencer.
search-sort-invalid = Triez par les plus récentes ou par pertinence.
search-page-invalid = Les pages vont de 1 à { $max }.
search-lang-invalid = Indiquez une langue par un code de deux lettres, comme en ou nl.
