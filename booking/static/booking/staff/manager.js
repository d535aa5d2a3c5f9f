/* The manager's live page: key figures, alerts, the emotion feed and the queue. */
"use strict";

(function () {
  const L = window.Live;
  const el = L.el;
  const initial = L.json("initial");
  const t = L.json("i18n");
  const branch = initial.branch;
  const tagLabels = initial.tags;
  let queue = initial.queue;
  let stats = initial.stats;
  let ratings = [];

  function toast(message) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.hidden = !message;
  }

  function setText(id, value) {
    document.getElementById(id).textContent = value === null || value === undefined ? "–" : String(value);
  }

  function renderKpis() {
    setText("kpi-waiting", queue.waiting.length);
    setText("kpi-serving", queue.serving.length);
    const longest = queue.waiting.reduce(function (most, ticket) {
      return Math.max(most, L.minutesSince(ticket.created));
    }, 0);
    setText("kpi-longest", queue.waiting.length ? longest : null);
    setText("kpi-avg-wait", L.number(stats.wait_minutes.avg));
    setText("kpi-served", stats.tickets.served);
    setText("kpi-rating", L.number(stats.ratings.avg));
    const within = stats.within_target || initial.within_target;
    setText("kpi-within", within && within.share !== null ? L.number(within.share * 100, 0) + " %" : null);
    const promised = stats.promises.kept + stats.promises.broken;
    setText("kpi-promises", promised ? stats.promises.kept + " / " + promised : null);
    setText("kpi-estimate-error", L.number(stats.estimate_error_minutes));
    renderPauses();
  }

  /* Paused minutes of the day by reason and advisor (the table's columns come from the page). */
  function renderPauses() {
    const body = document.getElementById("pauses");
    const rows = stats.pauses_by_advisor || [];
    const reasons = Object.keys(stats.pauses || {});
    body.replaceChildren(...(rows.length ? rows.map(function (row) {
      return el("tr", {}, [el("th", { scope: "row", text: row.advisor.name })].concat(
        reasons.map(function (reason) { return el("td", { text: L.number(row.minutes[reason]) }); }),
        [el("td", { text: L.number(row.total) })]));
    }) : [el("tr", {}, [el("td", { colspan: String(reasons.length + 2), class: "muted", text: t.no_breaks })])]));
  }

  function renderQueue() {
    const rows = queue.serving.concat(queue.waiting).map(function (ticket) {
      return el("tr", {}, [
        el("td", { text: ticket.number }),
        el("td", { text: ticket.service_name }),
        el("td", { text: t[ticket.status] || ticket.status }),
        el("td", { text: ticket.advisor ? ticket.advisor.name : "–" }),
        el("td", { text: String(L.minutesSince(ticket.created)) }),
      ]);
    });
    document.getElementById("queue").replaceChildren(...rows);
    document.getElementById("queue-empty").hidden = rows.length > 0;
  }

  function ratingLine(rating) {
    const tags = (rating.tags || []).map(function (tag) { return tagLabels[tag] || tag; }).join(", ");
    return el("li", { class: "feed__item feed__item--" + (rating.score <= 2 ? "low" : "ok") }, [
      el("span", { class: "score score--" + rating.score, "aria-hidden": "true", text: String(rating.score) }),
      el("span", { class: "feed__score", text: L.format(t.rated, { score: rating.score }) }),
      el("span", { class: "feed__meta", text: [L.dayAndClock(rating.given_at), rating.service_name,
        rating.advisor && rating.advisor.name, tags].filter(Boolean).join(" · ") }),
      rating.comment ? el("q", { class: "feed__comment", text: rating.comment }) : null,
    ]);
  }

  function renderFeed() {
    const list = document.getElementById("feed");
    list.replaceChildren(...(ratings.length ? ratings.slice(0, 20).map(ratingLine)
      : [el("li", { class: "muted", text: t.no_ratings })]));
    const hourAgo = Date.now() - 3600 * 1000;
    const recent = ratings.filter(function (r) { return new Date(r.given_at).getTime() >= hourAgo; });
    const average = recent.length
      ? (recent.reduce(function (sum, r) { return sum + r.score; }, 0) / recent.length).toFixed(1) : null;
    document.getElementById("trend").textContent = average === null ? "" :
      L.format(t.last_hour, { avg: L.number(Number(average)), n: recent.length });
  }

  async function loadAlerts() {
    const open = await L.api("/api/v1/branches/" + branch + "/alerts/?status=open");
    const acknowledged = await L.api("/api/v1/branches/" + branch + "/alerts/?status=acknowledged");
    const alerts = open.results.concat(acknowledged.results);
    const list = document.getElementById("alerts");
    list.replaceChildren(...(alerts.length ? alerts.map(alertLine)
      : [el("li", { class: "muted", text: t.no_alerts })]));
  }

  function alertHead(alert) {
    if (alert.kind === "wait") {
      return L.format(t.waiting_for, { number: alert.number || "–", n: L.number(alert.wait_minutes, 0) });
    }
    return t.kind_rating + ": " + L.format(t.rated, { score: alert.score });
  }

  function alertMeta(alert) {
    const tags = (alert.tags || []).map(function (tag) { return tagLabels[tag] || tag; }).join(", ");
    return [
      alert.visitor || t.anonymous,
      alert.kind === "rating" && alert.number ? alert.number : null,
      alert.service_name,
      alert.advisor ? L.format(t.with_advisor, { name: alert.advisor.name }) : null,
      alert.kind === "rating" && alert.wait_minutes !== null
        ? L.format(t.waited, { n: L.number(alert.wait_minutes, 0) }) : null,
      tags,
    ].filter(Boolean).join(" · ");
  }

  function recoveryLine(alert) {
    const recovery = alert.recovery;
    if (!recovery) return null;
    return el("p", { class: "alert__recovery", text: [
      L.format(t.recovery_sent, { time: L.dayAndClock(recovery.sent_at) }),
      recovery.booked ? t.rebooked : null,
      recovery.rerated_score ? L.format(t.rerated, { score: recovery.rerated_score }) : null,
    ].filter(Boolean).join(" · ") });
  }

  function winBack(alert) {
    if (alert.kind !== "rating") return null;
    if (!alert.contact_ok) return el("p", { class: "alert__meta", text: t.no_contact });
    if (alert.recovery) return null;
    if (!alert.recoverable) return el("p", { class: "alert__meta", text: t.no_address });
    const id = "win-back-" + alert.id;
    const message = el("textarea", { id: id, name: "message", maxlength: "1000", required: true });
    return el("details", { class: "win-back" }, [
      el("summary", { text: t.win_back + " (" + t.contact_ok + ")" }),
      el("p", { class: "alert__meta", text: t.win_back_hint }),
      el("label", { for: id, text: t.message }),
      message,
      el("div", { class: "actions" }, [
        el("button", { type: "button", class: "button button--primary", text: t.send,
          onclick: function () { change(alert.id, "recover", { message: message.value }); } }),
      ]),
    ]);
  }

  function alertLine(alert) {
    const actions = [];
    if (alert.status === "open") {
      actions.push(el("button", { type: "button", class: "button", text: t.acknowledge,
        onclick: function () { change(alert.id, "acknowledge"); } }));
    }
    const note = el("input", { type: "text", "aria-label": t.note, placeholder: t.note });
    actions.push(note, el("button", { type: "button", class: "button button--primary", text: t.resolve,
      onclick: function () { change(alert.id, "resolve", { note: note.value }); } }));
    if (alert.customer) {
      actions.push(el("a", { class: "button", text: t.journey,
        href: "?customer=" + alert.customer + "#journeys" }));
    }
    return el("li", { class: "alert alert--" + alert.kind + (alert.overdue ? " alert--overdue" : ""),
      "data-kind": alert.kind, "data-ticket": alert.ticket === null ? "" : String(alert.ticket) }, [
      el("p", { class: "alert__head", text: [alertHead(alert), t[alert.status],
        alert.overdue ? t.overdue : L.format(t.due, { time: L.dayAndClock(alert.due) }),
        alert.owner ? L.format(t.owner, { name: alert.owner }) : ""].filter(Boolean).join(" · ") }),
      el("p", { class: "alert__meta", text: alertMeta(alert) }),
      alert.comment ? el("q", { text: alert.comment }) : null,
      recoveryLine(alert),
      winBack(alert),
      el("div", { class: "actions" }, actions),
    ]);
  }

  async function change(id, action, body) {
    toast("");
    try {
      await L.api("/api/v1/alerts/" + id + "/" + action + "/", "POST", body);
      await loadAlerts();
    } catch (error) {
      toast(error.message);
    }
  }

  let statsTimer = null;
  function refreshStatsSoon() {
    clearTimeout(statsTimer);
    statsTimer = setTimeout(async function () {
      stats = await L.api("/api/v1/branches/" + branch + "/stats/");
      renderKpis();
    }, 1000);
  }

  L.connect("/ws/branches/" + branch + "/?lang=" + document.documentElement.lang, function (message) {
    if (message.event === "queue") {
      queue = message.queue;
      renderKpis();
      renderQueue();
      refreshStatsSoon();
    } else if (message.event === "rating") {
      ratings.unshift(message.rating);
      renderFeed();
      refreshStatsSoon();
    } else if (message.event === "alert") {
      loadAlerts();
    }
  }, function (state) {
    const badge = document.getElementById("connection");
    badge.dataset.state = state;
    badge.textContent = t[state];
  });

  (async function start() {
    renderKpis();
    renderQueue();
    try {
      ratings = (await L.api("/api/v1/branches/" + branch + "/ratings/")).results;
      renderFeed();
      await loadAlerts();
    } catch (error) {
      toast(error.message);
    }
  })();
  setInterval(function () { renderKpis(); renderQueue(); }, 30000);
})();
