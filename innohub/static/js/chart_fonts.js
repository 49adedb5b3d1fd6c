// A canvas draws text in the fonts already loaded and never asks for one: on a device without
// a Bengali font, Bangla labels came out as empty boxes. Charts use the page's own (self-hosted)
// fonts, loaded for the very text the charts draw before they are drawn.
export async function loadFonts(Chart, text) {
  // GOV.UK sets its font on its components, not on <body>: read it from the page's heading.
  const styled = document.querySelector("h1, .govuk-body") || document.body;
  const family = getComputedStyle(styled).fontFamily;
  Chart.defaults.font.family = family;
  try {
    await Promise.all([
      document.fonts.load(`16px ${family}`, text),
      document.fonts.load(`bold 16px ${family}`, text),
      document.fonts.load(`12px ${family}`, text),
    ]);
    await document.fonts.ready;
  } catch {
    // A font that cannot load leaves the browser's fallback: the chart is still drawn.
  }
}
