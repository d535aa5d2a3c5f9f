/* The visitor's status page, live: the server words each change (in the page's
   language); this script only puts the words in place. Without a socket it asks the
   status API every 30 s instead; without JavaScript the page refreshes itself. */
"use strict";

(function () {
  const ticket = document.getElementById("ticket");
  if (!ticket) return;
  const token = ticket.dataset.token;
  const lang = document.documentElement.lang;
  const texts = JSON.parse(document.getElementById("live-texts").textContent);
  const connection = document.getElementById("connection");
  const POLL = 30000;
  let delay = 1000;
  let poller = null;

  function show(status) {
    ticket.dataset.status = status.status;
    ticket.querySelectorAll("[data-text]").forEach(function (node) {
      const text = status.texts[node.dataset.text] || "";
      node.textContent = text;
      if (node.tagName === "P" && node.dataset.text !== "message") node.hidden = !text;
    });
    const flags = {
      waiting: status.status === "waiting",
      open: ["waiting", "called", "serving"].indexOf(status.status) >= 0,
      left: status.status === "left",
      can_switch: status.can_switch,
      can_leave: status.can_leave,
    };
    ticket.querySelectorAll("[data-when]").forEach(function (node) {
      node.hidden = !flags[node.dataset.when];
    });
    if (status.status === "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }

  function state(name) {
    connection.dataset.state = name;
    connection.textContent = texts[name];
  }

  async function poll() {
    try {
      const response = await fetch("/api/v1/tickets/status/" + token + "/", {
        headers: { "Accept": "application/json", "Accept-Language": lang },
        credentials: "omit",
      });
      if (response.ok) show(await response.json());
    } catch (error) {
      /* offline for a moment: the next round tries again */
    }
  }

  function open() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(scheme + "://" + window.location.host + "/ws/tickets/" +
                                 token + "/?lang=" + encodeURIComponent(lang));
    socket.onopen = function () {
      delay = 1000;
      clearInterval(poller);
      poller = null;
      state("live");
    };
    socket.onmessage = function (event) { show(JSON.parse(event.data)); };
    socket.onclose = function (event) {
      state("offline");
      if (event.code === 4404) return;
      if (!poller) poller = setInterval(poll, POLL);
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  open();
})();
