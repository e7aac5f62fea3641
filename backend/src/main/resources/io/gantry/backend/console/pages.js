'use strict';
// The console's pages, one function each, registered by name (the first part of the URL hash).
(function (G) {
  const { api, el, table, problem, unavailable, link } = G;

  // A list answer may be a bare array or a page object holding the array.
  function items(body) {
    if (Array.isArray(body)) return body;
    if (body && typeof body === 'object') {
      for (const k of ['items', 'content', 'targets', 'devices', 'alerts', 'results']) {
        if (Array.isArray(body[k])) return body[k];
      }
    }
    return [];
  }

  // Every list pages alike: ?page=P&size=N, the total in X-Total-Count (docs/backend-api.md).
  const SIZE = 50;

  function pageNumber(text) {
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 ? n : 0;
  }

  function listPath(path, pageNo, size) {
    return path + (path.includes('?') ? '&' : '?') + 'page=' + pageNo + '&size=' + (size || SIZE);
  }

  // "rows a-b of N" with links to the pages before and after (#/<name>/<page>).
  function pager(name, pageNo, r, size) {
    const n = (r.body || []).length;
    const total = r.total === null ? n : r.total;
    const first = pageNo * (size || SIZE);
    const out = el('p', { 'class': 'pager', 'data-total': total, 'data-page-number': pageNo },
      n ? 'rows ' + (first + 1) + '–' + (first + n) + ' of ' + total : 'none of ' + total + ' on this page');
    if (pageNo > 0) out.appendChild(el('span', {}, ' ', link('#/' + name + '/' + (pageNo - 1), '« newer/previous')));
    if (first + n < total) out.appendChild(el('span', {}, ' ', link('#/' + name + '/' + (pageNo + 1), 'next »')));
    return out;
  }

  function idOf(t) {
    return t.controllerId || t.id || t.name;
  }

  G.page('fleet', async function (p) {
    const pageNo = pageNumber(p);
    // Counts are the lists' totals (X-Total-Count) of one-row pages, not the length of a first page.
    const [releases, running, paused, targets, alerts, expiry] = await Promise.all([
      api('GET', 'releases?page=0&size=1'), api('GET', 'rollouts?state=RUNNING&page=0&size=1'),
      api('GET', 'rollouts?state=PAUSED&page=0&size=1'), api('GET', listPath('targets', pageNo)),
      api('GET', 'alerts?state=OPEN&page=0&size=1'), api('GET', 'certificate-expiry')]);
    const out = [el('h1', {}, 'Fleet overview')];
    const cards = el('div', { 'class': 'cards', id: 'health' });
    const card = (label, value) => cards.appendChild(el('div', { 'class': 'card' },
      el('div', { 'class': 'value' }, value), el('div', { 'class': 'label' }, label)));
    if (targets.ok) card('devices', targets.total);
    if (expiry.ok) {
      const w = expiry.body.windows;
      card('device certificates', w.reduce((a, x) => a + x.count, 0));
      card('expired or within 30 d', w.filter(x => x.toDays !== null && x.toDays <= 30).reduce((a, x) => a + x.count, 0));
    }
    if (releases.ok) card('releases', releases.total);
    if (running.ok) card('rollouts running', running.total);
    if (paused.ok) card('rollouts paused', paused.total);
    if (alerts.ok) card('open alerts', alerts.total);
    out.push(cards);
    out.push(el('h2', {}, 'Devices'));
    const input = el('input', { id: 'device-id', placeholder: 'controller id', size: 24 });
    out.push(el('form', { 'class': 'inline', id: 'open-device', onsubmit: e => {
      e.preventDefault();
      if (input.value) location.hash = '#/device/' + encodeURIComponent(input.value);
    } }, input, el('button', { type: 'submit' }, 'Open device')));
    if (targets.ok) {
      out.push(table([
        { title: 'device', get: t => link('#/device/' + encodeURIComponent(idOf(t)), idOf(t)) },
        { title: 'last seen', get: t => t.lastSeen },
        { title: 'details', get: t => Object.fromEntries(Object.entries(t).filter(([k]) =>
          !['controllerId', 'lastSeen', 'actions', 'devices'].includes(k))) }
      ], items(targets.body)));
      out.push(pager('fleet', pageNo, targets));
    } else {
      out.push(unavailable('fleet list', 'GET /rest/v1/targets'));
    }
    if (!alerts.ok && alerts.status === 404) out.push(el('p', {}, unavailable('alerts', 'GET /rest/v1/alerts')));
    return out;
  });

  G.page('device', async function (id) {
    const enc = encodeURIComponent(id);
    const [target, attributes, certs] = await Promise.all([api('GET', 'targets/' + enc),
      api('GET', 'targets/' + enc + '/attributes'), api('GET', 'certificate-expiry/' + enc)]);
    const out = [el('h1', {}, 'Device ', el('span', { id: 'device-title' }, id))];
    if (!target.ok) return out.concat(problem(target));
    const t = target.body;
    out.push(table([{ title: 'first seen', get: x => x.firstSeen }, { title: 'last seen', get: x => x.lastSeen }], [t]));
    out.push(el('h2', {}, 'Devices behind it (versions)'));
    out.push(t.devices && t.devices.length ? table([
      { title: 'device', get: d => d.deviceId }, { title: 'type', get: d => d.type },
      { title: 'running', get: d => d.runningVersion }, { title: 'last release', get: d => d.lastRelease },
      { title: 'result', get: d => d.lastResult }, { title: 'code', get: d => d.lastCode },
      { title: 'message', get: d => d.lastMessage }], t.devices) : el('p', {}, 'none reported'));
    out.push(el('h2', {}, 'Attributes (reported by the device)'));
    if (attributes.ok) {
      const rows = Object.entries(attributes.body);
      out.push(rows.length ? table([{ title: 'name', get: r => r[0] }, { title: 'value', get: r => r[1] }], rows)
        : el('p', {}, 'none reported'));
    } else {
      out.push(problem(attributes));
    }
    out.push(el('h2', {}, 'Certificate'));
    if (certs.ok) {
      out.push(table([{ title: 'serial', get: c => c.serial }, { title: 'subject', get: c => c.subject },
        { title: 'status', get: c => c.status }, { title: 'not after', get: c => c.notAfter },
        { title: 'revoked at', get: c => c.revokedAt }], certs.body));
    } else if (certs.status === 404 && (certs.body || {}).code === 'CERTIFICATE_NOT_FOUND') {
      out.push(el('p', {}, 'no certificate issued by this backend\'s CA is on record for this device'));
    } else if (certs.status === 404) {
      out.push(unavailable('certificates', 'GET /rest/v1/certificate-expiry/{commonName}'));
    } else {
      out.push(problem(certs));
    }
    out.push(el('h2', {}, 'History'));
    const actions = (t.actions || []).slice().sort((a, b) => b.id - a.id);
    const histories = await Promise.all(actions.slice(0, 10).map(a => api('GET', 'actions/' + a.id)));
    const rows = [];
    histories.forEach(h => {
      if (!h.ok) return;
      (h.body.history || []).forEach(s => rows.push({ action: h.body.id, release: h.body.releaseId, s: s }));
      if (!(h.body.history || []).length) rows.push({ action: h.body.id, release: h.body.releaseId, s: { execution: h.body.status } });
    });
    out.push(rows.length ? table([{ title: 'action', get: r => r.action }, { title: 'release', get: r => r.release },
      { title: 'reported at', get: r => r.s.reportedAt }, { title: 'execution', get: r => r.s.execution },
      { title: 'result', get: r => r.s.finished }, { title: 'details', get: r => (r.s.details || []).join(' | ') }], rows)
      : el('p', {}, 'no actions'));
    return out;
  });

  G.page('releases', async function (p) {
    const pageNo = pageNumber(p);
    const r = await api('GET', listPath('releases', pageNo));
    const out = [el('h1', {}, 'Releases')];
    if (!r.ok) return out.concat(problem(r));
    out.push(table([{ title: 'id', get: x => x.id }, { title: 'name', get: x => x.name },
      { title: 'version', get: x => x.version }, { title: 'kind', get: x => x.kind }, { title: 'target', get: x => x.target },
      { title: 'signers', get: x => (x.signers || []).join(', ') }, { title: 'payloads', get: x => (x.payloads || []).length },
      { title: 'created', get: x => x.createdAt }], r.body));
    out.push(pager('releases', pageNo, r));
    return out;
  });

  const PROGRESS = [['succeeded', '#2e9d4f'], ['failed', '#d64545'], ['open', '#3f7fd6'], ['notStarted', '#b8c2cf'],
    ['held', '#e0a100'], ['canceled', '#7a7f87']];

  function progressOf(r) {
    return PROGRESS.map(([k, color]) => ({ label: k, color: color,
      value: (r.groups || []).reduce((a, g) => a + (g[k] || 0), 0) }));
  }

  async function change(id, op) {
    const r = await api('POST', 'rollouts/' + id + '/' + op);
    if (!r.ok) {
      alert('HTTP ' + r.status + ' ' + ((r.body || {}).code || '') + ': ' + ((r.body || {}).message || ''));
    }
    G.route();
  }

  G.page('rollouts', async function (p) {
    const pageNo = pageNumber(p);
    const r = await api('GET', listPath('rollouts', pageNo));
    const out = [el('h1', {}, 'Rollouts')];
    if (!r.ok) return out.concat(problem(r));
    if (!r.body.length) return out.concat(el('p', {}, 'no rollouts'), pager('rollouts', pageNo, r));
    out.push(el('h2', {}, 'Progress (devices per rollout)'));
    out.push(G.stackedBars(r.body, progressOf, x => '#' + x.id + ' ' + x.name));
    const allowed = G.can('rollout.change');
    const button = (x, op, enabled) => el('button', { 'data-op': op, 'data-rollout': x.id,
      disabled: allowed && enabled ? null : 'disabled', title: allowed ? null : 'your role may not change rollouts',
      onclick: () => change(x.id, op) }, op);
    out.push(table([{ title: 'id', get: x => x.id }, { title: 'name', get: x => x.name },
      { title: 'release', get: x => x.releaseId }, { title: 'state', get: x => x.state + (x.pauseReason ? ' (' + x.pauseReason + ')' : '') },
      { title: 'groups', get: x => (x.groups || []).map(g => g.name + ' ' + g.state + ' ' + g.succeeded + '/' + g.total).join('; ') },
      { title: 'held', get: x => Object.keys(x.held || {}).length },
      { title: 'actions', get: x => el('span', {}, button(x, 'pause', x.state === 'RUNNING'),
        button(x, 'resume', x.state === 'PAUSED'), button(x, 'cancel', ['RUNNING', 'PAUSED', 'CREATED'].includes(x.state))) }
    ], r.body));
    out.push(pager('rollouts', pageNo, r));
    return out;
  });

  const WINDOW_COLORS = ['#7a1f1f', '#d64545', '#e0a100', '#e9d36a', '#9cc59a', '#2e9d4f'];

  G.page('certificates', async function () {
    const r = await api('GET', 'certificate-expiry?role=devices');
    const out = [el('h1', {}, 'Certificate expiry (devices)')];
    if (r.status === 404) return out.concat(unavailable('certificate expiry', 'GET /rest/v1/certificate-expiry'));
    if (!r.ok) return out.concat(problem(r));
    out.push(G.barChart(r.body.windows.map((w, i) => ({ label: w.label, value: w.count, color: WINDOW_COLORS[i % 6] }))));
    out.push(el('h2', {}, 'Soonest to expire'));
    out.push(table([{ title: 'subject', get: c => c.subject }, { title: 'serial', get: c => c.serial },
      { title: 'not after', get: c => c.notAfter }], r.body.soonest));
    return out;
  });

  G.page('alerts', async function (p) {
    const pageNo = pageNumber(p);
    const r = await api('GET', listPath('alerts', pageNo));
    const out = [el('h1', {}, 'Alerts')];
    if (r.status === 404 && !(r.body || {}).code?.endsWith('_NOT_FOUND')) {
      return out.concat(unavailable('alerts', 'GET /rest/v1/alerts'));
    }
    if (!r.ok) return out.concat(problem(r));
    const list = items(r.body);
    if (!list.length) return out.concat(el('p', {}, 'no alerts'), pager('alerts', pageNo, r));
    const allowed = G.can('alert.ack');
    const keys = Object.keys(list[0]);
    const columns = keys.map(k => ({ title: k, get: a => a[k] }));
    columns.push({ title: 'acknowledge', get: a => el('button', { 'data-alert': a.id,
      disabled: allowed && !a.acknowledged && !a.acknowledgedAt ? null : 'disabled',
      onclick: async () => {
        const res = await api('POST', 'alerts/' + encodeURIComponent(a.id) + '/acknowledge');
        if (!res.ok) alert('HTTP ' + res.status + ' ' + ((res.body || {}).message || ''));
        G.route();
      } }, 'acknowledge') });
    out.push(table(columns, list));
    out.push(pager('alerts', pageNo, r));
    return out;
  });

  G.page('audit', async function (p) {
    const pageNo = pageNumber(p);
    const r = await api('GET', listPath('security-events', pageNo, 200));
    const out = [el('h1', {}, 'Audit: security events')];
    if (!r.ok) return out.concat(problem(r));
    out.push(table([{ title: 'id', get: e => e.id }, { title: 'at', get: e => e.occurredAt }, { title: 'code', get: e => e.code },
      { title: 'subject', get: e => e.subject }, { title: 'from', get: e => e.remoteAddress },
      { title: 'detail', get: e => e.detail }], r.body));
    out.push(pager('audit', pageNo, r, 200));
    return out;
  });

  G.page('downloads', async function (p) {
    const pageNo = pageNumber(p);
    const out = [el('h1', {}, 'Download log')];
    const result = el('div', { id: 'chain-result' });
    out.push(el('p', {}, 'Every artifact download is one entry of a hash chain; verifying recomputes every link now.'));
    out.push(el('button', { id: 'verify-chain', onclick: async () => {
      result.replaceChildren(el('p', {}, 'verifying…'));
      const r = await api('GET', 'download-log/verification');
      if (!r.ok) { result.replaceChildren(problem(r)); return; }
      const v = r.body;
      result.replaceChildren(v.intact
        ? el('p', { 'class': 'ok', 'data-intact': 'true' }, 'chain intact: ' + v.entries + ' entries verified')
        : el('p', { 'class': 'error', 'data-intact': 'false' }, 'chain BROKEN at entry ' + v.firstBroken + ': ' + v.reason));
    } }, 'Verify chain'));
    out.push(result);
    const entries = await api('GET', listPath('download-log', pageNo, 100));
    if (entries.ok) {
      const list = items(entries.body);
      if (list.length) out.push(table(Object.keys(list[0]).map(k => ({ title: k, get: e => e[k] })), list));
      out.push(pager('downloads', pageNo, entries, 100));
    } else if (entries.status === 404) {
      out.push(el('p', {}, unavailable('download entries', 'GET /rest/v1/download-log')));
    } else {
      out.push(problem(entries));
    }
    return out;
  });

  document.addEventListener('DOMContentLoaded', G.start);
})(window.Gantry);
