// innohub's service worker: keeps the journey recorder's pages and files on the phone so that
// it opens and records without a connection (innohub/services/views_offline.py serves it).
// Pages: from the network when it answers within a few seconds, else as last saved.
// Static files: from the phone, refreshed in the background. Everything else, and every
// request that is not a GET, goes to the network untouched: steps are sent by the page
// (static/js/services/recorder.js), from IndexedDB, never replayed from here.
const VERSION = {{ version|safe }};
const ASSETS = {{ assets|safe }};
const SCOPE = {{ scope|safe }};
const PAGES = {{ pages_cache|safe }};
const STATIC = {{ static_prefix|safe }} + VERSION;
const OFFLINE_PAGE = {{ offline_page|safe }};
const LOGIN = {{ login_path|safe }};
// The folder of the static files (the first asset's), for fonts and images the CSS names.
const ASSETS_ROOT = ASSETS[0].slice(0, ASSETS[0].indexOf("/", 1) + 1);
// How long a page waits for the network before the saved copy is shown (bad connections).
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC);
      await cache.addAll(ASSETS);
      // The page shown for a recorder page never saved; signed out, it is the sign-in page
      // and is not kept.
      const pages = await caches.open(PAGES);
      const offline = await fetch(OFFLINE_PAGE, { credentials: "same-origin" }).catch(() => null);
      if (offline && offline.ok && !offline.redirected) await pages.put(OFFLINE_PAGE, offline);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith({{ static_prefix|safe }}) && name !== STATIC) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function keepable(response) {
  // A page that became the sign-in page (a session that ended) is not the page asked for.
  return response.ok && !response.redirected && !new URL(response.url).pathname.startsWith(LOGIN);
}

async function page(request) {
  const cache = await caches.open(PAGES);
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) await cache.put(request, response.clone());
    return response;
  });
  network.catch(() => null); // A connection lost after the saved copy was shown: no matter.
  const waited = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
  try {
    const answer = await Promise.race([network, waited]);
    // A server in trouble (5xx) shows the saved copy, where there is one.
    if (answer && (answer.status < 500 || !(await cache.match(request, { ignoreVary: true })))) {
      return answer;
    }
  } catch {
    // No connection: the saved copy below.
  }
  const saved = await cache.match(request, { ignoreVary: true });
  if (saved) return saved;
  try {
    return await network; // Slow, but nothing saved to show instead.
  } catch {
    const offline = await cache.match(OFFLINE_PAGE, { ignoreVary: true });
    return offline || Response.error();
  }
}

async function file(request) {
  const cache = await caches.open(STATIC);
  const saved = await cache.match(request, { ignoreVary: true });
  const network = fetch(request)
    .then(async (response) => {
      if (response.ok) await cache.put(request, response.clone());
      return response;
    })
    .catch(() => null);
  if (saved) return saved;
  return (await network) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    event.respondWith(page(request));
  } else if (ASSETS.includes(url.pathname) || url.pathname.startsWith(ASSETS_ROOT)) {
    event.respondWith(file(request));
  }
});
