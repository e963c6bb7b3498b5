// The supervisor dashboard: the floor at a glance, live. wmsd's event
// stream (GET /api/v1/changes/stream, docs/api.md "Live changes") names
// what changed within a second of each commit, and only the panels showing
// it are read again from the REST API; a dropped connection is shown, and
// once back the board reloads what it missed. No framework and nothing
// fetched from outside the server, so it works on an isolated network.
'use strict';

const POLL_MS = 5000;            // without the stream (refused, or no EventSource)
const STREAM_RETRY_MS = 60000;   // then the stream is tried again this often
const PANEL_MIN_MS = 300;        // a panel reloads at most this often
const OFFLINE_GRACE_MS = 1500;   // a reconnect quicker than this is not shown
const CAUGHT_UP_SHOWN_MS = 6000;
const $ = (id) => document.getElementById(id);

// The session's CSRF token, echoed on every request (docs/security.md): the
// cookie holding it is readable by this page and by no other site's.
function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)wms_csrf=([^;]+)/);
  return m ? m[1] : '';
}

async function api(path, options = {}) {
  const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken(), ...(options.headers || {}) };
  const res = await fetch(path, { ...options, headers });
  if (res.status === 401) {
    // Not signed in, or the session ended: to the sign-in page and back.
    location.assign('/sign-in/?next=' + encodeURIComponent(location.pathname + location.search));
    throw new Error('not signed in');
  }
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const detail = body && body.detail ? body.detail : res.status + ' ' + res.statusText;
    throw new Error(detail);
  }
  return body;
}

// Builds an element: el('td', {class: 'x'}, 'text' | Node, ...).
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function bar(done, total) {
  const pct = total > 0 ? Math.round((100 * done) / total) : 0;
  const fill = el('span');
  // Through the CSSOM: the page's policy (style-src 'self') refuses style attributes.
  fill.style.width = pct + '%';
  return el('span', { class: 'bar', title: done + ' / ' + total }, fill);
}

const STATUSES = [
  ['allocated', 'waiting for a wave'], ['released', 'released'], ['picking', 'picking'], ['picked', 'picked'],
  ['packed', 'packed'], ['shipped', 'shipped'], ['backordered', 'backordered'], ['held', 'held'],
];

async function refreshTiles() {
  const summary = await api('/api/v1/orders/summary');
  const tiles = $('tiles');
  tiles.replaceChildren(...STATUSES.map(([status, label]) => el('div', {
    class: 'tile', id: 'tile-' + status,
    dataset: { status, count: String(summary.by_status[status] || 0), alert: String(status === 'held' && summary.by_status[status] > 0) },
  }, el('span', { class: 'n' }, summary.by_status[status] || 0), el('span', { class: 'label' }, label))));
  $('waiting-summary').textContent = (summary.by_status.allocated || 0) + ' order(s) waiting';
}

// Long lists are paged (a busy day has thousands of waves and exceptions):
// each keeps the stack of `before` cursors of the pages above the one shown.
const WAVES_PER_PAGE = 15;
const EXCEPTIONS_PER_PAGE = 50;
const pages = { waves: [0], exceptions: [0] };

function pageQuery(list) {
  const before = pages[list][pages[list].length - 1];
  return before ? '&before=' + before : '';
}

// Shows where the list is and which way it can go; `full`: there may be more.
function pager(list, items, full) {
  const depth = pages[list].length;
  $(list + '-newer').disabled = depth === 1;
  $(list + '-older').disabled = !full;
  $(list + '-page').textContent = depth === 1 && !full ? '' : 'page ' + depth;
  $(list + '-older').dataset.next = items.length ? String(items[items.length - 1].id) : '';
}

function turn(list, older) {
  if (older) {
    const next = Number($(list + '-older').dataset.next);
    if (!next) return;
    pages[list].push(next);
  } else if (pages[list].length > 1) {
    pages[list].pop();
  }
  schedule(list);
}

