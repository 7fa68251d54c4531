import { FRAME_JS_INPUT } from './frame-script-input.js';
import { FRAME_JS_LOG } from './frame-script-log.js';
import { FRAME_JS_PRESENCE } from './frame-script-presence.js';
import { FRAME_JS_SOCKET } from './frame-script-socket.js';

/**
 * The widget's start: its words in the browser's language, the labels, the
 * identity from the URL fragment, storage, and the state the other parts share.
 */
const FRAME_JS_SETUP = String.raw`  var cfg = JSON.parse(document.getElementById('td-config').textContent);
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
  var log = $('td-log'), input = $('td-input'), status = $('td-status'), form = $('td-form'), send = $('td-send'), typing = $('td-typing');
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

`;

/**
 * `GET /chat/frame.js`: the widget itself, plain browser JavaScript as text
 * (no framework), in parts that share one function scope. Protocol: see
 * protocol.ts. What it keeps:
 * - `lastSeen`, the highest history id shown; a reconnect asks for what
 *   follows it, and a line with an id at or below it is never drawn again.
 * - the session token (anonymous visitors) in the frame's storage, and a copy
 *   handed to the host page (posted to the loader) for browsers that partition
 *   or block a cross-site frame's storage.
 * - messages typed while offline, in storage under their client id, sent on
 *   reconnect; the desk recognises a resend by that id.
 */
export const FRAME_JS = [
  "(function () {\n  'use strict';",
  FRAME_JS_SETUP, FRAME_JS_LOG, FRAME_JS_PRESENCE, FRAME_JS_SOCKET, FRAME_JS_INPUT,
  '})();\n',
].join('\n');
