// Meeting page: live transcription progress from the meeting's topic, and timestamps that seek the player.
(function () {
  "use strict";

  var refreshing = false;
  var refreshAgain = false;

  function refresh() {
    // Re-read the page and swap in the parts that transcription and analysis change. One read at a
    // time: an older answer arriving after a newer one would put stale minutes back.
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    fetch(location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["recordings", "minutes", "items", "transcript"].forEach(function (id) {
          var now = document.getElementById(id);
          var next = fresh.getElementById(id);
          if (now && next) { now.replaceWith(next); }
        });
      })
      .catch(function (error) { console.warn("Benchtop: could not refresh the meeting", error); })
      .then(function () {
        refreshing = false;
        if (refreshAgain) { refreshAgain = false; refresh(); }
      });
  }

  function showProgress(data) {
    var row = document.querySelector('[data-recording="' + data.recording + '"]');
    if (!row) { return; }
    var bar = row.querySelector("progress");
    if (bar && typeof data.progress === "number") { bar.value = data.progress; }
    var percent = row.querySelector(".recording-percent");
    if (percent && typeof data.progress === "number") { percent.textContent = Math.round(data.progress * 100) + " %"; }
    var state = row.querySelector(".recording-status");
    if (state && data.status) { state.textContent = data.status.charAt(0).toUpperCase() + data.status.slice(1); }
  }

  document.addEventListener("benchtop:event", function (e) {
    var event = e.detail;
    if (!event || !event.topic || event.topic.indexOf("meeting:") !== 0) { return; }
    if (event.type === "recording.progress") {
      showProgress(event.data);
    } else if (event.type === "recording.uploaded" || event.type === "recording.transcribed" ||
               event.type === "recording.failed" || event.type === "analysis.done" ||
               event.type === "analysis.failed" || event.type === "action_item.changed") {
      refresh();
    } else if (event.type === "analysis.progress") {
      var label = document.getElementById("analysis-status");
      if (label) { label.textContent = "analysis: " + event.data.status; }
    }
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest(".seek");
    var player = document.getElementById("player");
    if (!button || !player) { return; }
    player.currentTime = parseFloat(button.dataset.start);
    var playing = player.play();
    if (playing && playing.catch) { playing.catch(function () { /* autoplay may be refused; the position is set */ }); }
  });
})();
