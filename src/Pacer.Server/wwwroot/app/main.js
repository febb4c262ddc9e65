// The dashboard: one page whose path says what it shows (/, /runs/{id}, /lanes), one event stream
// for all of it, and links that change the view without reloading the page.

import { start, listen } from './api.js';
import { RunsView } from './runs.js';
import { RunView } from './run.js';
import { LanesView } from './lanes.js';

const root = document.getElementById('view');
const connection = document.getElementById('connection');
let view = null;

function route() {
  view?.destroy?.();
  const path = location.pathname;
  const run = /^\/runs\/([^/]+)$/.exec(path);
  document.querySelectorAll('nav a').forEach(a => a.toggleAttribute('aria-current', a.getAttribute('href') === (run ? '/' : path)));
  if (run) {
    view = new RunView(root, decodeURIComponent(run[1]));
    document.title = 'Run · Pacer';
  } else if (path === '/lanes') {
    view = new LanesView(root);
    document.title = 'Lanes · Pacer';
  } else {
    view = new RunsView(root);
    document.title = 'Runs · Pacer';
  }
}

document.addEventListener('click', e => {
  const link = e.target.closest('a[data-link]');
  if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
    return;
  }
  e.preventDefault();
  if (link.getAttribute('href') !== location.pathname) {
    history.pushState(null, '', link.getAttribute('href'));
    route();
    root.focus();
  }
});
window.addEventListener('popstate', route);

await start();
route();
listen(
  (type, data) => view?.onEvent(type, data),
  state => {
    connection.textContent = state === 'live' ? '● live' : '○ reconnecting…';
    connection.dataset.state = state;
  });