async function refreshWaves() {
  const list = await api('/api/v1/waves?limit=' + WAVES_PER_PAGE + pageQuery('waves'));
  // The live waves' progress, asked for at once rather than one after the other.
  const details = await Promise.all(list.items.map((w) => (w.status === 'released' || w.status === 'picking'
    ? api('/api/v1/waves/' + w.id).then((d) => d.progress, () => null) : Promise.resolve(null))));
  const rows = list.items.map((w, i) => {
    const progress = details[i];
    const p = progress || { units_total: w.units, units_picked: w.status === 'done' ? w.units : 0, units_short: 0 };
    return el('tr', { dataset: { wave: String(w.id), status: w.status, picked: String(p.units_picked) } },
      el('td', {}, '#' + w.id), el('td', {}, w.name), el('td', {}, w.status),
      el('td', {}, bar(p.units_picked + (p.units_short || 0), p.units_total), ' ',
        p.units_picked + '/' + p.units_total + (p.units_short ? ' (' + p.units_short + ' short)' : '')),
      el('td', {}, w.batches),
      el('td', { class: progress && progress.late ? 'late' : '' }, progress ? time(progress.expected_finish) + (progress.late ? ' late' : '') : '–'),
      el('td', {}, time(w.cutoff)));
  });
  $('waves-body').replaceChildren(...rows);
  pager('waves', list.items, list.items.length === WAVES_PER_PAGE);
}

async function refreshDevices() {
  const [devices, batches] = await Promise.all([api('/api/v1/devices'), api('/api/v1/batches?status=assigned&limit=1000')]);
  const batchOf = {};
  for (const b of batches.items) batchOf[b.device] = b;
  $('devices-body').replaceChildren(...devices.items.map((d) => {
    const b = batchOf[d.device];
    return el('tr', { dataset: { device: d.device, state: d.state } },
      el('td', {}, d.device), el('td', { class: 'state-' + d.state }, d.state), el('td', {}, d.badge || '–'),
      el('td', { class: 'mode' }, d.mode === 'pack' && d.station ? 'pack at ' + d.station : (d.mode || '–')),
      el('td', {}, b ? '#' + b.id + ' (' + b.units + ' units)' : '–'),
      el('td', {}, d.battery >= 0 ? d.battery + '%' : '–'), el('td', {}, d.outbox), el('td', {}, time(d.last_seen)));
  }));
}

// Each channel's sync: listings out of sync, figures the channel refused
// (with the channel's own reason), and the queues between us and it.
async function refreshChannels() {
  const list = await api('/api/v1/channels');
  const enabled = list.channels.filter((c) => c.enabled);
  $('channels-body').replaceChildren(...enabled.map((c) => el('tr', { dataset: { channel: c.channel } },
    el('td', {}, c.channel), el('td', {}, c.listings), el('td', { class: c.out_of_sync ? 'warn' : '' }, c.out_of_sync),
    el('td', { class: c.refused_pushes ? 'bad' : '', dataset: { refused: String(c.refused_pushes) } }, c.refused_pushes),
    el('td', {}, c.pending_pushes), el('td', {}, c.pending_fetches), el('td', {}, c.pending_fulfilments),
    el('td', { class: 'msg' }, c.last_error || '–'))));
  const refusals = [];
  for (const c of enabled) {
    for (const r of c.refusals) {
      refusals.push(el('li', { dataset: { channel: c.channel, sku: r.sku } },
        el('span', { class: 'kind' }, c.channel + ' refused ' + r.sku), el('span', { class: 'msg' }, r.reason),
        el('span', {}, 'since ' + time(r.since) + ', ' + r.attempts + ' attempt(s)')));
    }
  }
  $('refusals-list').replaceChildren(...refusals);
}

