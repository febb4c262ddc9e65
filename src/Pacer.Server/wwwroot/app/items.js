// A run's jobs (plan 002's items): filtered by state and lane, paged on the server, each with its
// state, attempts, last error and priority, and a cancel button while it can still be cancelled.
// Rows are kept by index and changed in place.

import { call } from './api.js';
import { confirming, confirmAction } from './dialog.js';
import { h, text, int, badge, setBadge } from './format.js';

const PAGE = 20;
const STATES = ['queued', 'running', 'waitingToRetry', 'succeeded', 'failed', 'cancelled'];
const OPEN = new Set(['queued', 'running', 'waitingToRetry']);

export class ItemsTable {
  constructor(runId, lanes) {
    this.runId = runId;
    this.rows = new Map();
    this.after = -1;
    this.previous = [];
    this.loading = null;
    this.state = h('select', { id: 'items-state', onchange: () => this.restart() },
      h('option', { value: '' }, 'every state'), STATES.map(s => h('option', { value: s }, s)));
    this.lane = h('select', { id: 'items-lane', onchange: () => this.restart() },
      h('option', { value: '' }, 'every lane'), lanes.map(l => h('option', { value: l }, l)));
    this.body = h('tbody');
    this.prev = h('button', { type: 'button', onclick: () => this.page(-1) }, '← Previous');
    this.next = h('button', { type: 'button', onclick: () => this.page(1) }, 'Next →');
    this.where = h('span', { class: 'muted', 'aria-live': 'polite' });
    this.error = h('p', { class: 'error', role: 'alert' });
    this.el = h('section', { class: 'items', 'aria-labelledby': 'items-title' },
      h('h2', { id: 'items-title' }, 'Jobs'),
      h('div', { class: 'filters' },
        h('label', { for: 'items-state' }, 'State '), this.state,
        h('label', { for: 'items-lane' }, 'Lane '), this.lane),
      this.error,
      h('div', { class: 'scroll' },
        h('table', { 'aria-label': 'Jobs of the run' },
          h('thead', {}, h('tr', {},
            ['#', 'State', 'Lane', 'Priority', 'Attempts', 'Last error', ''].map(t => h('th', { scope: 'col' }, t)))),
          this.body)),
      h('div', { class: 'pager' }, this.prev, ' ', this.where, ' ', this.next));
    this.load();
  }

  restart() {
    this.after = -1;
    this.previous = [];
    this.load();
  }

  page(step) {
    if (step > 0 && this.nextAfter !== null) {
      this.previous.push(this.after);
      this.after = this.nextAfter;
    } else if (step < 0 && this.previous.length) {
      this.after = this.previous.pop();
    }
    this.load();
  }

  /** Reads the page again, unless a read is under way or a confirmation is open. */
  refresh() {
    if (!this.loading && !confirming()) {
      this.load();
    }
  }

  async load() {
    const query = new URLSearchParams({ after: this.after, limit: PAGE });
    if (this.state.value) query.set('state', this.state.value);
    if (this.lane.value) query.set('lane', this.lane.value);
    const request = call(`/api/runs/${encodeURIComponent(this.runId)}/jobs?${query}`);
    this.loading = request;
    try {
      const page = await request;
      if (this.loading !== request) {
        return;
      }
      text(this.error, '');
      this.show(page.jobs);
      this.nextAfter = page.next ? page.jobs[page.jobs.length - 1].index : null;
      this.next.disabled = this.nextAfter === null;
      this.prev.disabled = this.previous.length === 0;
      text(this.where, page.jobs.length ? `jobs #${page.jobs[0].index}–#${page.jobs[page.jobs.length - 1].index}` : 'no jobs match');
    } catch (e) {
      text(this.error, e.message);
    } finally {
      if (this.loading === request) {
        this.loading = null;
      }
    }
  }

  show(jobs) {
    const keep = new Set(jobs.map(j => j.index));
    for (const [index, row] of this.rows) {
      if (!keep.has(index)) {
        row.tr.remove();
        this.rows.delete(index);
      }
    }
    let before = null;
    for (let i = jobs.length - 1; i >= 0; i--) {
      const job = jobs[i];
      let row = this.rows.get(job.index);
      if (!row) {
        row = this.row(job);
        this.rows.set(job.index, row);
      }
      this.update(row, job);
      if (row.tr.nextSibling !== before || row.tr.parentNode !== this.body) {
        this.body.insertBefore(row.tr, before);
      }
      before = row.tr;
    }
  }

  row(job) {
    const row = {
      job,
      state: badge(job.state),
      attempts: h('td'),
      error: h('td', { class: 'error-text' }),
      cancel: h('button', { type: 'button', class: 'small danger', 'aria-label': `Cancel job #${job.index}`, onclick: () => this.cancel(row) }, 'Cancel'),
    };
    row.tr = h('tr', { 'data-index': job.index },
      h('th', { scope: 'row' }, '#' + job.index),
      h('td', {}, row.state),
      h('td', {}, job.lane ?? '–'),
      h('td', {}, int(job.priority)),
      row.attempts,
      row.error,
      h('td', {}, row.cancel));
    return row;
  }

  update(row, job) {
    row.job = { ...row.job, ...job };
    row.tr.dataset.state = row.job.state;
    setBadge(row.state, row.job.state);
    text(row.attempts, int(row.job.attempts ?? 0));
    text(row.error, row.job.error ?? '');
    row.cancel.hidden = !OPEN.has(row.job.state);
  }

  /** A job event: the job ended. */
  onJob(event) {
    const row = this.rows.get(event.index);
    if (row) {
      this.update(row, event.attempts ? { state: event.state, attempts: event.attempts } : { state: event.state });
    }
  }

  async cancel(row) {
    const job = row.job;
    const ok = await confirmAction(`Cancel job #${job.index}${job.lane ? ' of lane ' + job.lane : ''}? A queued job is never sent; a running one has its request cancelled.`, 'Cancel job');
    if (!ok) {
      row.cancel.focus();
      return;
    }
    try {
      const after = await call(`/api/runs/${encodeURIComponent(this.runId)}/jobs/${job.index}/cancel`, { method: 'POST' });
      this.update(row, { state: after.state });
    } catch (e) {
      text(this.error, e.message);
    }
  }
}
