/*
 * Waymark web chat. No framework and no build step; written for old phone browsers (no async/await, no
 * optional chaining). Rules: bot text only ever goes through textContent (never HTML); nothing of the
 * conversation is written to browser storage; quick exit leaves nothing on screen or in the back history.
 */
/* global window, document, location, navigator, WebSocket, XMLHttpRequest, Blob, setTimeout, clearTimeout */
/* eslint @typescript-eslint/no-unused-vars: ["error", { "caughtErrors": "none" }] -- `catch {}` without a binding is too new for the phones we serve */
(function () {
  'use strict';

  var byId = function (id) { return document.getElementById(id); };
  var log = byId('log');
  var form = byId('compose');
  var input = byId('text');
  var sendButton = byId('send');
  var statusLine = byId('status');
  var exitLink = byId('exit');
  var languageButton = byId('lang');
  var typing = byId('typing');
  var counter = byId('count');
  var root = document.documentElement;

  var MAX_MESSAGES = 80;
  var RECONNECT_MAX_MS = 30000;

  var state = {
    config: null,
    labels: {},
    /** Session token, only for a page that cannot use the cookie (embedded on another site). Memory only. */
    token: null,
    epoch: null,
    seq: 0,
    /** Sent but not acknowledged: resent, with the same id, after a reconnect. */
    pending: [],
    ws: null,
    ready: false,
    everOpened: false,
    failedOpens: 0,
    polling: false,
    retryMs: 1000,
    retryTimer: null,
    exited: false,
    lastEscape: 0,
    shownReply: false,
    quickExitUrl: exitLink.href,
    maxTextChars: 2000,
    typingTimer: null,
    typingSpokenTimer: null,
    over: false
  };

  var TYPING_SHOWN_MAX_MS = 30000;
  /** Said to screen readers only when a reply is slow: an announcement for every message would be noise. */
  var TYPING_SPOKEN_AFTER_MS = 1500;

  // ---- quick exit -------------------------------------------------------------------------------------

  /** Clears the screen and storage, closes the socket, asks the server to forget, and leaves without a trace in the back history. */
  function quickExit(event) {
    if (event && event.preventDefault) event.preventDefault();
    if (state.exited) return;
    state.exited = true;
    var url = state.quickExitUrl;
    document.title = '';
    document.body.textContent = '';
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { if (state.ws) state.ws.close(1000, 'quick exit'); } catch (e) { /* already closed */ }
    try {
      var body = new Blob([JSON.stringify(state.token ? { session: state.token } : {})], { type: 'text/plain' });
      if (!navigator.sendBeacon || !navigator.sendBeacon('/webchat/forget', body)) request('POST', '/webchat/forget', null);
    } catch (e) { /* best effort: the session also expires on its own */ }
    // Inside the embed, the page to leave is the host page: ask it, and try to replace it directly too.
    if (window.parent !== window) {
      try { window.parent.postMessage({ waymark: 'quick-exit', url: url }, '*'); } catch (e) { /* no parent access */ }
      try { window.top.location.replace(url); return; } catch (e) { /* cross-origin without user activation */ }
    }
    location.replace(url);
  }

  exitLink.addEventListener('click', quickExit);
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') return;
    var now = Date.now();
    if (now - state.lastEscape < 1000) quickExit(event);
    else state.lastEscape = now;
  });
  window.addEventListener('message', function (event) {
    if (event.source === window.parent && event.data && event.data.waymark === 'quick-exit-request') quickExit();
  });

  // ---- labels and direction ---------------------------------------------------------------------------

  function label(key) {
    return state.labels[key] || key;
  }

  function pickLabels(lang) {
    var all = (state.config && state.config.labels) || {};
    var base = String(lang || '').toLowerCase().split('-')[0];
    if (all[lang]) return lang;
    if (all[base]) return base;
    return all.en ? 'en' : null;
  }

  /** Page texts in `lang` (or English), page direction from the latest reply (or the labels). */
  function applyLanguage(lang, dir) {
    var chosen = pickLabels(lang);
    if (chosen) {
      state.labels = state.config.labels[chosen];
      root.lang = chosen;
      var nodes = document.querySelectorAll('[data-l]');
      for (var i = 0; i < nodes.length; i++) nodes[i].textContent = label(nodes[i].getAttribute('data-l'));
      input.placeholder = label('placeholder');
    }
    showCount();
    if (dir === 'rtl' || dir === 'ltr') root.dir = dir;
    else if (state.labels.dir) root.dir = state.labels.dir;
  }

  function setStatus(key) {
    statusLine.textContent = key ? label(key) : '';
  }

  function formatNumber(n) {
    try { return new Intl.NumberFormat(root.lang || 'en').format(n); } catch (e) { return String(n); }
  }

  /**
   * "12 / 2,000 characters" under the box, in the page's language: the limit is said before it is reached. The
   * box itself has no maxlength, so a long paste is never cut; over the limit the count turns red, the status
   * line says so once, and the text stays until it is short enough to send.
   */
  function showCount() {
    var used = input.value.length;
    var over = used > state.maxTextChars;
    counter.textContent = (state.labels.counter || '{used} / {max}').replace('{used}', formatNumber(used)).replace('{max}', formatNumber(state.maxTextChars));
    counter.className = over ? 'count over' : 'count';
    if (over !== state.over) {
      state.over = over;
      if (over) setStatus('tooLong');
      else if (statusLine.textContent === label('tooLong')) setStatus('');
    }
  }

  // ---- rendering (textContent only) -------------------------------------------------------------------

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function appendMessage(el) {
    log.appendChild(el);
    while (log.children.length > MAX_MESSAGES) log.removeChild(log.firstChild);
    log.scrollTop = log.scrollHeight;
  }

  /**
   * A bot reply taller than the chat is shown from its start (the results heading, the first listing), not
   * its end: people read down from the top, and the options below are one scroll away.
   */
  function revealReply(el) {
    var top = el.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
    if (el.offsetHeight > log.clientHeight) log.scrollTop = Math.max(0, top - 8);
  }

  // ---- typing indicator -------------------------------------------------------------------------------

  /** Three dots while a reply is on its way; words for screen readers only if it takes a while. */
  function showTyping() {
    if (!typing) return;
    clearTimeout(state.typingTimer);
    clearTimeout(state.typingSpokenTimer);
    typing.hidden = false;
    typing.lastChild.textContent = '';
    state.typingSpokenTimer = setTimeout(function () { typing.lastChild.textContent = label('typing'); }, TYPING_SPOKEN_AFTER_MS);
    // Never claims forever that a reply is coming: the bot may be unreachable.
    state.typingTimer = setTimeout(hideTyping, TYPING_SHOWN_MAX_MS);
  }

  function hideTyping() {
    if (!typing) return;
    clearTimeout(state.typingTimer);
    clearTimeout(state.typingSpokenTimer);
    typing.hidden = true;
    typing.lastChild.textContent = '';
  }

  function addUserMessage(text) {
    var el = element('div', 'msg user pending');
    el.dir = 'auto';
    el.appendChild(element('span', 'visually-hidden', label('you') + ' '));
    el.appendChild(element('p', '', text));
    appendMessage(el);
    return el;
  }

  /**
   * `text` into `parent`, with each phone number the reply lists (`numbers`: as shown, and what to dial)
   * made a `tel:` link. A number counts only standing alone, not inside a longer run of digits.
   */
  function appendWithCalls(parent, text, numbers) {
    var rest = String(text);
    while (rest) {
      var found = -1;
      var hit = null;
      for (var i = 0; i < (numbers || []).length; i++) {
        var n = numbers[i];
        if (!n || !n.text || !/^\+?\d{2,15}$/.test(n.tel || '')) continue;
        var from = 0;
        var at;
        while ((at = rest.indexOf(n.text, from)) >= 0) {
          var before = rest.charAt(at - 1);
          var after = rest.charAt(at + n.text.length);
          if (!/\d/.test(before) && !/\d/.test(after)) break;
          from = at + 1;
        }
        if (at >= 0 && (found < 0 || at < found)) {
          found = at;
          hit = n;
        }
      }
      if (!hit) {
        parent.appendChild(document.createTextNode(rest));
        return;
      }
      if (found > 0) parent.appendChild(document.createTextNode(rest.slice(0, found)));
      var link = element('a', 'tel', hit.text);
      link.href = 'tel:' + hit.tel;
      link.dir = 'ltr';
      parent.appendChild(link);
      rest = rest.slice(found + hit.text.length);
    }
  }

  function paragraph(text, numbers) {
    var p = element('p');
    appendWithCalls(p, text, numbers);
    return p;
  }

  function card(block, numbers) {
    var box = element('div', 'card');
    var lines = block.lines || [];
    for (var i = 0; i < lines.length; i++) {
      if (i === 0) {
        box.appendChild(element('h3', '', lines[i]));
        continue;
      }
      var line = element('p');
      if (i === block.phoneLine && /^\+?\d{7,15}$/.test(block.tel || '')) {
        var call = element('a', '', lines[i]);
        call.href = 'tel:' + block.tel;
        line.appendChild(call);
      } else if (i === block.websiteLine && /^https?:\/\/[^\s]+$/.test(block.url || '')) {
        var site = element('a', '', lines[i]);
        site.href = block.url;
        site.target = '_blank';
        site.rel = 'noopener noreferrer';
        line.appendChild(site);
      } else {
        appendWithCalls(line, lines[i], numbers);
      }
      box.appendChild(line);
    }
    if (block.address) {
      var mapLine = element('p');
      var map = element('a', '', '🗺 ' + label('map'));
      map.href = 'https://www.openstreetmap.org/search?query=' + encodeURIComponent(block.address.replace(/[\u2066-\u2069]/g, ''));
      map.target = '_blank';
      map.rel = 'noopener noreferrer';
      map.setAttribute('aria-label', label('map') + ': ' + block.address);
      mapLine.appendChild(map);
      box.appendChild(mapLine);
    }
    return box;
  }

  function removeOldChoices() {
    var old = log.querySelectorAll('.choices');
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
  }

  function choiceGroup(choices) {
    var group = element('div', 'choices');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', label('options'));
    choices.forEach(function (choice) {
      var button = element('button', '', choice);
      button.type = 'button';
      button.dir = 'auto';
      button.addEventListener('click', function (event) {
        sendText(choice, choice);
        // Keyboard users keep a stable place to type; on a phone, a tap must not pop up the keyboard.
        if (event.detail === 0) input.focus();
      });
      group.appendChild(button);
    });
    return group;
  }

  /** Emergency numbers as links the phone dials with one tap. */
  function callGroup(calls) {
    var group = element('div', 'calls');
    calls.forEach(function (call) {
      if (!/^\+?\d{2,15}$/.test(call.tel || '')) return;
      var link = element('a', 'call', '📞 ' + call.label);
      link.href = 'tel:' + call.tel;
      link.dir = 'auto';
      group.appendChild(link);
    });
    return group;
  }

  function renderReply(frame) {
    removeOldChoices();
    var el = element('div', 'msg bot');
    if (frame.locale) el.lang = frame.locale;
    el.dir = frame.dir === 'rtl' || frame.dir === 'ltr' ? frame.dir : 'auto';
    el.appendChild(element('span', 'visually-hidden', label('bot') + ' '));
    (frame.blocks || []).forEach(function (block) {
      el.appendChild(block.kind === 'card' ? card(block, frame.numbers) : paragraph(block.text, frame.numbers));
    });
    if (frame.calls && frame.calls.length) el.appendChild(callGroup(frame.calls));
    if (frame.choices && frame.choices.length) el.appendChild(choiceGroup(frame.choices));
    if (frame.locale) applyLanguage(frame.locale, frame.dir);
    hideTyping();
    appendMessage(el);
    revealReply(el);
    state.shownReply = true;
  }

  function markFailed(id, key) {
    for (var i = 0; i < state.pending.length; i++) {
      var item = state.pending[i];
      if (item.id !== id) continue;
      state.pending.splice(i, 1);
      hideTyping();
      if (item.el) {
        item.el.className = 'msg user failed';
        item.el.appendChild(element('p', 'note', label('notSent') + ' ' + label(key)));
      }
      // What the person typed goes back in the box to be shortened, unless they have started something else.
      if (item.typed && !input.value) {
        input.value = item.typed;
        showCount();
        setStatus(key);
      }
      return;
    }
  }

  // ---- frames from the server -------------------------------------------------------------------------

  function acknowledge(id) {
    for (var i = 0; i < state.pending.length; i++) {
      if (state.pending[i].id === id) {
        if (state.pending[i].el) state.pending[i].el.className = 'msg user';
        state.pending.splice(i, 1);
        return;
      }
    }
  }

  function adoptEpoch(epoch) {
    if (state.epoch !== epoch) {
      // A new epoch is a new numbering (the server restarted): everything it sends is new to us.
      state.epoch = epoch;
      state.seq = 0;
    }
  }

  function handleFrame(frame) {
    if (!frame || state.exited) return;
    switch (frame.type) {
      case 'ready':
        adoptEpoch(frame.epoch);
        state.ready = true;
        state.retryMs = 1000;
        setStatus('');
        if (!state.shownReply) transmit({ type: 'start', locale: navigator.language });
        state.pending.forEach(function (item) { transmit(item.frame); });
        break;
      case 'reply':
        if (typeof frame.seq !== 'number' || frame.seq <= state.seq) return;
        state.seq = frame.seq;
        renderReply(frame);
        break;
      case 'ack':
        acknowledge(frame.id);
        break;
      case 'error':
        if (frame.code === 'too_long' || frame.code === 'too_large') markFailed(frame.id, 'tooLong');
        else if (frame.code === 'rate_limited' || frame.code === 'busy') {
          setStatus(frame.code === 'busy' ? 'busy' : 'slowDown');
          setTimeout(function () { setStatus(''); resendPending(); }, 2000);
        }
        break;
    }
  }

  // ---- sending ----------------------------------------------------------------------------------------

  function newId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var id = '';
    for (var i = 0; i < bytes.length; i++) id += ('0' + bytes[i].toString(16)).slice(-2);
    return id;
  }

  /** Sends a message; `typed` is the box's text, put back if the server refuses it. False when not sent. */
  function sendText(text, shown, typed) {
    text = String(text || '').trim();
    if (!text || state.exited) return false;
    if (text.length > state.maxTextChars) {
      setStatus('tooLong');
      return false;
    }
    setStatus('');
    var item = { id: newId(), frame: null, el: addUserMessage(shown || text), typed: typed || null };
    item.frame = { type: 'message', id: item.id, text: text };
    state.pending.push(item);
    showTyping();
    transmit(item.frame);
    return true;
  }

  /** Sends now if connected; otherwise the frame waits in `pending` (messages) or is sent on `ready` (start). */
  function transmit(frame) {
    if (state.ws && state.ready && state.ws.readyState === 1) {
      state.ws.send(JSON.stringify(frame));
      return;
    }
    if (!state.polling) return;
    request('POST', '/webchat/messages', frame).then(function (answer) {
      if (frame.type === 'message') acknowledge(frame.id);
      return answer;
    }, function (failure) {
      if (failure.status === 413 && frame.type === 'message') markFailed(frame.id, 'tooLong');
      else if (failure.status === 401) refreshSession().then(resendPending);
      else setTimeout(resendPending, failure.status === 429 ? 2000 : state.retryMs);
    });
  }

  function resendPending() {
    state.pending.forEach(function (item) { transmit(item.frame); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value;
    // The box is emptied only once the message is on its way: a refused text stays to be shortened.
    if (!sendText(text, null, text)) return;
    input.value = '';
    showCount();
  });

  input.addEventListener('input', showCount);

  languageButton.addEventListener('click', function () {
    // A command every locale understands; the bot answers with its language picker.
    sendText('language', '🌐');
  });

  // ---- transport: WebSocket, else HTTP long-poll ------------------------------------------------------

  function request(method, url, body) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      xhr.timeout = 35000;
      if (body) xhr.setRequestHeader('Content-Type', 'application/json');
      if (state.token) xhr.setRequestHeader('X-Waymark-Session', state.token);
      xhr.onload = function () {
        var parsed = null;
        try { parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (e) { parsed = null; }
        if (xhr.status >= 200 && xhr.status < 300) resolve(parsed);
        else reject({ status: xhr.status, body: parsed });
      };
      xhr.onerror = xhr.ontimeout = function () { reject({ status: 0 }); };
      xhr.send(body ? JSON.stringify(body) : null);
    });
  }

  function refreshSession() {
    return request('GET', '/webchat/config.json', null).then(function (config) {
      state.token = config.session || null;
      return config;
    });
  }

  function scheduleReconnect() {
    if (state.exited || state.retryTimer) return;
    var delay = Math.min(RECONNECT_MAX_MS, state.retryMs) * (0.75 + Math.random() / 2);
    state.retryMs = Math.min(RECONNECT_MAX_MS, state.retryMs * 2);
    state.retryTimer = setTimeout(function () {
      state.retryTimer = null;
      connect();
    }, delay);
  }

  function connect() {
    if (state.exited) return;
    // Sockets that never open (a proxy that blocks them) mean HTTP from now on; a socket that worked once
    // and dropped is a network blip, so keep trying sockets.
    if (!window.WebSocket || (!state.everOpened && state.failedOpens >= 3)) {
      startPolling();
      return;
    }
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/webchat/socket?after=' + state.seq + (state.epoch ? '&epoch=' + encodeURIComponent(state.epoch) : '');
    var ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      state.failedOpens++;
      scheduleReconnect();
      return;
    }
    var opened = false;
    state.ws = ws;
    state.ready = false;
    ws.onopen = function () {
      opened = true;
      state.everOpened = true;
      state.failedOpens = 0;
      if (state.token) ws.send(JSON.stringify({ type: 'auth', token: state.token }));
    };
    ws.onmessage = function (event) {
      var frame = null;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handleFrame(frame);
    };
    ws.onclose = function (event) {
      if (state.ws === ws) {
        state.ws = null;
        state.ready = false;
      }
      if (state.exited) return;
      if (!opened) state.failedOpens++;
      if (event.code === 4409) return; // another tab of this session took over
      setStatus(navigator.onLine === false ? 'offline' : 'connecting');
      if (event.code === 4401 || event.code === 4410) {
        refreshSession().then(scheduleReconnect, scheduleReconnect);
        return;
      }
      scheduleReconnect();
    };
  }

  function startPolling() {
    if (state.polling) return;
    state.polling = true;
    if (!state.shownReply) transmit({ type: 'start', locale: navigator.language });
    resendPending();
    pollLoop();
  }

  function pollLoop() {
    if (state.exited) return;
    var url = '/webchat/messages?wait=1&after=' + state.seq + (state.epoch ? '&epoch=' + encodeURIComponent(state.epoch) : '');
    request('GET', url, null).then(function (answer) {
      setStatus('');
      state.retryMs = 1000;
      adoptEpoch(answer.epoch);
      answer.frames.forEach(handleFrame);
      pollLoop();
    }, function (failure) {
      setStatus(failure.status === 0 ? 'offline' : 'connecting');
      var retry = function () { setTimeout(pollLoop, state.retryMs); state.retryMs = Math.min(RECONNECT_MAX_MS, state.retryMs * 2); };
      if (failure.status === 401) refreshSession().then(retry, retry);
      else retry();
    });
  }

  window.addEventListener('online', function () {
    if (state.retryTimer) {
      clearTimeout(state.retryTimer);
      state.retryTimer = null;
      state.retryMs = 1000;
      connect();
    }
  });

  // ---- start ------------------------------------------------------------------------------------------

  input.disabled = false;
  sendButton.disabled = false;

  function start(config) {
    state.config = config || { labels: {} };
    if (config && typeof config.quickExitUrl === 'string' && /^https?:\/\//.test(config.quickExitUrl)) {
      state.quickExitUrl = config.quickExitUrl;
      exitLink.href = config.quickExitUrl;
    }
    if (config && config.maxTextChars) state.maxTextChars = config.maxTextChars;
    state.token = (config && config.session) || null;
    applyLanguage(navigator.language, null);
    setStatus('connecting');
    connect();
  }

  request('GET', '/webchat/config.json', null).then(start, function () {
    setStatus('offline');
    setTimeout(function () { request('GET', '/webchat/config.json', null).then(start, function () { start(null); }); }, 3000);
  });
})();
