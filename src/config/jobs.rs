//! The job queue: in-process workers and job leases.

use clap::Args;

/// The job queue: in-process workers and job leases.
#[derive(Clone, Debug, Args)]
pub struct JobsConfig {
    /// Job workers `hud serve` runs in-process (0: none; run `hud worker` elsewhere).
    #[arg(long = "workers", env = "HUD_WORKERS", default_value_t = 2)]
    pub workers: usize,

    /// A running job whose worker has not finished it after this many seconds is run again.
    #[arg(
        long = "job-lease-secs",
        env = "HUD_JOB_LEASE_SECS",
        default_value_t = 300
    )]
    pub lease_secs: u64,
}
