// Draws how a service's journeys spread over days, cost and visits (histograms) with Chart.js,
// from the data the page gives in a json_script element. Each chart has a table of the same
// numbers below it: the version without JavaScript and for screen readers.
import { loadFonts } from "../chart_fonts.js";
import { loadScript } from "../load_script.js";

const source = document.getElementById("tcv-chart-data");

async function draw() {
  const Chart = window.Chart;
  const data = JSON.parse(source.textContent);
  if (!data || !Chart) return;
  await loadFonts(
    Chart,
    [data.journeys, ...data.metrics.flatMap((metric) => [metric.label, ...metric.labels])].join(" "),
  );
  // Tick numbers in the page's language (Bangla digits on a Bangla page).
  const locale = document.documentElement.lang || "en";
  for (const metric of data.metrics) {
    const canvas = document.querySelector(`[data-tcv-chart="${metric.key}"]`);
    if (!canvas) continue;
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

// Chart.js is 70 KB compressed and a good part of a second of a cheap phone's processor: it is
// fetched only when a chart is about to scroll into view, so a person who reads the figures at
// the top never pays for it. The boxes the charts go in keep their size from the first paint
// (.innohub-chart in _innohub.scss), so nothing moves when they are drawn.
async function start() {
  try {
    if (!window.Chart) await loadScript(document.getElementById("tcv-chart-src").dataset.chartSrc);
    await draw();
  } catch {
    // Offline or blocked: the tables below the charts hold the same numbers.
    for (const box of document.querySelectorAll("[data-tcv-charts]")) box.hidden = true;
  }
}

const boxes = document.querySelectorAll("[data-tcv-charts]");
if (source && boxes.length) {
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        start();
      },
      { rootMargin: "200px 0px" },
    );
    for (const box of boxes) observer.observe(box);
  } else {
    start();
  }
}
