// A real OpenID Connect provider for Virage's tests: panva's oidc-provider (OpenID certified),
// on 127.0.0.1, with one confidential client and test accounts whose claims follow the Pro Santé
// Connect profile (scope_all: SubjectNameID, SubjectRefPro…). The log-in form is this script's
// own, minimal one: it only picks the account (as the library's development form does) and, unlike
// that form, passes the account's `acr` (e-CPS: eidas1) to the library, which puts it in the ID
// token. Everything else (authorization, PKCE, tokens, signatures, userinfo) is the library's.
//
// Usage: node provider.mjs CONFIG.json  (port, client, accounts; see tests/conftest.py)
import http from 'node:http';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;

const provider = new Provider(issuer, {
  clients: [config.client],
  scopes: ['openid', 'scope_all'],
  claims: {
    openid: ['sub'],
    scope_all: ['SubjectNameID', 'SubjectRefPro', 'SubjectOrganization', 'given_name',
      'family_name', 'preferred_username'],
  },
  acrValues: ['eidas1'],
  pkce: { required: () => true },
  cookies: { keys: ['virage-test-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account.claims }; } };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

function page(res, uid, message = '') {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>Fournisseur de test</title><p>${message}</p>
<form method="post" action="/interaction/${uid}/login">
<input name="login" placeholder="compte de test"><button type="submit">Se connecter</button>
</form>`);
}

async function body(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (!match[2]) return page(res, details.uid);
    const login = (await body(req)).get('login') || '';
    const account = accounts[login];
    if (!account) return page(res, details.uid, 'Compte inconnu.');
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    const result = { login: { accountId: login }, consent: { grantId } };
    if (account.acr) result.login.acr = account.acr;
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(String(err));
  }
});
server.listen(config.port, '127.0.0.1', () => console.log(`ready ${issuer}`));
