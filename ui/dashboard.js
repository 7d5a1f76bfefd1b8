// The emulator's dashboard: plain browser JavaScript, no build step.
// Everything it shows comes from /_emulator/overview and /_emulator/requests,
// which hold no secret, and every value is put on the page as text (never as
// HTML): a user name an identity provider chose cannot become markup.
'use strict';

(() => {
  const BASE = new URL('..', window.location.href).pathname.replace(/\/$/, ''); // /_emulator
  const REFRESH_MS = 2000;
  const JOURNAL_ROWS = 50;
  const TOKEN_KEY = 'tce-control-token';
  /** SCIM keys whose usage panel is open. */
  const openUsage = new Set();
  let timer = null;
  let busy = false;

  // A token given as #token=… (never sent to the server in the URL) is kept for this tab only.
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromHash[1]));
    history.replaceState(null, '', window.location.pathname);
  }

  const $ = (id) => document.getElementById(id);

  /** An element with text content (never innerHTML) and optional attributes. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  /** `2026-03-01T00:00:00.000Z` -> `2026-03-01 00:00:00 UTC`. */
  function time(iso) {
    if (!iso) return '—';
    return `${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`;
  }

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function call(method, path, body) {
    const headers = {};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) throw new HttpError(res.status, (data && data.error) || `HTTP ${res.status}`);
    return data;
  }

  function showStatus(text, kind = '') {
    const status = $('status');
    status.textContent = text;
    status.className = kind;
  }

  function showTokenPanel(error) {
    $('token-panel').hidden = false;
    $('token-reason').textContent = `The emulator refused: ${error.message}`;
  }

  // --- rendering -----------------------------------------------------------

  function renderClock(clock) {
    $('clock-now').textContent = time(clock.now);
    const frozen = $('clock-frozen');
    frozen.textContent = clock.frozen ? 'frozen' : 'running';
    frozen.className = `badge ${clock.frozen ? 'warn' : 'ok'}`;
    const button = document.querySelector('[data-command="freeze"]');
    button.textContent = clock.frozen ? 'Unfreeze' : 'Freeze';
    button.dataset.freeze = clock.frozen ? 'false' : 'true';
  }

  function typeBadge(type) {
    return el('span', { class: `badge ${type === 'Synchronized' ? 'ok' : 'muted'}`, text: type === 'Synchronized' ? 'synchronized' : 'manual' });
  }

  function statusBadge(status) {
    return el('span', { class: `badge ${status === 'Enabled' ? 'ok' : 'bad'}`, text: status });
  }

  function renderKeys(zone) {
    if (zone.scimKeys.length === 0) return el('p', { class: 'muted', text: 'No SCIM keys.' });
    const rows = zone.scimKeys.map((key) => {
      const row = el(
        'tr',
        { 'data-testid': 'scim-key', 'data-credential-id': key.credentialId },
        el('td', {}, el('code', { text: key.credentialId })),
        el('td', {}, statusBadge(key.status), key.expired ? el('span', { class: 'badge bad', text: 'expired' }) : null),
        el('td', { text: time(key.createTime) }),
        el('td', { text: time(key.expireTime) }),
        el('td', { 'data-testid': 'scim-key-last-used', text: key.lastUsedTime ? time(key.lastUsedTime) : 'never' }),
        el('td', {}, el('button', { type: 'button', 'data-usage': key.credentialId, text: openUsage.has(key.credentialId) ? 'hide usage' : 'usage' })),
      );
      return [row, openUsage.has(key.credentialId) ? el('tr', {}, el('td', { colspan: 6 }, el('div', { class: 'usage', 'data-usage-of': key.credentialId, text: 'loading…' }))) : null];
    });
    return el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...['CredentialId', 'status', 'created', 'expires', 'last used', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows.flat().filter(Boolean)),
    );
  }

  function renderUsers(zone) {
    const { users } = zone;
    const head = el('h4', { text: `Users: ${users.total} (${users.synchronized} synchronized, ${users.manual} manual)` });
    if (users.total === 0) return el('div', {}, head);
    const table = el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...['UserName', 'display name', 'e-mail', 'status', 'type', 'UserId'].map((h) => el('th', { text: h })))),
      el(
        'tbody',
        {},
        ...users.items.map((u) =>
          el(
            'tr',
            { 'data-testid': 'user-row', 'data-user-type': u.userType },
            el('td', { text: u.userName }),
            el('td', { text: u.displayName }),
            el('td', { text: u.email }),
            el('td', {}, statusBadge(u.userStatus)),
            el('td', {}, typeBadge(u.userType)),
            el('td', {}, el('code', { text: u.userId })),
          ),
        ),
      ),
    );
    const more = users.total > users.items.length ? el('p', { class: 'muted', text: `… and ${users.total - users.items.length} more` }) : null;
    return el('div', {}, head, table, more);
  }

  function renderGroups(zone) {
    const { groups } = zone;
    const head = el('h4', { text: `Groups: ${groups.total} (${groups.synchronized} synchronized, ${groups.manual} manual)` });
    if (groups.total === 0) return el('div', {}, head);
    const table = el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...['GroupName', 'type', 'members', 'GroupId'].map((h) => el('th', { text: h })))),
      el(
        'tbody',
        {},
        ...groups.items.map((g) =>
          el(
            'tr',
            { 'data-testid': 'group-row', 'data-group-type': g.groupType },
            el('td', { text: g.groupName }),
            el('td', {}, typeBadge(g.groupType)),
            el('td', { class: 'num', text: g.members }),
            el('td', {}, el('code', { text: g.groupId })),
          ),
        ),
      ),
    );
    const more = groups.total > groups.items.length ? el('p', { class: 'muted', text: `… and ${groups.total - groups.items.length} more` }) : null;
    return el('div', {}, head, table, more);
  }

  function renderSaml(zone) {
    const head = el('h4', { text: 'SAML single sign-on' });
    if (!zone.saml) return el('div', { 'data-testid': 'saml' }, head, el('p', { class: 'muted', text: 'No identity provider (SetExternalSAMLIdentityProvider).' }));
    const { saml } = zone;
    const facts = el(
      'p',
      { class: 'meta' },
      'SSO ',
      statusBadge(saml.ssoStatus),
      ` · IdP ${saml.entityId || '(no EntityId)'} · ${saml.certificates} certificate${saml.certificates === 1 ? '' : 's'} · `,
      el('a', { href: `${BASE.replace(/\/_emulator$/, '')}/saml/sp/${encodeURIComponent(zone.zoneId)}/login`, target: '_blank', rel: 'noopener', text: 'try a sign-in' }),
    );
    const signIns =
      saml.signIns.length === 0
        ? el('p', { class: 'muted', text: 'No sign-ins yet.' })
        : el(
            'table',
            {},
            el('thead', {}, el('tr', {}, ...['signed in', 'UserName', 'started by'].map((h) => el('th', { text: h })))),
            el(
              'tbody',
              {},
              ...saml.signIns.map((s) =>
                el('tr', { 'data-testid': 'saml-sign-in' }, el('td', { text: time(s.signInTime) }), el('td', { text: s.userName }), el('td', { text: s.initiatedBy === 'sp' ? 'SP' : 'IdP' })),
              ),
            ),
          );
    return el('div', { 'data-testid': 'saml' }, head, facts, signIns);
  }

  function renderOverview(overview) {
    renderClock(overview.clock);
    const zones = $('zones');
    zones.replaceChildren(
      ...(overview.zones.length === 0 ? [el('p', { class: 'muted', text: 'No Identity Center zone (call OpenIdentityCenter).' })] : []),
      ...overview.zones.map((zone) =>
        el(
          'article',
          { class: 'zone', 'data-testid': 'zone', 'data-zone-id': zone.zoneId },
          el('h3', { text: `${zone.zoneName} ` }, el('code', { text: zone.zoneId })),
          el(
            'p',
            { class: 'meta' },
            `account ${zone.ownerUin}${zone.accountName ? ` (${zone.accountName})` : ''} · SCIM synchronisation `,
            statusBadge(zone.scimSyncStatus),
          ),
          el('h4', { text: 'SCIM keys' }),
          renderKeys(zone),
          renderUsers(zone),
          renderGroups(zone),
          renderSaml(zone),
        ),
      ),
    );
    const without = overview.accounts.filter((a) => a.zoneId === null);
    $('accounts').replaceChildren(
      ...(without.length === 0 ? [] : [el('p', { class: 'muted', text: `Accounts without a zone: ${without.map((a) => `${a.uin} (${a.name})`).join(', ')}` })]),
    );
    for (const credentialId of openUsage) void loadUsage(credentialId);
  }

  async function loadUsage(credentialId) {
    const box = document.querySelector(`[data-usage-of="${CSS.escape(credentialId)}"]`);
    if (!box) return;
    try {
      const usage = await call('GET', `/scim-credentials/${encodeURIComponent(credentialId)}/usage`);
      const target = document.querySelector(`[data-usage-of="${CSS.escape(credentialId)}"]`);
      if (!target) return;
      target.replaceChildren(
        el('p', { class: 'muted', text: `last used ${usage.lastUsedTime ? time(usage.lastUsedTime) : 'never'}; ${usage.requests.length} recent SCIM request(s)` }),
        ...(usage.requests.length === 0
          ? []
          : [
              el(
                'table',
                {},
                el('tbody', {}, ...usage.requests.slice(0, 20).map((r) => el('tr', {}, el('td', { text: time(r.time) }), el('td', { class: 'mono', text: `${r.method} ${r.path}` }), el('td', { class: 'num', text: r.status })))),
              ),
            ]),
      );
    } catch (error) {
      box.textContent = `usage unavailable: ${error.message}`;
    }
  }

  function renderJournal(requests) {
    $('journal-rows').replaceChildren(
      ...requests.map((r) => {
        const failed = r.surface === 'scim' ? r.status >= 400 : r.code !== 'Success';
        return el(
          'tr',
          { 'data-testid': 'journal-row' },
          el('td', { class: 'mono', text: time(r.time) }),
          el('td', { text: r.surface.toUpperCase() }),
          el('td', { class: 'mono', text: r.surface === 'api' ? (r.action ?? '(no action)') : `${r.method} ${r.path}` }),
          el('td', { text: r.account ?? '' }),
          el('td', {}, r.credentialId ? el('code', { text: r.credentialId }) : null),
          el('td', { class: failed ? 'bad' : 'ok', text: r.surface === 'scim' ? r.status : r.code }),
          el('td', { class: 'num', text: r.latencyMs }),
          el('td', {}, r.requestId ? el('code', { text: r.requestId }) : null),
        );
      }),
    );
  }

  // --- refresh and commands ---------------------------------------------------

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const filter = new URLSearchParams({ limit: String(JOURNAL_ROWS) });
      const action = $('filter-action').value.trim();
      const code = $('filter-code').value.trim();
      if (action) filter.set('action', action);
      if (code) filter.set('code', code);
      const [overview, journal] = await Promise.all([call('GET', '/overview'), call('GET', `/requests?${filter}`)]);
      renderOverview(overview);
      renderJournal(journal.requests);
      $('token-panel').hidden = true;
      showStatus(`updated ${new Date().toLocaleTimeString()}`, 'muted');
    } catch (error) {
      if (error.status === 401 || error.status === 403) showTokenPanel(error);
      showStatus(error.message, 'bad');
    } finally {
      busy = false;
    }
  }

  async function command(button) {
    const kind = button.dataset.command;
    try {
      if (kind === 'freeze') await call('POST', '/clock', { freeze: button.dataset.freeze !== 'false' });
      else if (kind === 'advance') await call('POST', '/clock', { advanceSeconds: Number(button.dataset.seconds) });
      else if (kind === 'set') await call('POST', '/clock', { set: $('clock-set-value').value.trim() });
      else if (kind === 'reset' || kind === 'reset-empty') {
        const empty = kind === 'reset-empty';
        if (!window.confirm(empty ? 'Reset the emulator to an empty state (no accounts, no zones)?' : 'Reset the emulator to its fixtures?')) return;
        await call('POST', '/reset', empty ? { empty: true } : {});
        openUsage.clear();
      }
      showStatus('done', 'ok');
    } catch (error) {
      showStatus(error.message, 'bad');
    }
    await refresh();
  }

  function schedule() {
    clearInterval(timer);
    timer = $('auto-refresh').checked ? setInterval(refresh, REFRESH_MS) : null;
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (!target) return;
    if (target.dataset.command) void command(target);
    else if (target.dataset.usage) {
      const id = target.dataset.usage;
      if (openUsage.has(id)) openUsage.delete(id);
      else openUsage.add(id);
      void refresh();
    }
  });
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token-input').value);
    $('token-input').value = '';
    void refresh();
  });
  $('journal-filter').addEventListener('submit', (event) => event.preventDefault());
  $('journal-filter').addEventListener('input', () => void refresh());
  $('auto-refresh').addEventListener('change', schedule);

  void call('GET', '/health')
    .then((health) => ($('version').textContent = `v${health.version}`))
    .catch(() => undefined);
  void refresh();
  schedule();
})();
