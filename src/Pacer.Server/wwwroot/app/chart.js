// A lane's rate over time against its limit, and its 429 answers: one uPlot chart per lane, fed
// one point a second from the lanes event. The last ten minutes are kept.

const KEEP = 600;
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export class LaneChart {
  constructor(root, lane) {
    this.root = root;
    this.data = [[], [], [], []];
    this.lastTooMany = null;
    const width = () => Math.max(240, root.clientWidth || 300);
    this.plot = new window.uPlot({
      width: width(),
      height: 160,
      title: undefined,
      legend: { live: false },
      cursor: { show: false },
      scales: { x: { time: true }, rate: { auto: true, range: (u, min, max) => [0, Math.max(1, max) * 1.1] }, refused: { auto: true, range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [
        // Times in the viewer's locale.
        { values: (u, splits) => splits.map(s => clock.format(new Date(s * 1000))), incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600], space: 70, size: 36 },
        { scale: 'rate', label: 'req/min', size: 56 },
        { scale: 'refused', side: 1, label: '429s', grid: { show: false }, size: 40 },
      ],
      series: [
        {},
        { label: 'rate (req/min)', scale: 'rate', stroke: '#1f6feb', width: 2 },
        { label: 'limit', scale: 'rate', stroke: '#6e7781', dash: [6, 4], width: 1.5 },
        { label: '429s in the second', scale: 'refused', stroke: '#cf222e', width: 1.5, paths: window.uPlot.paths.stepped({ align: 1 }) },
      ],
    }, this.data, root);
    root.setAttribute('role', 'img');
    root.setAttribute('aria-label', `Rate of lane ${lane} per minute over time against its limit, with its 429 answers`);
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: width(), height: 160 }));
    this.resize.observe(root);
  }

  /** One second of the lane: its throughput, its limit (per minute) and its 429 count so far. */
  add(at, perMinute, limitPerMinute, tooManyRequests) {
    const refused = this.lastTooMany === null ? 0 : Math.max(0, tooManyRequests - this.lastTooMany);
    this.lastTooMany = tooManyRequests;
    const [x, rate, limit, r429] = this.data;
    x.push(at / 1000);
    rate.push(perMinute);
    limit.push(limitPerMinute);
    r429.push(refused);
    if (x.length > KEEP) {
      for (const series of this.data) {
        series.shift();
      }
    }
    this.plot.setData(this.data);
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
  }
}
