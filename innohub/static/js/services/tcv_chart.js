// Draws the TCV distribution of a service's journeys (mean, median, 90th percentile) with
// Chart.js, from the data the page gives in a json_script element. The table above the charts
// carries the same numbers: it is the version without JavaScript and for screen readers.
const source = document.getElementById("tcv-chart-data");
const holder = document.querySelector("[data-tcv-charts]");

function draw() {
  const Chart = window.Chart;
  if (!source || !holder || !Chart) return;
  const data = JSON.parse(source.textContent);
  if (!data) return;
  holder.hidden = false;
  // GOV.UK colours: blue, dark blue, orange; distinct for colour-blind readers too.
  const colours = ["#1d70b8", "#003078", "#f47738"];
  for (const metric of data.metrics) {
    const canvas = holder.querySelector(`[data-tcv-chart="${metric.key}"]`);
    if (!canvas) continue;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: metric.label,
            data: metric.values.map(Number),
            backgroundColor: colours,
          },
        ],
      },
      options: {
        animation: false,
        plugins: {
          legend: { display: false },
          title: { display: true, text: metric.label, color: "#0b0c0c", font: { size: 16 } },
        },
        scales: { y: { beginAtZero: true, ticks: { color: "#0b0c0c" } }, x: { ticks: { color: "#0b0c0c" } } },
      },
    });
  }
}

// chart.umd.js is a deferred classic script placed before this module: both run in document
// order after parsing, so Chart is there; wait for load in case a browser orders them otherwise.
if (window.Chart) draw();
else window.addEventListener("load", draw, { once: true });
