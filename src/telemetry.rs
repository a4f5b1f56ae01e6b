//! Logging setup (human-readable lines in a terminal, JSON lines otherwise or when asked) and
//! the process-wide Prometheus recorder; per-request timings live in [`timing`].

pub mod timing;

use std::{io::IsTerminal, sync::OnceLock};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::{Config, LogFormat};

/// Install the global tracing subscriber (once per process).
pub fn init(config: &Config) {
    let filter =
        EnvFilter::try_new(&config.telemetry.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match config.telemetry.log_format {
        LogFormat::Json => true,
        LogFormat::Human => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_writer(std::io::stderr),
            )
            .try_init()
    } else {
        registry
            .with(fmt::layer().with_writer(std::io::stderr))
            .try_init()
    };
    // Already installed (tests): keep the first.
    let _ = result;
}

/// Latency buckets in seconds, from sub-millisecond cache hits to slow crawls.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide Prometheus recorder, installed on first use (tests build many apps in one
/// process). Metric handles registered before it exists would count nowhere, so code that keeps
/// handles calls this before registering them.
pub fn metrics_recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                BUCKETS,
            )
            .expect("static bucket list is non-empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (e.g. by an embedding program); then
        // our handle still renders what this recorder sees.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}
