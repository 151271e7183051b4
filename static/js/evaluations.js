// Quarterly evaluation: the trend chart on a scorecard and the print button of the board pack.
(function () {
  "use strict";

  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var canvas = document.getElementById("trend-chart");
  var data = document.getElementById("trend-data");
  if (!canvas || !data || !window.Chart) { return; }
  var trend = JSON.parse(data.textContent);
  var rtl = document.documentElement.dir === "rtl";
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: trend.map(function (point) { return point.label; }),
      datasets: [{ label: canvas.dataset.label, data: trend.map(function (point) { return point.final; }), tension: 0.2 }]
    },
    options: {
      animation: false,
      scales: { y: { min: 0, max: 100 }, x: { reverse: rtl } },
      plugins: { legend: { rtl: rtl } }
    }
  });
})();
