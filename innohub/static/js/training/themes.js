// Hopes and fears: a facilitator drags a note onto a theme (or back to "not in a theme yet").
// Without JavaScript, and for the keyboard, each note has its own small form (a select of the
// themes and a "Move" button) that works as it is; this script sends that same form in the
// background, moves the note on the board and says so to screen readers. When the server
// refuses or cannot be reached, the form is sent the ordinary way and the page says why.
(() => {
  const board = document.querySelector("[data-board]");
  if (!board || !board.querySelector("form[data-move-form]")) return;
  const status = board.querySelector("[data-board-status]");
  const hint = board.querySelector("[data-board-drag-hint]");
  if (hint) hint.hidden = false;
  let dragged = null;

  const zoneOf = (theme) => board.querySelector(`[data-theme-zone][data-theme="${CSS.escape(theme)}"]`);
  const formOf = (note) => note.querySelector("form[data-move-form]");
  const themeOf = (note) => note.closest("[data-theme-zone]").dataset.theme;

  function announce(message) {
    if (!status) return;
    status.textContent = "";
    // A moment later, so the same message twice is read twice.
    setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  function showEmpty(zone) {
    const empty = zone.querySelector("[data-board-empty]");
    if (empty) empty.hidden = zone.querySelector("[data-notes]").children.length > 0;
  }

  function place(note, theme) {
    const from = note.closest("[data-theme-zone]");
    const to = zoneOf(theme);
    const focused = note.contains(document.activeElement) ? document.activeElement : null;
    to.querySelector("[data-notes]").append(note);
    formOf(note).elements.namedItem("theme").value = theme;
    showEmpty(from);
    showEmpty(to);
    if (focused) focused.focus(); // moving the element loses focus in some browsers
    announce((board.dataset.moved || "").replace("{theme}", to.dataset.themeTitle || ""));
  }

  function sendTheOrdinaryWay(form, theme) {
    form.elements.namedItem("theme").value = theme;
    announce(board.dataset.failed || "");
    HTMLFormElement.prototype.submit.call(form); // no submit event: not caught again below
  }

  async function move(note, theme) {
    const form = formOf(note);
    if (themeOf(note) === theme) return;
    if (!zoneOf(theme)) return sendTheOrdinaryWay(form, theme);
    const data = new FormData(form);
    data.set("theme", theme);
    let done = false;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": String(data.get("csrfmiddlewaretoken") || ""),
        },
      });
      done = response.ok;
    } catch {
      done = false; // offline: the ordinary way below tells the person
    }
    if (done) place(note, theme);
    else sendTheOrdinaryWay(form, theme);
  }

  for (const note of board.querySelectorAll("[data-note]")) {
    if (!formOf(note)) continue;
    note.draggable = true;
    note.addEventListener("dragstart", (event) => {
      dragged = note;
      note.classList.add("innohub-board__note--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", note.dataset.note);
    });
    note.addEventListener("dragend", () => {
      note.classList.remove("innohub-board__note--dragging");
      dragged = null;
    });
    // The keyboard's (and no-drag) way: the note's own form, sent in the background.
    formOf(note).addEventListener("submit", (event) => {
      event.preventDefault();
      move(note, formOf(note).elements.namedItem("theme").value);
    });
  }

  for (const zone of board.querySelectorAll("[data-theme-zone]")) {
    zone.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      zone.classList.add("innohub-board__zone--over");
    });
    zone.addEventListener("dragleave", (event) => {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove("innohub-board__zone--over");
    });
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("innohub-board__zone--over");
      const id = event.dataTransfer.getData("text/plain");
      const note = dragged || board.querySelector(`[data-note="${CSS.escape(id)}"]`);
      dragged = null;
      if (note) move(note, zone.dataset.theme);
    });
  }
})();
