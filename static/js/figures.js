// Draws the students-by-kecamatan bar chart from the JSON the page embeds.
(function () {
  const source = document.getElementById("kecamatan-data");
  const canvas = document.getElementById("kecamatan-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const rows = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((row) => row[0]),
      datasets: [{ data: rows.map((row) => row[1]), backgroundColor: "#0d6efd" }],
    },
    options: {
      // Numbers as the page's language writes them (1.688, not 1,688).
      locale: document.documentElement.lang || "id",
      // A report, not a show: the bars stand still, so a print or a screenshot is exact.
      animation: false,
      plugins: { legend: { display: false } },
      indexAxis: "y",
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
