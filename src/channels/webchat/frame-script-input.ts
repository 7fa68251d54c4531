/**
 * Part of `frame.js` (see frame-script.ts): what the visitor types and
 * attaches. A message is kept as pending (storage, drawn faded) until the
 * desk acknowledges it; files go up by HTTP first and the message names them.
 */
export const FRAME_JS_INPUT = String.raw`  function newId() {
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

`;