async function refreshExceptions() {
  const [list, summary] = await Promise.all([
    api('/api/v1/exceptions?limit=' + EXCEPTIONS_PER_PAGE + pageQuery('exceptions')), api('/api/v1/exceptions/summary')]);
  const full = list.items.length === EXCEPTIONS_PER_PAGE;
  $('exception-count').textContent = summary.open ? '(' + summary.open + ' open)' : '';
  pager('exceptions', list.items, full);
  $('exceptions-list').replaceChildren(...list.items.map((x) => el('li', { dataset: { exception: String(x.id), kind: x.kind } },
    el('span', { class: 'kind' }, x.kind), el('span', { class: 'msg' }, x.message), el('span', {}, time(x.at)),
    el('button', { type: 'button', class: 'small', onclick: () => resolve(x.id) }, 'Resolve'))));
}

async function resolve(id) {
  const resolution = window.prompt('How was it resolved?', '') || '';
  try {
    await api('/api/v1/exceptions/' + id + '/resolve', { method: 'POST', body: JSON.stringify({ resolution }) });
  } catch (e) {
    window.alert(e.message);
  }
  schedule('exceptions');
}

// The dock: purchase orders expected or being received, what waits to be
// put away (with where it goes), the pick faces to refill, and the counts a
// supervisor must settle.
async function refreshDock() {
  const [orders, backlog, moves, counts] = await Promise.all([
    api('/api/v1/inbound/purchase-orders?limit=50'), api('/api/v1/inbound/putaway/backlog?limit=20'),
    api('/api/v1/inbound/replenishment'), api('/api/v1/inbound/counts?status=approval&limit=20')]);
  const open = orders.items.filter((o) => o.status !== 'closed');
  $('pos-body').replaceChildren(...open.map((o) => el('tr', { dataset: { po: o.reference, status: o.status } },
    el('td', {}, o.reference), el('td', {}, o.supplier), el('td', {}, o.expected_date || '–'),
    el('td', {}, bar(o.received, o.ordered), ' ', o.received + '/' + o.ordered + (o.damaged ? ' (' + o.damaged + ' damaged)' : '')))));
  $('putaway-count').textContent = backlog.items.length ? '(' + backlog.items.length + ')' : '';
  $('putaway-body').replaceChildren(...backlog.items.map((b) => el('tr', { dataset: { putaway: b.sku + '@' + b.location } },
    el('td', {}, b.sku), el('td', {}, b.location), el('td', {}, b.qty),
    el('td', { class: b.suggestion.location ? '' : 'late' }, b.suggestion.location ? b.suggestion.location + ' (' + b.suggestion.rule + ')' : b.suggestion.rule))));
  $('replenish-count').textContent = moves.items.length ? '(' + moves.items.length + ')' : '';
  $('replenish-body').replaceChildren(...moves.items.slice(0, 20).map((m) => el('tr', { dataset: { replenish: m.sku + '@' + m.to } },
    el('td', {}, m.sku), el('td', {}, m.from), el('td', {}, m.to), el('td', {}, m.qty), el('td', {}, m.reason))));
  $('approval-count').textContent = counts.items.length ? '(' + counts.items.length + ')' : '';
  $('counts-body').replaceChildren(...counts.items.map((c) => el('tr', { dataset: { count: String(c.id) } },
    el('td', {}, c.location), el('td', {}, c.sku + (c.lot ? ' lot ' + c.lot : '')),
    el('td', {}, c.first_count + ', then ' + c.second_count), el('td', {}, c.second_expected),
    el('td', {}, el('button', { type: 'button', class: 'small', onclick: () => settle(c.id, 'approve') }, 'Approve'), ' ',
      el('button', { type: 'button', class: 'small', onclick: () => settle(c.id, 'reject') }, 'Count again')))));
}

