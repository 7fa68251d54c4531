/**
 * Part of `frame.js` (see frame-script.ts): the socket. `hello` with the last
 * id seen, then the desk's frames; reconnects with backoff and jitter, stays
 * closed after an identity refusal (4001), waits for a keystroke after the
 * idle close (4000), and pings to notice a dead path.
 */
export const FRAME_JS_SOCKET = String.raw`  function transmit(p) { if (ws && ready) ws.send(JSON.stringify(p.files ? { type: 'send', clientId: p.clientId, text: p.text, files: p.files.map(function (f) { return f.id; }) } : { type: 'send', clientId: p.clientId, text: p.text })); }

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
        reportSeen();
      } else if (f.type === 'message') {
        received(f);
      } else if (f.type === 'typing') {
        showTyping(f.name);
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
`;
