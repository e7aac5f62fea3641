'use strict';
// The console's core: calls to the management API, safe DOM building and the hash router.
// Every text reaches the page through textContent or attributes, never through innerHTML, so
// device-supplied strings (attributes, report lines) cannot become markup or script.
window.Gantry = (function () {
  const pages = {};
  let session = null;

  // Which console actions each role may take; the server enforces its own rules anyway.
  // Roles unknown to this table get a read-only console.
  const ROLE_ACTIONS = {
    'operator': ['rollout.change', 'alert.ack'],
    'release-manager': [],
    'security-officer': [],
    'viewer': []
  };

  async function api(method, path) {
    const response = await fetch('/rest/v1/' + path, {
      method: method,
      headers: { 'Accept': 'application/json' },
      credentials: 'same-origin'
    });
    let body = null;
    const text = await response.text();
    if (text) {
      try { body = JSON.parse(text); } catch (e) { body = { message: text }; }
    }
    // Lists answer one page; the number of matches over all pages is X-Total-Count.
    const total = response.headers.get('X-Total-Count');
    return { status: response.status, ok: response.ok, body: body, total: total === null ? null : Number(total) };
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'onclick' || k === 'onsubmit') {
        node.addEventListener(k.substring(2), v);
      } else if (v !== null && v !== undefined) {
        node.setAttribute(k, String(v));
      }
    });
    children.flat().forEach(c => {
      if (c === null || c === undefined) return;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return node;
  }

  function table(columns, rows) {
    const head = el('tr', {}, columns.map(c => el('th', {}, c.title)));
    const body = rows.map(r => el('tr', {}, columns.map(c => el('td', {}, cell(c.get(r))))));
    return el('table', {}, el('thead', {}, head), el('tbody', {}, body));
  }

  function cell(v) {
    if (v === null || v === undefined) return '';
    if (v instanceof Node) return v;
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function problem(result) {
    const b = result.body || {};
    return el('p', { 'class': 'error' }, 'HTTP ' + result.status + ' ' + (b.code || '') + ': ' + (b.message || ''));
  }

  function unavailable(what, endpoint) {
    return el('p', { 'class': 'unavailable', 'data-unavailable': endpoint },
      what + ': not available on this backend (' + endpoint + ' is not served)');
  }

  function link(href, text) {
    return el('a', { href: href }, text);
  }

  function can(action) {
    if (!session) return false;
    return (session.roles || []).some(function (r) { return (ROLE_ACTIONS[r] || []).includes(action); });
  }

  function page(name, render) {
    pages[name] = render;
  }

  async function route() {
    const hash = location.hash || '#/fleet';
    const parts = hash.substring(2).split('/').map(decodeURIComponent);
    const render = pages[parts[0]] || pages.fleet;
    document.querySelectorAll('#nav a').forEach(a => {
      a.classList.toggle('active', a.getAttribute('href') === '#/' + parts[0]);
    });
    const main = document.getElementById('page');
    main.replaceChildren(el('p', {}, 'Loading…'));
    try {
      const content = await render(...parts.slice(1));
      main.replaceChildren(...[].concat(content));
    } catch (e) {
      main.replaceChildren(el('p', { 'class': 'error' }, 'console error: ' + e.message));
    }
    main.setAttribute('data-page', parts[0]);
    main.setAttribute('data-loaded', 'true');
  }

  async function start() {
    const r = await fetch('/console/session', { headers: { 'Accept': 'application/json' } });
    if (r.ok) {
      session = await r.json();
      document.getElementById('who').textContent =
        session.commonName + ' (' + ((session.roles || []).join(', ') || 'no operator role') + '; certificate until ' + session.certificateNotAfter.substring(0, 10) + ')';
      document.getElementById('who').setAttribute('data-role', (session.roles || []).join(' '));
    }
    window.addEventListener('hashchange', route);
    route();
  }

  return { api, el, table, problem, unavailable, link, can, page, start, route };
})();
