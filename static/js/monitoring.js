// Website monitoring: the agency panel's chart of news items per week over the quarter.
(function () {
  "use strict";

  var canvas = document.getElementById("news-chart");
  var data = document.getElementById("news-chart-data");
  if (!canvas || !data || !window.Chart) { return; }
  var chart = JSON.parse(data.textContent);
  var rtl = document.documentElement.dir === "rtl";
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: chart.labels, datasets: [{ label: canvas.dataset.label, data: chart.values }] },
    options: {
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { reverse: rtl } },
      plugins: { legend: { display: false } }
    }
  });
})();
