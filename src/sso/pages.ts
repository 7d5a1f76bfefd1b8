// The few HTML pages a browser sees on the SAML endpoints. Plain, self-contained
// (no scripts, no external assets): they are read by people trying a login and
// by tests that look for the words on them.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tencent Cloud emulator</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 40rem; padding: 0 1rem; color: #1d2129; }
h1 { font-size: 1.5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { color: #4e5969; }
dd { margin: 0; word-break: break-all; }
code { background: #f2f3f5; padding: 0 .25rem; }
.refused h1 { color: #c9353f; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function facts(rows: readonly (readonly [string, string])[]): string {
  return `<dl>\n${rows.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}\n</dl>`;
}

export interface PortalFacts {
  userName: string;
  displayName: string;
  email: string;
  zoneId: string;
  signedInAt: string;
  issuer: string;
  nameId: string;
  initiatedBy: 'idp' | 'sp';
  relayState: string;
}

/** The local "user portal": who signed in, and when. */
export function portalPage(f: PortalFacts): string {
  const rows: [string, string][] = [
    ['User name', f.userName],
    ['Display name', f.displayName],
    ['E-mail', f.email],
    ['Signed in at', f.signedInAt],
    ['Zone', f.zoneId],
    ['Identity provider', f.issuer],
    ['NameID', f.nameId],
    ['Started by', f.initiatedBy === 'sp' ? 'this service provider (SP-initiated)' : 'the identity provider (IdP-initiated)'],
  ];
  if (f.relayState !== '') rows.push(['RelayState', f.relayState]);
  return page(
    `Signed in as ${f.userName}`,
    `<main class="portal">
<h1>Signed in as <span id="user-name">${escapeHtml(f.userName)}</span></h1>
<p>The SAML sign-in to Identity Center zone <code>${escapeHtml(f.zoneId)}</code> succeeded at <time id="signed-in-at">${escapeHtml(f.signedInAt)}</time>.</p>
${facts(rows)}
</main>`,
  );
}

/** A refused sign-in: which check failed and why, so whoever is setting up an IdP can fix it. */
export function refusalPage(check: string, message: string, zoneId: string | null): string {
  return page(
    'Sign-in refused',
    `<main class="refused">
<h1>Sign-in refused</h1>
<p>Failed check: <code id="failed-check">${escapeHtml(check)}</code></p>
<p id="reason">${escapeHtml(message)}</p>
${zoneId ? `<p>Zone: <code>${escapeHtml(zoneId)}</code></p>` : ''}
</main>`,
  );
}

/**
 * The HTTP-POST binding from the browser's side: a form that posts itself to
 * `action` (with a button for browsers without scripts).
 */
export function autoPostPage(action: string, fields: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in · Tencent Cloud emulator</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${escapeHtml(action)}">
${inputs}
<noscript><p>Continue to your identity provider to sign in.</p><button type="submit">Continue</button></noscript>
</form>
</body>
</html>
`;
}
