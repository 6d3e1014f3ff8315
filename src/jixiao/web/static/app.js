// Charts for the dashboards (ECharts, numbers from the page's JSON twin) and nothing else: every page works
// without this file.  Loaded as a file so that the CSP forbids inline script.
(function () {
  "use strict";
  var cache = {};
  function load(src) {
    if (!cache[src]) {
      cache[src] = fetch(src, { headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return cache[src];
  }
  function uniq(xs) { return xs.filter(function (x, i) { return xs.indexOf(x) === i; }); }
  var GRADE_COLORS = ["#2e7d32", "#1a56b8", "#b26a00", "#b3261e", "#6d4c41", "#546e7a"];
  var builders = {
    scatter: function (d) {
      var pts = d.execution_vs_score.filter(function (p) { return p.score !== null; });
      return {
        tooltip: { formatter: function (p) { return p.data[2] + "<br>执行率 " + p.data[0] + "%，自评分 " + p.data[1]; } },
        xAxis: { name: "执行率 %", min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max)); } },
        yAxis: { name: "自评分", min: 0, max: 100 },
        series: [
          { type: "scatter", symbolSize: 9, data: pts.map(function (p) { return [p.execution_rate, p.score, p.project, p.document_id]; }) },
          { type: "line", data: [[0, 0], [100, 100]], showSymbol: false, lineStyle: { type: "dashed", color: "#999" }, tooltip: { show: false } }
        ]
      };
    },
    grades: function (d) {
      var years = uniq(d.grades.map(function (g) { return String(g.year || "?"); })).sort();
      var grades = uniq(d.grades.map(function (g) { return g.grade; }));
      return {
        tooltip: { trigger: "axis" }, legend: { top: 0 },
        xAxis: { type: "category", data: years }, yAxis: { type: "value", name: "份数" },
        series: grades.map(function (gr, i) {
          return { name: gr, type: "bar", stack: "g", color: GRADE_COLORS[i % GRADE_COLORS.length],
            data: years.map(function (y) {
              return d.grades.filter(function (g) { return String(g.year || "?") === y && g.grade === gr; })
                .reduce(function (s, g) { return s + g.count; }, 0);
            }) };
        })
      };
    },
    gap: function (d) {
      var rows = d.self_vs_external;
      return {
        tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { left: 160 },
        yAxis: { type: "category", data: rows.map(function (r) { return r.project; }) },
        xAxis: { type: "value", min: 0, max: 100 },
        series: [
          { name: "自评分", type: "bar", data: rows.map(function (r) { return r.self_score; }) },
          { name: "外部评价分", type: "bar", data: rows.map(function (r) { return r.external_score; }) }
        ]
      };
    },
    rollup: function (d) {
      var rows = d.departments.slice(0, 30);
      return {
        tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { bottom: 90 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30, interval: 0 } },
        yAxis: [{ type: "value", name: "执行率 / 平均分", max: 120 }, { type: "value", name: "问题" }],
        series: [
          { name: "执行率 %", type: "bar", data: rows.map(function (r) { return r.execution_rate; }) },
          { name: "平均自评分", type: "bar", data: rows.map(function (r) { return r.mean_score; }) },
          { name: "问题", type: "line", yAxisIndex: 1, data: rows.map(function (r) { return r.findings; }) }
        ]
      };
    }
  };
  function draw(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll(".chart[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      el.dataset.drawn = "1";
      load(el.dataset.src).then(function (data) {
        var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
        chart.setOption(builders[el.dataset.chart](data));
        window.addEventListener("resize", function () { chart.resize(); });
      }).catch(function () { el.textContent = "图表数据读取失败，请看下面的数据表。"; });
    });
  }
  function whenReady() {
    if (window.echarts) { draw(); return; }
    var tries = 0;
    var timer = setInterval(function () { tries += 1; if (window.echarts || tries > 50) { clearInterval(timer); draw(); } }, 100);
  }
  document.addEventListener("DOMContentLoaded", whenReady);
  document.addEventListener("htmx:load", function (e) {
    if (document.querySelector(".chart[data-chart]") && !window.echarts) {
      var s = document.createElement("script");
      s.src = "/static/vendor/echarts.min.js";
      s.onload = function () { draw(e.target); };
      document.head.appendChild(s);
    } else { draw(e.target); }
  });
})();
