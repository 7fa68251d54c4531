/**
 * `GET /sandbox/app.js`: the agents' side of the page, plain browser
 * JavaScript as text. It polls the board for what changed since the version
 * it has (the server answers at the next change, or after a short wait) and
 * draws it with `thread.js`; the command line sends slash commands.
 */
export const PAGE_JS = String.raw`(function () {
  'use strict';
  function $(id) { return document.getElementById(id); }
  var T = window.sandboxThreads;
  var el = T.el;
  var withCode = T.withCode;
  var list = $('sb-threads');
  var notes = $('sb-notes');
  var statusEl = $('sb-status');
  var state = { epoch: '', version: 0 };
  var views = T.views;
  var seenNotes = {};

  function status(text, bad) {
    if (statusEl.textContent !== text) statusEl.textContent = text;
    statusEl.classList.toggle('sb-bad', Boolean(bad));
  }

  function drawNote(n) {
    if (seenNotes[n.id]) return;
    seenNotes[n.id] = true;
    var li = el('li', 'sb-note');
    li.setAttribute('data-sb', 'note');
    withCode(li, n.text);
    var view = n.thread && views[n.thread];
    if (view) {
      var go = el('button', 'sb-link', 'Go to the thread');
      go.type = 'button';
      go.addEventListener('click', function () { view.root.scrollIntoView({ block: 'start' }); view.box.focus(); });
      li.appendChild(go);
    }
    notes.insertBefore(li, notes.firstChild);
  }

  function apply(board) {
    state.epoch = board.epoch;
    state.version = board.version;
    $('sb-me').textContent = board.agent;
    board.threads.slice().sort(function (a, b) { return a.openedAt - b.openedAt; }).forEach(function (t) {
      var view = T.viewOf(t, list);
      T.drawCard(view, t);
      T.drawPosts(view, t);
    });
    board.notes.forEach(drawNote);
    $('sb-empty').hidden = T.count() > 0;
  }

  function poll() {
    fetch('/sandbox/board?since=' + state.version + '&epoch=' + encodeURIComponent(state.epoch), { cache: 'no-store' })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (board) { apply(board); status('Connected to the bot.', false); setTimeout(poll, 0); })
      .catch(function () { status('The bot is not answering (stopped?); trying again…', true); setTimeout(poll, 2000); });
  }

  $('sb-command').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('sb-command-input');
    var result = $('sb-command-result');
    var text = input.value.trim();
    if (!text) return;
    T.send('/sandbox/command', { id: T.newId(), text: text.charAt(0) === '/' ? text : '/' + text })
      .then(function () { input.value = ''; result.textContent = 'Ran ' + text + ': the answer is under "Only you see these".'; })
      .catch(function (err) { result.textContent = 'Not run: ' + err.message + '.'; });
  });
  poll();
})();
`;
