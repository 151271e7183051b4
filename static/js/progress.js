/* The progress pages: the quarterly trend chart (chart.js, served locally) and the print button. */
(function () {
  "use strict";

  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var trend = JSON.parse(source.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var persian = (document.documentElement.lang || "").indexOf("fa") === 0;
  var digits = function (value) {
    var text = String(value);
    return persian ? text.replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : text;
  };
  var font = getComputedStyle(document.body).fontFamily;
  window.Chart.defaults.font.family = font;
  var chart = canvas.chart = new window.Chart(canvas, {
    type: "line",
    data: {
      labels: trend.labels,
      datasets: [{
        label: canvas.getAttribute("aria-label"),
        data: trend.values,
        borderColor: "#0d6efd",
        backgroundColor: "rgba(13, 110, 253, .15)",
        fill: true,
        tension: 0.25,
        pointRadius: 4
      }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { left: 24, right: 24 } },
      locale: persian ? "fa-IR" : "en",
      plugins: {
        legend: { display: false },
        tooltip: { rtl: rtl, callbacks: { label: function (item) { return digits(item.formattedValue) + "٪"; } } }
      },
      scales: {
        x: { reverse: rtl },
        y: { min: 0, max: 100, position: rtl ? "right" : "left", ticks: { callback: function (v) { return digits(v) + "٪"; } } }
      }
    }
  });
  // Printing lays the page out again at A4 width: redraw the chart for the printed box (and back).
  var redraw = function () { chart.resize(); };
  window.addEventListener("beforeprint", redraw);
  window.addEventListener("afterprint", redraw);
})();
