/**
 * `GET /sandbox/thread.js`: one thread of the agents' channel on the page,
 * plain browser JavaScript as text, loaded before `app.js`, which uses it
 * through `window.sandboxThreads`. A thread is drawn once and updated in
 * place (so a half-written reply and the keyboard focus survive), and the
 * agent's presses and replies go as JSON, each with its own id so a retry is
 * processed once.
 */
export const THREAD_JS = String.raw`(function () {
  'use strict';
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  /** Text with the desk's backtick code spans, as elements: nothing from the server becomes markup. */
  function withCode(target, text) {
    String(text).split('\u0060').forEach(function (part, i) {
      if (!part) return;
      target.appendChild(i % 2 ? el('code', null, part) : document.createTextNode(part));
    });
    return target;
  }
  function newId() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function send(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) throw new Error(data.message || 'the bot answered ' + res.status);
          return data;
        });
      }, function () { throw new Error('the bot is not answering'); });
  }

  var count = 0;
  /** Each thread's elements by thread id. */
  var views = {};

  function press(view, convId, action, button) {
    button.disabled = true;
    view.error.textContent = '';
    send('/sandbox/action', { id: newId(), convId: convId, action: action })
      .catch(function (e) { view.error.textContent = 'Not done: ' + e.message + '. Press the button again.'; })
      .then(function () { button.disabled = false; });
  }

  function reply(view) {
    var text = view.box.value.trim();
    if (!text) { view.box.focus(); return; }
    // The same text sent again after a failure keeps its id: the bot takes it once.
    if (!view.pending || view.pending.text !== text) view.pending = { id: newId(), text: text };
    view.send.disabled = true;
    view.error.textContent = '';
    send('/sandbox/reply', { id: view.pending.id, thread: view.id, text: text })
      .then(function () { view.pending = null; if (view.box.value.trim() === text) view.box.value = ''; })
      .catch(function (e) { view.error.textContent = 'Not sent: ' + e.message + '. Press Send to try again.'; })
      .then(function () { view.send.disabled = false; });
  }

  function viewOf(t, list) {
    if (views[t.id]) return views[t.id];
    var key = 't' + (++count);
    var view = { id: t.id, key: key, postEls: {}, pending: null };
    view.root = el('article', 'sb-thread');
    view.root.setAttribute('data-sb', 'thread');
    view.root.setAttribute('data-conv', t.convId);
    view.root.setAttribute('aria-labelledby', 'title-' + key);
    view.card = el('div', 'sb-card');
    view.card.setAttribute('data-sb', 'header');
    view.posts = el('ol', 'sb-posts');
    view.posts.setAttribute('data-sb', 'posts');
    view.posts.setAttribute('aria-live', 'polite');
    view.posts.setAttribute('aria-label', 'Messages in this thread');
    var form = el('form', 'sb-reply');
    var label = el('label', 'sb-sr', 'Reply in this thread');
    label.htmlFor = 'reply-' + key;
    view.box = el('textarea');
    view.box.id = 'reply-' + key;
    view.box.rows = 2;
    view.box.placeholder = 'Reply to the customer (Enter sends; // keeps it internal; !claim …)';
    view.box.setAttribute('data-sb', 'reply');
    view.send = el('button', 'sb-button sb-primary', 'Send');
    view.send.type = 'submit';
    view.send.setAttribute('data-sb', 'send');
    form.appendChild(label);
    form.appendChild(view.box);
    form.appendChild(view.send);
    form.addEventListener('submit', function (e) { e.preventDefault(); reply(view); });
    view.box.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); reply(view); }
    });
    view.error = el('p', 'sb-error');
    view.error.setAttribute('role', 'alert');
    view.root.appendChild(view.card);
    view.root.appendChild(view.posts);
    view.root.appendChild(form);
    view.root.appendChild(view.error);
    list.insertBefore(view.root, list.firstChild);
    views[t.id] = view;
    return view;
  }

  function drawCard(view, t) {
    var focused = document.activeElement && view.card.contains(document.activeElement) ? document.activeElement.getAttribute('data-sb-action') : null;
    view.card.textContent = '';
    var title = el('h3', 'sb-title', t.header.title);
    title.id = 'title-' + view.key;
    view.card.appendChild(title);
    var dl = el('dl', 'sb-fields');
    t.header.fields.forEach(function (f) {
      var row = el('div');
      row.appendChild(el('dt', null, f.label));
      row.appendChild(el('dd', null, f.value));
      dl.appendChild(row);
    });
    view.card.appendChild(dl);
    var buttons = el('div', 'sb-buttons');
    t.header.buttons.forEach(function (b) {
      var button = el('button', 'sb-button' + (b.style ? ' sb-' + b.style : ''), b.label);
      button.type = 'button';
      button.setAttribute('data-sb-action', b.action);
      button.addEventListener('click', function () { press(view, t.convId, b.action, button); });
      buttons.appendChild(button);
    });
    view.card.appendChild(buttons);
    view.card.appendChild(withCode(el('p', 'sb-hint'), t.header.hint));
    // A keyboard user who pressed a button stays on the card: on the new button, else the reply box.
    if (focused !== null) {
      var again = buttons.querySelector('button') || view.box;
      again.focus();
    }
  }

  function drawPosts(view, t) {
    t.posts.forEach(function (p) {
      var li = view.postEls[p.id];
      if (!li) {
        li = el('li', 'sb-post sb-' + p.kind);
        li.setAttribute('data-sb', 'post');
        li.setAttribute('data-sb-author', p.kind);
        li.appendChild(el('span', 'sb-author', p.kind === 'notice' ? 'threaddesk' : p.author));
        li.appendChild(withCode(el('span', 'sb-text'), p.text));
        li.title = new Date(p.at).toLocaleString();
        view.posts.appendChild(li);
        view.postEls[p.id] = li;
      }
      if (p.delivered && !li.querySelector('[data-sb=delivered]')) {
        var mark = el('span', 'sb-delivered', '✓');
        mark.setAttribute('data-sb', 'delivered');
        mark.setAttribute('role', 'img');
        mark.setAttribute('aria-label', 'delivered to the customer');
        mark.title = 'Delivered to the customer';
        li.appendChild(mark);
      }
    });
  }

  window.sandboxThreads = {
    el: el, withCode: withCode, newId: newId, send: send, views: views, viewOf: viewOf, drawCard: drawCard, drawPosts: drawPosts,
    count: function () { return count; },
  };
})();
`;
