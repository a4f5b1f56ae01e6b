search-card-title = Search
search-card-text = Find the pages whose words match your query — with typo tolerance, OR, NOT, prefixes and a date window — newest first or by relevance.
search-title = Search
search-label = Search the crawled pages
search-placeholder = Search pages…
search-submit = Search
search-help = All words must occur. Use OR for either, -word or NOT word to exclude, parentheses to group, and word* for a prefix. Small typos are forgiven.
search-from = From
search-to = To (inclusive)
search-time-help = Days are in your timezone.
search-sort = Order
search-sort-newest = Newest first
search-sort-relevance = Most relevant first
search-lang = Language
search-lang-any = any, e.g. nl
search-count = { $count ->
    [one] One page found.
   *[other] { $count } pages found.
}
search-none = No page matches. Try fewer words, OR, or a wider date window.
search-did-you-mean = Did you mean:
search-crawled = crawled { $time }
search-cloud = word cloud
search-error-empty = Type something to search for.
search-error-too-long = A query may have at most { $max } characters.
search-error-unbalanced = The parentheses do not match: every ( needs a ).
search-error-dangling-operator = OR and NOT need a word on each side (NOT: after it).
search-error-too-deep = Parentheses may be nested at most { $max } levels deep.
search-error-only-negations = Say what to look for, not only what to exclude: add a word without - or NOT.
search-error-no-words = The query has no searchable words (very common words such as “the” are not indexed, nor numbers; words need at least three letters).
search-date-invalid = This is not a date (for example 2025-12-25).
search-window-reversed = The period ends before it starts.
search-sort-invalid = Order by newest or relevance.
search-page-invalid = Pages go from 1 to { $max }.
search-lang-invalid = Give a language as a two-letter code such as en or nl.
