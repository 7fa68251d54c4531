/**
 * `GET /chat/widget.js`: what a site embeds with one tag (SPEC §12). Plain
 * browser JavaScript as text. It reads its own tag's attributes, takes the
 * desk's address from its own URL, adds the launcher bubble
 * (`data-td="launcher"`) and the chat iframe served from the desk's origin,
 * and keeps the anonymous session token in the host page's storage when the
 * iframe's own storage is partitioned away (the frame posts it here).
 * Identity (`data-user-id`, `data-user-hash`) goes to the frame in the URL
 * fragment, which browsers never send to servers or put in logs.
 */
export const LOADER_JS = String.raw`(function () {
  'use strict';
  var tag = document.currentScript;
  if (!tag || !tag.src) return;
  var desk = new URL(tag.src).origin;
  var d = tag.dataset;
  var queue = /^[\w.-]{1,64}$/.test(d.queue || '') ? d.queue : 'default';
  var left = d.position === 'left';
  var color = /^#[0-9a-fA-F]{3,8}$/.test(d.color || '') ? d.color : '#2457c5';
  var key = 'threaddesk:' + desk + ':' + queue;
  var saved = null;
  try { saved = window.localStorage.getItem(key); } catch (e) { saved = null; }
  var query = new URLSearchParams({ queue: queue, color: color });
  if (d.title) query.set('title', d.title.slice(0, 80));
  var frag = new URLSearchParams();
  if (d.userId) {
    frag.set('uid', d.userId);
    frag.set('uhash', d.userHash || '');
    if (d.userName) frag.set('uname', d.userName);
    if (d.userEmail) frag.set('uemail', d.userEmail);
  } else if (saved) {
    frag.set('t', saved);
  }
  // Styles go through the CSSOM, never a <style> element or style attribute, which a site's
  // Content-Security-Policy without 'unsafe-inline' would block.
  function place(el, props) { Object.keys(props).forEach(function (k) { el.style[k] = props[k]; }); }
  var phone = window.matchMedia('(max-width: 480px)');
  var frame = document.createElement('iframe');
  frame.className = 'td-frame';
  frame.hidden = true;
  place(frame, { position: 'fixed', zIndex: '2147483001', border: '0', background: '#fff', display: 'none' });
  function layout() {
    place(frame, phone.matches
      ? { top: '0', left: '0', right: '0', bottom: '0', width: '100%', height: '100%', maxWidth: 'none', maxHeight: 'none', borderRadius: '0', boxShadow: 'none' }
      : { top: 'auto', left: left ? '16px' : 'auto', right: left ? 'auto' : '16px', bottom: '84px', width: '380px', height: '560px',
        maxWidth: 'calc(100vw - 32px)', maxHeight: 'calc(100vh - 104px)', borderRadius: '12px', boxShadow: '0 4px 24px rgba(0,0,0,.25)' });
  }
  layout();
  if (phone.addEventListener) phone.addEventListener('change', layout);
  frame.id = 'threaddesk-chat';
  frame.setAttribute('data-td', 'frame');
  frame.title = d.title || 'Chat';
  frame.src = desk + '/chat/frame?' + query.toString() + '#' + frag.toString();
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'td-launcher';
  place(button, { position: 'fixed', bottom: '16px', left: left ? '16px' : 'auto', right: left ? 'auto' : '16px', zIndex: '2147483000',
    width: '56px', height: '56px', borderRadius: '50%', border: '0', cursor: 'pointer', background: color, color: '#fff',
    display: 'flex', alignItems: 'center', justifyContent: 'center', boxShadow: '0 2px 12px rgba(0,0,0,.25)' });
  button.setAttribute('data-td', 'launcher');
  button.setAttribute('aria-controls', frame.id);
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', d.title || 'Chat');
  // A drawn speech bubble: an emoji would depend on the visitor's fonts.
  var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  svg.setAttribute('aria-hidden', 'true');
  var path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
  svg.appendChild(path);
  button.appendChild(svg);
  function show(open) {
    frame.hidden = !open;
    frame.style.display = open ? 'block' : 'none';
    button.setAttribute('aria-expanded', String(open));
    if (open) { frame.focus(); frame.contentWindow && frame.contentWindow.postMessage({ td: 'opened' }, desk); }
    else button.focus();
  }
  button.addEventListener('click', function () { show(frame.hidden); });
  window.addEventListener('message', function (e) {
    if (e.origin !== desk || e.source !== frame.contentWindow || !e.data) return;
    if (e.data.td === 'token' && typeof e.data.token === 'string') {
      try { window.localStorage.setItem(key, e.data.token); } catch (err) { /* the host page keeps nothing either */ }
    }
    if (e.data.td === 'labels') { button.setAttribute('aria-label', String(e.data.open)); }
    if (e.data.td === 'close') show(false);
  });
  document.body.appendChild(frame);
  document.body.appendChild(button);
})();
`;
