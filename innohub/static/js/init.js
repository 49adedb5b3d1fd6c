// Progressive enhancement of GOV.UK Frontend components; every page works without it.
// A module script runs only in browsers GOV.UK Frontend supports, after the page is parsed.
import { initAll } from "./govuk-frontend.min.js";

// GOV.UK's page template sets these from an inline script, which our CSP refuses.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
