// A run's page, /runs/{id}: while it runs, its progress, ETA and throughput, a card and a chart
// per lane, and its jobs; when it ends, a summary of what succeeded, failed and was cancelled, the
// time taken against the least the limits allowed, and the slowest lane. A click expands it again.

import { call } from './api.js';
import { confirmAction } from './dialog.js';
import { h, text, n, int, when, seconds, badge, setBadge, bar, setBar } from './format.js';
import { LaneCard } from './lanecard.js';
import { ItemsTable } from './items.js';

const ENDED = new Set(['completed', 'failed', 'cancelled']);
const ratioFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export class RunView {
  constructor(root, id) {
    this.id = id;
    this.cards = new Map();
    this.ended = null;
    this.expanded = false;
    this.title = h('h1', {}, id);
    this.status = badge('queued');
    this.bar = bar(0, 0, 'progress of the run');
    this.counts = h('p', { class: 'counts' });
    this.eta = h('dd', { class: 'eta' }, '–');
    this.throughput = h('dd', { class: 'throughput' }, '–');
    this.started = h('dd', {}, '–');
    this.cancelRun = h('button', { type: 'button', class: 'danger', onclick: () => this.cancel() }, 'Cancel run');
    this.error = h('p', { class: 'error', role: 'alert' });
    this.announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.summary = h('section', { class: 'summary', hidden: true, 'aria-labelledby': 'summary-title' });
    this.toggle = h('button', { type: 'button', class: 'toggle', hidden: true, 'aria-expanded': 'false', 'aria-controls': 'run-details', onclick: () => this.expand(!this.expanded) }, 'Show lanes and jobs');
    this.grid = h('div', { class: 'cards' });
    this.itemsBox = h('div');
    this.details = h('div', { id: 'run-details' }, h('h2', {}, 'Lanes'), this.grid, this.itemsBox);
    this.live = h('section', { class: 'overview', 'aria-label': 'Progress' },
      h('p', { class: 'progress' }, this.bar),
      this.counts,
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'ETA'), this.eta),
        h('div', {}, h('dt', {}, 'Throughput'), this.throughput),
        h('div', {}, h('dt', {}, 'Started'), this.started)),
      this.cancelRun);
    root.replaceChildren(
      h('p', {}, h('a', { href: '/', 'data-link': true }, '← Runs')),
      h('div', { class: 'title' }, this.title, this.status),
      this.error, this.announce, this.live, this.summary, this.toggle, this.details);
    this.load();
  }

  async load() {
    try {
      const [run, lanes] = await Promise.all([call('/api/runs/' + encodeURIComponent(this.id)), call('/api/lanes')]);
      this.lanes = lanes.lanes;
      this.apply(run);
      if (!this.items) {
        const names = [...this.cards.keys()];
        this.items = new ItemsTable(this.id, names.length ? names : this.lanes.map(l => l.name));
        this.itemsBox.replaceChildren(this.items.el);
      }
      for (const lane of this.lanes) {
        this.cards.get(lane.name)?.lane(lane, Date.now());
      }
    } catch (e) {
      text(this.error, e.message);
    }
  }

  apply(run) {
    this.run = run;
    text(this.title, run.name || run.id);
    setBadge(this.status, run.status);
    const c = run.counts;
    const done = c.succeeded + c.failed + c.cancelled;
    setBar(this.bar, done, run.jobs);
    text(this.counts, `${int(done)} of ${int(run.jobs)} done: ${int(c.succeeded)} succeeded, ${int(c.failed)} failed, ${int(c.cancelled)} cancelled; ${int(c.running)} running, ${int(c.queued)} queued, ${int(c.waitingToRetry)} waiting to retry`);
    text(this.started, when(run.startedAt));
    const providers = run.executionMetrics?.providers || [];
    text(this.eta, run.etaSeconds == null ? (ENDED.has(run.status) ? 'done' : 'unknown') : seconds(run.etaSeconds));
    text(this.throughput, providers.length ? `${n(providers.reduce((s, p) => s + p.currentRequestsPerMinute, 0))} req/min` : '–');
    for (const p of providers) {
      this.card(p.provider).provider(p);
    }
    for (const lane of run.summary?.lanes || []) {
      this.card(lane.lane);
    }
    if (ENDED.has(run.status) && run.summary) {
      this.end(run);
    } else {
      this.cancelRun.hidden = false;
    }
  }

  card(name) {
    let card = this.cards.get(name);
    if (!card) {
      card = new LaneCard(name);
      this.cards.set(name, card);
      const names = [...this.cards.keys()].sort();
      this.grid.insertBefore(card.el, this.cards.get(names[names.indexOf(name) + 1])?.el ?? null);
      const lane = this.lanes?.find(l => l.name === name);
      if (lane) {
        card.lane(lane, Date.now());
      }
    }
    return card;
  }

  /** The run ended: the page collapses to its summary. */
  end(run) {
    this.cancelRun.hidden = true;
    const s = run.summary;
    const c = run.counts;
    const ratio = s.elapsedSeconds && s.leastSeconds ? ` (${ratioFormat.format(s.elapsedSeconds / s.leastSeconds)}×)` : '';
    const took = s.elapsedSeconds == null ? 'It never started.'
      : `It took ${seconds(s.elapsedSeconds)}; the limits allowed no less than ${seconds(s.leastSeconds)}${ratio}.`;
    this.summary.replaceChildren(
      h('h2', { id: 'summary-title' }, 'Summary'),
      h('ul', { class: 'totals' },
        h('li', { 'data-state': 'succeeded' }, badge('succeeded'), ' ', h('strong', { class: 'n-succeeded' }, int(c.succeeded))),
        h('li', { 'data-state': 'failed' }, badge('failed'), ' ', h('strong', { class: 'n-failed' }, int(c.failed))),
        h('li', { 'data-state': 'cancelled' }, badge('cancelled'), ' ', h('strong', { class: 'n-cancelled' }, int(c.cancelled)))),
      h('p', { class: 'took' }, took),
      h('p', { class: 'muted' }, `Started ${when(run.startedAt)}, ended ${when(run.finishedAt)}.`),
      s.slowestLane ? h('p', { class: 'slowest' }, 'Slowest lane: ', h('strong', {}, s.slowestLane), lanePart(s.lanes.find(l => l.lane === s.slowestLane))) : null);
    this.summary.hidden = false;
    this.toggle.hidden = false;
    this.live.hidden = true;
    if (this.ended === null) {
      text(this.announce, `The run ended: ${run.status}.`);
      this.ended = run.status;
      this.expand(false);
    }
  }

  expand(open) {
    this.expanded = open;
    this.details.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    text(this.toggle, open ? 'Hide lanes and jobs' : 'Show lanes and jobs');
  }

  async cancel() {
    if (!await confirmAction(`Cancel run ${this.run?.name || this.id}? Its queued jobs are never sent and its running requests are cancelled.`, 'Cancel run')) {
      this.cancelRun.focus();
      return;
    }
    try {
      this.apply(await call(`/api/runs/${encodeURIComponent(this.id)}/cancel`, { method: 'POST' }));
    } catch (e) {
      text(this.error, e.message);
    }
  }

  onEvent(type, data) {
    if (type === 'progress' && data.id === this.id) {
      this.apply(data);
      this.items?.refresh();
    } else if (type === 'lanes') {
      const at = Date.now();
      this.lanes = data.lanes;
      for (const lane of data.lanes) {
        this.cards.get(lane.name)?.lane(lane, at);
      }
    } else if (type === 'job' && data.run === this.id) {
      this.items?.onJob(data);
    } else if ((type === 'run' && data.id === this.id) || type === 'reset') {
      this.load();
      this.items?.refresh();
    }
  }

  destroy() {
    for (const card of this.cards.values()) {
      card.destroy();
    }
  }
}

function lanePart(lane) {
  if (!lane) {
    return '';
  }
  const least = lane.leastSeconds == null ? '' : `, its limits allowed ${seconds(lane.leastSeconds)}`;
  return lane.seconds == null ? least ? ` (${least.slice(2)})` : '' : ` (${seconds(lane.seconds)}${least})`;
}
