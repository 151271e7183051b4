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
  var persian = document.documentElement.lang === "fa";
  var digits = function (value) {
    var text = String(value);
    return persian ? text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06F0 + Number(d)); }) : text;
  };
  if (window.Chart.defaults && window.Chart.defaults.font) { window.Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif"; }
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: trend.map(function (point) { return point.label; }),
      datasets: [{ label: canvas.dataset.label, data: trend.map(function (point) { return point.final; }), tension: 0.2 }]
    },
    options: {
      animation: false,
      // Persian digits on the axis; «بهار ۱۴۰۵» whole (no rotation, no skipped labels).
      scales: {
        y: { min: 0, max: 100, position: rtl ? "right" : "left", ticks: { callback: function (v) { return digits(v); } } },
        x: { reverse: rtl, ticks: { maxRotation: 0, autoSkip: false } }
      },
      plugins: {
        legend: { rtl: rtl },
        tooltip: { rtl: rtl, callbacks: { label: function (item) { return digits(item.formattedValue); } } }
      }
    }
  });
})();
