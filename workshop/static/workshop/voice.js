// Record button: MediaRecorder captures a clip, which is posted to the same page as the form's
// "file" field; the page's answer block and history list are swapped in from the response.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("voice-form");
    var button = document.getElementById("record");
    var status = document.getElementById("record-status");
    if (!form || !button || !window.MediaRecorder || !navigator.mediaDevices) { return; }
    button.hidden = false;
    var recorder = null, chunks = [];

    function send(blob) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("file", blob, "command.webm");
      status.textContent = "Listening to it…";
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          ["voice-answer", "voice-history"].forEach(function (id) {
            var fresh = page.getElementById(id);
            if (fresh) { document.getElementById(id).innerHTML = fresh.innerHTML; }
          });
          status.textContent = "";
        })
        .catch(function () { status.textContent = "The recording could not be sent."; });
    }

    button.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") { recorder.stop(); return; }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (event) { chunks.push(event.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          button.textContent = "Record"; button.dataset.state = "idle";
          send(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
        };
        recorder.start();
        button.textContent = "Stop"; button.dataset.state = "recording";
        status.textContent = "Recording… press Stop when done.";
      }).catch(function () { status.textContent = "No microphone is available."; });
    });
  });
})();
