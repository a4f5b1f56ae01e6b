# The admin area.

admin-title = Administration

admin-cache = Cache
admin-cache-hit-ratio = Hit ratio
admin-cache-namespace = Namespace
admin-cache-local = Local: hits / stale / misses
admin-cache-memcached = memcached: hits / stale / misses / errors
admin-cache-loads = Database loads
admin-cache-invalidations = Invalidations
admin-cache-legend = Counts since this process started. The hit ratio is the share of reads answered without the database.
admin-cache-servers = Servers
admin-cache-local-usage = { $entries ->
    [one] Local tier: { $entries } entry
   *[other] Local tier: { $entries } entries
}
admin-cache-local-bytes = { $bytes } bytes
admin-cache-no-servers = No memcached servers are configured (HUD_MEMCACHED); only the local tier is used.
admin-cache-server = Server
admin-cache-state = State
admin-cache-items = Items
admin-cache-bytes = Bytes
admin-cache-up = up
admin-cache-down = { $failures ->
    [one] down (1 failure)
   *[other] down ({ $failures } failures)
}

admin-jobs = Jobs
job-state-failed = Failed
job-state-queued = Queued
job-state-running = Running
job-state-done = Done
admin-jobs-none = No jobs here.
admin-job-kind = Job
admin-job-attempts = Attempts
admin-job-when = When
admin-job-error = Last error
admin-job-retry = Retry
admin-job-retried = The job has been queued again.
admin-job-not-retried = This job cannot be retried: it is not failed, or the same work is already queued.

# The audit log.
admin-audit = Audit log
admin-audit-intro = Every administrative action: who did it, when, from where, and how it was answered (refused ones too).
admin-audit-search = Who, action or target contains
admin-audit-none = Nothing recorded yet.
admin-audit-no-match = Nothing recorded matches your search.
admin-audit-when = When
admin-audit-who = Who
admin-audit-action = Action
admin-audit-target = Target
admin-audit-status = Answer
admin-audit-from = From
admin-audit-deleted-account = account deleted
