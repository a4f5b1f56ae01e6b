//! Starting the workers and the scheduler of the enabled sub-apps (used by `hud serve`,
//! `hud worker` and `hud crawl`).

use tokio::{sync::watch, task::JoinHandle};

use crate::{
    jobs::worker::{Worker, run_scheduler},
    web::AppState,
};

/// Running workers and scheduler; `stop` ends them after their current job.
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Ask every task to stop and wait until they have.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// A worker for every job kind of the enabled sub-apps.
pub fn worker(state: &AppState, n: usize) -> Worker<AppState> {
    let kinds = state
        .apps
        .iter()
        .flat_map(|app| app.jobs.iter().copied())
        .collect();
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "hud".into());
    Worker::new(
        state.db.clone(),
        state.clone(),
        kinds,
        format!("{host}:{}:{n}", std::process::id()),
    )
}

/// Start `workers` workers and (if `schedule`) the scheduler.
pub fn start(state: &AppState, workers: usize, schedule: bool) -> Running {
    let (stop, stopped) = watch::channel(false);
    let mut tasks: Vec<JoinHandle<()>> = (0..workers)
        .map(|n| tokio::spawn(worker(state, n).run(stopped.clone())))
        .collect();
    if schedule {
        let schedules = state
            .apps
            .iter()
            .flat_map(|app| app.schedules.iter().copied())
            .collect();
        tasks.push(tokio::spawn(run_scheduler(
            state.db.clone(),
            state.clone(),
            schedules,
            state.config.jobs.lease_secs,
            stopped,
        )));
    }
    Running { stop, tasks }
}
