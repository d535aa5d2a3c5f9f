/* The advisor's workstation: their current visitor, their arrivals, the branch queue. */
"use strict";

(function () {
  const L = window.Live;
  const el = L.el;
  const initial = L.json("initial");
  const t = L.json("i18n");
  const me = initial.advisor;
  const branch = initial.branch;
  let queue = initial.queue;
  let known = new Set(mineWaiting().map(function (ticket) { return ticket.id; }));

  function current() {
    return queue.serving.find(function (ticket) {
      return ticket.advisor && ticket.advisor.id === me.id;
    }) || null;
  }

  function mineWaiting() {
    return queue.waiting.filter(function (ticket) {
      return ticket.kind === "appointment" && ticket.advisor && ticket.advisor.id === me.id;
    });
  }

  function toast(message) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.hidden = !message;
  }

  function announce(message) {
    document.getElementById("announce").textContent = message;
  }

  function ticketLine(ticket) {
    const who = (ticket.customer && ticket.customer.name) || ticket.visitor_name || "";
    const when = ticket.appointment_start ? L.format(t.at, { time: L.clock(ticket.appointment_start) }) : "";
    const tags = [t[ticket.kind] || ticket.kind];
    if (ticket.priority) tags.push(t.priority);
    if (ticket.arrival) tags.push(t[ticket.arrival] || ticket.arrival);
    if (ticket.remote) tags.push(t.remote);
    return el("li", { class: "ticket" + (ticket.priority ? " ticket--priority" : "") +
                      (ticket.remote ? " ticket--remote" : ""),
                      "data-ticket": ticket.id }, [
      el("span", { class: "ticket__number", text: ticket.number }),
      el("span", { class: "ticket__who", text: [who, ticket.service_name].filter(Boolean).join(" · ") }),
      el("span", { class: "ticket__meta", text: [when, tags.join(", "),
        L.format(t.waited, { n: L.minutesSince(ticket.created) })].filter(Boolean).join(" · ") }),
    ]);
  }

  let historyFor = null;

  /* The visitor's last visits and ratings, once per visitor: the advisor knows who comes. */
  async function renderHistory(ticket) {
    const box = document.getElementById("history");
    if (!ticket || !ticket.customer) {
      historyFor = null;
      box.replaceChildren();
      return;
    }
    if (historyFor === ticket.id) return;
    historyFor = ticket.id;
    const data = await L.api("/api/v1/tickets/" + ticket.id + "/history/");
    const topic = data.topic ? el("p", { class: "history__topic", text: L.format(t.topic, { topic: data.topic }) }) : null;
    if (!data.visits.length) {
      box.replaceChildren(...(topic ? [topic] : []));
      return;
    }
    box.replaceChildren(
      ...(topic ? [topic] : []),
      el("h2", { text: t.history }),
      el("ul", {}, data.visits.map(function (visit) {
        return el("li", { text: [visit.date, visit.service, visit.advisor,
          visit.rating ? L.format(t.rated, { score: visit.rating }) : ""].filter(Boolean).join(" · ") });
      })),
    );
  }

  function renderCurrent() {
    const ticket = current();
    renderHistory(ticket).catch(function (error) { toast(error.message); });
    const body = document.getElementById("current");
    body.replaceChildren();
    if (!ticket) {
      body.append(el("p", { class: "muted", text: t.nobody }));
    } else {
      body.append(
        el("p", { class: "current__number", text: ticket.number }),
        el("p", { class: "current__who", text: (ticket.customer && ticket.customer.name) || ticket.visitor_name || "" }),
        el("p", { class: "current__meta", text: [ticket.service_name, t[ticket.status] || ticket.status,
          ticket.appointment_start ? L.format(t.at, { time: L.clock(ticket.appointment_start) }) : ""]
          .filter(Boolean).join(" · ") }),
      );
    }
    const status = ticket ? ticket.status : null;
    const enabled = {
      "call-next": !ticket,
      start: status === "called",
      finish: status === "serving",
      call: status === "called",
      "no-show": status === "called",
    };
    document.querySelectorAll("#current-actions [data-action]").forEach(function (button) {
      button.disabled = !enabled[button.dataset.action];
    });
    document.querySelector("#transfer button").disabled = !ticket;
    document.getElementById("transfer-target").disabled = !ticket;
  }

  function renderLists() {
    const mine = mineWaiting();
    const mineList = document.getElementById("mine");
    mineList.replaceChildren(...(mine.length ? mine.map(ticketLine)
      : [el("li", { class: "muted", text: t.none_mine })]));
    const waiting = document.getElementById("waiting");
    waiting.replaceChildren(...(queue.waiting.length ? queue.waiting.map(ticketLine)
      : [el("li", { class: "muted", text: t.none_waiting })]));
    document.getElementById("waiting-count").textContent = String(queue.waiting.length);
    const advisors = document.getElementById("transfer-advisors");
    advisors.replaceChildren(...queue.advisors.filter(function (advisor) { return advisor.id !== me.id; })
      .map(function (advisor) { return el("option", { value: "advisor:" + advisor.id, text: advisor.name }); }));
  }

  function renderStatus() {
    document.querySelectorAll("[data-status]").forEach(function (chip) {
      chip.setAttribute("aria-pressed", String(chip.dataset.status === me.status));
    });
    if (me.status === "paused" && me.pause_reason) {
      document.getElementById("pause-reason").value = me.pause_reason;
    }
    const late = document.getElementById("late-state");
    late.hidden = !me.late_minutes;
    document.getElementById("late-text").textContent =
      me.late_minutes ? L.format(t.running_late, { n: me.late_minutes }) : "";
  }

  async function setStatus(body) {
    toast("");
    try {
      const advisor = await L.api("/api/v1/advisors/me/status/", "POST", body);
      me.status = advisor.status;
      me.pause_reason = advisor.pause_reason;
      me.late_minutes = advisor.late_minutes;
      renderStatus();
    } catch (error) {
      toast(error.message);
    }
  }

  /* The advisor's own ratings: the mean, the mean by week, the latest ones. */
  async function loadFeedback() {
    const data = await L.api("/api/v1/advisors/me/ratings/?weeks=8");
    document.getElementById("feedback-mean").textContent = data.count
      ? L.format(t.feedback_mean, { avg: L.number(data.avg), count: data.count }) : t.no_feedback;
    document.getElementById("feedback-detail").hidden = !data.count;
    document.getElementById("feedback-weeks").replaceChildren(...data.weeks.map(function (week) {
      return el("li", {}, [
        el("span", { class: "weeks__label", text: L.format(t.week_of, { date: L.dayAndMonth(week.start) }) }),
        el("span", { class: "weeks__bar", style: "width: " + (week.avg / 5 * 100) + "%" }),
        el("span", { class: "weeks__value", text: L.number(week.avg) + " (" + week.count + ")" }),
      ]);
    }));
    document.getElementById("feedback-ratings").replaceChildren(...data.results.slice(0, 5).map(function (rating) {
      return el("li", { class: "feed__item" }, [
        el("span", { class: "score score--" + rating.score, "aria-hidden": "true", text: String(rating.score) }),
        el("span", { class: "feed__score", text: L.format(t.rated, { score: rating.score }) }),
        el("span", { class: "feed__meta", text: [L.dayAndMonth(rating.date), rating.service_name,
          (rating.tags || []).map(function (tag) { return (initial.tags || {})[tag] || tag; }).join(", ")]
          .filter(Boolean).join(" · ") }),
        rating.comment ? el("q", { class: "feed__comment", text: rating.comment }) : null,
      ]);
    }));
  }

  function render() {
    const mine = queue.advisors.find(function (advisor) { return advisor.id === me.id; });
    if (mine) {
      me.status = mine.status;
      me.pause_reason = mine.pause_reason;
      me.late_minutes = mine.late_minutes;
    }
    renderCurrent();
    renderLists();
    renderStatus();
  }

  function arrivals() {
    mineWaiting().forEach(function (ticket) {
      if (known.has(ticket.id)) return;
      known.add(ticket.id);
      const name = (ticket.customer && ticket.customer.name) || ticket.number;
      announce(L.format(t.arrived, { name: name, number: ticket.number }));
      const line = document.querySelector('#mine [data-ticket="' + ticket.id + '"]');
      if (line) line.classList.add("ticket--new");
    });
  }

  async function refresh() {
    queue = await L.api("/api/v1/branches/" + branch + "/queue/");
    render();
  }

  async function act(action) {
    toast("");
    try {
      if (action === "call-next") {
        const ticket = await L.api("/api/v1/branches/" + branch + "/call-next/", "POST");
        if (!ticket) toast(t.nobody_for_you);
      } else {
        await L.api("/api/v1/tickets/" + current().id + "/" + action + "/", "POST");
      }
      await refresh();
    } catch (error) {
      toast(error.message);
    }
  }

  document.querySelectorAll("#current-actions [data-action]").forEach(function (button) {
    button.addEventListener("click", function () { act(button.dataset.action); });
  });

  document.getElementById("transfer").addEventListener("submit", async function (event) {
    event.preventDefault();
    const target = document.getElementById("transfer-target").value;
    if (!target || !current()) return;
    const [kind, value] = target.split(":");
    const body = kind === "advisor" ? { advisor: Number(value) } : { service: value };
    try {
      await L.api("/api/v1/tickets/" + current().id + "/transfer/", "POST", body);
      await refresh();
    } catch (error) {
      toast(error.message);
    }
  });

  document.querySelectorAll("button[data-status]:not([type=submit])").forEach(function (chip) {
    chip.addEventListener("click", function () { setStatus({ status: chip.dataset.status }); });
  });

  document.getElementById("pause-form").addEventListener("submit", function (event) {
    event.preventDefault();
    setStatus({ status: "paused", reason: document.getElementById("pause-reason").value });
  });

  document.getElementById("late-form").addEventListener("submit", function (event) {
    event.preventDefault();
    setStatus({ status: "running_late", minutes: Number(document.getElementById("late-minutes").value) });
  });

  /* Saying the status again ends "running late" and keeps the rest as it is. */
  document.getElementById("late-clear").addEventListener("click", function () {
    setStatus(me.status === "paused" ? { status: "paused", reason: me.pause_reason || "other" }
      : { status: me.status });
  });

  L.connect("/ws/branches/" + branch + "/?lang=" + document.documentElement.lang, function (message) {
    if (message.event !== "queue") return;
    queue = message.queue;
    render();
    arrivals();
  }, function (state) {
    const badge = document.getElementById("connection");
    badge.dataset.state = state;
    badge.textContent = t[state];
  });

  render();
  /* Opening the workstation means being at the desk: nobody reads "offline" next to "log out". */
  if (me.status === "offline") setStatus({ status: "available" });
  loadFeedback().catch(function (error) { toast(error.message); });
  setInterval(renderLists, 30000);  /* keep "waited n min" current */
})();
