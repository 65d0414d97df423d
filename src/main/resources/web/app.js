// neuroflux web view: lists sessions, starts one, and plots a session's signals live.
// It speaks the public protocol (docs/protocol.md) like any other client: fetch for the HTTP API,
// one WebSocket per open session on /ws/sessions/{id}/signals (binary or JSON frames).
// Frames go into a ring buffer per scheme; plots are redrawn at most once per animation frame.
(() => {
  'use strict';

  // the server's schemes (GET /api/models); these stand in until it answers
  let SCHEMES = [
    { name: 'active-inference', short: 'ai', continuousFlow: true },
    { name: 'natural-gradient', short: 'ng', continuousFlow: false },
  ];
  const SCHEME_NOTES = {
    'active-inference': "SPM's scheme", 'natural-gradient': "the authors' scheme", euclidean: 'non-natural baseline',
  };
  const PAPER_PAIR = ['active-inference', 'natural-gradient']; // checked by default
  const schemeShort = name => ((SCHEMES.find(x => x.name === name) || {}).short || name).toUpperCase();
  const CHANNELS = 'rate,potential,lfp,infolength';
  // colour ramp of the time-frequency image: low = dark blue, high = yellow (anchor colours, linear in between)
  const RAMP = [[20, 24, 64], [38, 86, 140], [30, 150, 140], [120, 200, 90], [250, 230, 70]];
  const PALETTE = ['#2f7f76', '#d9822b', '#4c6fd1', '#c2417b', '#7a9a2f', '#8e5cc4', '#b5a33a', '#3a9ec2'];
  const DASHES = [[], [7, 4], [2, 3], [10, 3, 2, 3], [1, 5]];
  const MAGIC = 0x3158464E; // "NFX1"
  const BINARY_VERSION = 2; // docs/protocol.md: one message per iteration, every scheme
  const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const params = new URLSearchParams(location.search);

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  // What the page has received and drawn: read by the browser test, handy in the console too.
  const stats = window.__neuroflux = {
    session: null, format: null, header: null, connected: false, closed: null,
    frames: {}, dropped: {}, lastSeq: {}, lastTime: {}, rateHz: {},
    levelFrames: {}, // deep models: frames per level (1 = top, 2 = lower), every scheme counted once per frame
    draws: 0, drawMsMean: 0, drawMsMax: 0, animationFrames: 0, longFrames: 0, badFrames: 0, errors: [],
  };

  let current = null;  // the open session's view
  let models = [];

  // --- ring buffer ----------------------------------------------------------------------------
  // Every sample is written twice (at i and i + cap), so the last n samples are always one
  // contiguous range: plots get typed-array views of it, never a copy.
  class Ring {
    constructor(capacity, channels) {
      this.cap = capacity;
      this.n = 0;
      this.head = 0;
      this.t = new Float64Array(2 * capacity);
      this.ch = Array.from({ length: channels }, () => new Float64Array(2 * capacity));
      this.epochs = []; // model times of epoch starts (trial starts flagged)
    }
    push(t, values) {
      const i = this.head, j = i + this.cap;
      this.t[i] = t; this.t[j] = t;
      const ch = this.ch;
      for (let c = 0; c < ch.length; c++) {
        const v = values[c];
        ch[c][i] = v; ch[c][j] = v;
      }
      this.head = (i + 1) % this.cap;
      if (this.n < this.cap) this.n++;
    }
    start() { return this.n < this.cap ? 0 : this.head; }
    view(arr) { const s = this.start(); return arr.subarray(s, s + this.n); }
    lastTime() { return this.n === 0 ? 0 : this.t[(this.head + this.cap - 1) % this.cap]; }
  }

  // --- frames: parsed exactly as docs/protocol.md lays them out --------------------------------
  // One message per iteration carries every scheme of the header: parse it into one frame per scheme.
  function parseBinary(buf) {
    if (buf.byteLength < 64) throw new Error('binary frame shorter than its 64-byte header');
    const v = new DataView(buf);
    if (v.getUint32(0, true) !== MAGIC) throw new Error('bad magic');
    if (v.getUint16(4, true) !== BINARY_VERSION) throw new Error('unknown version ' + v.getUint16(4, true));
    const m = v.getUint16(6, true), n = v.getUint32(56, true);
    if (buf.byteLength !== 64 + 8 * m * n) throw new Error('frame length ' + buf.byteLength + ' != 64 + 8 * ' + m + ' * ' + n);
    const common = {
      key: v.getBigUint64(8, true),
      seq: Number(v.getBigUint64(16, true)),
      trial: v.getUint32(24, true),
      epoch: v.getUint16(28, true),
      iteration: v.getUint16(30, true),
      t: v.getFloat64(32, true),
      wallUs: Number(v.getBigInt64(40, true)),
      dropped: Number(v.getBigUint64(48, true)),
      level: v.getUint32(60, true), // 0: single-level session; a deep model's 1 (top) or 2 (lower)
    };
    const frames = [];
    for (let k = 0; k < m; k++) {
      let values;
      if (LITTLE_ENDIAN) {
        values = new Float64Array(buf, 64 + 8 * n * k, n);
      } else {
        values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = v.getFloat64(64 + 8 * (n * k + i), true);
      }
      frames.push({ ...common, schemeIndex: k, values });
    }
    return frames;
  }

  function parseJsonFrame(msg) {
    return msg.data.map((data, k) => {
      const values = new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) values[i] = data[i] === null ? NaN : data[i];
      return {
        schemeIndex: k, seq: msg.seq, trial: msg.trial, epoch: msg.epoch, iteration: msg.iteration,
        t: msg.t, wallUs: msg.wallUs, dropped: msg.dropped, level: msg.level || 0, values,
      };
    });
  }

  // --- HTTP helpers ---------------------------------------------------------------------------
  // Every API read is bounded in time, so one stuck request cannot wedge the page.
  async function getJson(path, timeoutMs = 8000) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      // the typed token goes with reads too, for servers with security.protectReads
      const r = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders() }, cache: 'no-store', signal: abort.signal });
      const body = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(body.error || (r.status + ' ' + r.statusText));
      return body;
    } catch (e) {
      throw e.name === 'AbortError' ? new Error(path + ': no answer within ' + timeoutMs / 1000 + ' s') : e;
    } finally {
      clearTimeout(timer);
    }
  }

  function authHeaders() {
    const token = $('#create [name=token]').value.trim();
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  // --- server status, models, sessions ---------------------------------------------------------
  async function refreshHealth() {
    const pill = $('#server-status');
    try {
      const r = await fetch('/health', { cache: 'no-store', signal: AbortSignal.timeout(4000) });
      const h = await r.json();
      pill.dataset.state = h.status === 'UP' ? 'up' : 'down';
      const p99 = h.lagMicros ? (h.lagMicros.p99 / 1000).toFixed(1) : '?';
      pill.textContent = `server ${h.status.toLowerCase()} · ${h.sessions} session${h.sessions === 1 ? '' : 's'} · tick lag p99 ${p99} ms`;
    } catch (e) {
      pill.dataset.state = 'down';
      pill.textContent = 'server unreachable';
    }
  }

  async function loadModels() {
    const select = $('#model');
    try {
      const answer = await getJson('/api/models');
      models = answer.models || [];
      if (Array.isArray(answer.schemes) && answer.schemes.length) SCHEMES = answer.schemes;
    } catch (e) {
      $('#model-info').textContent = 'could not list models: ' + e.message;
      buildSchemes();
      return;
    }
    buildSchemes();
    select.replaceChildren(...models.map(m => {
      const o = document.createElement('option');
      o.value = m.name;
      o.textContent = m.name + (m.error ? ' (unavailable)' : '');
      o.disabled = !!m.error;
      return o;
    }));
    const tmaze = models.find(m => m.name === 'tmaze' && !m.error);
    if (tmaze) select.value = 'tmaze';
    describeModel();
  }

  // the form's scheme checkboxes and one (initially empty) column per scheme
  function buildSchemes() {
    $('#scheme-choices').replaceChildren(...SCHEMES.map(x => {
      const label = document.createElement('label');
      label.className = 'inline';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'scheme';
      box.value = x.name;
      box.checked = PAPER_PAIR.includes(x.name);
      label.append(box, ' ' + x.name.replace(/-/g, ' '));
      return label;
    }));
    const template = $('#column-template');
    $('#columns').replaceChildren(...SCHEMES.map(x => {
      const col = template.content.firstElementChild.cloneNode(true);
      col.dataset.scheme = x.name;
      const title = x.name.replace(/-/g, ' ');
      $('.column-title .name', col).textContent = title.charAt(0).toUpperCase() + title.slice(1);
      $('.column-title .small', col).textContent = SCHEME_NOTES[x.name] || '';
      return col;
    }));
    if (current && current.header) buildPlots(current);
  }

  function describeModel() {
    const m = models.find(x => x.name === $('#model').value);
    if (!m) { $('#model-info').textContent = ''; return; }
    if (m.error) { $('#model-info').textContent = m.error; return; }
    const factors = (m.factors || []).map(f => `${f.name} (${f.states.length})`).join(', ');
    $('#model-info').textContent = `factors ${factors} · ${m.policies} policies · T = ${m.T}`;
  }

  async function refreshSessions() {
    let list;
    try {
      list = (await getJson('/api/sessions')).sessions || [];
    } catch (e) {
      return;
    }
    const ul = $('#sessions');
    $('#sessions-empty').hidden = list.length > 0;
    ul.replaceChildren(...list.map(s => {
      const li = document.createElement('li');
      li.dataset.id = s.id;
      if (current && current.id === s.id) li.classList.add('open');
      const id = document.createElement('span');
      id.className = 'sid';
      id.textContent = s.id.slice(0, 8) + '… ' + s.model;
      const right = document.createElement('span');
      right.className = 'actions';
      const st = document.createElement('span');
      st.className = 'state';
      st.dataset.state = s.state;
      st.textContent = s.state;
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'ghost';
      open.dataset.open = s.id;
      open.textContent = 'open';
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'ghost';
      del.dataset.delete = s.id;
      del.title = 'delete this session';
      del.textContent = '×';
      right.append(st, open, del);
      const meta = document.createElement('span');
      meta.className = 'meta';
      const pacing = s.pacing && s.pacing.iterationMs === 'max' ? 'max' : (s.pacing ? s.pacing.iterationMs + ' ms/frame' : '');
      const schemes = (s.schemes || []).map(schemeShort).join(' + ');
      const cont = s.continuous ? ` · ODE ${s.continuous.sampleRateHz} Hz` : '';
      meta.textContent = `${schemes} · ${s.source} · ${pacing}${cont} · ${s.counters ? s.counters.framesEmitted : 0} frames`;
      li.append(id, right, meta);
      return li;
    }));
    if (!current && !refreshSessions.autoOpened) {
      refreshSessions.autoOpened = true;
      const wanted = params.get('session');
      if (wanted) openSession(wanted);
      else if (params.get('auto') !== '0') {
        const running = list.find(s => s.state === 'running');
        if (running) openSession(running.id);
      }
    }
  }

  async function createSession(ev) {
    ev.preventDefault();
    const form = ev.target;
    const msg = $('#create-message');
    msg.className = 'message';
    msg.textContent = 'starting…';
    const schemes = $$('input[name=scheme]:checked', form).map(i => i.value);
    const body = { model: form.model.value, schemes };
    const pacing = form.pacing.value;
    body.pacing = { iterationMs: pacing === 'max' ? 'max' : Number(pacing) };
    body.solver = { preset: form.preset.value };
    if (form.seed.value !== '') body.seed = Number(form.seed.value);
    if (form.continuous.value) {
      body.continuous = { sampleRateHz: Number(form.continuous.value) };
      // natural gradient has no flow of its own (it is active inference's); the Euclidean flow is integrated by rk4 only
      const flows = schemes.filter(n => (SCHEMES.find(x => x.name === n) || {}).continuousFlow);
      body.schemes = flows.length ? flows : ['active-inference'];
      if (body.schemes.includes('euclidean')) body.continuous.method = 'rk4';
    }
    try {
      const r = await fetch('/api/sessions', {
        method: 'POST',
        headers: Object.assign({ 'Content-Type': 'application/json' }, authHeaders()),
        body: JSON.stringify(body),
      });
      const answer = await r.json().catch(() => ({}));
      if (r.status !== 201) {
        const more = answer.problems && answer.problems.length > 1 ? ` (+${answer.problems.length - 1} more)` : '';
        throw new Error((answer.error || r.status + ' ' + r.statusText) + more);
      }
      msg.className = 'message ok';
      msg.textContent = 'started ' + answer.id.slice(0, 8) + '…';
      await refreshSessions();
      openSession(answer.id);
    } catch (e) {
      msg.className = 'message error';
      msg.textContent = e.message;
    }
  }

  async function deleteSession(id) {
    const msg = $('#create-message');
    const r = await fetch('/api/sessions/' + encodeURIComponent(id), { method: 'DELETE', headers: authHeaders() });
    if (r.status !== 204) {
      const answer = await r.json().catch(() => ({}));
      msg.className = 'message error';
      msg.textContent = 'delete: ' + (answer.error || r.status);
    }
    refreshSessions();
  }

  // --- the open session -----------------------------------------------------------------------
  function closeCurrent() {
    if (!current) return;
    const ws = current.ws;
    current.ws = null;
    if (ws) { ws.onmessage = ws.onclose = ws.onerror = null; ws.close(1000, 'closed by the page'); }
    destroyPlots();
    current = null;
    stats.connected = false;
  }

  async function openSession(id) {
    closeCurrent();
    const format = $('#format').value === 'json' ? 'json' : 'binary';
    current = { id, format, header: null, rings: new Map(), plots: new Map(), dirty: false, paused: false,
                ws: null, description: null, counted: {}, lastCountAt: performance.now() };
    Object.assign(stats, { session: id, format, header: null, connected: false, closed: null,
                           frames: {}, dropped: {}, lastSeq: {}, lastTime: {}, rateHz: {} });
    $$('#sessions li').forEach(li => li.classList.toggle('open', li.dataset.id === id));
    $('#viewer-title').textContent = 'Session ' + id;
    $('#viewer-sub').textContent = 'connecting…';
    $('#pause').disabled = false;
    $('#pause').textContent = 'pause';
    const view = current;
    // the description (source, seed) only decorates the subtitle: the stream does not wait for it
    getJson('/api/sessions/' + encodeURIComponent(id)).then(d => {
      view.description = d;
      if (current === view && view.header) describeStream(view);
    }).catch(e => stats.errors.push('session description: ' + e.message));
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // tf only while the time-frequency plot is shown: the server computes it only for such subscribers
    view.spectral = $('#second').value === 'tf';
    const channels = CHANNELS + (view.spectral ? ',tf' : '');
    const token = $('#create [name=token]').value.trim(); // browsers cannot set headers on a WebSocket
    const url = `${scheme}//${location.host}/ws/sessions/${encodeURIComponent(id)}/signals?channels=${channels}&format=${format}&buffer=512`
        + (token ? '&access_token=' + encodeURIComponent(token) : '');
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    view.ws = ws;
    ws.onopen = () => { stats.connected = true; };
    ws.onmessage = ev => onMessage(view, ev);
    ws.onerror = () => { stats.errors.push('websocket error'); };
    ws.onclose = ev => {
      stats.connected = false;
      stats.closed = { code: ev.code, reason: ev.reason };
      if (current === view) $('#viewer-sub').textContent = `stream closed (${ev.code}${ev.reason ? ': ' + ev.reason : ''})`;
    };
  }

  function onMessage(view, ev) {
    if (current !== view) return;
    if (typeof ev.data === 'string') {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { stats.badFrames++; return; }
      if (msg.type === 'header') onHeader(view, msg);
      else if (msg.type === 'frame' && view.header) acceptAll(view, parseJsonFrame(msg));
      else if (msg.type === 'frame') stats.badFrames++;
      return;
    }
    if (!view.header) { stats.badFrames++; return; }
    let frames;
    try { frames = parseBinary(ev.data); } catch (e) { stats.badFrames++; stats.errors.push(e.message); return; }
    if (frames.length > 0 && frames[0].key !== view.sessionKey) { stats.badFrames++; return; }
    acceptAll(view, frames);
  }

  function acceptAll(view, frames) {
    for (const f of frames) {
      const name = view.schemeNames.get(f.schemeIndex);
      if (name === undefined) { stats.badFrames++; continue; }
      accept(view, name, f);
    }
  }

  function onHeader(view, h) {
    view.header = h;
    stats.header = h;
    view.sessionKey = BigInt(h.sessionKey);
    view.schemeNames = new Map(h.schemes.map(s => [s.index, s.name]));
    const secondsPerFrame = h.timebase.iterationSeconds * h.decimation;
    view.secondsPerFrame = secondsPerFrame;
    const capacity = Math.ceil(20 / secondsPerFrame) + 1; // the largest window, whatever is shown
    for (const s of h.schemes) view.rings.set(s.name, new Ring(capacity, h.channels.length));
    for (const s of h.schemes) { stats.frames[s.name] = 0; stats.dropped[s.name] = 0; view.counted[s.name] = 0; }
    // factors from the rate channels, in order (the top level's; a deep model's lower ones apart)
    const factors = [], lowerFactors = [];
    for (const c of h.channels) {
      const list = c.level === 2 ? lowerFactors : factors;
      if (c.type === 'rate' && !list.includes(c.factor)) list.push(c.factor);
    }
    view.factors = factors;
    view.lowerFactors = lowerFactors;
    stats.levelFrames = {};
    const select = $('#factor');
    select.replaceChildren(...factors.map(f => { const o = document.createElement('option'); o.value = f; o.textContent = f; return o; }));
    select.disabled = factors.length < 2;
    describeStream(view);
    buildPlots(view);
  }

  function describeStream(view) {
    const h = view.header;
    const d = view.description || {};
    const rate = h.nominalRateHz ? h.nominalRateHz.toFixed(h.nominalRateHz % 1 ? 2 : 0) + ' frames/s (each with every scheme)' : 'as fast as possible';
    const mode = h.integration && h.integration.method !== 'discrete'
      ? ` · continuous (${h.integration.method}, ${h.integration.sampleRateHz} Hz)` : '';
    $('#viewer-title').textContent = `${h.model} · session ${h.session.slice(0, 8)}…`;
    $('#viewer-sub').textContent = `${d.source ? d.source + ' source · ' : ''}${rate} · ${h.timebase.iterationsPerEpoch} samples per epoch · `
      + `${h.timebase.epochsPerTrial} epochs per trial${mode}${d.seed !== undefined ? ' · seed ' + d.seed : ''}`;
  }

  function accept(view, scheme, f) {
    const ring = view.rings.get(scheme);
    if (!ring) { stats.badFrames++; return; }
    if (f.values.length !== view.header.channels.length) { stats.badFrames++; return; }
    ring.push(f.t, f.values);
    if (f.level) {
      if (f.schemeIndex === 0) stats.levelFrames[f.level] = (stats.levelFrames[f.level] || 0) + 1;
    }
    if (f.iteration === 0 && f.level !== 2) { // a deep model's lower epochs are not the top level's
      ring.epochs.push({ t: f.t, trial: f.epoch === 0 });
      if (ring.epochs.length > 256) ring.epochs.splice(0, 128);
    }
    stats.frames[scheme]++;
    stats.dropped[scheme] = f.dropped;
    stats.lastSeq[scheme] = f.seq;
    stats.lastTime[scheme] = f.t;
    view.lastWallUs = f.wallUs;
    view.dirty = true;
  }

  // --- plots ----------------------------------------------------------------------------------
  // channels of a type (and factor) of one level: 1 is the top (or only) level, 2 a deep model's lower one
  function channelIndices(h, type, factor, level = 1) {
    const out = [];
    h.channels.forEach((c, i) => {
      if (c.type === type && (factor === null || c.factor === factor) && (c.level === 2 ? 2 : 1) === level) out.push(i);
    });
    return out;
  }

  // rate/location/left/t2 (or level2/rate/...) -> state "left", time point 2
  function unitOf(label) {
    const parts = label.replace(/^level2\//, '').split('/');
    return { state: parts[2], point: parseInt((parts[3] || 't1').slice(1), 10) || 1 };
  }

  function unitSeries(h, idx) {
    const states = [];
    for (const i of idx) { const u = unitOf(h.channels[i].label); if (!states.includes(u.state)) states.push(u.state); }
    return idx.map(i => {
      const u = unitOf(h.channels[i].label);
      return { index: i, label: `${u.state} t${u.point}`, stroke: PALETTE[states.indexOf(u.state) % PALETTE.length],
               dash: DASHES[(u.point - 1) % DASHES.length], width: u.point === 1 ? 1.6 : 1.2 };
    });
  }

  function windowSeconds() { return Number($('#window').value) || 10; }

  function xRange(u, min, max) {
    const w = windowSeconds();
    if (min === null || max === null || !(max > min)) return [0, w];
    return max - min < w ? [min, min + w] : [max - w, max];
  }

  function drawEpochLines(u) {
    const ring = u._ring;
    if (!ring || ring.epochs.length === 0) return;
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const [x0, x1] = [u.scales.x.min, u.scales.x.max];
    ctx.save();
    ctx.lineWidth = 1;
    for (const e of ring.epochs) {
      if (e.t < x0 || e.t > x1) continue;
      const x = Math.round(u.valToPos(e.t, 'x', true)) + 0.5;
      ctx.strokeStyle = e.trial ? 'rgba(29,36,51,0.35)' : 'rgba(29,36,51,0.10)';
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
    void left; void width;
  }

  function makePlot(el, ring, series, yRange, height) {
    const opts = {
      width: Math.max(240, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false, range: xRange }, y: { range: yRange } },
      axes: [
        { stroke: '#6b7385', grid: { stroke: '#eef0f5', width: 1 }, ticks: { stroke: '#e2e6ee', width: 1 },
          values: (u, vals) => vals.map(v => v.toFixed(1) + ' s') },
        { stroke: '#6b7385', grid: { stroke: '#eef0f5', width: 1 }, ticks: { stroke: '#e2e6ee', width: 1 }, size: 52 },
      ],
      series: [{ label: 't' }].concat(series.map(s => ({
        label: s.label, stroke: s.stroke, width: s.width || 1.4, dash: s.dash || [], points: { show: false },
      }))),
      hooks: { draw: [drawEpochLines] },
    };
    const data = [new Float64Array(0)].concat(series.map(() => new Float64Array(0)));
    const plot = new uPlot(opts, data, el);
    plot._ring = ring;
    return { plot, el, ring, indices: series.map(s => s.index), height };
  }

  // A time-frequency image: one column per sample, one row per frequency, drawn through an
  // offscreen canvas scaled onto the plot area; its x is shifted back by the transform's latency.
  function makeHeatPlot(el, ring, h, indices, latencySeconds, height) {
    const freqs = indices.map(i => h.channels[i].frequencyHz);
    const image = document.createElement('canvas');
    const heat = u => {
      const n = ring.n;
      if (n === 0 || indices.length === 0) return;
      const start = ring.start();
      const x0 = u.scales.x.min, x1 = u.scales.x.max;
      let first = -1, last = -1, max = 0;
      for (let k = 0; k < n; k++) {
        const t = ring.t[start + k] - latencySeconds;
        if (t < x0 || t > x1) continue;
        let any = false;
        for (const i of indices) {
          const v = ring.ch[i][start + k];
          if (v === v) { any = true; if (v > max) max = v; }
        }
        if (!any) continue;
        if (first < 0) first = k;
        last = k;
      }
      if (first < 0 || !(max > 0)) return;
      const cols = last - first + 1, rows = indices.length;
      if (image.width < cols) image.width = Math.max(cols, 64);
      if (image.height !== rows) image.height = rows;
      const ictx = image.getContext('2d');
      const pixels = ictx.createImageData(cols, rows);
      const d = pixels.data;
      for (let k = 0; k < cols; k++) {
        for (let q = 0; q < rows; q++) {
          const v = ring.ch[indices[q]][start + first + k];
          const at = 4 * ((rows - 1 - q) * cols + k); // top row = highest frequency
          if (!(v === v)) { d[at + 3] = 0; continue; }
          const c = ramp(Math.min(1, v / max));
          d[at] = c[0]; d[at + 1] = c[1]; d[at + 2] = c[2]; d[at + 3] = 255;
        }
      }
      ictx.putImageData(pixels, 0, 0);
      const dt = ring.n > 1 ? ring.t[start + 1] - ring.t[start] : 0;
      const left = u.valToPos(ring.t[start + first] - latencySeconds - dt / 2, 'x', true);
      const right = u.valToPos(ring.t[start + last] - latencySeconds + dt / 2, 'x', true);
      const top = u.valToPos(freqs[freqs.length - 1] + 0.5, 'y', true);
      const bottom = u.valToPos(freqs[0] - 0.5, 'y', true);
      const { ctx } = u;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      ctx.clip();
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(image, 0, 0, cols, rows, left, top, right - left, bottom - top);
      ctx.restore();
      drawEpochLines(u);
    };
    const opts = {
      width: Math.max(240, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: false, range: xRange }, y: { range: () => [3.5, 32.5] } },
      axes: [
        { stroke: '#6b7385', grid: { show: false }, ticks: { stroke: '#e2e6ee', width: 1 },
          values: (u, vals) => vals.map(v => v.toFixed(1) + ' s') },
        { stroke: '#6b7385', grid: { show: false }, ticks: { stroke: '#e2e6ee', width: 1 }, size: 52,
          splits: () => [4, 12, 20, 28], values: (u, vals) => vals.map(v => v + ' Hz') },
      ],
      series: [{ label: 't' }, { label: 'tf', show: false }],
      hooks: { draw: [heat] },
    };
    const plot = new uPlot(opts, [new Float64Array(0), new Float64Array(0)], el);
    plot._ring = ring;
    return { plot, el, ring, indices: indices.slice(0, 1), height };
  }

  function ramp(x) {
    const p = x * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(p));
    const f = p - i, a = RAMP[i], b = RAMP[i + 1];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }

  const symmetric = (u, min, max) => {
    const m = Math.max(Math.abs(min || 0), Math.abs(max || 0), 1e-6) * 1.08;
    return [-m, m];
  };
  const fromZero = (u, min, max) => [0, Math.max(max || 0, 1e-6) * 1.08];
  const padded = (u, min, max) => {
    const lo = min === null ? 0 : min, hi = max === null ? 1 : max;
    const pad = Math.max((hi - lo) * 0.06, 0.05);
    return [lo - pad, hi + pad];
  };

  function destroyPlots() {
    if (!current) return;
    for (const set of current.plots.values()) for (const p of Object.values(set)) p.plot.destroy();
    current.plots.clear();
  }

  function buildPlots(view) {
    destroyPlots();
    const h = view.header;
    if (!h) return;
    const factor = $('#factor').value || view.factors[0];
    const chosen = $('#second').value;
    const second = chosen === 'potential' ? 'potential' : chosen === 'tf' ? 'tf' : 'lfp';
    const tfIndices = channelIndices(h, 'tf', factor);
    const latencyFrames = tfIndices.length ? h.channels[tfIndices[0]].latencyFrames || 0 : 0;
    $$('[data-title=second]').forEach(e => {
      e.textContent = second === 'lfp' ? 'LFP (d rate / s)'
        : second === 'potential' ? 'Membrane potential (ln rate)'
        : `Time-frequency 4–32 Hz (summed over units, scaled to the window's peak, `
          + `${Math.round(latencyFrames * view.secondsPerFrame * 1000)} ms behind)`;
    });
    const rateSeries = unitSeries(h, channelIndices(h, 'rate', factor));
    const secondSeries = unitSeries(h, channelIndices(h, second, factor));
    const infoSeries = channelIndices(h, 'infolength', null).map((i, k) => ({
      index: i, label: h.channels[i].factor, stroke: PALETTE[(k + 2) % PALETTE.length], width: 1.8,
    }));
    const lowerSeries = view.lowerFactors.length ? unitSeries(h, channelIndices(h, 'rate', view.lowerFactors[0], 2)) : [];
    const lowerName = h.levels && h.levels[1] ? h.levels[1].name : 'level 2';
    $('#columns').classList.add('has-session');
    for (const col of $$('.column')) {
      const name = col.dataset.scheme;
      const ring = view.rings.get(name);
      const continuous = h.integration && h.integration.method !== 'discrete';
      col.classList.toggle('inactive', !ring);
      const placeholder = $('.placeholder', col);
      placeholder.hidden = !!ring;
      placeholder.textContent = continuous && name === 'natural-gradient'
        ? 'In continuous time natural gradient is the active-inference flow: it is drawn once, there.'
        : 'Not run in this session.';
      if (!ring) continue;
      $('.column-title .small', col).textContent = continuous ? `continuous flow, ${h.integration.sampleRateHz} Hz`
        : SCHEME_NOTES[name] || '';
      view.plots.set(name, {
        rate: makePlot($('[data-plot=rate]', col), ring, rateSeries, () => [0, 1], 190),
        second: second === 'tf'
          ? makeHeatPlot($('[data-plot=second]', col), ring, h, tfIndices, latencyFrames * view.secondsPerFrame, 150)
          : makePlot($('[data-plot=second]', col), ring, secondSeries, second === 'lfp' ? symmetric : padded, 150),
        infolength: makePlot($('[data-plot=infolength]', col), ring, infoSeries, fromZero, 120),
      });
      // a deep model: the lower level's fast rates, its trials nested in the top level's epochs
      const lowerEl = $('[data-plot=lower]', col);
      $$('.lower-only', col).forEach(e => { e.hidden = !lowerSeries.length; });
      if (lowerSeries.length) {
        $('[data-title=lower]', col).textContent =
          `Lower level (${lowerName}): firing rates of ${view.lowerFactors[0]}, a whole trial inside each epoch above`;
        view.plots.get(name).lower = makePlot(lowerEl, ring, lowerSeries, () => [0, 1], 150);
      }
    }
    renderLegend(h, rateSeries, infoSeries, factor);
    view.dirty = true;
  }

  function svgLine(stroke, dash) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '8');
    const line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '1'); line.setAttribute('y1', '4'); line.setAttribute('x2', '25'); line.setAttribute('y2', '4');
    line.setAttribute('stroke', stroke);
    line.setAttribute('stroke-width', '2');
    if (dash && dash.length) line.setAttribute('stroke-dasharray', dash.join(' '));
    svg.append(line);
    return svg;
  }

  function renderLegend(h, rateSeries, infoSeries, factor) {
    const keys = [];
    const label = document.createElement('span');
    label.textContent = factor + ':';
    keys.push(label);
    const seenState = new Set(), seenPoint = new Set();
    for (const s of rateSeries) {
      const [state, point] = s.label.split(' ');
      if (!seenState.has(state)) {
        seenState.add(state);
        const k = document.createElement('span'); k.className = 'key';
        k.append(svgLine(s.stroke, []), document.createTextNode(state)); keys.push(k);
      }
      if (!seenPoint.has(point)) seenPoint.add(point);
    }
    for (const s of rateSeries) {
      const point = s.label.split(' ')[1];
      if (!seenPoint.has(point)) continue;
      seenPoint.delete(point);
      const k = document.createElement('span'); k.className = 'key';
      k.append(svgLine('#6b7385', s.dash), document.createTextNode('belief about ' + point)); keys.push(k);
    }
    const sep = document.createElement('span'); sep.textContent = '· information length:'; keys.push(sep);
    for (const s of infoSeries) {
      const k = document.createElement('span'); k.className = 'key';
      k.append(svgLine(s.stroke, []), document.createTextNode(s.label)); keys.push(k);
    }
    const lines = document.createElement('span');
    lines.textContent = '· vertical lines: epochs (dark: trials)';
    keys.push(lines);
    $('#legend').replaceChildren(...keys);
  }

  let lastAnimationFrame = 0;
  function redraw(now) {
    requestAnimationFrame(redraw);
    if (lastAnimationFrame) {
      const gap = now - lastAnimationFrame;
      stats.animationFrames++;
      if (gap > 50) stats.longFrames++; // the page missed at least two 60 Hz frames
    }
    lastAnimationFrame = now;
    const view = current;
    if (!view || !view.dirty || view.paused || !view.header) return;
    view.dirty = false;
    const t0 = performance.now();
    for (const set of view.plots.values()) {
      for (const p of Object.values(set)) {
        const ring = p.ring;
        const data = [ring.view(ring.t)];
        for (const i of p.indices) data.push(ring.view(ring.ch[i]));
        p.plot.batch(() => p.plot.setData(data)); // draws now, so the timing below is the real cost
      }
    }
    const ms = performance.now() - t0;
    stats.draws++;
    stats.drawMsMean += (ms - stats.drawMsMean) / Math.min(stats.draws, 100);
    stats.drawMsMax = Math.max(stats.drawMsMax, ms);
  }

  function resizePlots() {
    if (!current) return;
    for (const set of current.plots.values()) {
      for (const p of Object.values(set)) p.plot.setSize({ width: Math.max(240, p.el.clientWidth), height: p.height });
    }
  }

  function renderStats() {
    const view = current;
    const el = $('#stats');
    if (!view || !view.header) { el.textContent = ''; return; }
    const now = performance.now();
    const dt = (now - view.lastCountAt) / 1000;
    const parts = [];
    for (const s of view.header.schemes) {
      const n = stats.frames[s.name] || 0;
      if (dt > 0.2) { stats.rateHz[s.name] = (n - view.counted[s.name]) / dt; view.counted[s.name] = n; }
      const short = schemeShort(s.name);
      parts.push(`${short}: <b>${n}</b> frames, <b>${(stats.rateHz[s.name] || 0).toFixed(1)}</b>/s, `
        + `dropped <b>${stats.dropped[s.name] || 0}</b>, t = <b>${(stats.lastTime[s.name] || 0).toFixed(2)}</b> s`);
    }
    if (dt > 0.2) view.lastCountAt = now;
    if (view.lastWallUs) {
      const latency = Date.now() - view.lastWallUs / 1000;
      parts.push(`latency <b>${Math.max(0, latency).toFixed(0)}</b> ms`);
    }
    parts.push(`draw <b>${stats.drawMsMean.toFixed(2)}</b> ms`);
    parts.push(`format <b>${view.format}</b>`);
    if (stats.badFrames) parts.push(`bad frames <b>${stats.badFrames}</b>`);
    el.innerHTML = parts.map(p => `<span>${p}</span>`).join('');
  }

  // --- wiring ---------------------------------------------------------------------------------
  $('#create').addEventListener('submit', createSession);
  $('#model').addEventListener('change', describeModel);
  $('#refresh').addEventListener('click', refreshSessions);
  $('#sessions').addEventListener('click', ev => {
    const del = ev.target.closest('[data-delete]');
    if (del) { ev.stopPropagation(); deleteSession(del.dataset.delete); return; }
    const li = ev.target.closest('li[data-id]');
    if (li) openSession(li.dataset.id);
  });
  $('#factor').addEventListener('change', () => current && buildPlots(current));
  $('#second').addEventListener('change', () => {
    if (!current) return;
    // tf is subscribed only while shown: switching to or from it re-subscribes
    if (current.spectral !== ($('#second').value === 'tf')) openSession(current.id);
    else buildPlots(current);
  });
  $('#window').addEventListener('change', () => { if (current) current.dirty = true; });
  $('#format').addEventListener('change', () => current && openSession(current.id));
  $('#pause').addEventListener('click', () => {
    if (!current) return;
    current.paused = !current.paused;
    $('#pause').textContent = current.paused ? 'resume' : 'pause';
    current.dirty = true;
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(resizePlots, 100); });
  if (params.get('format') === 'json') $('#format').value = 'json';
  if (['lfp', 'potential', 'tf'].includes(params.get('second'))) $('#second').value = params.get('second');

  refreshHealth();
  loadModels();
  refreshSessions();
  setInterval(refreshHealth, 5000);
  setInterval(refreshSessions, 2000);
  setInterval(renderStats, 500);
  requestAnimationFrame(redraw);
})();
