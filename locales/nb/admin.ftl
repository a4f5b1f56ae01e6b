# Administrasjonsområdet.

admin-title = Administrasjon

admin-cache = Hurtigbuffer
admin-cache-hit-ratio = Treffandel
admin-cache-namespace = Navnerom
admin-cache-local = Lokalt: treff / utdaterte / bom
admin-cache-memcached = memcached: treff / utdaterte / bom / feil
admin-cache-loads = Databaselesinger
admin-cache-invalidations = Ugyldiggjøringer
admin-cache-legend = Antall siden denne prosessen startet. Treffandelen er andelen lesinger som ble besvart uten databasen.
admin-cache-servers = Servere
admin-cache-local-usage = { $entries ->
    [one] Lokalt nivå: { $entries } oppføring
   *[other] Lokalt nivå: { $entries } oppføringer
}
admin-cache-local-bytes = { $bytes } byte
admin-cache-no-servers = Ingen memcached-servere er satt opp (HUD_MEMCACHED); bare det lokale nivået brukes.
admin-cache-server = Server
admin-cache-state = Status
admin-cache-items = Elementer
admin-cache-bytes = Byte
admin-cache-up = oppe
admin-cache-down = { $failures ->
    [one] nede (1 feil)
   *[other] nede ({ $failures } feil)
}

admin-jobs = Jobber
job-state-failed = Mislykket
job-state-queued = I kø
job-state-running = Pågår
job-state-done = Ferdige
admin-jobs-none = Ingen jobber her.
admin-job-kind = Jobb
admin-job-attempts = Forsøk
admin-job-when = Når
admin-job-error = Siste feil
admin-job-retry = Prøv igjen
admin-job-retried = Jobben er satt i kø igjen.
admin-job-not-retried = Jobben kan ikke kjøres på nytt: den har ikke mislyktes, eller det samme arbeidet står allerede i kø.

# The audit log.
admin-audit = Revisjonslogg
admin-audit-intro = Hver administrative handling: hvem som gjorde den, når, hvorfra og hvilket svar den fikk (også avviste).
admin-audit-search = Hvem, handling eller mål inneholder
admin-audit-none = Ingenting registrert ennå.
admin-audit-no-match = Ingenting registrert passer med søket ditt.
admin-audit-when = Når
admin-audit-who = Hvem
admin-audit-action = Handling
admin-audit-target = Mål
admin-audit-status = Svar
admin-audit-from = Fra
admin-audit-deleted-account = kontoen er slettet
