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
    options: { plugins: { legend: { display: false } }, indexAxis: "y" },
  });
})();
