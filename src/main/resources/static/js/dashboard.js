// Podium's dashboard: draws charts from the data their canvas carries (so that no inline
// script is needed), redraws them when a refresh replaces them, and says so when a
// refresh fails.
(function () {
	'use strict';

	function drawCharts(root) {
		if (typeof Chart === 'undefined') {
			return;
		}
		// a refresh replaced their canvas: let them go
		Object.values(Chart.instances).forEach(function (chart) {
			if (!chart.canvas.isConnected) {
				chart.destroy();
			}
		});
		root.querySelectorAll('canvas[data-chart="usage"]').forEach(function (canvas) {
			if (Chart.getChart(canvas)) {
				return;
			}
			var labels = JSON.parse(canvas.dataset.labels || '[]');
			var values = JSON.parse(canvas.dataset.values || '[]');
			var limit = Number(canvas.dataset.limit);
			new Chart(canvas, {
				data: {
					labels: labels,
					datasets: [{
						type: 'bar',
						label: 'Creations',
						data: values,
						backgroundColor: '#0a58b0',
						borderColor: '#0a58b0'
					}, {
						type: 'line',
						label: 'Current limit',
						data: labels.map(function () { return limit; }),
						borderColor: '#cf222e',
						borderDash: [6, 4],
						borderWidth: 2,
						pointRadius: 0
					}]
				},
				options: {
					animation: false,
					responsive: true,
					maintainAspectRatio: false,
					scales: {
						y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'creations' } }
					},
					plugins: { legend: { position: 'bottom' } }
				}
			});
		});
	}

	function refreshFailed(failed) {
		document.querySelectorAll('.refresh-error').forEach(function (notice) {
			notice.hidden = !failed;
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		drawCharts(document);
		if (typeof htmx !== 'undefined') {
			htmx.onLoad(drawCharts);
		}
	});
	document.addEventListener('htmx:responseError', function () { refreshFailed(true); });
	document.addEventListener('htmx:sendError', function () { refreshFailed(true); });
	document.addEventListener('htmx:afterSwap', function () { refreshFailed(false); });
})();
