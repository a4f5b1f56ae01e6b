//! Numbered pages of a long HTML list, one way for every list: `?page=N` read leniently (a
//! missing, unparsable or out-of-range number shows the nearest page, never an error), the rows
//! of that page read together with the list's total, and the links — previous, the first, a
//! window around the current page, the last, next; skipped runs shown as a gap — each keeping
//! the list's other query parameters. The markup is `templates/partials/pagination.html`.

use std::future::Future;

use serde::Deserialize;

/// Pages on each side of the current one that get a link of their own.
const WINDOW: i64 = 2;

/// The `page` query parameter, as text: `?page=abc` shows the first page.
#[derive(Debug, Default, Deserialize)]
pub struct PageParam {
    /// The page asked for (1-based).
    #[serde(default)]
    pub page: Option<String>,
}

impl PageParam {
    /// The page asked for, at least 1.
    pub fn number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    }
}

/// Where a paginated list is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The page shown (1-based).
    pub page_no: i64,
    /// How many pages the list has (at least 1).
    pub pages: i64,
    /// Rows in the whole list.
    pub total: i64,
    /// The list's other query parameters, URL-encoded, kept in every link.
    query: String,
}

/// One entry of the page links: a page, or a gap where pages are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerLink {
    /// The page linked to; `None`: a gap ("…").
    pub number: Option<i64>,
    /// Its link (empty for a gap).
    pub href: String,
    /// It is the page shown.
    pub current: bool,
}

impl Pager {
    /// Page `requested` of `total` rows, `per_page` at a time (clamped to the pages there are);
    /// `query` holds the list's other parameters (`q=…&sort=…`), kept in its links.
    pub fn new(requested: i64, per_page: i64, total: i64, query: String) -> Pager {
        let per_page = per_page.max(1);
        let pages = (total.clamp(0, i64::MAX - per_page) + per_page - 1) / per_page;
        let pages = pages.max(1);
        Pager {
            page_no: requested.clamp(1, pages),
            pages,
            total,
            query,
        }
    }

    /// The link of page `n`.
    pub fn href(&self, n: i64) -> String {
        if self.query.is_empty() {
            format!("?page={n}")
        } else {
            format!("?{}&page={n}", self.query)
        }
    }

    /// The link of the page before this one.
    pub fn previous(&self) -> Option<String> {
        (self.page_no > 1).then(|| self.href(self.page_no - 1))
    }

    /// The link of the page after this one.
    pub fn next(&self) -> Option<String> {
        (self.page_no < self.pages).then(|| self.href(self.page_no + 1))
    }

    /// The first and last page, the pages within [`WINDOW`] of this one, and a gap for each
    /// run skipped between them (a run of one page is shown instead of a gap).
    pub fn links(&self) -> Vec<PagerLink> {
        let shown = |n: i64| n == 1 || n == self.pages || (n - self.page_no).abs() <= WINDOW;
        let mut links = Vec::new();
        let mut n = 1;
        while n <= self.pages {
            if shown(n) || (shown(n - 1) && shown(n + 1)) {
                links.push(PagerLink {
                    number: Some(n),
                    href: self.href(n),
                    current: n == self.page_no,
                });
                n += 1;
            } else {
                links.push(PagerLink {
                    number: None,
                    href: String::new(),
                    current: false,
                });
                while n <= self.pages && !shown(n) {
                    n += 1;
                }
            }
        }
        links
    }
}

/// Read page `requested` of a list, `per_page` rows at a time: `fetch(limit, offset)` gives
/// those rows and the list's total. A page past the last shows the last one (only that costs
/// a second read).
pub async fn paginate<T, E, Fut>(
    requested: i64,
    per_page: i64,
    query: String,
    mut fetch: impl FnMut(i64, i64) -> Fut,
) -> Result<(Vec<T>, Pager), E>
where
    Fut: Future<Output = Result<(Vec<T>, i64), E>>,
{
    let per_page = per_page.max(1);
    let requested = requested.clamp(1, i64::MAX / per_page);
    let (rows, total) = fetch(per_page, (requested - 1) * per_page).await?;
    let pager = Pager::new(requested, per_page, total, query);
    if pager.page_no == requested {
        return Ok((rows, pager));
    }
    let (rows, total) = fetch(per_page, (pager.page_no - 1) * per_page).await?;
    Ok((rows, Pager { total, ..pager }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(pager: &Pager) -> Vec<Option<i64>> {
        pager.links().iter().map(|l| l.number).collect()
    }

    #[test]
    fn links_show_the_ends_a_window_and_gaps() {
        let at = |n| Pager::new(n, 10, 200, String::new());
        assert_eq!(numbers(&at(1)), [Some(1), Some(2), Some(3), None, Some(20)]);
        assert_eq!(
            numbers(&at(10)),
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        // A gap of one page is that page.
        assert_eq!(
            numbers(&at(5)),
            [
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(20)
            ]
        );
        assert_eq!(at(20).links().iter().filter(|l| l.current).count(), 1);
        assert_eq!(numbers(&Pager::new(1, 10, 0, String::new())), [Some(1)]);
    }

    #[test]
    fn numbers_are_clamped_and_links_keep_the_query() {
        let pager = Pager::new(99, 50, 120, "q=kale&sort=newest".into());
        assert_eq!((pager.page_no, pager.pages), (3, 3));
        assert_eq!(pager.href(2), "?q=kale&sort=newest&page=2");
        assert_eq!(
            (pager.previous().as_deref(), pager.next()),
            (Some("?q=kale&sort=newest&page=2"), None)
        );
        assert_eq!(Pager::new(-5, 50, 120, String::new()).page_no, 1);
        assert_eq!(Pager::new(1, 50, 0, String::new()).href(1), "?page=1");
        for (text, n) in [("3", 3), (" 2 ", 2), ("abc", 1), ("-4", 1), ("", 1)] {
            let param = PageParam {
                page: Some(text.into()),
            };
            assert_eq!(param.number(), n, "{text:?}");
        }
    }

    #[tokio::test]
    async fn a_page_past_the_last_reads_the_last() {
        let rows: Vec<i64> = (1..=7).collect();
        let fetch = |limit: i64, offset: i64| {
            let page: Vec<i64> = rows
                .iter()
                .copied()
                .skip(offset as usize)
                .take(limit as usize)
                .collect();
            async move { Ok::<_, ()>((page, 7)) }
        };
        let (page, pager) = paginate(9, 3, String::new(), fetch).await.unwrap();
        assert_eq!((page, pager.page_no, pager.pages), (vec![7], 3, 3));
        let (page, _) = paginate(i64::MAX, 3, String::new(), fetch).await.unwrap();
        assert_eq!(page, vec![7]);
    }
}
