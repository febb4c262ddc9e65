// Numbers, times and durations in the viewer's locale, and a small helper to build elements
// (text always goes in as text, never as markup).

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const n = value => value === null || value === undefined ? '–' : number.format(value);
export const int = value => value === null || value === undefined ? '–' : whole.format(value);

/** A moment: the time alone when it is today, else the date and time. */
export function when(iso) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? time.format(d) : dateTime.format(d);
}

/** A duration in seconds, as 45 s, 3 min 20 s or 2 h 5 min. */
export function seconds(s) {
  if (s === null || s === undefined || !isFinite(s)) {
    return '–';
  }
  if (s < 60) {
    return number.format(Math.round(s * 10) / 10) + ' s';
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return whole.format(m) + ' min ' + whole.format(Math.round(s % 60)) + ' s';
  }
  return whole.format(Math.floor(m / 60)) + ' h ' + whole.format(m % 60) + ' min';
}

/** h('div', { class: 'x', onclick: f }, 'text', child) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      el.append(child instanceof Node ? child : String(child));
    }
  }
  return el;
}

/** Sets an element's text only when it changed, so that updates in place do not disturb a reader. */
export function text(el, value) {
  const s = String(value);
  if (el.textContent !== s) {
    el.textContent = s;
  }
}

/** A job's or run's state, in words and a symbol, never by colour alone. */
const STATES = {
  queued: ['◌', 'queued'],
  running: ['▶', 'running'],
  waitingToRetry: ['↻', 'waiting to retry'],
  succeeded: ['✓', 'succeeded'],
  failed: ['✗', 'failed'],
  cancelled: ['⊘', 'cancelled'],
  completed: ['✓', 'completed'],
  completedWithErrors: ['!', 'completed with errors'],
  deleted: ['⊘', 'deleted'],
};

export function badge(state) {
  const [symbol, words] = STATES[state] || ['•', state];
  const el = h('span', { class: 'badge state-' + state, 'data-state': state }, h('span', { 'aria-hidden': 'true' }, symbol + ' '), words);
  return el;
}

/** Changes a badge in place to another state. */
export function setBadge(el, state) {
  if (el.dataset.state === state) {
    return;
  }
  const fresh = badge(state);
  el.className = fresh.className;
  el.dataset.state = state;
  el.replaceChildren(...fresh.childNodes);
}

/** A progress bar with its share in words beside it. */
export function bar(done, total, label) {
  return h('progress', { max: Math.max(total, 1), value: done, 'aria-label': label });
}

export function setBar(el, done, total) {
  el.max = Math.max(total, 1);
  el.value = done;
}