// Slotting: the proposals still to decide or to carry out, each with its
// gain and its next move; a supervisor approves or rejects, and marks the
// next move done once it is on its new face.
async function refreshSlotting() {
  const list = await api('/api/v1/inbound/slotting/proposals?limit=20');
  const live = list.items.filter((p) => p.status === 'proposed' || p.status === 'approved');
  $('slotting-count').textContent = live.length ? '(' + live.length + ')' : '';
  $('slotting-body').replaceChildren(...live.map((p) => {
    const done = p.moves.filter((m) => m.done).length;
    const next = p.moves.find((m) => !m.done);
    const saved = p.before_mm > 0 ? Math.round(100 * (p.before_mm - p.after_mm) / p.before_mm) : 0;
    const actions = p.status === 'proposed'
      ? [el('button', { type: 'button', class: 'small', onclick: () => decide(p.id, 'approve') }, 'Approve'), ' ',
        el('button', { type: 'button', class: 'small', onclick: () => decide(p.id, 'reject') }, 'Reject')]
      : next ? [next.sku + ' ' + next.from + ' \u2192 ' + next.to + ' ',
        el('button', { type: 'button', class: 'small', onclick: () => moved(p.id, next.number) }, 'Done')] : [];
    return el('tr', { dataset: { slotting: String(p.id), status: p.status } },
      el('td', {}, '#' + p.id), el('td', {}, p.status), el('td', {}, done + '/' + p.moves.length),
      el('td', {}, (p.before_mm / 1e6).toFixed(1) + ' \u2192 ' + (p.after_mm / 1e6).toFixed(1) + ' km (\u2212' + saved + '%)'),
      el('td', {}, ...actions));
  }));
}

async function decide(id, verb) {
  const by = window.prompt('Your name or badge', '') || '';
  try {
    await api('/api/v1/inbound/slotting/proposals/' + id + '/' + verb, { method: 'POST', body: JSON.stringify({ by }) });
  } catch (e) {
    window.alert(e.message);
  }
  schedule('slotting');
}

async function moved(id, number) {
  try {
    await api('/api/v1/inbound/slotting/proposals/' + id + '/moves/' + number + '/confirm', { method: 'POST', body: '{}' });
  } catch (e) {
    window.alert(e.message);
  }
  schedule('slotting');
}

async function propose() {
  try {
    await api('/api/v1/inbound/slotting/proposals', { method: 'POST', body: JSON.stringify({ requested_by: 'dashboard' }) });
  } catch (e) {
    window.alert(e.message);
  }
  schedule('slotting');
}

async function settle(id, verb) {
  const by = window.prompt('Your name or badge', '') || '';
  try {
    await api('/api/v1/inbound/counts/' + id + '/' + verb, { method: 'POST', body: JSON.stringify({ by }) });
  } catch (e) {
    window.alert(e.message);
  }
  schedule('dock');
}

async function release() {
  const out = $('release-result');
  out.className = '';
  out.textContent = 'releasing…';
  try {
    const r = await api('/api/v1/waves/release', { method: 'POST', body: '{}' });
    out.textContent = r.waves.length + ' wave(s) released' + (r.rejected.length ? ', ' + r.rejected.length + ' order(s) could not be planned' : '');
  } catch (e) {
    out.className = 'error';
    out.textContent = e.message;
  }
  reloadAll();
}

async function lookUpStock(event) {
  if (event) event.preventDefault();
  const q = $('stock-sku').value.trim();
  const out = $('stock-result');
  if (!q) return;
  try {
    let sku = q;
    try { await api('/api/v1/skus/' + encodeURIComponent(q)); } catch (e) { sku = (await api('/api/v1/barcodes/' + encodeURIComponent(q))).sku; }
    const s = await api('/api/v1/stock/' + encodeURIComponent(sku));
    out.replaceChildren(
      el('p', { id: 'stock-totals', dataset: { sku: s.sku, available: String(s.available) } },
        s.sku + ': ' + s.on_hand + ' on hand, ' + s.allocated + ' reserved, ' + s.available + ' available'),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Location'), el('th', {}, 'Lot'), el('th', {}, 'Expiry'), el('th', {}, 'Qty'))),
        el('tbody', {}, ...s.locations.map((l) => el('tr', {}, el('td', {}, l.location), el('td', {}, l.lot || '–'), el('td', {}, l.expiry || '–'), el('td', {}, l.qty))))));
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}


