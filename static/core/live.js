// Live event feed: one websocket to /ws/, subscriptions from data-live-topics,
// reconnects with backoff and asks for what it missed (the last event id it saw).
// A ping every 25 s keeps the line checked: a socket silent for 60 s (a server or network
// that vanished without closing it) is closed and opened again, with `after`.
(function () {
  "use strict";

  function connect(feed) {
    var topics = (feed.dataset.liveTopics || "").split(",").filter(Boolean);
    var lastId = parseInt(feed.dataset.liveAfter || "0", 10);
    var status = document.getElementById("live-status");
    var delay = 1000;

    function setStatus(state) {
      if (status) { status.textContent = state; status.dataset.state = state; }
    }

    function render(event) {
      var item = document.createElement("li");
      item.className = "event";
      item.dataset.eventId = event.id;
      var when = new Date(event.at).toLocaleTimeString();
      var summary = event.data && (event.data.summary || event.data.name || event.data.title || event.data.username);
      item.innerHTML = "<time></time> <code class='topic'></code> <strong class='type'></strong> <span class='summary'></span>";
      item.querySelector("time").textContent = when;
      item.querySelector(".topic").textContent = event.topic;
      item.querySelector(".type").textContent = event.type;
      item.querySelector(".summary").textContent = summary || "";
      feed.insertBefore(item, feed.firstChild);
      while (feed.children.length > 200) { feed.removeChild(feed.lastChild); }
      document.dispatchEvent(new CustomEvent("benchtop:event", { detail: event }));
    }

    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + location.host + "/ws/");
      var heardAt = Date.now();
      var pinger = null;
      socket.onopen = function () {
        delay = 1000;
        setStatus("live");
        topics.forEach(function (topic) {
          socket.send(JSON.stringify({ action: "subscribe", topic: topic, after: lastId }));
        });
        pinger = setInterval(function () {
          if (Date.now() - heardAt > 60000) { socket.close(); return; }
          socket.send(JSON.stringify({ action: "ping" }));
        }, 25000);
      };
      socket.onmessage = function (message) {
        heardAt = Date.now();
        var frame;
        try { frame = JSON.parse(message.data); } catch (error) { return; }
        if (typeof frame.id === "number") {
          if (frame.id > lastId) { lastId = frame.id; }
          render(frame);
        } else if (frame.type === "unsubscribed" && frame.reason) {
          topics = topics.filter(function (topic) { return topic !== frame.topic; });
        } else if (frame.type === "error") {
          console.warn("Benchtop live:", frame.detail);
        }
      };
      socket.onclose = function () {
        if (pinger) { clearInterval(pinger); }
        setStatus("reconnecting");
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    open();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-topics]").forEach(connect);
  });
})();
