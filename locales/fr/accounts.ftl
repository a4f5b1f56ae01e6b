# Comptes et préférences.

accounts-card-title = Votre compte
accounts-card-text =
    { $signed_in ->
        [yes] Choisissez votre langue et votre fuseau horaire, ajoutez un avatar et gérez vos jetons d’API.
       *[no] Inscrivez-vous ou connectez-vous, choisissez votre langue et votre fuseau horaire, et ajoutez un avatar.
    }

field-username = Nom d'utilisateur
field-email = Adresse e-mail
field-password = Mot de passe
field-password2 = Mot de passe (confirmation)
field-login = Nom d'utilisateur ou adresse e-mail
field-required = Ce champ est obligatoire.

signup-title = Créer un compte
signup-submit = S'inscrire
signup-have-account = Vous avez déjà un compte ?
signup-welcome = Bienvenue ! Votre compte a été créé et votre session est ouverte.
password-hint = Au moins { $min } caractères. Évitez les mots de passe courants.

login-title = Connexion
login-submit = Se connecter
login-no-account = Pas encore de compte ?
login-failed = Le nom d'utilisateur ou le mot de passe est incorrect.

username-too-long = Le nom d'utilisateur ne peut pas dépasser { $max } caractères.
username-invalid = Le nom d'utilisateur ne peut pas contenir de caractères de contrôle.
username-no-at = Le nom d'utilisateur ne peut pas contenir « @ ». L'adresse e-mail a son propre champ, et vous pouvez vous connecter avec l'un ou l'autre.
username-taken = Ce nom d'utilisateur est déjà pris.
email-invalid = Saisissez une adresse e-mail valide.
email-taken = Un compte existe déjà avec cette adresse e-mail.
password-too-short = Le mot de passe doit comporter au moins { $min } caractères.
password-too-long = Le mot de passe ne peut pas dépasser { $max } caractères.
password-too-common = Ce mot de passe est trop courant. Choisissez-en un plus difficile à deviner.
password-like-username = Le mot de passe ressemble trop au nom d'utilisateur ou à l'adresse e-mail.
password-mismatch = Les deux mots de passe ne correspondent pas.
password-current-wrong = Le mot de passe actuel est incorrect.
password-change-title = Changer de mot de passe
password-change-intro = Quand vous changez de mot de passe, vous êtes déconnecté partout ailleurs et tous vos jetons d'API sont révoqués.
password-current = Mot de passe actuel
password-new = Nouveau mot de passe
password-new2 = Confirmez le nouveau mot de passe
password-change-submit = Changer le mot de passe
password-changed = Votre mot de passe a été changé. Autres sessions fermées : { $sessions } ; jetons d'API révoqués : { $tokens }.
email-change-title = Changer d'adresse e-mail
email-now = Votre adresse actuelle : { $email }
email-new = Nouvelle adresse e-mail
email-change-submit = Changer l'adresse e-mail
email-changed = Votre adresse e-mail est désormais { $email }.
security-account-heading = Votre compte
account-data-title = Vos données
account-export-title = Télécharger vos données
account-export-intro = Un fichier JSON avec votre profil et vos préférences, vos jetons d'API (sans leur secret), les pages que vous avez ajoutées et vos pronostics avec les valeurs saisies.
account-export-submit = Télécharger (JSON)
account-delete-title = Supprimer votre compte
account-delete-intro = Votre compte, ses sessions, ses jetons d'API, vos préférences et votre avatar sont supprimés aussitôt, partout. Cette action est définitive.
account-delete-pages = { $who ->
    [admin] { $count ->
        [one] La page ajoutée par cet utilisateur reste visible pour tous, sans son nom.
       *[other] Les { $count } pages ajoutées par cet utilisateur restent visibles pour tous, sans son nom.
    }
   *[owner] { $count ->
        [one] La page que vous avez ajoutée reste visible pour tous, sans votre nom.
       *[other] Les { $count } pages que vous avez ajoutées restent visibles pour tous, sans votre nom.
    }
}
account-delete-prognoses = { $who ->
    [admin] { $count ->
        [one] Son pronostic est supprimé.
       *[other] Ses { $count } pronostics sont supprimés.
    }
   *[owner] { $count ->
        [one] Votre pronostic est supprimé.
       *[other] Vos { $count } pronostics sont supprimés.
    }
}
account-delete-submit = Supprimer définitivement mon compte
account-deleted = Votre compte a été supprimé.
account-delete-last-admin = Vous êtes le seul administrateur. Nommez d'abord quelqu'un d'autre administrateur.

profile-title = Profil
profile-language = Langue
profile-timezone = Fuseau horaire
profile-member-since = Membre depuis
profile-last-login = Dernière connexion

preferences-title = Préférences
preferences-language = Langue
preferences-language-auto = Automatique (selon votre navigateur)
preferences-timezone = Fuseau horaire
preferences-timezone-placeholder = p. ex. Europe/Paris
preferences-timezone-help = Commencez à saisir pour rechercher parmi tous les fuseaux horaires. Laissez vide pour UTC.
preferences-saved = Vos préférences ont été enregistrées.
language-unknown = Choisissez l'une des langues proposées.
timezone-unknown = Ce fuseau horaire est inconnu. Choisissez-en un dans la liste, par exemple Europe/Paris.