// Who did what to an order or a SKU (GET /api/v1/audit-log; supervisors and
// admins only: a viewer sees the refusal).
async function showAudit(event) {
  event.preventDefault();
  const order = $('audit-order').value.trim();
  const sku = $('audit-sku').value.trim();
  const out = $('audit-result');
  if (!order && !sku) return;
  const query = order ? 'order=' + encodeURIComponent(order) : 'sku=' + encodeURIComponent(sku);
  try {
    const r = await api('/api/v1/audit-log?limit=50&' + query);
    if (!r.items.length) {
      out.replaceChildren(el('p', {}, 'nothing recorded'));
      return;
    }
    out.replaceChildren(el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'Who'),
      el('th', {}, 'What'), el('th', {}, 'Result'))), el('tbody', {}, ...r.items.map((a) => el('tr', {},
      el('td', {}, new Date(a.at_ms).toLocaleTimeString()), el('td', {}, a.who + ' (' + a.address + ')'),
      el('td', {}, a.action.replace(/^[A-Z]+ /, '') + ' ' + a.target), el('td', {}, a.outcome))))));
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function showMe() {
  try {
    const me = await api('/api/v1/auth/me');
    $('me').textContent = me.name + ' (' + me.roles.join(', ') + ')';
    document.body.dataset.roles = me.roles.join(' ');
  } catch (e) {
    $('me').textContent = '';
  }
}

async function signOut() {
  try { await api('/api/v1/auth/sign-out', { method: 'POST' }); } catch (e) { /* signed out either way */ }
  location.assign('/sign-in/?next=/dashboard/');
}

// ---- Panels: each reloads on its own, at most every PANEL_MIN_MS ----

// The stock panel shows a lookup only once someone asked for one.
async function refreshStock() {
  if ($('stock-totals')) await lookUpStock();
}

const PANELS = {
  tiles: refreshTiles, waves: refreshWaves, devices: refreshDevices, exceptions: refreshExceptions,
  dock: refreshDock, slotting: refreshSlotting, channels: refreshChannels, stock: refreshStock,
};
// The feed's topics (server/core/src/ChangeFeed.cpp) and the panels that show them.
const TOPIC_PANELS = {
  orders: ['tiles'], waves: ['waves', 'devices'], devices: ['devices'], exceptions: ['exceptions'],
  stock: ['stock', 'dock'], channels: ['channels'], packing: ['tiles'], dock: ['dock', 'slotting'],
};

const panelState = {};  // name -> { running, again, last, timer }

function setHealth(ok, text) {
  $('health').dataset.state = ok ? 'ok' : 'down';
  $('health').textContent = text;
}

