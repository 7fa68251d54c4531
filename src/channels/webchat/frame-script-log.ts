/**
 * Part of `frame.js` (see frame-script.ts): the status line and the message
 * list. `received` draws a history line once (never one at or below
 * `lastSeen`) and replaces the pending copy of a visitor's own message;
 * `changed` applies an agent's edit or delete to the reply it names.
 */
export const FRAME_JS_LOG = String.raw`  function setStatus(key, level, vars) {
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
    body.className = 'td-body';
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
    return li;
  }
  function unpend(clientId) {
    pending = pending.filter(function (p) { return p.clientId !== clientId; });
    savePending();
  }
  function changed(line) {
    var li = log.querySelector('[data-td-id="' + line.changes + '"]');
    if (!li) return;
    var body = li.querySelector('.td-body');
    if (line.deleted) {
      while (li.childNodes.length > 1) li.removeChild(li.lastChild);
      body = document.createElement('em');
      body.className = 'td-body';
      body.textContent = t('webchat.deleted');
      li.appendChild(body);
      li.setAttribute('data-td-change', 'deleted');
      return;
    }
    if (!body) { body = document.createElement('span'); body.className = 'td-body'; li.insertBefore(body, li.childNodes[1] || null); }
    body.textContent = line.text;
    var note = li.querySelector('.td-note') || document.createElement('small');
    note.className = 'td-note';
    note.textContent = t('webchat.edited');
    li.appendChild(note);
    li.setAttribute('data-td-change', 'edited');
  }
  function received(line) {
    if (line.id <= lastSeen) return;
    lastSeen = line.id;
    // A change of an earlier reply: applied to that line, never a line of its own.
    if (line.changes) { changed(line); return; }
    if (line.clientId) {
      var shown = log.querySelector('[data-td-state=pending][data-td-client-id="' + line.clientId + '"]');
      if (shown) shown.remove();
      unpend(line.clientId);
    }
    var li = draw(line);
    if (line.author === 'agent') { hideTyping(); watchSeen(li, line.id); }
  }
`;
