/* The lobby screen: the day's last calls and where to go, live, with a chime. */
"use strict";

(function () {
  const L = window.Live;
  const el = L.el;
  const slug = window.location.pathname.split("/").filter(Boolean)[1];
  const RECENT = 6; /* as the server's snapshot (booking/selectors/display.py) */
  const SHOWN = 8; /* current calls, as in the server's snapshot (DISPLAY_CALLED) */
  const clock = document.getElementById("clock");
  let state = L.json("initial");
  let fresh = null;

  /* "10:32" on the branch's wall clock, whatever zone the screen's computer is set to. */
  function branchTime(date) {
    return date.toLocaleTimeString(document.documentElement.lang, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: clock.dataset.timezone,
    });
  }

  function render() {
    const calls = state.recent || [];
    const rows = calls.map(function (call) {
      const classes = ["display__row", call.current ? "display__row--current" : "display__row--earlier"];
      if (call.number === fresh) classes.push("display__row--new");
      return el("li", { class: classes.join(" ") }, [
        el("span", { class: "display__number", text: call.number }),
        el("span", { class: "display__arrow", "aria-hidden": "true", text: "→" }),
        el("span", { class: "display__location", text: call.location }),
        el("span", { class: "display__when", text: call.called_at ? L.clock(call.called_at) : call.time }),
      ]);
    });
    document.getElementById("called").replaceChildren(...rows);
    document.getElementById("no-calls").hidden = rows.length > 0;
    document.getElementById("called-head").hidden = rows.length === 0;
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

  function tick() {
    clock.textContent = branchTime(new Date());
  }

  function others(list, number) {
    return (list || []).filter(function (call) { return call.number !== number; });
  }

  L.connect("/ws/display/" + slug + "/", function (message) {
    if (message.event === "display") {
      state = message;
      render();
    } else if (message.event === "called") {
      /* Shown at once; the branch's next "display" snapshot confirms the list. */
      const call = { number: message.number, location: message.location };
      state.called = [call].concat(others(state.called, message.number)).slice(0, SHOWN);
      state.recent = [Object.assign({ current: true, time: branchTime(new Date()) }, call)]
        .concat(others(state.recent, message.number)).slice(0, RECENT);
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
