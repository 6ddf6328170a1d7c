/* Kiosk service worker: keeps every screen a resident can reach from the start screen (in PL, EN and UK),
   the published cards, the kiosk's assets and the search data for offline use.
   Pages and data: network first (with a short timeout), the cache when the server does not answer.
   Assets: cache first (their URLs carry the asset version). */
const CACHE = "kiosk-{{ asset_version }}";
const PARAMS = new URLSearchParams({{ request.query_string.decode()|tojson }});
const LANGS = {{ languages.keys()|list|tojson }};
const ERROR_PAGE = {{ kurl('kiosk_ui.error_screen')|tojson }};
const SEARCH_SHELL = {{ url_for('kiosk_ui.results')|tojson }};
const DATA = {{ url_for('kiosk_ui.offline_data')|tojson }};
const CARD = {{ url_for('kiosk_ui.card', slug='__slug__')|tojson }};
const SCREENS = [{{ url_for('kiosk_ui.home')|tojson }}, SEARCH_SHELL, {{ url_for('kiosk_ui.error_screen')|tojson }},
                 {{ url_for('kiosk_ui.case_status')|tojson }}{% if kiosk and kiosk.location %}, {{ url_for('kiosk_ui.here')|tojson }}{% endif %}];
const CATEGORY = {{ url_for('kiosk_ui.category', slug='__slug__')|tojson }};
const SITUATION = {{ url_for('kiosk_ui.situation', slug='__slug__')|tojson }};
const STATIC = {{ url_for('kiosk_ui.static', filename='')|tojson }};
const ASSETS = [
  {{ url_for('kiosk_ui.static', filename='kiosk.css', v=asset_version)|tojson }},
  {{ url_for('kiosk_ui.static', filename='kiosk.js', v=asset_version)|tojson }},
];
const TIMEOUT_MS = 2500;

/* A screen's address exactly as the pages link to it: k, then lang (the cache keys are these URLs). */
function screenUrl(path, lang) {
  const query = new URLSearchParams();
  if (PARAMS.get("k")) query.set("k", PARAMS.get("k"));
  query.set("lang", lang);
  return path + "?" + query.toString();
}
const bySlug = (pattern, slug) => pattern.replace("__slug__", encodeURIComponent(slug));

/* The card's QR codes, so "take it home" still works offline (the checklist one without ticks). */
function qrUrls(slug) {
  const card = CARD.replace("__slug__", encodeURIComponent(slug));
  return [card + "/qr.svg", card + "/lista.svg", card + "/zgloszenie.svg"];
}

async function fetchFresh(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(request, {signal: controller.signal, cache: "no-store"});
  } finally {
    clearTimeout(timer);
  }
}

async function store(cache, url) {
  try {
    const response = await fetchFresh(url);
    if (response.ok) await cache.put(url, response);
  } catch (e) { /* keep the older copy */ }
}

async function storeAll(cache, urls) {
  for (let i = 0; i < urls.length; i += 6) await Promise.all(urls.slice(i, i + 6).map((u) => store(cache, u)));
}

/* Everything the kiosk needs offline: every screen reachable from the start screen in every language, the
   assets, the search data and every published card with its QR codes. */
async function refresh() {
  const cache = await caches.open(CACHE);
  await Promise.all(ASSETS.map((u) => store(cache, u)));
  const response = await fetchFresh(DATA);
  if (!response.ok) return null;
  const data = await response.clone().json();
  await cache.put(DATA, response);
  const paths = [...SCREENS, ...data.categories.map((s) => bySlug(CATEGORY, s)),
                 ...data.situations.map((s) => bySlug(SITUATION, s))];
  await storeAll(cache, LANGS.flatMap((lang) => paths.map((p) => screenUrl(p, lang))));
  const slugs = data.cards.map((c) => c.slug);
  await storeAll(cache, slugs.flatMap((s) => [...LANGS.map((lang) => screenUrl(bySlug(CARD, s), lang)), ...qrUrls(s)]));
  return data.version;
}

self.addEventListener("install", (event) => {
  event.waitUntil(refresh().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    // The page request starts while the worker wakes up: a tap reaches the server without waiting for it.
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sync") {
    event.waitUntil(refresh().then((version) => {
      if (event.source) event.source.postMessage({type: "synced", version});
    }));
  }
});

async function fromNetwork(request, preloaded) {
  if (preloaded) {
    const late = new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS));
    const response = await Promise.race([preloaded, late]);
    if (response) return response;
  }
  return fetchFresh(request);
}

/* A status answer carries the case code in its address: it is never kept. */
const keepable = (url) => !url.searchParams.has("nr") && !url.searchParams.has("kod");

async function networkFirst(request, preloaded) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  let failed = null;
  try {
    const response = await fromNetwork(request, preloaded);
    if (response.ok && keepable(url)) cache.put(request, response.clone());
    if (response.status < 500) return response;
    failed = response;  /* a server error: an older copy is better, the kiosk's error screen otherwise */
  } catch (e) { /* offline: fall through to the cache */ }
  const lang = url.searchParams.get("lang") || "pl";
  const cached = await cache.match(request) ||
      (url.pathname === SEARCH_SHELL && await cache.match(screenUrl(SEARCH_SHELL, lang))) ||
      (request.mode === "navigate" && (await cache.match(screenUrl(url.pathname, lang)) ||
                                       await cache.match(request, {ignoreSearch: true}) ||
                                       await cache.match(ERROR_PAGE)));
  return cached || failed || Response.error();
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || url.pathname === DATA || url.pathname.endsWith(".svg")) {
    const preloaded = request.mode === "navigate" ? event.preloadResponse.catch(() => null) : null;
    event.respondWith(networkFirst(request, preloaded));
  }
});
