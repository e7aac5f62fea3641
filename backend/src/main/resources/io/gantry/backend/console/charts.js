'use strict';
// Charts drawn as inline SVG elements (no library): stacked progress bars and a bar chart.
(function (G) {
  const NS = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // One horizontal bar per row, split into segments [{label, value, color}].
  G.stackedBars = function (rows, segmentsOf, labelOf) {
    const width = 520, barX = 130, barW = 360, rowH = 26;
    const chart = svg('svg', { width: width, height: rows.length * rowH + 30, role: 'img', 'class': 'chart' });
    rows.forEach((row, i) => {
      const segs = segmentsOf(row);
      const total = segs.reduce((a, s) => a + s.value, 0);
      const y = i * rowH + 4;
      chart.appendChild(svg('text', { x: 0, y: y + 14 }, labelOf(row)));
      chart.appendChild(svg('rect', { x: barX, y: y, width: barW, height: 18, fill: '#eceff3' }));
      let x = barX;
      segs.forEach(s => {
        if (!total || !s.value) return;
        const w = barW * s.value / total;
        const r = svg('rect', { x: x, y: y, width: w, height: 18, fill: s.color });
        r.appendChild(svg('title', {}, s.label + ': ' + s.value));
        chart.appendChild(r);
        x += w;
      });
      chart.appendChild(svg('text', { x: barX + barW + 6, y: y + 14 }, total));
    });
    const legend = segmentsOf(rows[0] || {});
    let lx = 0;
    legend.forEach(s => {
      const ly = rows.length * rowH + 12;
      chart.appendChild(svg('rect', { x: lx, y: ly, width: 10, height: 10, fill: s.color }));
      chart.appendChild(svg('text', { x: lx + 14, y: ly + 9 }, s.label));
      lx += 24 + s.label.length * 6;
    });
    return chart;
  };

  // Vertical bars: [{label, value, color}].
  G.barChart = function (bars) {
    const height = 180, barW = 60, gap = 20, top = 20;
    const max = Math.max(1, ...bars.map(b => b.value));
    const chart = svg('svg', { width: bars.length * (barW + gap) + gap, height: height + 40, role: 'img', 'class': 'chart' });
    bars.forEach((b, i) => {
      const h = (height - top) * b.value / max;
      const x = gap + i * (barW + gap);
      chart.appendChild(svg('rect', { x: x, y: height - h, width: barW, height: h, fill: b.color }));
      chart.appendChild(svg('text', { x: x + barW / 2, y: height - h - 4, 'text-anchor': 'middle' }, b.value));
      chart.appendChild(svg('text', { x: x + barW / 2, y: height + 16, 'text-anchor': 'middle' }, b.label));
    });
    return chart;
  };
})(window.Gantry);
