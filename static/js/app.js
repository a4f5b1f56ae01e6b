// HUD's progressive enhancements. Everything works without JavaScript; this only adds comfort.
(function () {
  "use strict";
  // Remember the browser's timezone for anonymous visitors, so times show in local time.
  try {
    var hasTz = document.cookie.split("; ").some(function (c) { return c.indexOf("hud_tz=") === 0; });
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!hasTz && zone) {
      document.cookie = "hud_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* very old browser: times stay in UTC */ }
})();
