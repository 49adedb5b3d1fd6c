// While someone writes an idea (or a post), the panel of similar ideas and pilots (or of who
// else works on it) follows what they type — the fields named by `data-similar-fields`,
// title and problem unless told — a moment after they pause. Without JavaScript the panel
// shows what was similar when the page was drawn.
const form = document.querySelector("form[data-similar]");
const panel = document.getElementById("similar-ideas");
const fields = (form.dataset.similarFields || "title problem")
  .split(" ")
  .map((name) => form.elements.namedItem(name))
  .filter(Boolean);
let timer = null;
// The text the page's panel was drawn for: what was typed before this script ran (a slow
// connection) differs from it, and is looked up at once.
let last = (form.dataset.similarFor || "").trim();

async function refresh() {
  const text = fields.map((field) => field.value).join(" ").trim();
  if (text === last || text.length < 3) return;
  last = text;
  const url = `${form.dataset.similar}?text=${encodeURIComponent(text.slice(0, 2000))}`;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const html = await response.text();
    const parsed = new DOMParser().parseFromString(html, "text/html").getElementById("similar-ideas");
    if (parsed && text === last) panel.replaceChildren(...parsed.childNodes);
  } catch {
    // A slow or lost connection keeps the panel as it was.
  }
}

for (const field of fields) {
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
}
refresh();
