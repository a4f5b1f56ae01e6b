//! The entry points: [`Index::search`] (one hit per page, ordered, paginated) and
//! [`Index::matching_rows`] (every matching crawl, newest first).

use std::sync::Arc;

use super::{
    ast::{Query, Word},
    eval::{Leaf, Plan},
    rank::Scorer,
    result::{Filter, Hit, Match, Order, RowHit, SearchOptions, SearchResults, Suggestion},
    store::Index,
};

impl Index {
    /// Search: the pages with a crawl in the filter's window that matches `query`, each
    /// represented by its latest matching crawl there, in `options.order`, sliced by
    /// `options.offset` and `options.limit`.
    pub fn search(&self, query: &Query, options: &SearchOptions<'_>) -> SearchResults<'_> {
        let (plan, rows) = self.evaluate(query, &options.filter);
        // Rows are newest first, so a page's first row is its latest matching crawl.
        let mut seen = vec![0u64; self.pages.len().div_ceil(64)];
        let mut latest: Vec<u32> = Vec::with_capacity(rows.len());
        for row in rows {
            let page = self.rows[row as usize].page as usize;
            let (word, bit) = (page / 64, 1u64 << (page % 64));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                latest.push(row);
            }
        }
        let total = latest.len();
        let scorer = Scorer::new(self);
        let scored: Vec<(u32, f64)> = match options.order {
            Order::Newest => latest
                .iter()
                .skip(options.offset)
                .take(options.limit)
                .map(|&row| (row, self.score(&plan, &scorer, row)))
                .collect(),
            Order::Relevance => {
                let mut all: Vec<(u32, f64)> = latest
                    .iter()
                    .map(|&row| (row, self.score(&plan, &scorer, row)))
                    .collect();
                // Ties: row number, i.e. newest crawl, then page id.
                all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                all.into_iter()
                    .skip(options.offset)
                    .take(options.limit)
                    .collect()
            }
        };
        let hits = scored
            .into_iter()
            .map(|(row, score)| self.hit(&plan, row, score))
            .collect();
        SearchResults {
            total,
            hits,
            suggestion: suggestion(query, &plan),
            truncated: plan.leaves.iter().any(|l| l.expansion.truncated),
        }
    }

    /// Every crawl row matching `query` in the filter's window, newest first (ties by page
    /// id): the row-level contract of the reference corpus, and what a "history" view needs.
    pub fn matching_rows(&self, query: &Query, filter: &Filter<'_>) -> Vec<RowHit<'_>> {
        let (_, rows) = self.evaluate(query, filter);
        rows.into_iter()
            .map(|row| {
                let entry = &self.rows[row as usize];
                let page = &self.pages[entry.page as usize];
                RowHit {
                    row: entry.id,
                    page: page.id,
                    url: &page.url,
                    title: &page.title,
                    crawl_time: entry.crawl_time,
                }
            })
            .collect()
    }

    /// The plan and its matching rows after the window and language filters.
    fn evaluate(&self, query: &Query, filter: &Filter<'_>) -> (Plan, Vec<u32>) {
        let window = self.window(filter.from, filter.to);
        let plan = Plan::new(self, query, window, filter.typos);
        let mut rows = plan.rows();
        if let Some(code) = filter.language {
            match self.language_id(code) {
                Some(id) => rows.retain(|&r| self.rows[r as usize].language == id),
                None => rows.clear(),
            }
        }
        (plan, rows)
    }

    /// BM25 × recency of a row for the query's non-negated words.
    fn score(&self, plan: &Plan, scorer: &Scorer, row: u32) -> f64 {
        let entry = &self.rows[row as usize];
        let mut sum = 0.0;
        for leaf in positive(plan) {
            let best = leaf
                .lists
                .iter()
                .zip(&leaf.expansion.found)
                .filter_map(|(list, found)| {
                    let tf = list.count(row)?;
                    Some(scorer.weight(scorer.idf(found.df), tf, entry, found.typos))
                })
                .fold(0.0, f64::max);
            sum += best;
        }
        sum * scorer.recency(entry)
    }

    fn hit(&self, plan: &Plan, row: u32, score: f64) -> Hit<'_> {
        let entry = &self.rows[row as usize];
        let page = &self.pages[entry.page as usize];
        let mut matched: Vec<Match> = Vec::new();
        for leaf in positive(plan) {
            for (list, found) in leaf.lists.iter().zip(&leaf.expansion.found) {
                if let Some(count) = list.count(row)
                    && !matched.iter().any(|m| m.word == found.word)
                {
                    matched.push(Match {
                        word: found.word.clone(),
                        count,
                        typos: found.typos,
                    });
                }
            }
        }
        Hit {
            page: page.id,
            url: &page.url,
            title: &page.title,
            row: entry.id,
            crawl_time: entry.crawl_time,
            language: self.language_code(entry.language),
            score,
            matched,
        }
    }
}

fn positive(plan: &Plan) -> impl Iterator<Item = &Leaf> {
    plan.leaves.iter().filter(|l| !l.negated)
}

/// The query with each corrected word replaced by its correction, if any was corrected.
fn suggestion(query: &Query, plan: &Plan) -> Option<Suggestion> {
    // Leaves are numbered in the query's word order, so they pair with `Query::words`.
    let corrections: Vec<(usize, Arc<str>)> = plan
        .leaves
        .iter()
        .enumerate()
        .filter_map(|(i, leaf)| Some((i, leaf.expansion.correction.clone()?)))
        .collect();
    if corrections.is_empty() {
        return None;
    }
    let words = query.words();
    let mut position = 0;
    let corrected = query.root.map_words(&mut |word: &Word| {
        let here = position;
        position += 1;
        match corrections.iter().find(|(i, _)| *i == here) {
            Some((_, to)) => Word {
                text: to.to_string(),
                prefix: false,
            },
            None => word.clone(),
        }
    });
    Some(Suggestion {
        query: corrected.to_string(),
        corrections: corrections
            .into_iter()
            .filter_map(|(i, to)| Some((words.get(i)?.text.clone(), to)))
            .collect(),
    })
}
