// The recorder as an installable app that keeps working offline: registers the service
// worker (served at the address the manifest's link names, innohub/services/views_offline.py) for
// the recorder's pages, and keeps this page on the phone. Every page works without it.
export const PAGES_CACHE = "innohub-pages";

const link = document.querySelector("link[rel=manifest][data-worker]");

// The first visit is not yet served through the worker: this page is saved as it came, so
// that it opens offline too, without asking the server for it again.
async function keepThisPage() {
  if (navigator.serviceWorker.controller || !("caches" in window)) return;
  const cache = await caches.open(PAGES_CACHE);
  if (await cache.match(location.href, { ignoreVary: true })) return;
  const html = `<!DOCTYPE html>\n${document.documentElement.outerHTML}`;
  const headers = { "Content-Type": "text/html; charset=utf-8" };
  await cache.put(location.href, new Response(html, { headers }));
}

// On the draft journeys list: the recorder pages of the first drafts, saved while online so
// that any of them opens in the field (not on a connection that asks to save data).
async function keepDrafts() {
  const links = [...document.querySelectorAll("a[data-offline-keep]")].slice(0, 10);
  if (!links.length || !navigator.onLine || navigator.connection?.saveData) return;
  const cache = await caches.open(PAGES_CACHE);
  for (const a of links) {
    if (await cache.match(a.href, { ignoreVary: true })) continue;
    try {
      const response = await fetch(a.href, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(a.href, response);
    } catch {
      return; // The connection went: the others another time.
    }
  }
}

export async function startOffline() {
  if (!link || !("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(link.dataset.worker, { scope: link.dataset.scope });
    await keepThisPage();
    await keepDrafts();
  } catch {
    // A browser that refuses (private mode, a non-secure address): the pages work online.
  }
}

startOffline();