avatar-title = Avatar
avatar-alt = Avatar
avatar-choose = Choisir une image
avatar-help = PNG, JPEG, WebP ou GIF, 2 Mo maximum. L'image est recadrée en carré.
avatar-upload = Envoyer
avatar-remove = Supprimer l'avatar
avatar-saved = Votre nouvel avatar a été enregistré.
avatar-rate-limited = Vous avez changé d'avatar trop souvent. Réessayez dans { $minutes } minutes.
avatar-removed = Votre avatar a été supprimé.

admin-users = Utilisateurs
admin-users-role = Rôle
admin-users-admin = Administrateur

# La page Sécurité : jetons d'API et sessions.
security-title = Sécurité
security-tokens-heading = Jetons d'API
security-tokens-intro = Les jetons permettent à des applications et à des scripts d'utiliser l'API en votre nom. Révoquez ceux que vous n'utilisez plus ou qui ont pu fuiter.
security-token-created = Votre nouveau jeton n'est affiché qu'une seule fois : copiez-le maintenant.
security-tokens-none = Vous n'avez aucun jeton d'API.
security-token-name = Nom
security-token-unnamed = (sans nom)
security-token-created-at = Créé le
security-token-scope = Accès
security-scope-read = Lecture seule
security-scope-full = Accès complet
security-token-last-used = Dernière utilisation
security-token-never-used = Jamais
security-token-expires = Expire le
security-token-revoke = Révoquer
security-tokens-revoke-all = Révoquer tous les jetons
security-token-new-heading = Nouveau jeton
security-token-days = Valable (jours)
security-token-days-help = { $max ->
    [one] Un jour au plus.
   *[other] { $max } jours au plus.
}
security-token-create = Créer le jeton
security-token-revoked = Le jeton a été révoqué.
security-token-unknown = Ce jeton n'existe pas (ou plus).
security-tokens-revoked = { $count ->
    [one] Un jeton a été révoqué.
   *[other] { $count } jetons ont été révoqués.
}
security-sessions-heading = Sessions
security-sessions-count = { $count ->
    [one] Vous êtes connecté à un seul endroit (ici).
   *[other] Vous êtes connecté à { $count } endroits, celui-ci compris.
}
security-keep-current = Rester connecté ici
security-revoke-tokens-too = Révoquer aussi tous les jetons d'API
security-logout-everywhere = Se déconnecter partout
security-logged-out-everywhere = Déconnecté partout : { $sessions } sessions fermées, { $tokens } jetons révoqués.
token-name-invalid = Utilisez au plus 100 caractères, sans caractères de contrôle.
token-scope-invalid = Choisissez lecture seule ou accès complet.
token-days-invalid = Indiquez un nombre de jours d'au moins 1.

# Admin user management.
login-disabled = Ce compte a été désactivé. Un administrateur peut le réactiver.
admin-users-search = Le nom d'utilisateur ou l'adresse e-mail contient
admin-users-search-submit = Rechercher
admin-users-none = Aucun compte ne correspond.
admin-users-actions = Actions
admin-users-disabled = Désactivé
admin-users-promote = Nommer administrateur
admin-users-demote = Retirer les droits d'administrateur
admin-users-disable = Désactiver
admin-users-enable = Réactiver
admin-users-delete = Supprimer…
admin-user-promoted = { $username } est désormais administrateur.
admin-user-demoted = { $username } n'est plus administrateur.
admin-user-disabled = { $username } est désactivé : déconnecté partout, jetons d'API révoqués.
admin-user-enabled = { $username } peut de nouveau se connecter.
admin-user-deleted = Le compte de { $username } a été supprimé.
admin-user-not-found = Ce compte n'existe pas (ou plus).
admin-user-last-admin = C'est le seul administrateur qui peut se connecter. Nommez d'abord quelqu'un d'autre administrateur.
admin-user-bad-action = Cette action n'est pas comprise.
admin-user-delete-title = Supprimer un compte
admin-user-delete-intro = Le compte, ses sessions, ses jetons d'API, ses préférences et son avatar sont supprimés aussitôt, partout. Cette action est définitive.
admin-user-delete-submit = Supprimer définitivement ce compte
admin-user-delete-cancel = Annuler

# Password reset by e-mail.
reset-forgot-link = Mot de passe oublié ?
reset-title = Réinitialiser votre mot de passe
reset-intro = Saisissez l'adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.
reset-submit = Envoyer le lien
reset-sent = Si un compte a l'adresse { $email }, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il fonctionne une seule fois, pendant { $minutes } minutes.
reset-no-mail = Ce HUD ne peut pas envoyer d'e-mails. Un administrateur peut vous aider : il trouvera le lien dans le journal du serveur.
reset-back-to-login = Retour à la connexion
reset-email-invalid = Saisissez l'adresse e-mail de votre compte, par exemple anne@exemple.fr.
reset-new-title = Choisir un nouveau mot de passe
reset-new-submit = Enregistrer le nouveau mot de passe
reset-link-invalid = Ce lien ne fonctionne pas (ou plus) : il a expiré ou a déjà servi. Demandez-en un nouveau.
reset-ask-again = Demander un nouveau lien
reset-done = Votre nouveau mot de passe est enregistré et vous avez été déconnecté partout. Connectez-vous avec.
reset-mail-subject = Réinitialisation de votre mot de passe HUD
reset-mail-greeting = Bonjour { $username },
reset-mail-body = quelqu'un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte HUD. Pour choisir un nouveau mot de passe, ouvrez ce lien :
reset-mail-action = Choisir un nouveau mot de passe
reset-mail-expiry = Le lien fonctionne une seule fois, pendant { $minutes } minutes.
reset-mail-ignore = Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.
