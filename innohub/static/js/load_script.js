// Fetch a classic script (a library's UMD build) only when a page needs it; resolves once it
// has run, rejects when it cannot load (offline): callers keep the page's plain version then.
export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}
