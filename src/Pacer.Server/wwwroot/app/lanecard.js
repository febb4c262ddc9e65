// A lane's card on a run's page, as plan 000 draws it: active jobs as dots against the lane's
// concurrency, the rate now against the limit, the lane's progress in the run, its state with the
// reason, and its recent completions. A chart below shows the rate over time and the 429s.

import { h, text, n, int, when, bar, setBar } from './format.js';
import { LaneChart } from './chart.js';

const MOST_DOTS = 32;

export class LaneCard {
  constructor(name) {
    this.name = name;
    this.lastCost = null;
    this.dots = h('span', { class: 'dots', 'aria-hidden': 'true' });
    this.active = h('span', { class: 'active-count' });
    this.stateText = h('span', { class: 'lane-state' });
    this.rate = h('span', { class: 'rate' });
    this.tokens = h('p', { class: 'tokens', hidden: true });
    this.bar = bar(0, 0, `progress of lane ${name}`);
    this.done = h('span', { class: 'lane-done' });
    this.refused = h('span', { class: 'refused' });
    this.recent = h('ul', { class: 'recent', 'aria-label': `recent completions of lane ${name}` });
    this.chartBox = h('div', { class: 'chart' });
    this.el = h('article', { class: 'card', 'data-lane': name, 'aria-labelledby': 'lane-' + name },
      h('header', {}, h('h3', { id: 'lane-' + name }, name), this.stateText),
      h('p', { class: 'active' }, this.dots, ' ', this.active, ' active'),
      h('p', {}, this.rate),
      this.tokens,
      h('p', { class: 'progress' }, this.bar, ' ', this.done),
      h('p', { class: 'muted' }, this.refused),
      this.recent,
      this.chartBox);
  }

  /** The lane's part in the run: from a progress event or GET /api/runs/{id}. */
  provider(p) {
    const max = p.maxParallel;
    text(this.active, max ? `${int(p.activeJobs)} / ${int(max)}` : int(p.activeJobs));
    this.drawDots(p.activeJobs, max);
    setBar(this.bar, p.doneJobs ?? 0, p.totalJobs ?? 0);
    const share = p.totalJobs ? Math.floor(100 * (p.doneJobs ?? 0) / p.totalJobs) : 0;
    text(this.done, `${int(p.doneJobs ?? 0)} / ${int(p.totalJobs ?? 0)} done (${share}%), ${int(p.queuedJobs)} queued`);
    const limit = p.requestsPerMinute == null ? 'no rate limit' : `limit ${n(p.requestsPerMinute)} req/min`;
    text(this.rate, `${n(p.currentRequestsPerMinute)} req/min now · ${limit}`);
    this.recentCompletions(p.recentCompletions || []);
  }

  /** The lane as the lanes event shows it: limits, state, 429s, tokens; and a point on the chart. */
  lane(l, at) {
    const now = l.now;
    text(this.stateText, describe(now));
    this.el.dataset.state = stateOf(now);
    text(this.refused, `${int(now.tooManyRequests ?? 0)} answers 429 since the server started · ${int(now.retries)} retries`);
    const rateLimit = minPerMinute(l.limits.rates);
    const costLimit = minPerMinute(l.limits.costRates);
    if (costLimit !== null) {
      const spent = now.costSpent ?? 0;
      const perMinute = this.lastCost === null || at <= this.lastCost.at ? null : (spent - this.lastCost.spent) * 60000 / (at - this.lastCost.at);
      this.lastCost = { at, spent };
      this.tokens.hidden = false;
      text(this.tokens, `${perMinute === null ? '–' : n(perMinute)} tokens/min now · limit ${n(costLimit)} tokens/min`);
    }
    if (!this.chart && window.uPlot && this.chartBox.isConnected) {
      this.chart = new LaneChart(this.chartBox, this.name);
    }
    this.chart?.add(at, now.throughputPerSecond * 60, rateLimit, now.tooManyRequests ?? 0);
  }

  drawDots(active, max) {
    if (!max || max > MOST_DOTS) {
      this.dots.replaceChildren();
      return;
    }
    if (this.dots.childElementCount !== max) {
      this.dots.replaceChildren(...Array.from({ length: max }, () => h('span', { class: 'dot' })));
    }
    [...this.dots.children].forEach((dot, i) => dot.classList.toggle('on', i < active));
  }

  recentCompletions(list) {
    const items = list.slice(0, 5).map(c => {
      const symbol = c.status === 'succeeded' ? '✓' : c.status === 'failed' ? '✗' : '⊘';
      return h('li', { 'data-state': c.status }, h('span', { 'aria-hidden': 'true' }, symbol + ' '), `${c.what}${c.model ? ' · ' + c.model : ''} ${c.status}, ${int(c.ms)} ms`);
    });
    const key = items.map(i => i.textContent).join('|');
    if (this.recent.dataset.key !== key) {
      this.recent.dataset.key = key;
      this.recent.replaceChildren(...items);
    }
  }

  destroy() {
    this.chart?.destroy();
  }
}

/** Why a service paused the lane, in words. */
const PAUSES = {
  RetryAfter: 'Retry-After',
  NoRequestsRemaining: 'no requests remaining',
  NoTokensRemaining: 'no tokens remaining',
};

function minPerMinute(rates) {
  return rates && rates.length ? Math.min(...rates.map(r => r.perMinute)) : null;
}

function stateOf(now) {
  if (now.circuit === 'open') return 'breaker-open';
  if (now.pausedUntil && new Date(now.pausedUntil) > new Date()) return 'paused';
  if (now.quotaRemaining === 0) return 'quota';
  if (now.adaptiveRatePerSecond != null) return 'adaptive';
  return now.running > 0 || now.queued > 0 ? 'running' : 'idle';
}

/** The lane's state in words, with its reason. */
function describe(now) {
  switch (stateOf(now)) {
    case 'breaker-open': return '⛔ breaker open: the service kept failing';
    case 'paused': return `⏸ paused for ${PAUSES[now.pauseReason] || 'the service'} until ${when(now.pausedUntil)}`;
    case 'quota': return `⌛ waiting for quota, refills ${when(now.quotaRefillsAt)}`;
    case 'adaptive': return `≈ adaptive: learned ${n(now.adaptiveRatePerSecond)}/s${now.adaptivePhase ? ' (' + now.adaptivePhase + ')' : ''}`;
    case 'running': return '▶ running';
    default: return '◌ idle';
  }
}
