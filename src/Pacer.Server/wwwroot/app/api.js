// The server's API: every call carries the API key when the server has one. The key is asked for
// once and kept in sessionStorage, for this tab only. Events come from GET /api/events, read with
// fetch (EventSource cannot send a key), and resume after a drop with Last-Event-ID.

const KEY = 'pacer.apiKey';
let needsKey = false;
let asking = null;

export async function start() {
  const health = await fetch('/health').then(r => r.json()).catch(() => ({}));
  needsKey = health.apiKey === true;
  if (needsKey && !sessionStorage.getItem(KEY)) {
    await askKey();
  }
  return { needsKey };
}

export function hasKey() {
  return needsKey;
}

function headers(extra) {
  const h = new Headers(extra || {});
  const key = sessionStorage.getItem(KEY);
  if (key) {
    h.set('Authorization', 'Bearer ' + key);
  }
  return h;
}

/** Asks for the key in a dialog; one dialog however many calls need it. */
function askKey(wrong) {
  if (asking) {
    return asking;
  }
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  document.getElementById('key-error').textContent = wrong ? 'That key was refused; try again.' : '';
  input.value = '';
  asking = new Promise(resolve => {
    const done = () => {
      const value = input.value.trim();
      if (!value) {
        dialog.showModal();
        return;
      }
      sessionStorage.setItem(KEY, value);
      dialog.removeEventListener('close', done);
      asking = null;
      resolve();
    };
    dialog.addEventListener('close', done);
    dialog.addEventListener('cancel', e => e.preventDefault(), { once: true });
  });
  dialog.showModal();
  input.focus();
  return asking;
}

/** A JSON call; throws an Error whose message is the problem's detail. */
export async function call(path, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, { ...options, headers: headers(options.headers) });
    if (response.status === 401 && attempt < 5) {
      const hadKey = !!sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
      needsKey = true;
      await askKey(hadKey);
      continue;
    }
    if (response.status === 204) {
      return null;
    }
    const text = await response.text();
    const body = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new Error((body && (body.detail || body.title)) || response.status + ' ' + response.statusText);
    }
    return body;
  }
}

/**
 * Reads the event stream for as long as the page lives: onEvent(type, data) for each event,
 * onState('live' | 'reconnecting') as the connection comes and goes.
 */
export async function listen(onEvent, onState) {
  let last = null;
  let wait = 500;
  for (;;) {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (last !== null) {
        h.set('Last-Event-ID', last);
      }
      const response = await fetch('/api/events', { headers: h, cache: 'no-store' });
      if (response.status === 401) {
        sessionStorage.removeItem(KEY);
        await askKey(true);
        continue;
      }
      if (!response.ok || !response.body) {
        throw new Error('events: ' + response.status);
      }
      onState('live');
      wait = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parse(block);
          if (event.id !== null) {
            last = event.id;
          }
          if (event.data !== null) {
            try {
              onEvent(event.type, JSON.parse(event.data));
            } catch (e) {
              console.error('event', event.type, e);
            }
          }
        }
      }
    } catch (e) {
      console.warn(e);
    }
    onState('reconnecting');
    await new Promise(r => setTimeout(r, wait));
    wait = Math.min(wait * 2, 10000);
  }
}

function parse(block) {
  const event = { id: null, type: 'message', data: null };
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) {
      continue;
    }
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'id') {
      event.id = value;
    } else if (field === 'event') {
      event.type = value;
    } else if (field === 'data') {
      event.data = event.data === null ? value : event.data + '\n' + value;
    }
  }
  return event;
}
