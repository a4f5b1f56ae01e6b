//! `/admin/cache`: hit ratios per namespace (with an SVG bar chart), memcached server states
//! and item counts, and the local tier's size.

use axum::{extract::State, response::Response};

use crate::{
    cache::NamespaceStats,
    web::{AppState, Page, Result, auth::RequireAdmin, page::render},
};

/// One memcached server as shown.
pub struct ServerRow {
    addr: String,
    up: bool,
    failures: u32,
    items: String,
    bytes: String,
    hit_ratio: String,
}

/// One bar of the chart.
pub struct Bar {
    label: String,
    y: usize,
    width: usize,
    percent: String,
}

/// The cache page.
#[derive(askama::Template)]
#[template(path = "admin/cache.html")]
struct CacheTemplate {
    page: Page,
    namespaces: Vec<NamespaceStats>,
    bars: Vec<Bar>,
    chart_height: usize,
    servers: Vec<ServerRow>,
    local_entries: usize,
    local_bytes: u64,
}

/// The bars' length in the chart's 400-unit viewBox (labels left of them, values right): narrow
/// enough that a phone shows the 13 px labels at no less than 9 px.
const BAR_WIDTH: f64 = 190.0;
const ROW: usize = 28;

#[tracing::instrument(skip_all, err)]
pub async fn cache(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
) -> Result<Response> {
    let namespaces = state.cache.stats();
    let bars = namespaces
        .iter()
        .enumerate()
        .map(|(i, ns)| Bar {
            label: ns.namespace.clone(),
            y: i * ROW,
            width: (ns.hit_ratio() * BAR_WIDTH).round() as usize,
            percent: format!("{:.1}\u{a0}%", ns.hit_ratio() * 100.0),
        })
        .collect();
    let stats = state.cache.server_stats().await;
    let servers = state
        .cache
        .servers()
        .into_iter()
        .map(|s| {
            let own = stats
                .iter()
                .find(|(addr, _)| *addr == s.addr)
                .map(|(_, m)| m);
            let get = |k: &str| {
                own.and_then(|m| m.get(k))
                    .and_then(|v| v.parse::<u64>().ok())
            };
            let ratio = match (get("get_hits"), get("get_misses")) {
                (Some(h), Some(m)) if h + m > 0 => {
                    format!("{:.1}\u{a0}%", h as f64 * 100.0 / (h + m) as f64)
                }
                _ => "–".to_owned(),
            };
            ServerRow {
                addr: s.addr,
                up: s.up,
                failures: s.failures,
                items: get("curr_items").map_or_else(|| "–".into(), |v| v.to_string()),
                bytes: get("bytes").map_or_else(|| "–".into(), |v| v.to_string()),
                hit_ratio: ratio,
            }
        })
        .collect();
    let (local_entries, local_bytes) = state.cache.local_usage();
    let chart_height = (namespaces.len() * ROW).max(ROW);
    render(&CacheTemplate {
        page,
        namespaces,
        bars,
        chart_height,
        servers,
        local_entries,
        local_bytes,
    })
}
