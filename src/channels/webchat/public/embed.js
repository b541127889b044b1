/*
 * Waymark web chat launcher for another site (a municipality's pages):
 *
 *   <script src="https://chat.example.org/webchat/embed.js" async
 *           data-label="Need help? Chat with us" data-quick-exit-url="https://www.bbc.com/weather"></script>
 *
 * Adds one button; the chat (an iframe of this bot's page) is created only when it is first opened, so the
 * host page pays nothing until then. Quick exit inside the chat (or Esc twice while it is open) replaces the
 * host page with the neutral site, so the host page is not left in the back history either.
 */
/* global window, document, location, setTimeout, URL */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.waymarkChatLoaded) return;
  window.waymarkChatLoaded = true;

  var origin = new URL(script.src, location.href).origin;
  var text = script.getAttribute('data-label') || 'Chat';
  var ownExitUrl = script.getAttribute('data-quick-exit-url');
  var rtl = (document.documentElement.dir || '').toLowerCase() === 'rtl';
  var side = rtl ? 'left' : 'right';
  var frame = null;
  var lastEscape = 0;

  function css(el, rules) {
    // Style properties set from script are allowed by a strict style-src; inline style attributes are not.
    for (var name in rules) el.style.setProperty(name, rules[name]);
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = '💬 ' + text;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'waymark-chat');
  css(button, {
    position: 'fixed', bottom: '16px', 'z-index': '2147483646', 'min-height': '48px', padding: '0 20px',
    border: '2px solid #fff', 'border-radius': '24px', background: '#0b57d0', color: '#fff', cursor: 'pointer',
    font: '600 16px/1.2 system-ui, sans-serif', 'box-shadow': '0 2px 8px rgba(0,0,0,.35)'
  });
  button.style.setProperty(side, '16px');

  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.id = 'waymark-chat';
      frame.title = text;
      frame.src = origin + '/';
      css(frame, {
        position: 'fixed', bottom: '76px', width: 'min(400px, calc(100vw - 32px))', height: 'min(640px, calc(100vh - 96px))',
        border: '1px solid #8a8a8a', 'border-radius': '12px', background: '#fff', 'z-index': '2147483647',
        'box-shadow': '0 4px 16px rgba(0,0,0,.3)'
      });
      frame.style.setProperty(side, '16px');
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute('aria-expanded', frame.hidden ? 'false' : 'true');
    if (!frame.hidden) frame.focus();
  }

  function leave(url) {
    if (!/^https?:\/\//.test(url || '')) return;
    if (frame) frame.remove();
    button.remove();
    location.replace(url);
  }

  button.addEventListener('click', open);
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || event.data.waymark !== 'quick-exit') return;
    leave(ownExitUrl || event.data.url);
  });
  document.addEventListener('keydown', function (event) {
    if (!frame || frame.hidden || (event.key !== 'Escape' && event.key !== 'Esc')) return;
    var now = Date.now();
    if (now - lastEscape < 1000) {
      // The chat clears itself and tells the server to forget, then asks this page to leave.
      frame.contentWindow.postMessage({ waymark: 'quick-exit-request' }, origin);
      if (ownExitUrl) setTimeout(function () { leave(ownExitUrl); }, 300);
    }
    lastEscape = now;
  });

  if (document.body) document.body.appendChild(button);
  else document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(button); });
})();
