# Het beheergedeelte.

admin-title = Beheer

admin-cache = Cache
admin-cache-hit-ratio = Trefferpercentage
admin-cache-namespace = Naamruimte
admin-cache-local = Lokaal: treffers / verouderd / missers
admin-cache-memcached = memcached: treffers / verouderd / missers / fouten
admin-cache-loads = Databaseleesacties
admin-cache-invalidations = Ongeldig gemaakt
admin-cache-legend = Aantallen sinds dit proces startte. Het trefferpercentage is het deel van de leesacties dat zonder database beantwoord werd.
admin-cache-servers = Servers
admin-cache-local-usage = { $entries ->
    [one] Lokale laag: { $entries } item
   *[other] Lokale laag: { $entries } items
}
admin-cache-local-bytes = { $bytes } bytes
admin-cache-no-servers = Er zijn geen memcached-servers ingesteld (HUD_MEMCACHED); alleen de lokale laag wordt gebruikt.
admin-cache-server = Server
admin-cache-state = Status
admin-cache-items = Items
admin-cache-bytes = Bytes
admin-cache-up = actief
admin-cache-down = { $failures ->
    [one] onbereikbaar (1 fout)
   *[other] onbereikbaar ({ $failures } fouten)
}

admin-jobs = Taken
job-state-failed = Mislukt
job-state-queued = In de wachtrij
job-state-running = Bezig
job-state-done = Klaar
admin-jobs-none = Geen taken hier.
admin-job-kind = Taak
admin-job-attempts = Pogingen
admin-job-when = Wanneer
admin-job-error = Laatste fout
admin-job-retry = Opnieuw proberen
admin-job-retried = De taak staat weer in de wachtrij.
admin-job-not-retried = Deze taak kan niet opnieuw: hij is niet mislukt, of hetzelfde werk staat al in de wachtrij.

# The audit log.
admin-audit = Auditlogboek
admin-audit-intro = Elke beheeractie: wie het deed, wanneer, vanaf waar en met welk antwoord (ook geweigerde acties).
admin-audit-search = Wie, actie of doel bevat
admin-audit-none = Nog niets vastgelegd.
admin-audit-no-match = Niets vastgelegd dat overeenkomt met je zoekopdracht.
admin-audit-when = Wanneer
admin-audit-who = Wie
admin-audit-action = Actie
admin-audit-target = Doel
admin-audit-status = Antwoord
admin-audit-from = Vanaf
admin-audit-deleted-account = account verwijderd
