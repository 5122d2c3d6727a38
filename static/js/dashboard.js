// Draws the dashboard's charts from the figures the page embeds (json_script); the same
// numbers are in the page as tables for screen readers.
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const locale = document.documentElement.lang || "id";
  const label = (id) => (document.getElementById(id) || {}).getAttribute?.("aria-label") || "";
  const options = {
    locale: locale,
    animation: false,
    maintainAspectRatio: false,
    plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  };
  function bar(id, labels, datasets, legend) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: { ...options, plugins: { legend: { display: !!legend } } },
    });
  }
  bar("weekly-chart", data.weekly.labels, [
    { label: label("weekly-chart"), data: data.weekly.values, backgroundColor: "#0d6efd" },
  ]);
  bar("due-chart", data.due.labels, [
    { label: label("due-chart"), data: data.due.values, backgroundColor: "#198754" },
  ]);
  const names = data.years.series;
  bar(
    "years-chart",
    data.years.labels,
    [
      { label: names[0], data: data.years.schools, backgroundColor: "#6c757d" },
      { label: names[1], data: data.years.recorded, backgroundColor: "#0d6efd" },
      { label: names[2], data: data.years.handed_over, backgroundColor: "#198754" },
    ],
    true,
  );
  if (data.coverage) {
    const coverage = data.coverage.series;
    bar(
      "coverage-chart",
      data.coverage.labels,
      [
        { label: coverage[0], data: data.coverage.without_ktp, backgroundColor: "#dc3545" },
        { label: coverage[1], data: data.coverage.recorded, backgroundColor: "#0d6efd" },
      ],
      true,
    );
  }
})();
