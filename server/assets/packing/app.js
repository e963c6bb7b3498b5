// Packing station: scan a tote or order, scan every item into cartons, print
// the labels, confirm shipped. All state lives in wmsd (pack sessions); this
// page sends what the wedge scanner types and draws what wmsd answers.
// docs/packing.md lists every request. No libraries, no network beyond wmsd.
'use strict';

(() => {
  const API = '/api/v1/packing';
  const $ = (id) => document.getElementById(id);

  const st = {
    station: '',
    config: null,       // GET /config
    session: null,      // the last session view
    qty: 1,             // multiplier for the next scan
    shipment: null,
    jobs: [],
    pollTimer: null,
    lastLine: 0,
    queue: Promise.resolve(),  // requests go one at a time, in scan order
    unshippedErrors: {},       // order id -> why its last print or ship from the list failed
    pageId: 'page-' + Date.now().toString(36) + '-' + Math.floor(Math.random() * 1e9).toString(36),
    lastWedgeAt: 0,            // when the station's own scanner last sent a read
  };

  // ---- Station ------------------------------------------------------------------

  function initStation() {
    const fromUrl = new URLSearchParams(location.search).get('station');
    let station = fromUrl || '';
    try {
      if (fromUrl) localStorage.setItem('wms.packing.station', fromUrl);
      else station = localStorage.getItem('wms.packing.station') || '';
    } catch (e) { /* storage may be off: the URL still works */ }
    st.station = /^[\x21-\x7e]{1,64}$/.test(station) ? station : '';
    $('station').textContent = st.station || '(none: add ?station=ID)';
  }

  // ---- Sound --------------------------------------------------------------------

  let audio = null;
  function ensureAudio() {
    if (audio) { if (audio.state === 'suspended') audio.resume(); return; }
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx) { try { audio = new Ctx(); } catch (e) { audio = null; } }
  }
  function tone(freq, ms, type, at) {
    if (!audio) return;
    const t0 = audio.currentTime + (at || 0);
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = type;
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.25, t0);
    gain.gain.exponentialRampToValueAtTime(0.001, t0 + ms / 1000);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + ms / 1000 + 0.02);
  }
  const sounds = {
    ok: () => tone(1320, 90, 'sine'),
    bad: () => { tone(220, 220, 'square'); tone(180, 260, 'square', 0.26); },
    warn: () => tone(520, 180, 'triangle'),
    done: () => { tone(880, 100, 'sine'); tone(1320, 140, 'sine', 0.12); },
  };

  // ---- Feedback ------------------------------------------------------------------

  function feedback(result, text, sound) {
    const el = $('feedback');
    el.dataset.result = result;
    el.textContent = text;
    el.classList.remove('flash');
    void el.offsetWidth;  // restart the animation
    el.classList.add('flash');
    if (sound && sounds[sound]) sounds[sound]();
  }

  function setQty(n) {
    st.qty = n;
    $('qty-value').textContent = String(n);
    $('qty-box').hidden = n === 1;
  }

  // ---- Requests -------------------------------------------------------------------

  // One request; resolves to {ok, status, body}. Network failures become an
  // error body so every caller handles one shape.
  async function api(method, path, body, headers) {
    const csrf = (document.cookie.match(/(?:^|;\s*)wms_csrf=([^;]+)/) || [])[1] || '';
    const init = { method, headers: Object.assign({ 'Accept': 'application/json', 'X-CSRF-Token': csrf }, headers || {}) };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      const res = await fetch(path, init);
      if (res.status === 401 && !path.startsWith('/api/v1/packing/sessions/') && window.location.pathname.startsWith('/packing')) {
        // Not signed in, or the session ended: to the sign-in page and back.
        window.location.assign('/sign-in/?next=' + encodeURIComponent(window.location.pathname + window.location.search));
      }
      let data = null;
      const text = await res.text();
      if (text) { try { data = JSON.parse(text); } catch (e) { data = { error: 'malformed', detail: text.slice(0, 200) }; } }
      return { ok: res.ok, status: res.status, body: data };
    } catch (e) {
      return { ok: false, status: 0, body: { error: 'unavailable', detail: 'wmsd cannot be reached: ' + e.message } };
    }
  }

  function errorText(r) {
    const b = r.body || {};
    return (b.detail || b.error || ('request failed (' + r.status + ')'));
  }

  // Runs work after everything queued before it: scans typed quickly are
  // sent in order, each seeing the answer to the one before.
  function enqueue(work) {
    st.queue = st.queue.then(async () => {
      document.body.dataset.busy = 'true';
      try { await work(); } catch (e) { feedback('error', 'page error: ' + e.message, 'bad'); }
      document.body.dataset.busy = 'false';
    });
    return st.queue;
  }

  // ---- Rendering -------------------------------------------------------------------

  function text(tag, value, cls) {
    const el = document.createElement(tag);
    el.textContent = value === undefined || value === null ? '' : String(value);
    if (cls) el.className = cls;
    return el;
  }

  function cartonName(code) {
    const types = (st.config && st.config.cartons) || [];
    const t = types.find((c) => c.code === code);
    return t ? t.name : code;
  }

  function render(view) {
    st.session = view;
    const order = view.order;
    let pageState = 'packing';
    if (order.status === 'shipped') pageState = 'shipped';
    else if (view.state === 'packed' || order.status === 'packed') pageState = 'packed';
    else if (view.state === 'abandoned') pageState = 'idle';
    document.body.dataset.state = pageState;

    $('order-box').hidden = false;
    $('order-ref').textContent = order.reference;
    $('order-channel').textContent = order.channel + (order.external_id ? ' ' + order.external_id : '');
    $('order-ship-to').textContent = [order.ship_to.name, order.ship_to.city, order.ship_to.country].filter(Boolean).join(', ');
    $('order-totes').textContent = order.totes.length ? 'Totes: ' + order.totes.join(', ') : '';
    $('work').hidden = false;
    $('prompt').textContent = pageState === 'packing' ? 'Scan each item' : 'Scan the next tote or order';

    // Lines.
    const body = $('lines-body');
    body.replaceChildren();
    let toPack = 0, done = 0;
    for (const l of view.lines) {
      const tr = document.createElement('tr');
      tr.dataset.line = String(l.line_no);
      tr.dataset.sku = l.sku;
      tr.dataset.done = String(l.packed >= l.to_pack);
      if (l.line_no === st.lastLine) tr.classList.add('last-scanned');
      tr.append(text('td', l.line_no, 'num'), text('td', l.sku), text('td', l.description),
                text('td', (l.barcodes || []).join(' ')), text('td', l.ordered, 'num'), text('td', l.to_pack, 'num'),
                text('td', l.packed, 'num packed'),
                text('td', l.packed >= l.to_pack ? 'OK' : (l.to_pack - l.packed) + ' to go', 'status'));
      body.append(tr);
      toPack += l.to_pack;
      done += Math.min(l.packed, l.to_pack);
    }
    $('progress').textContent = '(' + done + ' of ' + toPack + ')';
    const missing = $('missing');
    if (pageState === 'packing' && view.missing.length) {
      missing.hidden = false;
      missing.textContent = 'Missing: ' + view.missing.map((m) => 'line ' + m.line_no + ' ' + m.sku + ' x' + m.missing).join(', ');
    } else {
      missing.hidden = true;
    }

    // Cartons.
    const sug = $('suggestion');
    sug.replaceChildren();
    const suggested = (view.suggestion.cartons[0] || {}).carton_type || '';
    if (pageState === 'packing' && suggested) {
      sug.append(text('span', 'Suggested: '), text('span', suggested, 'type'), text('span', ' ' + cartonName(suggested)));
      if (view.suggestion.cartons.length > 1) sug.append(text('div', 'Split into ' + view.suggestion.cartons.length + ' cartons: ' +
                                                          view.suggestion.cartons.map((c) => c.carton_type).join(', ')));
      for (const n of view.suggestion.notes) sug.append(text('div', n));
    }
    const typesEl = $('carton-types');
    typesEl.replaceChildren();
    if (pageState === 'packing') {
      for (const t of (st.config && st.config.cartons) || []) {
        const b = text('button', t.code);
        b.type = 'button';
        b.title = t.name;
        b.dataset.carton = t.code;
        b.dataset.suggested = String(t.code === suggested);
        b.addEventListener('click', () => enqueue(() => openCarton(t.code)));
        typesEl.append(b);
      }
    }
    const list = $('cartons');
    list.replaceChildren();
    const shown = view.packed_cartons.length ? view.packed_cartons.map((c) => ({
      number: c.number, carton_type: c.carton_type, closed: true, weight_g: c.weight_g, items: c.items,
    })) : view.cartons;
    for (const c of shown) {
      const units = c.items.reduce((s, i) => s + i.qty, 0);
      const li = text('li', 'Carton ' + c.number + ': ' + c.carton_type + ', ' + units + ' unit' + (units === 1 ? '' : 's') +
                      (c.weight_g ? ', ' + c.weight_g + ' g' : '') + (c.closed ? ', closed' : ', open'));
      li.dataset.carton = String(c.number);
      li.dataset.open = String(!c.closed);
      list.append(li);
    }
    const open = pageState === 'packing';
    $('close-carton').disabled = !open || view.open_carton === null;
    $('weight').disabled = !open || view.open_carton === null;
    $('complete').disabled = !open || !view.complete;
    $('abandon').disabled = !open;
    $('short').disabled = !open || view.missing.length === 0;
    $('close-row').hidden = !open;
    $('actions').hidden = !open;

    // Shipping.
    const shipPanel = $('ship-panel');
    shipPanel.hidden = pageState === 'packing';
    if (view.shipment) renderShipment(view.shipment);
    else if (pageState !== 'packing') renderShipment(null);
    $('ship').disabled = !(view.shipment && view.shipment.state === 'booked');
    $('print').disabled = pageState === 'shipped' && !view.shipment;
  }

  function renderShipment(s) {
    st.shipment = s;
    const info = $('shipment-info');
    info.replaceChildren();
    if (!s) {
      info.append(text('span', 'Packed. Print the label to book the shipment.'));
      return;
    }
    info.append(text('span', s.carrier_name + ' ' + s.service + ', tracking '), text('span', s.tracking_number, 'tracking'),
                text('span', ' (' + s.cartons.length + ' carton' + (s.cartons.length === 1 ? '' : 's') + ', ' + s.state + ')'));
    for (const c of s.cartons) {
      const a = document.createElement('a');
      a.href = API + '/shipments/' + s.id + '/cartons/' + c.number + '/label.pdf';
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = ' label ' + c.number + ' (PDF)';
      a.dataset.carton = String(c.number);
      info.append(a);
    }
    info.dataset.shipment = String(s.id);
    info.dataset.state = s.state;
  }

  function renderJobs(jobs) {
    st.jobs = jobs;
    const ul = $('print-jobs');
    ul.replaceChildren();
    let worst = 'none';
    const rank = { none: 0, printed: 1, queued: 2, waiting: 3, failed: 4 };
    for (const j of jobs) {
      const li = text('li', j.title + ': ' + j.message);
      li.dataset.job = String(j.id);
      li.dataset.state = j.state;
      const again = text('button', 'Print again');
      again.type = 'button';
      again.addEventListener('click', () => enqueue(() => reprint(j.id)));
      li.append(' ', again);
      ul.append(li);
      if (rank[j.state] > rank[worst]) worst = j.state;
    }
    const status = $('print-status');
    status.dataset.state = worst;
    const first = jobs.find((j) => j.state === worst);
    status.textContent = worst === 'none' ? '' : worst === 'printed' ? 'Label printed' : first ? first.message : worst;
    return worst;
  }

  // ---- Steps -------------------------------------------------------------------------

  async function loadConfig() {
    const r = await api('GET', API + '/config');
    if (!r.ok) { feedback('error', 'cannot load the packing settings: ' + errorText(r), 'bad'); return; }
    st.config = r.body;
    const sel = $('printer');
    sel.replaceChildren();
    const preferred = (st.config.stations || {})[st.station] || st.config.default_printer || '';
    for (const p of st.config.printers) {
      const o = text('option', p.id + ' (' + p.format + ')');
      o.value = p.id;
      if (p.id === preferred) o.selected = true;
      sel.append(o);
    }
  }

  async function start(code) {
    stopPolling();
    const r = await api('POST', API + '/sessions', { code, station: st.station });
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    st.lastLine = 0;
    setQty(1);
    $('ship-result').textContent = '';
    renderJobs([]);
    render(r.body);
    if (r.body.shipment) {
      const worst = await refreshJobs();
      if (worst === 'queued' || worst === 'waiting') startPolling();
    }
    feedback('info', r.body.order.reference + ': ' + (document.body.dataset.state === 'packing'
      ? 'scan the items' : document.body.dataset.state === 'packed' ? 'packed, print the label' : 'already shipped'), 'warn');
  }

  async function scan(code) {
    const s = st.session;
    const qty = st.qty;
    setQty(1);
    const r = await api('POST', API + '/sessions/' + s.session_id + '/scans', { text: code, qty });
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    const reply = r.body.last_scan;
    if (reply && reply.line_no) st.lastLine = reply.line_no;
    render(r.body);
    if (!reply) return;
    const sound = reply.outcome === 'accepted' ? 'ok' : reply.outcome === 'no_open_carton' ? 'warn' : 'bad';
    feedback(reply.outcome, reply.message, sound);
    if (reply.outcome === 'accepted' && r.body.complete) feedback('accepted', reply.message + ' - all items packed: press Packing done', 'done');
  }

  async function openCarton(type) {
    const r = await api('POST', API + '/sessions/' + st.session.session_id + '/cartons', { carton_type: type });
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    render(r.body);
    feedback('info', 'Carton ' + r.body.open_carton + ' (' + type + ') is open', 'warn');
  }

  async function closeCarton() {
    const w = $('weight').value.trim();
    const body = w ? { weight_g: Number(w) } : {};
    if (w && !/^\d{1,7}$/.test(w)) { feedback('error', 'weight must be a whole number of grams', 'bad'); return; }
    const r = await api('POST', API + '/sessions/' + st.session.session_id + '/cartons/close', body);
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    $('weight').value = '';
    render(r.body);
    feedback('info', 'Carton closed', 'warn');
  }

  async function complete() {
    const r = await api('POST', API + '/sessions/' + st.session.session_id + '/complete', {});
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    render(r.body);
    feedback('accepted', 'Packed. Printing the label...', 'done');
    await printLabels();
    await refreshUnshipped();
  }

  async function abandon() {
    const r = await api('POST', API + '/sessions/' + st.session.session_id + '/abandon', {});
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    reset('Put back. Scan a tote or an order');
  }

  // The units not packed yet are damaged or missing: wmsd takes them off the
  // stock and holds the order for the supervisor, so it never ships less
  // without someone deciding so.
  async function reportShort() {
    const view = st.session;
    const reason = $('short-reason').value;
    const lines = view.missing.map((m) => ({ line_no: m.line_no, qty: m.missing, reason }));
    if (!lines.length) { feedback('error', 'Every unit is packed: nothing is short', 'bad'); return; }
    const r = await api('POST', API + '/orders/' + view.order.id + '/short', { station: st.station, lines });
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    reset(view.order.reference + ' is held (' + r.body.hold_reason + '). Put it on the problem shelf');
    await refreshUnshipped();
  }

  async function printLabels() {
    const order = st.session.order;
    const printer = $('printer').value || '';
    const r = await api('POST', API + '/orders/' + order.id + '/shipment', { station: st.station, printer, print: true });
    if (!r.ok) { feedback('error', 'no label: ' + errorText(r), 'bad'); return; }
    renderShipment(r.body.shipment);
    st.session.shipment = r.body.shipment;
    $('ship').disabled = r.body.shipment.state !== 'booked';
    if (r.body.print_error) {
      feedback('error', 'shipment booked, label not printed: ' + r.body.print_error.detail, 'bad');
    }
    renderJobs(r.body.print_jobs);
    startPolling();
  }

  async function reprint(jobId) {
    const r = await api('POST', API + '/print-jobs/' + jobId + '/reprint', { printer: $('printer').value || '' });
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    await refreshJobs();
    startPolling();
  }

  async function refreshJobs() {
    if (!st.shipment) return 'none';
    const r = await api('GET', API + '/shipments/' + st.shipment.id + '/print-jobs');
    if (!r.ok) return 'none';
    const worst = renderJobs(r.body.items);
    return worst;
  }

  // Print jobs change on wmsd's side (retries): look again every second
  // while one is queued or waiting.
  function startPolling() {
    stopPolling();
    st.pollTimer = setInterval(() => enqueue(async () => {
      const before = $('print-status').dataset.state;
      const worst = await refreshJobs();
      if (worst !== 'queued' && worst !== 'waiting') stopPolling();
      if (worst !== before) {
        if (worst === 'printed') feedback('accepted', 'Label printed. Confirm shipped when the parcel goes.', 'done');
        else if (worst === 'waiting') feedback('no_open_carton', $('print-status').textContent, 'warn');
        else if (worst === 'failed') feedback('error', $('print-status').textContent, 'bad');
      }
    }), 1000);
  }
  function stopPolling() {
    if (st.pollTimer) clearInterval(st.pollTimer);
    st.pollTimer = null;
  }

  // One key per order and station, kept until the order is shipped, so a
  // second press or a retry after a lost answer cannot ship twice.
  function shipKey(orderId) {
    const name = 'wms.packing.ship.' + orderId;
    let key = null;
    try { key = sessionStorage.getItem(name); } catch (e) { /* no storage */ }
    if (!key) {
      const rnd = (crypto && crypto.getRandomValues) ? Array.from(crypto.getRandomValues(new Uint32Array(2)), (x) => x.toString(16)).join('')
                                                     : String(Date.now());
      key = 'station-' + (st.station || 'web') + '-order-' + orderId + '-' + rnd;
      try { sessionStorage.setItem(name, key); } catch (e) { /* the key lives for this page only */ }
    }
    st.shipKeys = st.shipKeys || {};
    st.shipKeys[orderId] = st.shipKeys[orderId] || key;
    return st.shipKeys[orderId];
  }

  async function ship() {
    if (!st.shipment) { feedback('error', 'print the label first', 'bad'); return; }
    const order = st.session.order;
    const r = await api('POST', API + '/orders/' + order.id + '/ship', { shipment_id: st.shipment.id, lines: [] },
                        { 'Idempotency-Key': shipKey(order.id) });
    if (!r.ok) { feedback('error', errorText(r), 'bad'); return; }
    const res = r.body;
    const shipped = res.lines.reduce((s, l) => s + l.shipped, 0);
    $('ship-result').textContent = 'Shipped ' + shipped + ' unit' + (shipped === 1 ? '' : 's') + ' with ' + res.carrier_name +
                                   ', tracking ' + res.tracking_number + (res.duplicate ? ' (already confirmed)' : '');
    $('ship-result').dataset.duplicate = String(res.duplicate);
    document.body.dataset.state = 'shipped';
    $('ship').disabled = true;
    stopPolling();
    feedback('accepted', 'Shipped: ' + res.tracking_number + '. Scan the next tote.', 'done');
    await refreshUnshipped();
  }

  // ---- Packed here, not shipped ---------------------------------------------------------
  // Orders packed at this station that have not left: each with what is
  // missing and the one step that moves it on (print its label, or confirm
  // it shipped), so nothing sits packed unnoticed. Refreshed on load, every
  // 15 s and after each step.

  function waited(s) {
    if (s < 120) return s + ' s';
    if (s < 7200) return Math.floor(s / 60) + ' min';
    return Math.floor(s / 3600) + ' h';
  }

  async function refreshUnshipped() {
    const q = st.station ? '?station=' + encodeURIComponent(st.station) : '';
    const r = await api('GET', API + '/unshipped' + q);
    if (r.ok) renderUnshipped((r.body && r.body.orders) || []);
  }

  function renderUnshipped(orders) {
    const body = $('unshipped-body');
    body.replaceChildren();
    for (const o of orders) {
      const tr = document.createElement('tr');
      tr.dataset.order = String(o.order_id);
      const failed = st.unshippedErrors[o.order_id];
      tr.append(text('td', o.order_reference), text('td', waited(o.waiting_s)),
                text('td', (failed ? failed + '. ' : '') + o.reason, failed ? 'reason failed' : 'reason'));
      const booked = !!(o.shipment && o.shipment.state === 'booked');
      const button = text('button', booked ? 'Confirm shipped' : 'Print label');
      button.type = 'button';
      button.dataset.action = booked ? 'ship' : 'print';
      button.addEventListener('click', () => enqueue(() => (booked ? shipListed(o) : printListed(o))));
      const cell = document.createElement('td');
      cell.append(button);
      tr.append(cell);
      body.append(tr);
    }
    $('unshipped').dataset.count = String(orders.length);
    $('unshipped-count').textContent = orders.length ? '(' + orders.length + ')' : '';
    $('unshipped-table').hidden = orders.length === 0;
    $('unshipped-empty').hidden = orders.length !== 0;
  }

  async function printListed(o) {
    const r = await api('POST', API + '/orders/' + o.order_id + '/shipment',
                        { station: st.station, printer: $('printer').value || '', print: true });
    if (!r.ok) st.unshippedErrors[o.order_id] = 'No label: ' + errorText(r);
    else if (r.body.print_error) st.unshippedErrors[o.order_id] = 'Label not printed: ' + r.body.print_error.detail;
    else delete st.unshippedErrors[o.order_id];
    if (st.unshippedErrors[o.order_id]) feedback('error', o.order_reference + ': ' + st.unshippedErrors[o.order_id], 'bad');
    else feedback('accepted', o.order_reference + ': label sent to the printer', 'ok');
    await refreshUnshipped();
  }

  async function shipListed(o) {
    const r = await api('POST', API + '/orders/' + o.order_id + '/ship', { shipment_id: o.shipment.id, lines: [] },
                        { 'Idempotency-Key': shipKey(o.order_id) });
    if (!r.ok) {
      st.unshippedErrors[o.order_id] = 'Ship failed: ' + errorText(r);
      feedback('error', o.order_reference + ': ' + errorText(r), 'bad');
    } else {
      delete st.unshippedErrors[o.order_id];
      feedback('accepted', 'Shipped ' + o.order_reference + ': ' + r.body.tracking_number, 'done');
    }
    await refreshUnshipped();
  }

  function reset(message) {
    stopPolling();
    st.session = null;
    st.shipment = null;
    st.lastLine = 0;
    setQty(1);
    document.body.dataset.state = 'idle';
    $('work').hidden = true;
    $('order-box').hidden = true;
    $('prompt').textContent = 'Scan a tote or an order';
    renderJobs([]);
    feedback('info', message || 'Ready');
  }

  // ---- Input ----------------------------------------------------------------------------

  function handle(raw) {
    const code = raw.trim();
    if (!code) return;
    // "24*" or "*24": a star never occurs in the codes we scan.
    const qty = /^(?:(\d{1,7})\*|\*(\d{1,7}))$/.exec(code);
    if (qty) {
      const n = Number(qty[1] || qty[2]);
      if (n < 1 || n > 1000000) { feedback('error', 'quantity must be 1 to 1000000', 'bad'); return; }
      setQty(n);
      feedback('info', 'Next scan counts ' + n, 'warn');
      return;
    }
    const s = st.session;
    const pageState = document.body.dataset.state;
    if (code[0] === '#') {
      const cmd = code.toUpperCase();
      if (cmd === '#NEXT' || cmd === '#CANCEL') {
        if (pageState === 'packing') enqueue(abandon);
        else reset();
      } else if (cmd === '#CLOSE' && pageState === 'packing') enqueue(closeCarton);
      else if (cmd === '#DONE' && pageState === 'packing') enqueue(complete);
      else if (cmd === '#SHORT' && pageState === 'packing') enqueue(reportShort);
      else if (cmd === '#PRINT' && pageState === 'packed') enqueue(printLabels);
      else if (cmd === '#SHIP' && pageState === 'packed') enqueue(ship);
      else feedback('error', code + ' does nothing now', 'bad');
      return;
    }
    if (s && pageState === 'packing') enqueue(() => scan(raw));
    else enqueue(() => start(code));
  }

  function keepFocus() {
    const a = document.activeElement;
    if (a && (a.id === 'weight' || a.tagName === 'SELECT')) return;
    $('scan').focus();
  }

  function wire() {
    const input = $('scan');
    input.addEventListener('keydown', (e) => {
      ensureAudio();
      // A wedge ends a scan with Enter (some with Tab).
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const value = input.value;
        input.value = '';
        handle(value);
      }
    });
    input.addEventListener('blur', () => setTimeout(keepFocus, 0));
    document.addEventListener('keydown', (e) => {
      ensureAudio();
      const a = document.activeElement;
      if (a === input || (a && (a.id === 'weight' || a.tagName === 'SELECT'))) {
        if (a.id === 'weight' && e.key === 'Enter') { e.preventDefault(); enqueue(closeCarton).then(keepFocus); }
        return;
      }
      input.focus();  // typing anywhere goes to the scan field
    });
    document.addEventListener('click', (e) => {
      ensureAudio();
      if (!e.target.closest('input, select, a')) setTimeout(keepFocus, 0);
    });
    $('close-carton').addEventListener('click', () => enqueue(closeCarton));
    $('complete').addEventListener('click', () => enqueue(complete));
    $('abandon').addEventListener('click', () => enqueue(abandon));
    $('short').addEventListener('click', () => enqueue(reportShort));
    $('print').addEventListener('click', () => enqueue(printLabels));
    $('ship').addEventListener('click', () => enqueue(ship));
    $('next').addEventListener('click', () => reset());
    window.addEventListener('focus', keepFocus);
  }

  // ---- The station's own scanner ------------------------------------------------
  // A scanner held by the station's firmware bridge (wms-fwbridge) does not
  // type into this page: its reads reach wmsd (station.scan) and wait there
  // for this page, which takes them and handles each as if typed. Asked
  // four times a second while reads come, once a second after a minute
  // without one. docs/packing.md, "The station's own scanner".

  async function takeStationScans() {
    const r = await api('POST', API + '/stations/' + encodeURIComponent(st.station) + '/scans/take', { page: st.pageId });
    const badge = $('wedge');
    if (!r.ok) {
      if (badge.dataset.state !== 'down' && st.lastWedgeAt) {
        badge.hidden = false;
        badge.dataset.state = 'down';
        badge.textContent = 'Scanner: ' + errorText(r);
      }
      return;
    }
    if (r.body.expired > 0) {
      const n = r.body.expired;
      feedback('error', n + (n === 1 ? ' read of the station scanner came while this page was away and was'
        : ' reads of the station scanner came while this page was away and were') + ' not used: scan again', 'bad');
    }
    for (const s of r.body.scans) {
      st.lastWedgeAt = Date.now();
      badge.hidden = false;
      badge.dataset.state = 'ok';
      badge.textContent = 'Scanner ' + s.device;
      handle(s.text);
    }
  }

  function watchStationScanner() {
    // Station ids a bridge can have (wmsd refuses others).
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(st.station)) return;
    const next = () => {
      const recent = Date.now() - st.lastWedgeAt < 60000;
      setTimeout(async () => {
        try { await takeStationScans(); } finally { next(); }
      }, recent ? 250 : 1000);
    };
    next();
  }

  initStation();
  wire();
  watchStationScanner();
  enqueue(loadConfig);
  enqueue(refreshUnshipped);
  setInterval(() => enqueue(refreshUnshipped), 15000);
  keepFocus();

  // For browser tests and the curious: the page's state (read-only) and a
  // promise that settles once every request queued so far has been answered.
  window.wmsPacking = {
    state: () => ({ page: document.body.dataset.state, session: st.session, jobs: st.jobs, qty: st.qty }),
    settled: () => st.queue,
  };
})();
