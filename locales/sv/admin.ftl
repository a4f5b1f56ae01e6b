# Administrationsdelen.

admin-title = Administration

admin-cache = Cache
admin-cache-hit-ratio = Träffandel
admin-cache-namespace = Namnrymd
admin-cache-local = Lokalt: träffar / inaktuella / missar
admin-cache-memcached = memcached: träffar / inaktuella / missar / fel
admin-cache-loads = Databasläsningar
admin-cache-invalidations = Ogiltigförklaringar
admin-cache-legend = Antal sedan den här processen startade. Träffandelen är andelen läsningar som besvarades utan databasen.
admin-cache-servers = Servrar
admin-cache-local-usage = { $entries ->
    [one] Lokal nivå: { $entries } post
   *[other] Lokal nivå: { $entries } poster
}
admin-cache-local-bytes = { $bytes } byte
admin-cache-no-servers = Inga memcached-servrar är konfigurerade (HUD_MEMCACHED); bara den lokala nivån används.
admin-cache-server = Server
admin-cache-state = Status
admin-cache-items = Poster
admin-cache-bytes = Byte
admin-cache-up = uppe
admin-cache-down = { $failures ->
    [one] nere (1 fel)
   *[other] nere ({ $failures } fel)
}

admin-jobs = Jobb
job-state-failed = Misslyckade
job-state-queued = Köade
job-state-running = Pågående
job-state-done = Klara
admin-jobs-none = Inga jobb här.
admin-job-kind = Jobb
admin-job-attempts = Försök
admin-job-when = När
admin-job-error = Senaste fel
admin-job-retry = Försök igen
admin-job-retried = Jobbet har köats igen.
admin-job-not-retried = Jobbet kan inte köras igen: det har inte misslyckats, eller samma arbete är redan köat.

# The audit log.
admin-audit = Granskningslogg
admin-audit-intro = Varje administrativ åtgärd: vem som gjorde den, när, varifrån och vilket svar den fick (även nekade).
admin-audit-search = Vem, åtgärd eller mål innehåller
admin-audit-none = Inget registrerat än.
admin-audit-no-match = Inget registrerat matchar din sökning.
admin-audit-when = När
admin-audit-who = Vem
admin-audit-action = Åtgärd
admin-audit-target = Mål
admin-audit-status = Svar
admin-audit-from = Från
admin-audit-deleted-account = kontot borttaget
