// The project overview follows project:<id> (live.js): when something changes, the figures,
// the BOM table and the file list are fetched again and swapped in; forms are left alone so
// nothing someone is typing is lost.
(function () {
  "use strict";
  var pending = null;

  function refresh() {
    pending = null;
    fetch(location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-part]").forEach(function (part) {
          var replacement = fresh.getElementById(part.id);
          if (replacement) { part.replaceWith(replacement); }
        });
      })
      .catch(function () { /* the next event or a reload brings the page up to date */ });
  }

  document.addEventListener("benchtop:event", function (event) {
    var feed = document.querySelector("[data-live-topics]");
    if (!feed || feed.dataset.liveTopics !== event.detail.topic) { return; }
    if (pending === null) { pending = setTimeout(refresh, 300); }  // one refetch for a burst of events
  });
})();
