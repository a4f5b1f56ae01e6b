//! Prometheus metrics: requests by route, method and status; a latency histogram by route.
//!
//! The handles are registered once per route (and method and status) and kept: building the
//! labelled key and looking it up in the recorder on every request cost more than counting.

use std::{
    collections::HashMap,
    sync::{LazyLock, RwLock},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request},
    http::{Method, StatusCode},
};
use metrics::{Counter, Histogram};

use crate::telemetry;

/// What a request is counted under: its route pattern and method.
pub struct Labels {
    route: Option<MatchedPath>,
    method: Method,
}

impl Labels {
    /// The labels of a routed request.
    pub fn of(req: &Request) -> Labels {
        Labels {
            route: req.extensions().get::<MatchedPath>().cloned(),
            method: label(req.method()),
        }
    }

    /// Count the request and record how long it took since `started`.
    pub fn record(&self, status: StatusCode, started: Instant) {
        let route = self.route.as_ref().map_or("unmatched", MatchedPath::as_str);
        record(route, &self.method, status, started);
    }
}

/// Standard methods as they are; any other one (a client may invent methods) as `OTHER`, so
/// requests cannot grow the number of series.
fn label(method: &Method) -> Method {
    const STANDARD: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    if STANDARD.contains(method) {
        method.clone()
    } else {
        Method::from_bytes(b"OTHER").unwrap_or_default()
    }
}

/// The handles of one route.
struct RouteHandles {
    duration: Histogram,
    /// By method and status: a route sees only a few combinations.
    requests: Vec<(Method, StatusCode, Counter)>,
}

/// Routes are the router's patterns (a fixed set), so the map stays small.
static HANDLES: LazyLock<RwLock<HashMap<Box<str>, RouteHandles>>> = LazyLock::new(Default::default);

fn record(route: &str, method: &Method, status: StatusCode, started: Instant) {
    {
        let handles = HANDLES
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(route) = handles.get(route)
            && let Some((_, _, requests)) = route
                .requests
                .iter()
                .find(|(m, s, _)| m == method && *s == status)
        {
            requests.increment(1);
            route.duration.record(started.elapsed().as_secs_f64());
            return;
        }
    }
    telemetry::metrics_recorder();
    let mut handles = HANDLES
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = handles.entry(route.into()).or_insert_with(|| RouteHandles {
        duration: metrics::histogram!("http_request_duration_seconds", "route" => route.to_owned()),
        requests: Vec::new(),
    });
    let requests = match entry
        .requests
        .iter()
        .find(|(m, s, _)| m == method && *s == status)
    {
        Some((_, _, requests)) => requests.clone(),
        None => {
            let requests = metrics::counter!(
                "http_requests_total",
                "route" => route.to_owned(),
                "method" => method.to_string(),
                "status" => status.as_u16().to_string()
            );
            entry
                .requests
                .push((method.clone(), status, requests.clone()));
            requests
        }
    };
    requests.increment(1);
    entry.duration.record(started.elapsed().as_secs_f64());
}
