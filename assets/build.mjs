// Builds the front-end assets into assets/build/ (git-ignored) from packages in node_modules.
// Offline and quick (about 2 s): one Sass compilation and a handful of file copies.
// Django's staticfiles serves assets/build/ at /static/ (see STATICFILES_DIRS).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";
import subsetFont from "subset-font";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "assets/build");
const modules = join(root, "node_modules");
const started = Date.now();

rmSync(out, { recursive: true, force: true });
for (const dir of ["css", "js", "fonts", "govuk"]) mkdirSync(join(out, dir), { recursive: true });

// GOV.UK Frontend's images (the footer's crest is referenced by its CSS). Its fonts are
// GDS Transport, licensed for GOV.UK only: we use Noto Sans instead and do not ship them.
cpSync(join(modules, "govuk-frontend/dist/govuk/assets"), join(out, "govuk/assets"), {
  recursive: true,
  filter: (source) => !source.includes(`${join("assets", "fonts")}`),
});

// Variable fonts: Latin (en, bs, fr) and Bengali (bn). The @font-face rules are ours,
// in assets/scss/_fonts.scss, and name these files.
const fonts = {
  "@fontsource-variable/noto-sans/files": [
    "noto-sans-latin-wght-normal.woff2",
    "noto-sans-latin-wght-italic.woff2",
    "noto-sans-latin-ext-wght-normal.woff2",
    "noto-sans-latin-ext-wght-italic.woff2",
  ],
};
for (const [dir, files] of Object.entries(fonts)) {
  for (const file of files) cpSync(join(modules, dir, file), join(out, "fonts", file));
}

// Bengali, for Bangla pages: the variable font spans weights 100-900 (106 KiB); GOV.UK uses
// 400 and 700 only, and the same glyphs over 400-700 weigh 70 KiB — a third less for every
// Bangla reader's first page. The code points are those of $_bengali in _fonts.scss.
const BENGALI_RANGES = [
  [0x0951, 0x0952], [0x0964, 0x0965], [0x0980, 0x09fe], [0x1cd0, 0x1cd0], [0x1cd2, 0x1cd2],
  [0x1cd5, 0x1cd6], [0x1cd8, 0x1cd8], [0x1ce1, 0x1ce1], [0x1cea, 0x1cea], [0x1ced, 0x1ced],
  [0x1cf2, 0x1cf2], [0x1cf5, 0x1cf7], [0x200c, 0x200d], [0x20b9, 0x20b9], [0x25cc, 0x25cc],
  [0xa8f1, 0xa8f1],
];
const bengaliText = BENGALI_RANGES.flatMap(([first, last]) =>
  Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i)),
).join("");
const bengaliFile = "noto-sans-bengali-bengali-wght-normal.woff2";
const bengali = readFileSync(join(modules, "@fontsource-variable/noto-sans-bengali/files", bengaliFile));
writeFileSync(
  join(out, "fonts", bengaliFile),
  await subsetFont(bengali, bengaliText, {
    targetFormat: "woff2",
    variationAxes: { wght: { min: 400, max: 700 } },
  }),
);

// The language switcher writes "বাংলা" on every page. With the whole Bengali font (106 KiB)
// that one word cost every English page a download: a subset of just its glyphs (a few KiB)
// draws it, and the whole font loads only where Bangla text is shown. The word is Django's
// name of the language (LANG_INFO["bn"]["name_local"]); tests/test_assets.py holds them equal.
export const BANGLA_LABEL = "বাংলা";
const label = await subsetFont(bengali, BANGLA_LABEL, {
  targetFormat: "woff2",
  variationAxes: { wght: { min: 400, max: 700 } },
});
writeFileSync(join(out, "fonts", "noto-sans-bengali-label.woff2"), label);

// Scripts, with the source maps they name (ManifestStaticFilesStorage follows
// `sourceMappingURL` and fails on a missing map).
const scripts = {
  "govuk-frontend/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
  "govuk-frontend/dist/govuk/govuk-frontend.min.js.map": "govuk-frontend.min.js.map",
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "chart.js/dist/chart.umd.js": "chart.umd.js",
  "chart.js/dist/chart.umd.js.map": "chart.umd.js.map",
  "accessible-autocomplete/dist/accessible-autocomplete.min.js": "accessible-autocomplete.min.js",
  "accessible-autocomplete/dist/accessible-autocomplete.min.js.map": "accessible-autocomplete.min.js.map",
  // IndexedDB with promises, for the recorder's steps waiting to be sent (an ES module).
  "idb/build/index.js": "idb.js",
};
for (const [from, to] of Object.entries(scripts)) cpSync(join(modules, from), join(out, "js", to));

// GOV.UK Frontend from its Sass, configured in assets/scss/main.scss.
const result = sass.compile(join(root, "assets/scss/main.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  // GOV.UK Frontend 5 still uses Sass features that Dart Sass warns about; those warnings
  // are for its maintainers, not for us. Our own files still warn.
  quietDeps: true,
});
writeFileSync(join(out, "css/innohub.css"), result.css);

const kib = (Buffer.byteLength(result.css) / 1024).toFixed(0);
console.log(`assets built in ${out} (innohub.css ${kib} KiB, ${Date.now() - started} ms)`);
