/* Kiosk behaviour: navigation without browser history, on-screen keyboard and suggestions, idle reset,
   accessibility switches, lock-down, offline banner, heartbeat and the service worker.
   Settings from the start URL (?k= kiosk id, t= token, idle=, countdown=) live in localStorage and
   survive a reset; everything a resident leaves behind lives in sessionStorage and is cleared. */
(() => {
  "use strict";
  const root = document.documentElement, body = document.body;
  const ss = sessionStorage, ls = localStorage;
  const $ = (sel) => document.querySelector(sel);
  const params = new URLSearchParams(location.search);
  const DATA = "/kiosk/dane.json";

  for (const [name, key] of [["idle", "kiosk.idle"], ["countdown", "kiosk.countdown"], ["t", "kiosk.token"]]) {
    if (params.get(name)) ls.setItem(key, params.get(name));
  }
  if (params.has("t")) {  // the token never stays in the address bar or in links
    params.delete("t");
    history.replaceState(null, "", location.pathname + "?" + params + location.hash);
  }
  const num = (value, fallback) => { const n = parseInt(value, 10); return n > 0 ? n : fallback; };
  const idleSeconds = num(ls.getItem("kiosk.idle"), num(body.dataset.idle, 90));
  const countdownSeconds = num(ls.getItem("kiosk.countdown"), num(body.dataset.countdown, 10));
  const homeUrl = body.dataset.home;
  const screen = body.dataset.screen;
  const msg = (name, values) => (body.dataset["msg" + name] || "").replace(/%(\w)/g, (_, k) => values[k]);

  /* --- switches: high contrast and large text --------------------------------------------------- */
  for (const button of document.querySelectorAll("[data-toggle]")) {
    const key = "kiosk." + button.dataset.toggle;
    const apply = (on) => { root.classList.toggle(button.dataset.toggle, on); button.setAttribute("aria-pressed", String(on)); };
    apply(ss.getItem(key) === "1");
    button.addEventListener("click", () => {
      const on = !root.classList.contains(button.dataset.toggle);
      ss.setItem(key, on ? "1" : "0");
      apply(on);
    });
  }

  /* --- navigation: every move replaces the page, so the browser keeps no history to clear -------- */
  const stack = () => JSON.parse(ss.getItem("kiosk.stack") || "[]");
  function go(url, remember = true) {
    // A status answer (its address holds the case code) is never kept for "Wstecz".
    if (remember && !params.has("kod")) ss.setItem("kiosk.stack", JSON.stringify([...stack(), location.pathname + location.search].slice(-30)));
    location.replace(url);
  }
  function back() {
    const previous = stack();
    const url = previous.pop();
    ss.setItem("kiosk.stack", JSON.stringify(previous));
    location.replace(url || homeUrl);
  }
  const backButton = $("[data-action=back]");
  if (backButton && screen !== "home") backButton.hidden = false;
  const isKioskScreen = (url) => url.origin === location.origin && url.pathname.startsWith("/kiosk/") &&
      !url.pathname.endsWith("/lista") && !url.pathname.endsWith(".json");

  function showQr(href) {
    const dialog = $("#qr-dialog");
    const web = /^https?:/.test(href);
    $("#qr-img").hidden = !web;
    if (web) {
      $("#qr-img").src = body.dataset.qr + "?u=" + encodeURIComponent(href);
      $("#qr-img").alt = msg("Qr", {u: href});
    }
    $("#qr-url").textContent = href.replace(/^(mailto|tel):/, "");
    dialog.showModal();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (link) {
      if (link.getAttribute("href").startsWith("#")) return;
      event.preventDefault();
      const url = new URL(link.href, location.href);
      if (!isKioskScreen(url)) return showQr(url.href);
      if (link.dataset.nav === "home") ss.removeItem("kiosk.stack");
      return go(url.href, link.dataset.nav !== "home" && !link.hasAttribute("hreflang"));
    }
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "back") back();
    else if (action === "retry") location.reload();
    else if (action === "close-qr") $("#qr-dialog").close();
    else if (action === "print") printCard(button.dataset.print);
  });

  function printCard(url) {
    const frame = $("#print-frame");
    frame.onload = () => frame.contentWindow.print();
    frame.src = url;
  }

  /* --- lock-down: no context menu, dragging, text selection or pinch-zoom ------------------------ */
  const editable = (el) => el && el.closest && el.closest("input, textarea");
  document.addEventListener("contextmenu", (e) => e.preventDefault());
  document.addEventListener("dragstart", (e) => e.preventDefault());
  document.addEventListener("selectstart", (e) => { if (!editable(e.target)) e.preventDefault(); });
  document.addEventListener("touchmove", (e) => { if (e.touches.length > 1) e.preventDefault(); }, {passive: false});
  document.addEventListener("wheel", (e) => { if (e.ctrlKey) e.preventDefault(); }, {passive: false});
  document.addEventListener("gesturestart", (e) => e.preventDefault());

  /* --- search: on-screen keyboard, suggestions, offline search ----------------------------------- */
  const fold = (s) => s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
  const tokens = (s) => fold(s).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);
  let cards = null;
  async function offlineCards() {
    if (!cards) {
      cards = (await (await fetch(DATA)).json()).cards;
      for (const card of cards) {
        card.head = tokens(card.title);
        card.rest = tokens([card.summary, ...card.keywords].join(" "));
      }
    }
    return cards;
  }
  /* Edit distance (with swapped neighbours) up to `max`; anything further is max + 1. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prev2 = null, prev = Array.from({length: b.length + 1}, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
      }
      if (Math.min(...row) > max) return max + 1;
      [prev2, prev] = [prev, row];
    }
    return prev[b.length];
  }
  /* How well one typed word matches a card's words: 2 exact or a prefix of the last word, 1 with a typo. */
  function matchWord(word, words, last) {
    const edits = word.length < 4 ? 0 : word.length < 7 ? 1 : 2;
    let best = 0;
    for (const w of words) {
      if (w === word || (last && w.startsWith(word))) return 2;
      if (edits && (distance(word, w, edits) <= edits || (last && distance(word, w.slice(0, word.length), edits) <= edits))) best = 1;
    }
    return best;
  }
  /* The full search's forgiveness in the browser: diacritics folded, one or two typos per word. */
  async function localSearch(text, limit) {
    const words = tokens(text);
    if (!words.length) return [];
    const scored = [];
    for (const card of await offlineCards()) {
      let score = 0;
      words.forEach((word, i) => {
        const last = i === words.length - 1, head = matchWord(word, card.head, last);
        score += head ? 2 * head : matchWord(word, card.rest, last) || -100;
      });
      if (score > 0) scored.push([score, card]);
    }
    return scored.sort((a, b) => b[0] - a[0]).slice(0, limit).map(([, card]) => card);
  }
  const cardLink = (slug) => {
    const query = new URLSearchParams();  // the same order as the server's links: k, then lang
    if (body.dataset.kiosk) query.set("k", body.dataset.kiosk);
    query.set("lang", root.lang);
    return "/kiosk/uslugi/" + encodeURIComponent(slug) + "?" + query;
  };
  function timed(url, options = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2500);
    return fetch(url, {...options, signal: controller.signal}).finally(() => clearTimeout(timer));
  }

  /* The on-screen keyboard types into the active field; layouts switch in place (the keys' rows never move). */
  const fields = [...document.querySelectorAll("#q, [data-layout][name]")];
  let active = fields[0] || null;
  function showLayout(name) {
    for (const layout of document.querySelectorAll(".layout")) layout.classList.toggle("off", layout.dataset.layout !== name);
    for (const button of document.querySelectorAll("[data-switch]")) button.setAttribute("aria-pressed", String(button.dataset.switch === name));
  }
  function activate(field) {
    active = field;
    for (const f of fields) f.classList.toggle("active", f === field);
    if (field.dataset.layout) showLayout(field.dataset.layout);
  }
  for (const field of fields) field.addEventListener("focus", () => activate(field));
  for (const button of document.querySelectorAll("[data-switch]")) {
    button.addEventListener("click", () => {
      showLayout(button.dataset.switch);
      const field = fields.find((f) => f.dataset.layout === button.dataset.switch);
      if (field) activate(field);
    });
  }
  for (const key of document.querySelectorAll("[data-key]")) {
    key.addEventListener("click", () => {
      if (!active) return;
      const k = key.dataset.key, max = active.maxLength > 0 ? active.maxLength : 200;
      if (k === "backspace") active.value = active.value.slice(0, -1);
      else if (k === "clear") active.value = "";
      else if (active.value.length + k.length <= max) active.value += k;
      active.dispatchEvent(new Event("input", {bubbles: true}));
    });
  }
  if (fields.length > 1) activate(fields.find((f) => !f.value) || fields[0]);

  const input = $("#q");
  if (input) {
    const list = $("#suggestions"), status = $("#suggest-status");
    let pending = 0, timer = null;
    async function suggest() {
      const text = input.value.trim(), ticket = ++pending;
      let items = [];
      if (text.length >= 2) {
        try {
          const response = await timed(body.dataset.suggest + "?limit=6&q=" + encodeURIComponent(text));
          if (!response.ok) throw new Error("suggest " + response.status);
          items = (await response.json()).completions.map((c) => ({slug: c.slug, title: c.text}));
        } catch (e) {
          items = await localSearch(text, 6).catch(() => []);
        }
      }
      if (ticket !== pending) return;
      list.replaceChildren(...items.map((item) => {
        const li = document.createElement("li"), a = document.createElement("a");
        a.className = "btn";
        a.href = cardLink(item.slug);
        a.lang = "pl";
        a.textContent = item.title;
        li.append(a);
        return li;
      }));
      status.textContent = text.length >= 2 ? msg("Suggest", {n: items.length}) : "";
    }
    const changed = () => {
      ss.setItem("kiosk.q", input.value);
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    };
    input.value = ss.getItem("kiosk.q") || "";
    if (input.value) suggest();
    input.addEventListener("input", changed);
  }
  for (const form of document.querySelectorAll("#search-form, #status-form")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const empty = [...form.querySelectorAll("input:not([type=hidden])")].find((f) => !f.value.trim());
      if (empty) return empty.focus();
      go(form.action + "?" + new URLSearchParams(new FormData(form)));
    });
  }

  /* The search-results screen served from the cache for another query: answer it from offline data. */
  const found = $("#found");
  if (screen === "results" && found) {
    const wanted = (params.get("q") || "").replace(/\s+/g, " ").trim();
    if (wanted && found.dataset.query !== wanted) {
      localSearch(wanted, 20).then((hits) => {
        found.replaceChildren(Object.assign(document.createElement("p"),
          {className: "lead", textContent: msg("Found", {q: wanted, n: hits.length})}));
        $("#rows").replaceChildren(...hits.map((card) => {
          const li = document.createElement("li"), a = document.createElement("a");
          a.className = "row";
          a.href = cardLink(card.slug);
          a.append(Object.assign(document.createElement("strong"), {textContent: card.title, lang: "pl"}));
          if (card.kind === "referral") {  // matters handled elsewhere say so offline too
            a.append(Object.assign(document.createElement("em"), {className: "referral-note", textContent: msg("Referral", {})}));
          }
          a.append(Object.assign(document.createElement("span"), {textContent: card.summary, lang: "pl"}));
          li.append(a);
          return li;
        }));
      });
    }
  }

  /* --- the "what to bring" checklist: ticks stay until the idle reset ---------------------------- */
  const article = $(".kcard");
  if (article) {
    const slug = article.dataset.slug;
    const all = JSON.parse(ss.getItem("kiosk.ticks") || "{}");
    const qr = $("#checklist-qr");
    const boxes = [...document.querySelectorAll("[data-tick]")];
    const update = () => {
      const ticked = boxes.filter((b) => b.checked).map((b) => b.dataset.tick);
      all[slug] = ticked;
      ss.setItem("kiosk.ticks", JSON.stringify(all));
      if (qr) qr.src = qr.dataset.base + (ticked.length ? "?ok=" + ticked.join(".") : "");
    };
    if (qr) qr.addEventListener("error", () => {  // offline, only the list without ticks is cached
      if (qr.getAttribute("src") !== qr.dataset.base) qr.src = qr.dataset.base;
    });
    for (const box of boxes) {
      box.checked = (all[slug] || []).includes(box.dataset.tick);
      box.addEventListener("change", update);
    }
    if ((all[slug] || []).length) update();
  }

  /* --- idle: countdown, reset, attract screen ---------------------------------------------------- */
  const idleDialog = $("#idle"), attract = $("#attract");
  let idleTimer = null, countdownTimer = null;
  const pristine = () => screen === "home" && !stack().length && !(input && input.value) &&
      !Object.keys(ss).some((k) => k.startsWith("kiosk."));
  function showAttract() { attract.hidden = false; }
  function schedule() { clearTimeout(idleTimer); idleTimer = setTimeout(onIdle, idleSeconds * 1000); }
  function onIdle() {
    if (pristine()) return showAttract();
    let remaining = countdownSeconds;
    $("#idle-count").textContent = remaining;
    idleDialog.showModal();
    countdownTimer = setInterval(() => {
      remaining -= 1;
      $("#idle-count").textContent = Math.max(remaining, 0);
      if (remaining <= 0) reset();
    }, 1000);
  }
  function reset() {
    clearInterval(countdownTimer);
    for (const key of Object.keys(ss)) if (key.startsWith("kiosk.")) ss.removeItem(key);
    location.replace(homeUrl + "#attract");
  }
  function hideAttract() {
    attract.hidden = true;
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  }
  function activity(event) {
    if (countdownTimer) { clearInterval(countdownTimer); countdownTimer = null; idleDialog.close(); }
    if (!attract.hidden && event.type === "keydown") hideAttract();
    schedule();
  }
  // The touch that wakes the kiosk only wakes it: it must not also press what lies under the attract screen.
  attract.addEventListener("click", (event) => { event.stopPropagation(); hideAttract(); });
  for (const type of ["pointerdown", "keydown", "input", "wheel"]) {
    document.addEventListener(type, activity, {capture: true, passive: true});
  }
  if (location.hash === "#attract") showAttract();
  schedule();

  /* --- online check, heartbeat, offline banner, catching up -------------------------------------- */
  let lastError = "", wasOffline = false;
  window.addEventListener("error", (e) => { lastError = String(e.message || "error").slice(0, 200); });
  window.addEventListener("unhandledrejection", (e) => { lastError = String(e.reason || "rejection").slice(0, 200); });
  async function cachedVersion() {
    try {
      const response = window.caches && await caches.match(DATA);
      return response ? (await response.json()).version : null;
    } catch (e) { return null; }
  }
  async function check() {
    const version = await cachedVersion();
    const token = ls.getItem("kiosk.token");
    let answered = false, serverVersion = null;
    try {
      const response = token && body.dataset.kiosk
        ? await timed("/kiosk/heartbeat", {method: "POST", cache: "no-store",
            headers: {"Content-Type": "application/json", "X-Kiosk-Token": token},
            body: JSON.stringify({kiosk: body.dataset.kiosk, version, error: lastError})})
        : await timed("/kiosk/ping", {cache: "no-store"});
      answered = response.status < 500;
      if (response.ok) serverVersion = (await response.json()).version;
    } catch (e) { answered = false; }
    $("#offline").hidden = answered;
    root.classList.toggle("is-offline", !answered);
    const controller = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (answered && controller && (wasOffline || (serverVersion !== null && serverVersion !== version))) {
      controller.postMessage({type: "sync"});
    }
    wasOffline = !answered;
  }
  check();
  setInterval(check, num(body.dataset.heartbeat, 60) * 1000);
  window.addEventListener("online", check);
  window.addEventListener("offline", check);

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(body.dataset.sw, {scope: "/kiosk/"}).catch((e) => { lastError = String(e); });
    navigator.serviceWorker.ready.then(() => { root.dataset.offlineReady = "1"; });
    navigator.serviceWorker.addEventListener("message", (e) => {
      if (e.data && e.data.type === "synced") root.dataset.synced = String(e.data.version);
    });
  }
})();
