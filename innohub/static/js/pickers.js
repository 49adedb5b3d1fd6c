// Search-as-you-type for the forms' pickers. Without JavaScript (or before it runs) they are
// what the server sends: a text box for an area's code, a plain select for an organisation.
//
// - An area's box (`data-area-picker`, the URL of /areas/suggest/) gets a datalist filled as
//   the person types: the box itself, its label, hint and errors are untouched, and a code
//   typed in full still works offline.
// - A select (`data-picker`) becomes GOV.UK's accessible autocomplete, which keeps the select
//   (hidden) as the value that is sent. Its messages come from data attributes, translated.

import { loadScript } from "./load_script.js";

const DELAY_MS = 200;

function enhanceAreaBox(input) {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  let timer;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = input.value.trim();
      if (!text || text === asked) return;
      asked = text;
      try {
        const url = `${input.dataset.areaPicker}?q=${encodeURIComponent(text)}`;
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok || asked !== text) return; // a later request is on its way
        const { areas } = await response.json();
        list.replaceChildren(
          ...areas.map((area) => {
            const option = document.createElement("option");
            option.value = area.code;
            const local = area.name_local ? ` (${area.name_local})` : "";
            option.textContent = `${area.name}${local} · ${area.level}`;
            return option;
          }),
        );
      } catch {
        // Offline or refused: the box still takes a code typed in full.
      }
    }, DELAY_MS);
  });
}

function text(select, name, values = {}) {
  let message = select.dataset[name] || "";
  for (const [key, value] of Object.entries(values)) message = message.replace(`{${key}}`, value);
  return message;
}

async function enhanceSelects(selects) {
  try {
    if (!window.accessibleAutocomplete) await loadScript(selects[0].dataset.pickerSrc);
  } catch {
    return; // the plain selects stay, and work
  }
  for (const select of selects) {
    const empty = select.value === "";
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: empty ? "" : undefined,
      showAllValues: true,
      autoselect: false,
      tNoResults: () => text(select, "noResults"),
      tAssistiveHint: () => text(select, "assistiveHint"),
      tStatusQueryTooShort: (n) => text(select, "queryTooShort", { n }),
      tStatusNoResults: () => text(select, "noResults"),
      tStatusSelectedOption: (option, length, index) =>
        text(select, "selectedOption", { option, index: index + 1, length }),
      tStatusResults: (length, option) => text(select, "results", { length, option }),
    });
    // Clearing the box means "none": the hidden select follows (the component leaves it).
    const input = document.getElementById(select.id.replace(/-select$/, ""));
    select.form?.addEventListener("submit", () => {
      if (input && input.value.trim() === "") select.value = "";
    });
  }
}

for (const input of document.querySelectorAll("input[data-area-picker]")) enhanceAreaBox(input);
const selects = [...document.querySelectorAll("select[data-picker]")];
if (selects.length) enhanceSelects(selects);
