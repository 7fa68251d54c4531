/**
 * `GET /chat/frame.js`: the widget itself, plain browser JavaScript as text
 * (no framework). Protocol: see protocol.ts. What it keeps:
 * - `lastSeen`, the highest history id shown; a reconnect asks for what
 *   follows it, and a line with an id at or below it is never drawn again.
 * - the session token (anonymous visitors) in the frame's storage, and a copy
 *   handed to the host page (posted to the loader) for browsers that partition
 *   or block a cross-site frame's storage.
 * - messages typed while offline, in storage under their client id, sent on
 *   reconnect; the desk recognises a resend by that id.
 */
export const FRAME_JS = String.raw`(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('td-config').textContent);
  var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  var lang = /^zh\b/i.test(langs[0] || '') ? 'zh-CN' : 'en';
  var words = cfg.strings[lang] || cfg.strings.en;
  function t(key, vars) {
    var s = words[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
    return s;
  }
  document.documentElement.lang = lang;
  if (cfg.color) document.documentElement.style.setProperty('--td-color', cfg.color);
  var $ = function (id) { return document.getElementById(id); };
  var log = $('td-log'), input = $('td-input'), status = $('td-status'), form = $('td-form'), send = $('td-send');
  var title = cfg.title || t('webchat.title');
  $('td-title').textContent = title;
  document.title = title;
  log.setAttribute('aria-label', t('webchat.log_label'));
  $('td-input-label').textContent = t('webchat.input_label');
  input.placeholder = t('webchat.placeholder');
  send.textContent = t('webchat.send');
  var fileInput = $('td-file');
  $('td-attach').title = t('webchat.attach');
  fileInput.setAttribute('aria-label', t('webchat.attach'));
  $('td-close').setAttribute('aria-label', t('webchat.close'));
  $('td-close').addEventListener('click', function () { parent.postMessage({ td: 'close' }, '*'); });
  if (parent !== window) parent.postMessage({ td: 'labels', open: t('webchat.open') }, '*');

  var frag = new URLSearchParams(location.hash.slice(1));
  var user = frag.get('uid') ? { userId: frag.get('uid'), userHash: frag.get('uhash') || '', userName: frag.get('uname') || undefined } : null;
  var base = 'threaddesk:' + cfg.queue + ':' + (user ? 'user:' + user.userId : 'anon');
  function load(k) { try { return window.localStorage.getItem(base + ':' + k); } catch (e) { return null; } }
  function save(k, v) { try { window.localStorage.setItem(base + ':' + k, v); } catch (e) { /* storage blocked: the host page keeps the token */ } }
  var token = user ? null : (load('token') || frag.get('t'));
  var pending = [];
  try { pending = JSON.parse(load('pending') || '[]'); } catch (e) { pending = []; }
  function savePending() { save('pending', JSON.stringify(pending)); }

  var lastSeen = 0, ws = null, ready = false, stopped = false, idle = false, retry = 0, retryTimer = null, pingTimer = null, pongDue = null;

  function setStatus(key, level, vars) {
    status.textContent = t(key, vars);
    if (level) status.setAttribute('data-td-level', level); else status.removeAttribute('data-td-level');
  }
  function draw(line, state) {
    var li = document.createElement('li');
    li.className = 'td-msg';
    li.setAttribute('data-td', 'message');
    li.setAttribute('data-td-author', line.author);
    if (line.id) li.setAttribute('data-td-id', String(line.id));
    if (line.clientId) li.setAttribute('data-td-client-id', line.clientId);
    if (state) { li.setAttribute('data-td-state', state); li.title = t('webchat.pending'); }
    var who = document.createElement('span');
    who.className = 'td-who';
    who.textContent = line.author === 'visitor' ? t('webchat.you') : line.author === 'agent' ? (line.name || t('webchat.agent')) : t('webchat.system');
    var body = document.createElement('span');
    body.textContent = line.text;
    li.appendChild(who);
    if (line.text) li.appendChild(body);
    (line.files || []).forEach(function (f) {
      var src = '/chat/file?id=' + encodeURIComponent(f.id);
      if (/^image\/(png|jpeg|gif|webp)$/.test(f.mime)) {
        var img = document.createElement('img');
        img.className = 'td-img';
        img.src = src;
        img.alt = f.name;
        li.appendChild(img);
      } else {
        var a = document.createElement('a');
        a.href = src;
        a.textContent = f.name;
        a.download = f.name;
        li.appendChild(a);
      }
    });
    var stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 24;
    log.appendChild(li);
    if (stick) log.scrollTop = log.scrollHeight;
  }
  function unpend(clientId) {
    pending = pending.filter(function (p) { return p.clientId !== clientId; });
    savePending();
  }
  function received(line) {
    if (line.id <= lastSeen) return;
    lastSeen = line.id;
    if (line.clientId) {
      var shown = log.querySelector('[data-td-state=pending][data-td-client-id="' + line.clientId + '"]');
      if (shown) shown.remove();
      unpend(line.clientId);
    }
    draw(line);
  }
  function transmit(p) { if (ws && ready) ws.send(JSON.stringify(p.files ? { type: 'send', clientId: p.clientId, text: p.text, files: p.files.map(function (f) { return f.id; }) } : { type: 'send', clientId: p.clientId, text: p.text })); }

  function connect() {
    if (stopped || (ws && ws.readyState < 2)) return;
    clearTimeout(retryTimer);
    idle = false;
    setStatus('webchat.connecting');
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat/socket');
    var socket = ws;
    socket.onopen = function () {
      var hello = { type: 'hello', queue: cfg.queue, lastSeen: lastSeen };
      if (user) { hello.userId = user.userId; hello.userHash = user.userHash; if (user.userName) hello.userName = user.userName; }
      else if (token) hello.token = token;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = function (e) {
      var f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      if (f.type === 'ready') {
        ready = true;
        retry = 0;
        if (f.token) { token = f.token; save('token', token); }
        if (token && parent !== window) parent.postMessage({ td: 'token', token: token }, '*');
        setStatus('webchat.online');
        pending.forEach(transmit);
        heartbeat();
      } else if (f.type === 'message') {
        received(f);
      } else if (f.type === 'ack') {
        unpend(f.clientId);
      } else if (f.type === 'pong') {
        clearTimeout(pongDue);
      } else if (f.type === 'notice') {
        var el = log.querySelector('[data-td-state=pending][data-td-client-id="' + f.clientId + '"]');
        var p = pending.filter(function (x) { return x.clientId === f.clientId; })[0];
        if (el) el.remove();
        unpend(f.clientId);
        if (p && !input.value) input.value = p.text;
        if (f.code === 'too_long') setStatus('webchat.too_long', 'warn', { max: cfg.maxChars });
        else if (f.code === 'unknown_file') setStatus('webchat.upload_failed', 'warn');
        else setStatus('webchat.rate_limited', 'warn', { seconds: Math.max(1, Math.ceil((f.retryInMs || 10000) / 1000)) });
      } else if (f.type === 'error' && f.code === 'identity_refused') {
        stopped = true;
      }
    };
    socket.onclose = function (e) {
      if (socket !== ws) return;
      ready = false;
      clearInterval(pingTimer);
      clearTimeout(pongDue);
      if (e.code === 4001 || stopped) {
        stopped = true;
        setStatus('webchat.identity_refused', 'error');
        input.disabled = true;
        send.disabled = true;
        return;
      }
      if (e.code === 4000) { idle = true; setStatus('webchat.idle'); return; }
      setStatus('webchat.offline', 'warn');
      retry = Math.min(retry + 1, 6);
      retryTimer = setTimeout(connect, Math.min(15000, 500 * Math.pow(2, retry - 1)) * (0.75 + Math.random() / 2));
    };
  }
  // The desk pings at the protocol level; this catches a dead path the browser has not noticed yet.
  function heartbeat() {
    clearInterval(pingTimer);
    pingTimer = setInterval(function () {
      if (!ws || !ready) return;
      ws.send('{"type":"ping"}');
      pongDue = setTimeout(function () { if (ws) ws.close(); }, 10000);
    }, 25000);
  }
  function newId() {
    var b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  function submit() {
    var text = input.value.replace(/\s+$/, '');
    if (!text.trim() || stopped) return;
    if (Array.from(text).length > cfg.maxChars) { setStatus('webchat.too_long', 'warn', { max: cfg.maxChars }); return; }
    input.value = '';
    queueMessage(text);
  }
  function queueMessage(text, files) {
    var p = { clientId: newId(), text: text };
    if (files) p.files = files;
    pending.push(p);
    savePending();
    draw({ author: 'visitor', text: text, clientId: p.clientId, files: files }, 'pending');
    log.scrollTop = log.scrollHeight;
    if (idle || !ws || ws.readyState > 1) connect(); else transmit(p);
  }
  // Files go up by HTTP first (a WebSocket frame is kept small); the message then names them.
  fileInput.addEventListener('change', function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (!file || stopped) return;
    if (file.size > cfg.maxFileMb * 1024 * 1024) { setStatus('webchat.file_too_large', 'warn', { max: cfg.maxFileMb }); return; }
    var headers = { 'content-type': file.type || 'application/octet-stream', 'x-td-file-name': encodeURIComponent(file.name) };
    if (user) { headers['x-td-user-id'] = encodeURIComponent(user.userId); headers['x-td-user-hash'] = user.userHash; }
    else if (token) headers['x-td-token'] = token;
    fetch('/chat/upload', { method: 'POST', headers: headers, body: file }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    }).then(function (answer) {
      var text = input.value.replace(/\s+$/, '');
      input.value = '';
      queueMessage(text, [answer.file]);
    }).catch(function () { setStatus('webchat.upload_failed', 'warn'); });
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); submit(); input.focus(); });
  input.addEventListener('keydown', function (e) {
    if (idle) connect();
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });
  // Escape closes the embedded chat and hands the focus back to the launcher.
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && parent !== window) parent.postMessage({ td: 'close' }, '*'); });
  window.addEventListener('online', function () { retry = 0; connect(); });
  window.addEventListener('offline', function () { if (ws) ws.close(); });
  window.addEventListener('message', function (e) { if (e.source === parent && e.data && e.data.td === 'opened') input.focus(); });
  pending.forEach(function (p) { draw({ author: 'visitor', text: p.text, clientId: p.clientId, files: p.files }, 'pending'); });
  connect();
})();
`;
