// Progressive enhancement of GOV.UK Frontend components; every page works without it.
// A module script runs only in browsers GOV.UK Frontend supports, after the page is parsed.
import { initAll } from "./govuk-frontend.min.js";

// base.html sets these before the page is drawn (an inline script its CSP hash allows);
// again here, harmlessly, for a page that leaves it out.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The pickers' code only on pages that have one (most pages have none).
if (document.querySelector("input[data-area-picker], select[data-picker]")) import("./pickers.js");

// Similar ideas beside the idea being written, refreshed as it is typed.
if (document.querySelector("form[data-similar]")) import("./similar.js");

// Signed out (a page drawn for no one): the recorder's pages this phone kept are forgotten, so
// that the next person on a shared phone does not open them offline. Steps waiting to be sent
// stay, keyed by their recorder, and are sent when that person signs in again.
if ("anonymous" in document.body.dataset && "caches" in window) caches.delete("innohub-pages");
