/*
 * The escalation console, live. The pages work without this script; it only refreshes what is on screen when
 * something happens in the organisation: a new request, a colleague's claim, a migrant's message, an erase.
 * Events carry a kind and an id, never text: the page itself is fetched again, with this person's rights.
 * Loaded from this site (the CSP allows no inline script). No framework, no build.
 */
/* global window, document, fetch, DOMParser, EventSource */
/* eslint @typescript-eslint/no-unused-vars: ["error", { "caughtErrors": "none" }] -- a bad event is skipped */
(function () {
  'use strict';
  var live = document.getElementById('live');
  if (!live || typeof EventSource === 'undefined' || typeof fetch === 'undefined') return;
  var kind = live.getAttribute('data-live');
  var threadId = live.getAttribute('data-escalation');
  var busy = false;
  var again = false;

  function typing() {
    var el = document.activeElement;
    return el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.tagName === 'SELECT') && el.value;
  }

  function showErased() {
    var p = document.createElement('p');
    p.className = 'erased';
    p.setAttribute('role', 'alert');
    p.textContent = live.getAttribute('data-erased') || '';
    live.replaceChildren(p);
    live.setAttribute('data-live', 'erased');
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) {
        if (kind === 'thread' && (res.status === 404 || res.status === 410)) {
          showErased();
          return null;
        }
        return res.ok ? res.text() : null;
      })
      .then(function (text) {
        if (!text) return;
        var next = new DOMParser().parseFromString(text, 'text/html').getElementById('live');
        // A caseworker halfway through a reply keeps what they typed: the thread is refreshed once they send it.
        if (next && !(kind === 'thread' && typing())) {
          live.replaceWith(next);
          live = next;
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource('/staff/console/events');
  source.onmessage = function (message) {
    var event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (kind === 'queue') refresh();
    else if (kind === 'thread' && event.id === threadId) {
      if (event.kind === 'erased') showErased();
      else refresh();
    }
  };
  document.documentElement.setAttribute('data-console-live', 'connecting');
  source.onopen = function () {
    document.documentElement.setAttribute('data-console-live', 'open');
  };
})();
