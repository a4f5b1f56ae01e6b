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

// "New captcha" without reloading the form (without JavaScript the button submits the form,
// which comes back as typed with a new captcha).
(function () {
  "use strict";
  document.querySelectorAll("[data-captcha]").forEach(function (card) {
    var button = card.querySelector("[data-captcha-refresh]");
    var form = card.closest("form");
    if (!button || !form || !window.fetch) { return; }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var csrf = form.querySelector("input[name=csrf_token]");
      var token = card.querySelector("[data-captcha-token]");
      var body = new URLSearchParams();
      body.set("old", token.value);
      button.disabled = true;
      fetch(card.getAttribute("data-refresh-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
        body: body
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }).then(function (fresh) {
        token.value = fresh.token;
        var image = card.querySelector("[data-captcha-image]");
        image.src = fresh.image_url;
        image.alt = fresh.alt;
        card.querySelector("[data-captcha-prompt]").textContent = fresh.prompt;
        var audio = card.querySelector("[data-captcha-audio]");
        if (audio && fresh.audio_url) { audio.href = fresh.audio_url; }
        var answer = card.querySelector("input[name=captcha_answer]");
        answer.value = "";
        answer.focus();
      }).catch(function () {
        // Fall back to the plain form submission.
        form.requestSubmit(button);
      }).finally(function () {
        button.disabled = false;
      });
    });
  });
})();
