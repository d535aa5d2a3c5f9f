/* The lobby screen: called numbers and where to go, live, with a chime. */
"use strict";

(function () {
  const L = window.Live;
  const el = L.el;
  const slug = window.location.pathname.split("/").filter(Boolean)[1];
  const SHOWN = 8; /* calls on screen, as in the server's snapshot (DISPLAY_CALLED) */
  let state = L.json("initial");
  let fresh = null;

  function render() {
    const rows = state.called.map(function (call) {
      return el("li", { class: "display__row" + (call.number === fresh ? " display__row--new" : "") }, [
        el("span", { class: "display__number", text: call.number }),
        el("span", { class: "display__arrow", "aria-hidden": "true", text: "→" }),
        el("span", { class: "display__location", text: call.location }),
      ]);
    });
    document.getElementById("called").replaceChildren(...rows);
    document.getElementById("waiting").textContent = String(state.waiting);
  }

  /* Two soft tones; a lobby screen runs with autoplay allowed (see README). */
  function chime() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (frequency, index) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, audio.currentTime + index * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + index * 0.35 + 0.05);
        gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + index * 0.35 + 0.6);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(audio.currentTime + index * 0.35);
        oscillator.stop(audio.currentTime + index * 0.35 + 0.65);
      });
    } catch (error) {
      /* no audio device: the screen still shows the call */
    }
  }

  /* The branch's wall clock, whatever time zone the screen's computer is set to. */
  function tick() {
    const clock = document.getElementById("clock");
    clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang, {
      hour: "2-digit", minute: "2-digit", timeZone: clock.dataset.timezone,
    });
  }

  L.connect("/ws/display/" + slug + "/", function (message) {
    if (message.event === "display") {
      state = message;
      render();
    } else if (message.event === "called") {
      /* Shown at once; the branch's next "display" snapshot confirms the list. */
      state.called = [{ number: message.number, location: message.location }].concat(
        state.called.filter(function (call) { return call.number !== message.number; })
      ).slice(0, SHOWN);
      fresh = message.number;
      document.body.dataset.lastCalled = message.number;
      chime();
      render();
    }
  }, function (connection) {
    document.body.dataset.connection = connection;
  });

  render();
  tick();
  setInterval(tick, 10000);
})();
