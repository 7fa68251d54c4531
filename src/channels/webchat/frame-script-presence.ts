/**
 * Part of `frame.js` (see frame-script.ts): what the visitor learns of the
 * agent and the agent of the visitor, neither stored.
 * - typing: "Ana is typing…" for 6 s after the desk's `typing` frame, or
 *   until her message arrives.
 * - seen: an agent's message counts as seen once at least half of it is in
 *   view of the list while the tab is visible; the highest such id goes to
 *   the desk in one `seen` frame (debounced, so reading many at once sends
 *   one), and again after a reconnect if it was not sent.
 */
export const FRAME_JS_PRESENCE = String.raw`  var typingTimer = null;
  function showTyping(name) {
    typing.textContent = t('webchat.typing', { name: name || t('webchat.agent') });
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 6000);
  }
  function hideTyping() {
    clearTimeout(typingTimer);
    typing.hidden = true;
    typing.textContent = '';
  }

  var seenMax = 0, seenSent = 0, seenTimer = null, unseen = [];
  var visible = function () { return document.visibilityState === 'visible'; };
  var observer = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
    if (!visible()) return;
    entries.forEach(function (e) { if (e.isIntersecting) countSeen(e.target); });
  }, { root: log, threshold: 0.5 }) : null;
  function countSeen(li) {
    var id = Number(li.getAttribute('data-td-id'));
    unseen = unseen.filter(function (x) { return x !== li; });
    if (observer) observer.unobserve(li);
    if (id > seenMax) seenMax = id;
    reportSeen();
  }
  function inView(li) {
    var a = li.getBoundingClientRect(), b = log.getBoundingClientRect();
    return a.height > 0 && a.top + a.height / 2 >= b.top && a.bottom - a.height / 2 <= b.bottom;
  }
  function watchSeen(li, id) {
    if (!id) return;
    unseen.push(li);
    if (observer) observer.observe(li); else if (visible()) countSeen(li);
  }
  function reportSeen() {
    clearTimeout(seenTimer);
    seenTimer = setTimeout(function () {
      if (!ws || !ready || !visible() || seenMax <= seenSent) return;
      seenSent = seenMax;
      ws.send(JSON.stringify({ type: 'seen', id: seenMax }));
    }, 300);
  }
  // Lines that arrived while the tab was hidden count once it is shown with them in view.
  document.addEventListener('visibilitychange', function () {
    if (!visible()) return;
    unseen.filter(inView).forEach(countSeen);
    reportSeen();
  });
`;
