// Draws the pipeline's charts with Chart.js: each `[data-chart]` box names the json_script
// element holding {type: "bar" | "line", horizontal, labels, values, series}. Every chart has a
// table of the same numbers beside it: the version without JavaScript and for screen readers.
import { loadFonts } from "../chart_fonts.js";
import { loadScript } from "../load_script.js";

const BLUE = "#1d70b8";
const INK = "#0b0c0c";

async function draw(box) {
  const Chart = window.Chart;
  const spec = JSON.parse(document.getElementById(box.dataset.chart).textContent);
  const canvas = box.querySelector("canvas");
  if (!Chart || !spec || !canvas) return;
  await loadFonts(Chart, [spec.series, ...spec.labels].join(" "));
  const horizontal = Boolean(spec.horizontal);
  const valueAxis = { beginAtZero: true, ticks: { color: INK }, title: { display: true, text: spec.series, color: INK } };
  const labelAxis = { ticks: { color: INK } };
  new Chart(canvas, {
    type: spec.type,
    data: {
      labels: spec.labels,
      datasets: [
        {
          label: spec.series,
          data: spec.values,
          backgroundColor: BLUE,
          borderColor: BLUE,
          pointRadius: 4,
          tension: 0,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      // Numbers in the page's language (Bangla digits on a Bangla page).
      locale: document.documentElement.lang || "en",
      indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { display: false } },
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
    },
  });
}

// Chart.js is fetched only when a chart is about to scroll into view; offline or blocked, the
// boxes are hidden and the tables hold the same numbers.
async function start(boxes) {
  try {
    if (!window.Chart) await loadScript(boxes[0].dataset.chartSrc);
    for (const box of boxes) await draw(box);
  } catch {
    for (const box of boxes) box.hidden = true;
  }
}

const boxes = [...document.querySelectorAll("[data-chart]")];
if (boxes.length) {
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        start(boxes);
      },
      { rootMargin: "200px 0px" },
    );
    for (const box of boxes) observer.observe(box);
  } else {
    start(boxes);
  }
}
