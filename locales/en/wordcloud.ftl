# Word clouds: pages, clouds, crawls.

nav-pages = Pages
pages-card-title = Word clouds
pages-card-text = Register web pages; HUD reads them several times a day and shows what they talk about, and how that changes.
pages-title = Pages
pages-empty = No pages yet.
page-add = Add a page
page-add-login = Log in to add a page
page-add-submit = Add the page
page-added = The page has been added. Its first crawl is on its way.
page-exists = This page is already registered (page { $id }).
page-quota-reached = You have registered { $max } pages, the most one account may have. Delete one of yours to add another.
page-delete = Delete this page
page-delete-title = Delete “{ $page }”?
page-delete-consequences = { $crawls ->
    [0] It has not been crawled yet. It leaves the list for everyone. This cannot be undone.
    [one] Its one stored crawl and every cloud, trend and comparison made from it are deleted for everyone, and it leaves the search results. This cannot be undone.
   *[other] Its { $crawls } stored crawls and every cloud, trend and comparison made from them are deleted for everyone, and it leaves the search results. This cannot be undone.
}
page-delete-submit = Delete the page
page-deleted = “{ $page }” has been deleted, with its crawls.
page-inactive = paused
page-never-crawled = Not crawled yet.
field-url = Address (URL)
field-page-title = Title (optional)
field-page-title-help = Shown instead of the page's own title.
page-title-too-long = At most { $max } characters.
page-title-invalid = The title contains characters that cannot be shown.
page-url-invalid = This is not a web address. Example: https://example.org/news
page-url-scheme = Only http and https addresses can be crawled.
page-url-credentials = Addresses with a user name or password cannot be registered.
page-url-too-long = The address is longer than { $max } characters.

cloud-title = Word cloud of { $page }
cloud-word-count = { $word }: { $count ->
    [one] once
   *[other] { $count } times
}
cloud-at = Words at a time
cloud-from = Or from day
cloud-to = to day
cloud-show = Show
cloud-time-help = Times are in your timezone. Leave everything empty for the latest crawl.
cloud-aggregate = { $crawls ->
    [one] One crawl
   *[other] Sum of { $crawls } crawls
}
cloud-crawled-at = Crawled { $time }
cloud-show-raw = Show without ignore lists
cloud-raw = Without ignore lists
cloud-show-filtered = Show with ignore lists
cloud-left-out = { $count ->
    [one] One rare word did not fit in the cloud; the table lists it.
   *[other] { $count } rare words did not fit in the cloud; the table lists them.
}
cloud-download-svg = Download SVG
cloud-download-png = Download PNG
cloud-no-words = This crawl found no words to show.
cloud-no-crawl = No successful crawl in this period yet.
cloud-never-crawled = Not crawled yet: HUD reads the page shortly, and its cloud appears here.
cloud-table = All counts as a table
cloud-word = Word
cloud-count = Count
cloud-bad-scale = Unknown scale; the square-root scale is used.
cloud-bad-vertical = The share of vertical words must be a percentage from 0 to 100.
cloud-bad-words = The number of words must be from { $min } to { $max }.
cloud-bad-raw = Give raw as 1 (the counts before ignore lists) or 0.
when-invalid-time = This is not a date and time (for example 2025-12-25 15:00); the latest crawl is shown.
when-invalid-date = This is not a date (for example 2025-12-25); the latest crawl is shown.
when-range-reversed = The period ends before it starts, so it holds no crawls.
when-range-clamped = The period is longer than { $max } days: only its most recent { $max } days of crawls are counted.

crawl-history = Crawls
crawl-time = Time
crawl-outcome = Result
crawl-words = Words
outcome-ok = read
outcome-not_modified = unchanged
outcome-http_error = server error
outcome-timeout = timed out
outcome-too_large = too large
outcome-not_html = not a web page
outcome-blocked = not allowed
outcome-unreachable = unreachable

ignore-too-many = At most { $max } words per list.
ignore-word-too-long = Words of at most { $max } characters.
ignore-word-invalid = One word per item: { $max } characters at most, without spaces, commas or control characters.

admin-pages = Pages
admin-ignore-lists = Ignore lists
admin-recrawl = Crawl now
admin-page-active = Crawl this page on schedule
admin-page-saved = The page has been saved.
admin-crawl-queued = A crawl has been queued.
admin-crawl-pending = A crawl of this page is already queued or running.
ignore-none = No ignore lists yet.
ignore-add = New ignore list
ignore-edit = Edit the ignore list
ignore-delete = Delete
ignore-name = Name
ignore-words = Words
ignore-words-help = Separate words with spaces, commas or new lines; case does not matter.
ignore-word-count = { $count ->
    [one] one word
   *[other] { $count } words
}
ignore-saved = The ignore list has been saved; the clouds of its pages have changed.
ignore-deleted = The ignore list has been deleted.
ignore-name-invalid = A name of at most { $max } characters.
ignore-name-taken = Another ignore list has this name.

api-limit-range = Give a number from 1 to { $max }.
api-cursor-invalid = Give the cursor from the previous answer’s Link header (a page id).
api-trend-too-many = Give at most { $max } words.

compare-title = Compare clouds
compare-side-a = Left
compare-side-b = Right
compare-page = Page
compare-help = The same page at two times (Saturday and Sunday), or two pages.
compare-shared = Words both have:
compare-link = Compare
compare-changes = What changed from left to right
compare-gained = New on the right
compare-lost = Gone on the right
compare-rises = Biggest rises
compare-falls = Biggest falls
compare-no-change = Nothing here.

trend-title = Word trends
trend-words = Words (separated by commas; up to eight)
trend-too-many = Only the first { $max } words are shown.
trend-point = { $word }: { $count } on { $time }
trend-span = { $crawls } crawls from { $from } to { $to }
trend-one-crawl = Only one crawl so far: the lines start when the page is crawled again.
trend-no-crawls = Not crawled yet: the lines start once the page has been crawled.
