/* Shared helpers of the staff pages: JSON API calls and a reconnecting WebSocket. */
"use strict";

window.Live = (function () {
  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function api(path, method, body) {
    const response = await fetch(path, {
      method: method || "GET",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": cookie("csrftoken"),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (!response.ok) {
      const detail = (data && data.detail) || response.statusText;
      throw new Error(detail);
    }
    return data;
  }

  /* Opens ws(s)://host/<path>, reconnects with backoff, reports "live"/"offline". */
  function connect(path, onMessage, onState) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let delay = 500;
    let socket = null;
    function open() {
      socket = new WebSocket(scheme + "://" + window.location.host + path);
      socket.onopen = function () { delay = 500; if (onState) onState("live"); };
      socket.onmessage = function (event) { onMessage(JSON.parse(event.data)); };
      socket.onclose = function (event) {
        if (onState) onState("offline");
        if (event.code === 4403 || event.code === 4404) return;
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 15000);
      };
    }
    open();
    return { close: function () { if (socket) socket.close(); } };
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([key, value]) {
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function minutesSince(iso) {
    return Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  }

  function clock(iso) {
    if (!iso) return "";
    return iso.slice(11, 16);  /* the branch-local wall clock the server sent */
  }

  /* "24.11. 09:30" from a branch-local ISO time, without the browser's time zone. */
  function dayAndClock(iso) {
    if (!iso) return "";
    return iso.slice(8, 10) + "." + iso.slice(5, 7) + ". " + iso.slice(11, 16);
  }

  /* "24.11." from an ISO date or time, without the browser's time zone. */
  function dayAndMonth(iso) {
    if (!iso) return "";
    return iso.slice(8, 10) + "." + iso.slice(5, 7) + ".";
  }

  function json(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  /* A figure with the page's decimal separator ("12,5" on German pages). */
  function number(value, digits) {
    if (value === null || value === undefined) return "–";
    return Number(value).toLocaleString(document.documentElement.lang || undefined,
      { maximumFractionDigits: digits === undefined ? 1 : digits });
  }

  return { api: api, connect: connect, el: el, minutesSince: minutesSince, clock: clock,
           dayAndClock: dayAndClock, json: json, format: format, number: number,
           dayAndMonth: dayAndMonth };
})();
