# Captchas : le composant de formulaire, les pages d'administration.

captcha-prompt-text = Tapez les caractères de l'image.
captcha-prompt-digits = Tapez uniquement les chiffres de l'image.
captcha-prompt-letters = Tapez uniquement les lettres de l'image.
captcha-prompt-last-four-reversed = Tapez les quatre dernières lettres de l'image, dans l'ordre inverse.
captcha-prompt-blue = Tapez les caractères dessinés en bleu.
captcha-prompt-circled = Tapez les caractères à l’intérieur du cercle.
captcha-prompt-upper-line = Tapez les caractères de la ligne du haut.
captcha-prompt-lower-line = Tapez les caractères de la ligne du bas.
captcha-prompt-blue-letters-reversed = Tapez les lettres bleues dans l’ordre inverse.
captcha-alt = Image du captcha. { $prompt } Une version audio est proposée à côté.
captcha-new = Nouveau captcha
captcha-listen = Écouter les caractères
captcha-help = Les espaces ne comptent pas ; majuscules et minuscules ne comptent que si la question le précise.
captcha-passed = Vous avez répondu au captcha. Inutile d'y répondre à nouveau.
captcha-missing = Veuillez répondre au captcha.
captcha-wrong = Cette réponse n'est pas la bonne. Essayez ce nouveau captcha.
captcha-expired = Ce captcha a expiré ou a déjà servi. Répondez au nouveau.
captcha-too-many = Trop de tentatives de captcha. Réessayez dans { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
}.

admin-captcha = Captchas
captcha-challenges = Questions
captcha-challenge = Question
captcha-challenge-add = Ajouter une question
captcha-challenge-saved = La question a été enregistrée.
captcha-prompt = Question
captcha-prompts = La question dans chaque langue
captcha-rule = Règle de réponse
captcha-status = État
captcha-builtin = intégrée
captcha-builtin-note = Cette question est intégrée : son texte est traduit avec l'application. Vous pouvez modifier sa règle de réponse ou la retirer.
captcha-active = en service
captcha-retired = retirée
captcha-edit = Modifier
captcha-retire = Retirer
captcha-activate = Remettre en service
captcha-save = Enregistrer
captcha-cancel = Annuler
captcha-scope = Partie de l’image
captcha-scope-help = Les images générées placent leurs caractères sur deux lignes, en dessinent certains en bleu et entourent trois voisins ; les images téléversées ne portent que des questions sur l’image entière.
captcha-scope-all = l’image entière
captcha-scope-blue = dessinés en bleu
captcha-scope-circled = à l’intérieur du cercle
captcha-scope-upper-line = sur la ligne du haut
captcha-scope-lower-line = sur la ligne du bas
captcha-chars = Caractères pris en compte
captcha-chars-all = tous les caractères
captcha-chars-letters = lettres
captcha-chars-digits = chiffres
captcha-chars-uppercase = majuscules
captcha-chars-lowercase = minuscules
captcha-take = Lesquels
captcha-take-option-all = tous
captcha-take-option-first = les premiers…
captcha-take-option-last = les derniers…
captcha-take-count = Combien
captcha-take-all = tous
captcha-take-first = les { $count } premiers
captcha-take-last = les { $count } derniers
captcha-reverse = dans l'ordre inverse
captcha-case-sensitive = majuscules et minuscules doivent correspondre
captcha-case-insensitive = majuscules et minuscules indifférentes
captcha-choose-option = Choisissez l'une des options.
captcha-count-range = Saisissez un nombre de 1 à { $max }.
captcha-prompt-too-long = { $max } caractères au maximum.
captcha-previews = Réponses attendues pour les images récentes
captcha-preview-unfit = Cette image ne convient pas à cette question et n'est pas proposée avec elle.
captcha-images = Images
captcha-generate-count = Créer de nouvelles images
captcha-generate = Créer
captcha-generated = { $count ->
    [one] Une nouvelle image a été créée.
   *[other] { $count } nouvelles images ont été créées.
}
captcha-count-invalid = Saisissez un nombre de 1 à { $max }.
captcha-upload-text = Caractères affichés dans l'image
captcha-upload-image = Fichier image (PNG, JPEG, WebP ou GIF, 1 Mo au maximum)
captcha-upload = Envoyer
captcha-uploaded = L'image a été ajoutée.
captcha-uploaded-badge = envoyée
captcha-text-invalid = Tapez les caractères affichés, { $max } au maximum.
captcha-text-saved = Les caractères de l'image ont été corrigés.
