# L'espace d'administration.

admin-title = Administration

admin-cache = Cache
admin-cache-hit-ratio = Taux de succès
admin-cache-namespace = Espace de noms
admin-cache-local = Local : succès / périmés / échecs
admin-cache-memcached = memcached : succès / périmés / échecs / erreurs
admin-cache-loads = Lectures en base
admin-cache-invalidations = Invalidations
admin-cache-legend = Compteurs depuis le démarrage de ce processus. Le taux de succès est la part des lectures servies sans la base de données.
admin-cache-servers = Serveurs
admin-cache-local-usage = { $entries ->
    [one] Niveau local : { $entries } entrée
   *[other] Niveau local : { $entries } entrées
}
admin-cache-local-bytes = { $bytes } octets
admin-cache-no-servers = Aucun serveur memcached n'est configuré (HUD_MEMCACHED) ; seul le niveau local est utilisé.
admin-cache-server = Serveur
admin-cache-state = État
admin-cache-items = Éléments
admin-cache-bytes = Octets
admin-cache-up = actif
admin-cache-down = { $failures ->
    [one] hors service (1 échec)
   *[other] hors service ({ $failures } échecs)
}

admin-jobs = Tâches
job-state-failed = Échouées
job-state-queued = En attente
job-state-running = En cours
job-state-done = Terminées
admin-jobs-none = Aucune tâche ici.
admin-job-kind = Tâche
admin-job-attempts = Tentatives
admin-job-when = Quand
admin-job-error = Dernière erreur
admin-job-retry = Réessayer
admin-job-retried = La tâche a été remise en file d'attente.
admin-job-not-retried = Cette tâche ne peut pas être relancée : elle n'a pas échoué, ou le même travail est déjà en attente.

# The audit log.
admin-audit = Journal d'audit
admin-audit-intro = Chaque action d'administration : qui l'a faite, quand, d'où, et la réponse obtenue (refus compris).
admin-audit-search = Qui, action ou cible contient
admin-audit-none = Rien n'a encore été enregistré.
admin-audit-no-match = Rien d'enregistré ne correspond à votre recherche.
admin-audit-when = Quand
admin-audit-who = Qui
admin-audit-action = Action
admin-audit-target = Cible
admin-audit-status = Réponse
admin-audit-from = Depuis
admin-audit-deleted-account = compte supprimé
