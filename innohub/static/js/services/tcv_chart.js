// Draws how a service's journeys spread over days, cost and visits (histograms) with Chart.js,
// from the data the page gives in a json_script element. Each chart has a table of the same
// numbers below it: the version without JavaScript and for screen readers.
const source = document.getElementById("tcv-chart-data");

// A canvas draws text in the fonts already loaded and never asks for one: on a device without
// a Bengali font, Bangla labels came out as empty boxes. Charts use the page's own (self-hosted)
// fonts, loaded for the very text the charts draw before they are drawn.
async function loadFonts(Chart, data) {
  // GOV.UK sets its font on its components, not on <body>: read it from the page's heading.
  const styled = document.querySelector("h1, .govuk-body") || document.body;
  const family = getComputedStyle(styled).fontFamily;
  const text = [data.journeys, ...data.metrics.flatMap((metric) => [metric.label, ...metric.labels])].join(" ");
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

async function draw() {
  const Chart = window.Chart;
  if (!source || !Chart) return;
  const data = JSON.parse(source.textContent);
  if (!data) return;
  await loadFonts(Chart, data);
  // Tick numbers in the page's language (Bangla digits on a Bangla page).
  const locale = document.documentElement.lang || "en";
  for (const metric of data.metrics) {
    const canvas = document.querySelector(`[data-tcv-chart="${metric.key}"]`);
    if (!canvas) continue;
    canvas.closest("[data-tcv-charts]").hidden = false;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: metric.labels,
        datasets: [{ label: data.journeys, data: metric.counts, backgroundColor: "#1d70b8" }],
      },
      options: {
        animation: false,
        locale,
        plugins: {
          legend: { display: false },
          title: {
            display: true,
            text: metric.label,
            color: "#0b0c0c",
            font: { size: 16, weight: "bold" },
          },
        },
        scales: {
          y: {
            beginAtZero: true,
            ticks: { color: "#0b0c0c", precision: 0 },
            title: { display: true, text: data.journeys, color: "#0b0c0c" },
          },
          x: { ticks: { color: "#0b0c0c" } },
        },
      },
    });
  }
}

// chart.umd.js is a deferred classic script placed before this module: both run in document
// order after parsing, so Chart is there; wait for load in case a browser orders them otherwise.
if (window.Chart) draw();
else window.addEventListener("load", draw, { once: true });