// Reloads a panel now, or as soon as PANEL_MIN_MS has passed since its
// last reload; asked again while it runs, it runs once more after. The
// promise settles when the panel shows what the server had when asked.
function schedule(name) {
  const st = panelState[name] || (panelState[name] = { running: null, again: null, last: 0, timer: null });
  if (st.again) return st.again;
  if (st.running) {
    st.again = st.running.then(() => {
      st.again = null;
      return schedule(name);
    });
    return st.again;
  }
  if (st.timer) return st.timer;
  const wait = st.last + PANEL_MIN_MS - Date.now();
  if (wait > 0) {
    st.timer = new Promise((resolve) => setTimeout(resolve, wait)).then(() => {
      st.timer = null;
      return schedule(name);
    });
    return st.timer;
  }
  st.last = Date.now();
  st.running = PANELS[name]().then(() => {
    if ($('health').dataset.state !== 'ok') setHealth(true, 'server ok');
    $('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
  }, (e) => {
    setHealth(false, 'server unreachable: ' + e.message);
  }).finally(() => {
    st.running = null;
  });
  return st.running;
}

async function reloadAll() {
  try {
    await api('/healthz');
    setHealth(true, 'server ok');
  } catch (e) {
    setHealth(false, 'server unreachable: ' + e.message);
    return;
  }
  await Promise.all(Object.keys(PANELS).map(schedule));
  document.body.dataset.loaded = 'true';
}

function reloadTopics(topics) {
  const names = new Set();
  for (const t of topics) for (const p of (TOPIC_PANELS[t] || [])) names.add(p);
  return Promise.all([...names].map(schedule));
}

// ---- Live: the event stream, the offline banner, the polling fallback ----

const live = {
  source: null, lastId: '', offlineSince: 0, bannerTimer: null, caughtUpTimer: null, pollTimer: null,
  retryTimer: null,
};

function banner(state, text) {
  const b = $('live');
  b.dataset.state = state;
  b.textContent = text;
  b.hidden = !text;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

function wentOffline() {
  if (live.offlineSince) return;
  live.offlineSince = Date.now();
  clearTimeout(live.caughtUpTimer);
  // A quick reconnect (the stream's planned end every few minutes) is not news.
  live.bannerTimer = setTimeout(() => {
    banner('offline', 'offline since ' + clock(live.offlineSince) + ' \u2014 reconnecting');
    document.body.dataset.live = 'offline';
    setHealth(false, 'connection lost');  // reloadAll() says "server ok" again once back
  }, OFFLINE_GRACE_MS);
}

// The first event after a connection (re)opened has been applied: the
// board shows everything up to it.
function caughtUp() {
  document.body.dataset.live = 'live';
  if (!live.offlineSince) return;
  const away = Math.max(1, Math.round((Date.now() - live.offlineSince) / 1000));
  const shown = $('live').dataset.state === 'offline';
  live.offlineSince = 0;
  clearTimeout(live.bannerTimer);
  if (!shown) {
    banner('live', '');
    return;
  }
  banner('caught-up', 'caught up (offline ' + away + ' s)');
  live.caughtUpTimer = setTimeout(() => banner('live', ''), CAUGHT_UP_SHOWN_MS);
}

function connect() {
  clearInterval(live.pollTimer);
  live.pollTimer = null;
  const es = new EventSource('/api/v1/changes/stream');
  live.source = es;
  es.addEventListener('snapshot', async (e) => {
    live.lastId = e.lastEventId;
    await reloadAll();
    caughtUp();
  });
  es.addEventListener('change', async (e) => {
    live.lastId = e.lastEventId;
    let topics = [];
    try { topics = JSON.parse(e.data).topics || []; } catch (err) { topics = Object.keys(TOPIC_PANELS); }
    await reloadTopics(topics);
    caughtUp();
  });
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) {
      // Refused (too many boards live: 503; signed out: 401): poll instead.
      live.source = null;
      es.close();
      poll('live updates unavailable \u2014 polling every ' + POLL_MS / 1000 + ' s');
    } else {
      wentOffline();  // EventSource reconnects by itself, with our Last-Event-ID
    }
  });
}

// Without the stream: the same feed, asked every POLL_MS.
function poll(why) {
  clearTimeout(live.bannerTimer);
  live.offlineSince = 0;
  banner('polling', why);
  document.body.dataset.live = 'polling';
  const once = async () => {
    try {
      const r = await api('/api/v1/changes' + (live.lastId ? '?since=' + encodeURIComponent(live.lastId) : ''));
      const since = live.lastId;
      live.lastId = r.id;
      if (r.resync || !since) await reloadAll();
      else await reloadTopics(r.changes.flatMap((c) => c.topics));
    } catch (e) {
      setHealth(false, 'server unreachable: ' + e.message);
    }
  };
  once();
  live.pollTimer = setInterval(once, POLL_MS);
  if (window.EventSource) {
    clearTimeout(live.retryTimer);
    live.retryTimer = setTimeout(connect, STREAM_RETRY_MS);
  }
}

$('audit-form').addEventListener('submit', showAudit);
$('sign-out').addEventListener('click', signOut);
showMe();
$('release').addEventListener('click', release);
$('stock-form').addEventListener('submit', lookUpStock);
$('slotting-propose').addEventListener('click', propose);
for (const list of ['waves', 'exceptions']) {
  $(list + '-newer').addEventListener('click', () => turn(list, false));
  $(list + '-older').addEventListener('click', () => turn(list, true));
}
if (window.EventSource) connect();
else poll('live updates unsupported by this browser \u2014 polling every ' + POLL_MS / 1000 + ' s');
