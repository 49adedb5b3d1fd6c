// Builds the front-end assets into assets/build/ (git-ignored), from packages in node_modules.
import { cpSync, mkdirSync } from "node:fs";

const out = "assets/build";
mkdirSync(`${out}/js`, { recursive: true });
const copies = {
  "node_modules/htmx.org/dist/htmx.min.js": `${out}/js/htmx.min.js`,
  "node_modules/chart.js/dist/chart.umd.js": `${out}/js/chart.umd.js`,
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js": `${out}/js/govuk-frontend.min.js`,
};
for (const [from, to] of Object.entries(copies)) cpSync(from, to);
console.log(`assets built in ${out}`);
