// The runs list: newest first, live. A run event adds or changes a row in place; a progress
// event moves its bar and ETA.

import { call } from './api.js';
import { h, text, int, when, seconds, badge, setBadge, bar, setBar } from './format.js';

const PAGE = 50;

export class RunsView {
  constructor(root) {
    this.rows = new Map();
    this.body = h('tbody');
    this.more = h('button', { type: 'button', hidden: true, onclick: () => this.load() }, 'More runs');
    this.empty = h('p', { class: 'muted', hidden: true }, 'No runs yet. POST request lines to /api/runs, or run pacer demo --web.');
    this.offset = 0;
    root.replaceChildren(
      h('h1', {}, 'Runs'),
      this.empty,
      h('div', { class: 'scroll' },
        h('table', { class: 'runs', 'aria-label': 'Runs, newest first' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Run'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Progress'),
            h('th', { scope: 'col' }, 'Started'),
            h('th', { scope: 'col' }, 'ETA'))),
          this.body)),
      this.more);
    this.load();
  }

  async load() {
    const page = await call(`/api/runs?offset=${this.offset}&limit=${PAGE}`);
    for (const run of page.runs) {
      this.upsert(run, false);
    }
    this.offset += page.runs.length;
    this.more.hidden = !page.next;
    this.empty.hidden = this.rows.size > 0;
  }

  /** Adds a run's row (at the top when it is new and live) or changes it. */
  upsert(run, atTop) {
    let row = this.rows.get(run.id);
    if (!row) {
      if (run.status === 'deleted') {
        return;
      }
      row = this.row(run);
      this.rows.set(run.id, row);
      if (atTop) {
        this.body.prepend(row.tr);
      } else {
        this.body.append(row.tr);
      }
      this.empty.hidden = true;
    }
    if (run.status === 'deleted') {
      row.tr.remove();
      this.rows.delete(run.id);
      return;
    }
    Object.assign(row.run, Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)));
    const r = row.run;
    setBadge(row.status, r.status);
    const done = r.done ?? 0;
    setBar(row.bar, done, r.jobs ?? 0);
    text(row.count, `${int(done)} / ${int(r.jobs)}`);
    text(row.started, when(r.startedAt));
    text(row.eta, r.status === 'running' || r.status === 'queued' ? (r.etaSeconds == null ? '–' : seconds(r.etaSeconds)) : '–');
  }

  row(run) {
    const row = {
      run: { ...run },
      status: badge(run.status),
      bar: bar(0, run.jobs ?? 0, 'progress'),
      count: h('span', { class: 'count' }),
      started: h('span'),
      eta: h('span'),
    };
    row.tr = h('tr', { 'data-run': run.id },
      h('th', { scope: 'row' }, h('a', { href: '/runs/' + encodeURIComponent(run.id), 'data-link': true }, run.name || run.id)),
      h('td', {}, row.status),
      h('td', { class: 'progress' }, row.bar, ' ', row.count),
      h('td', {}, row.started),
      h('td', {}, row.eta));
    return row;
  }

  onEvent(type, data) {
    if (type === 'run') {
      if (data.status === 'completed' || data.status === 'failed' || data.status === 'cancelled') {
        this.upsert(data, true);
        // The ended run's own counts, once.
        call('/api/runs/' + encodeURIComponent(data.id)).then(run => {
          const c = run.counts;
          this.upsert({ id: run.id, status: run.status, done: c.succeeded + c.failed + c.cancelled }, true);
        }).catch(() => {});
      } else {
        this.upsert(data, true);
      }
    } else if (type === 'progress') {
      const c = data.counts;
      this.upsert({ id: data.id, name: data.name, status: data.status, jobs: data.jobs, startedAt: data.startedAt, etaSeconds: data.etaSeconds, done: c.succeeded + c.failed + c.cancelled }, true);
    } else if (type === 'reset') {
      this.rows.clear();
      this.body.replaceChildren();
      this.offset = 0;
      this.load();
    }
  }
}
