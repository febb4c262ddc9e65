// The lanes and their limits, live. With an API key on the server, each lane's limits can be
// changed here (PATCH /api/lanes/{name}); the change shows at once. Headers are never shown: the
// API does not give them.

import { call, hasKey } from './api.js';
import { h, text, n, int } from './format.js';

const FIELDS = [
  ['concurrency', 'Concurrency', 'requests at once'],
  ['rpm', 'Requests per minute', 'replaces the request rates'],
  ['burst', 'Burst', 'requests above the rate at once'],
  ['tpm', 'Tokens per minute', 'cost rate'],
];

export class LanesView {
  constructor(root) {
    this.rows = new Map();
    this.list = h('div', { class: 'lanes' });
    this.error = h('p', { class: 'error', role: 'alert' });
    root.replaceChildren(
      h('h1', {}, 'Lanes'),
      h('p', { class: 'muted' }, hasKey()
        ? 'Change a lane\'s limits while it runs; a change lasts until the server stops.'
        : 'Limits can be changed here when the server has an API key (PACER_API_KEY).'),
      this.error,
      this.list);
    call('/api/lanes').then(body => this.show(body.lanes)).catch(e => text(this.error, e.message));
  }

  show(lanes) {
    for (const lane of lanes) {
      let row = this.rows.get(lane.name);
      if (!row) {
        row = this.row(lane);
        this.rows.set(lane.name, row);
        this.list.append(row.el);
      }
      this.update(row, lane);
    }
  }

  row(lane) {
    const row = {
      limits: h('dd', { class: 'limits' }),
      now: h('dd', { class: 'now' }),
    };
    row.el = h('article', { class: 'card lane', 'data-lane': lane.name, 'aria-labelledby': 'lane-' + lane.name },
      h('header', {}, h('h2', { id: 'lane-' + lane.name }, lane.name), h('span', { class: 'muted' }, lane.baseUrl ?? '')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Limits'), row.limits),
        h('div', {}, h('dt', {}, 'Now'), row.now)),
      hasKey() ? this.form(lane, row) : null);
    return row;
  }

  form(lane, row) {
    const inputs = {};
    const message = h('p', { class: 'muted', role: 'status' });
    const form = h('form', { class: 'edit', 'aria-label': `Change the limits of lane ${lane.name}` },
      FIELDS.map(([field, label, hint]) => {
        const id = `edit-${lane.name}-${field}`;
        // The server checks the values and names the one at fault.
        inputs[field] = h('input', { id, name: field, type: 'number', step: 1, inputmode: 'numeric', placeholder: hint });
        return h('div', { class: 'field' }, h('label', { for: id }, label), inputs[field]);
      }),
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      message);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const change = {};
      for (const [field, input] of Object.entries(inputs)) {
        if (input.value !== '') {
          change[field] = Number(input.value);
        }
      }
      if (!Object.keys(change).length) {
        text(message, 'Give at least one limit.');
        return;
      }
      try {
        const updated = await call('/api/lanes/' + encodeURIComponent(lane.name), {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(change),
        });
        this.update(row, updated);
        Object.values(inputs).forEach(i => { i.value = ''; });
        text(message, 'Changed.');
      } catch (err) {
        text(message, err.message);
      }
    });
    return form;
  }

  update(row, lane) {
    const l = lane.limits;
    const parts = [];
    parts.push(l.maxConcurrency == null ? 'no concurrency limit' : `${int(l.maxConcurrency)} at once`);
    for (const r of l.rates) parts.push(`${n(r.perMinute)} req/min (burst ${int(r.burst)})`);
    for (const r of l.costRates) parts.push(`${n(r.perMinute)} tokens/min`);
    text(row.limits, parts.join(' · '));
    const now = lane.now;
    text(row.now, `${int(now.running)} running, ${int(now.queued)} queued, ${n(now.throughputPerSecond * 60)} req/min, ${int(now.tooManyRequests ?? 0)} answers 429, circuit ${now.circuit}`);
  }

  onEvent(type, data) {
    if (type === 'lanes') {
      this.show(data.lanes);
    }
  }
}
