/* The desk (concierge): find a booking as one types, check in, issue walk-in tickets,
   book on behalf of a caller, and see who is waiting for whom, live. */
"use strict";

(function () {
  const L = window.Live;
  const el = L.el;
  const initial = L.json("initial");
  const t = L.json("i18n");
  const branch = initial.branch;
  let queue = initial.queue;
  let searchRound = 0;

  function toast(message) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.hidden = !message;
  }

  /* What just happened (a check-in, a ticket, a booking), with an optional link. */
  function result(lines, link) {
    const box = document.getElementById("result");
    box.replaceChildren(...lines.filter(Boolean).map(function (line, index) {
      return el("p", { class: index ? null : "notice-box__head", text: line });
    }));
    if (link) {
      box.append(el("p", {}, [el("a", { href: link.href, text: link.text, target: "_blank", rel: "noopener" })]));
    }
    box.hidden = false;
    toast("");
  }

  /* --- today's appointments ------------------------------------------------------------ */

  function visitLine(visit) {
    const status = t["appointment_" + visit.status] || visit.status;
    const ticket = visit.ticket
      ? L.format(t.ticket, { number: visit.ticket.number, status: t["ticket_" + visit.ticket.status] || visit.ticket.status })
      : "";
    const action = visit.status === "booked"
      ? el("button", { type: "button", class: "button button--primary", "data-check-in": visit.id,
          text: t.check_in, "aria-label": t.check_in + ": " + visit.customer.name,
          onclick: function () { checkIn(visit); } })
      : null;
    return el("li", { class: "visit visit--" + visit.status, "data-visit": visit.id }, [
      el("span", { class: "visit__time", text: L.clock(visit.start) }),
      el("span", { class: "visit__who" }, [
        el("strong", { text: visit.customer.name }),
        el("span", { class: "visit__code", text: visit.code_display }),
      ]),
      el("span", { class: "visit__meta", text: [visit.service_name, visit.advisor.name, visit.location,
        visit.customer.phone].filter(Boolean).join(" · ") }),
      el("span", { class: "visit__status", text: [status, ticket].filter(Boolean).join(" · ") }),
      visit.topic ? el("span", { class: "visit__topic", text: visit.topic }) : null,
      action,
    ]);
  }

  async function search() {
    const round = ++searchRound;
    const params = new URLSearchParams({
      search: document.getElementById("search").value,
      date: document.getElementById("search-date").value,
    });
    try {
      const page = await L.api("/api/v1/branches/" + branch + "/appointments/?" + params);
      if (round !== searchRound) return;  /* an answer to older typing */
      const list = document.getElementById("visits");
      list.replaceChildren(...(page.results.length ? page.results.map(visitLine)
        : [el("li", { class: "muted", text: t.no_visits })]));
      document.getElementById("visits-count").textContent = L.format(t.found, { n: page.count });
    } catch (error) {
      toast(error.message);
    }
  }

  let typing = null;
  function searchSoon() {
    clearTimeout(typing);
    typing = setTimeout(search, 200);
  }

  async function checkIn(visit) {
    toast("");
    try {
      const answer = await L.api("/api/v1/appointments/" + visit.id + "/check-in/", "POST");
      result([t.checked_in + ": " + visit.customer.name + " · " + answer.ticket.number, answer.message],
        answer.ticket.status_url ? { href: answer.ticket.status_url, text: t.status_link } : null);
      await search();
    } catch (error) {
      toast(error.message);
    }
  }

  document.getElementById("search").addEventListener("input", searchSoon);
  document.getElementById("search-date").addEventListener("change", search);
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });

  /* --- who is waiting for whom ----------------------------------------------------------- */

  function waitingLine(ticket) {
    const who = ticket.customer && ticket.customer.name ? ticket.customer.name : "";
    return el("li", { class: "ticket" + (ticket.priority ? " ticket--priority" : "") }, [
      el("span", { class: "ticket__number", text: ticket.number }),
      el("span", { class: "ticket__who", text: [who, ticket.service_name].filter(Boolean).join(" · ") }),
      el("span", { class: "ticket__meta", text: [
        ticket.appointment_start ? L.format(t.at, { time: L.clock(ticket.appointment_start) }) : "",
        ticket.estimated_wait_minutes !== null ? "≈ " + L.format(t.minutes, { n: ticket.estimated_wait_minutes }) : "",
      ].filter(Boolean).join(" · ") }),
    ]);
  }

  function advisorState(advisor) {
    const parts = [t["status_" + advisor.status] || advisor.status];
    if (advisor.status === "paused" && advisor.pause_reason) {
      parts[0] = L.format(t.paused_for, { reason: t["reason_" + advisor.pause_reason] || advisor.pause_reason });
    }
    if (advisor.late_minutes) parts.push(L.format(t.running_late, { n: advisor.late_minutes }));
    return parts.join(" · ");
  }

  function renderQueue() {
    const groups = [];
    queue.advisors.forEach(function (advisor) {
      const waiting = queue.waiting.filter(function (ticket) { return ticket.advisor && ticket.advisor.id === advisor.id; });
      const serving = queue.serving.filter(function (ticket) { return ticket.advisor && ticket.advisor.id === advisor.id; });
      if (!waiting.length && !serving.length && advisor.status === "offline") return;
      groups.push(el("div", { class: "group", "data-advisor": advisor.id }, [
        el("h3", { text: [advisor.name, advisor.location].filter(Boolean).join(" · ") }),
        el("p", { class: "group__state" + (advisor.late_minutes ? " group__state--late" : ""), text: [advisorState(advisor),
          serving.length ? t.serving + " " + serving.map(function (s) { return s.number; }).join(", ") : ""]
          .filter(Boolean).join(" · ") }),
        el("ol", { class: "tickets" }, waiting.length ? waiting.map(waitingLine)
          : [el("li", { class: "muted", text: t.nobody_waiting })]),
      ]));
    });
    const anyone = queue.waiting.filter(function (ticket) { return !ticket.advisor; });
    groups.push(el("div", { class: "group" }, [
      el("h3", { text: t.any_colleague }),
      el("ol", { class: "tickets" }, anyone.length ? anyone.map(waitingLine)
        : [el("li", { class: "muted", text: t.nobody_waiting })]),
    ]));
    document.getElementById("queue").replaceChildren(...groups);
  }

  L.connect("/ws/branches/" + branch + "/?lang=" + document.documentElement.lang, function (message) {
    if (message.event !== "queue") return;
    queue = message.queue;
    renderQueue();
    searchSoon();  /* statuses and ticket numbers in the list follow the floor */
  }, function (state) {
    const badge = document.getElementById("connection");
    badge.dataset.state = state;
    badge.textContent = t[state];
  });

  /* --- a walk-in ticket at the desk ------------------------------------------------------- */

  function value(id) {
    return document.getElementById(id).value.trim();
  }

  async function submitting(form, work) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;  /* a double press books or issues once */
    try {
      await work();
    } catch (error) {
      toast(error.message);
    } finally {
      button.disabled = false;
    }
  }

  document.getElementById("walkin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target;
    submitting(form, async function () {
      const body = { service: value("walkin-service"), name: value("walkin-name"), phone: value("walkin-phone") };
      if (value("walkin-advisor")) body.advisor = Number(value("walkin-advisor"));
      const ticket = await L.api("/api/v1/branches/" + branch + "/tickets/", "POST", body);
      result([L.format(t.ticket_issued, { number: ticket.number, service: ticket.service_name }),
        [ticket.customer && ticket.customer.name, ticket.advisor && ticket.advisor.name,
          ticket.estimated_wait_minutes !== null ? "≈ " + L.format(t.minutes, { n: ticket.estimated_wait_minutes }) : ""]
          .filter(Boolean).join(" · ")],
        ticket.status_url ? { href: ticket.status_url, text: t.status_link } : null);
      form.reset();
    });
  });

  /* --- booking on behalf of a caller or a visitor at the desk ------------------------------ */

  async function loadTimes() {
    const select = document.getElementById("book-start");
    const day = value("book-day");
    if (!day) return;
    const params = new URLSearchParams({ service: value("book-service"), from: day, to: day });
    try {
      const answer = await L.api("/api/v1/branches/" + branch + "/availability/?" + params);
      const names = {};
      answer.advisors.forEach(function (advisor) { names[advisor.id] = advisor.name; });
      select.replaceChildren(...(answer.slots.length
        ? [el("option", { value: "", text: t.choose_time })].concat(answer.slots.map(function (slot) {
          return el("option", { value: slot.start, text: L.clock(slot.start) + " · " +
            slot.advisors.map(function (id) { return names[id]; }).join(", ") });
        }))
        : [el("option", { value: "", text: t.no_times })]));
    } catch (error) {
      toast(error.message);
    }
  }

  document.getElementById("book-service").addEventListener("change", loadTimes);
  document.getElementById("book-day").addEventListener("change", loadTimes);

  document.getElementById("book-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target;
    submitting(form, async function () {
      const body = {
        service: value("book-service"),
        start: value("book-start"),
        channel: form.querySelector("input[name=channel]:checked").value,
        customer: { name: value("book-name"), email: value("book-email"), phone: value("book-phone"),
          language: value("book-language") },
        topic: document.getElementById("book-topic").value,
      };
      const booking = await L.api("/api/v1/branches/" + branch + "/appointments/", "POST", body);
      const code = booking.code.slice(0, 4) + "-" + booking.code.slice(4);
      result([L.format(t.booked, { when: L.dayAndClock(booking.start), advisor: booking.advisor.name, code: code })],
        { href: booking.manage_url, text: t.manage_link });
      form.reset();
      await loadTimes();
      await search();
    });
  });

  renderQueue();
  search();
  loadTimes();
})();
