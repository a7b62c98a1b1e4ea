// Microsoft's JavaScript clients, unmodified, against the local tenant server over HTTPS: @azure/identity signs in with
// the server as its authority host, @microsoft/microsoft-graph-client calls Graph on it. The only set-up is what a user
// does: the server's CA file in NODE_EXTRA_CA_CERTS, the server's URL as authority host (instance discovery off) and as
// the Graph client's base URL.
//
// Environment (set by tests/compat/run.ps1): LOCALTENANT_URL (https://127.0.0.1:port), LOCALTENANT_TENANT_ID,
// LOCALTENANT_ADMIN_TOKEN (the server's --print-admin-token, used only to set up the client app), NODE_EXTRA_CA_CERTS.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential, ClientCertificateCredential } from '@azure/identity';
import { Client, PageIterator, BatchRequestContent } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';

const base = required('LOCALTENANT_URL');
const tenantId = required('LOCALTENANT_TENANT_ID');
const adminToken = required('LOCALTENANT_ADMIN_TOKEN');
required('NODE_EXTRA_CA_CERTS');
const graphScope = 'https://graph.microsoft.com/.default';
const applicationReadWriteAll = '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9'; // learn.microsoft.com/graph/permissions-reference
const run = Date.now().toString(36);
// MSAL Node asks login.microsoftonline.com to vouch for any authority host it does not know; an offline or private cloud
// turns that off, as @azure/identity documents for disableInstanceDiscovery.
const identityOptions = { authorityHost: base, disableInstanceDiscovery: true };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through tests/compat/run.ps1`);
  return value;
}

/** A Graph call as the server's administrator, for set-up only (plain fetch, not the clients under test). */
async function admin(method, path, body) {
  const response = await fetch(`${base}/v1.0${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function graphClient(credential) {
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope] }),
    baseUrl: `${base}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(base).hostname]),
  });
}

let client; // { appId, secret, certificatePath, objectId }
let graph;

before(async () => {
  const app = await admin('POST', '/applications', { displayName: `compat-node-client-${run}`, signInAudience: 'AzureADMyOrg' });
  const password = await admin('POST', `/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'node' } });
  // A certificate for ClientCertificateCredential: made with openssl, as a user would.
  const folder = mkdtempSync(join(tmpdir(), 'compat-node-'));
  const pem = join(folder, 'client.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=compat-node',
    '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { stdio: 'ignore' });
  const certificate = readFileSync(join(folder, 'cert.pem'), 'utf8');
  const der = Buffer.from(certificate.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  execFileSync('sh', ['-c', `cat "${join(folder, 'key.pem')}" "${join(folder, 'cert.pem')}" > "${pem}"`]);
  await admin('PATCH', `/applications/${app.id}`, {
    keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: der.toString('base64'), displayName: 'CN=compat-node' }],
  });
  const sp = await admin('POST', '/servicePrincipals', { appId: app.appId });
  const graphSp = (await admin('GET', `/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'`)).value[0];
  await admin('POST', `/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, { principalId: sp.id, resourceId: graphSp.id, appRoleId: applicationReadWriteAll });
  client = { appId: app.appId, secret: password.secretText, certificatePath: pem, objectId: app.id };
  graph = graphClient(new ClientSecretCredential(tenantId, client.appId, client.secret, identityOptions));
});

test('ClientSecretCredential signs in with the local tenant as its authority host', async () => {
  const token = await new ClientSecretCredential(tenantId, client.appId, client.secret, identityOptions).getToken(graphScope);
  const c = claims(token.token);
  assert.equal(c.tid, tenantId);
  assert.equal(c.appid, client.appId);
  assert.deepEqual(c.roles, ['Application.ReadWrite.All']);
  assert.ok(token.expiresOnTimestamp > Date.now());
});

test('ClientCertificateCredential signs in with a certificate registered on the app', async () => {
  const token = await new ClientCertificateCredential(tenantId, client.appId, client.certificatePath, identityOptions).getToken(graphScope);
  const c = claims(token.token);
  assert.equal(c.appid, client.appId);
  assert.equal(c.appidacr, '2'); // a certificate
});

test('a token for the server\'s own base URL is a Graph token there (what az asks for with a custom cloud)', async () => {
  const token = await new ClientSecretCredential(tenantId, client.appId, client.secret, identityOptions).getToken(`${base}/.default`);
  assert.equal(claims(token.token).aud.replace(/\/$/, ''), base);
  const response = await fetch(`${base}/v1.0/applications?$top=1`, { headers: { Authorization: `Bearer ${token.token}` } });
  assert.equal(response.status, 200);
});

test('a wrong secret is refused with Entra\'s error', async () => {
  await assert.rejects(new ClientSecretCredential(tenantId, client.appId, 'not-the-secret', identityOptions).getToken(graphScope),
    (e) => /AADSTS7000215/.test(e.message));
});

test('applications: create, read, update and delete', async () => {
  const created = await graph.api('/applications').post({ displayName: `compat-crud-${run}`, signInAudience: 'AzureADMyOrg' });
  assert.match(created.appId, /^[0-9a-f-]{36}$/);
  const read = await graph.api(`/applications/${created.id}`).select('displayName,appId').get();
  assert.equal(read.displayName, `compat-crud-${run}`);
  await graph.api(`/applications/${created.id}`).patch({ description: 'patched by the JavaScript SDK' });
  assert.equal((await graph.api(`/applications/${created.id}`).get()).description, 'patched by the JavaScript SDK');
  await graph.api(`/applications/${created.id}`).delete();
  await assert.rejects(graph.api(`/applications/${created.id}`).get(), (e) => e.statusCode === 404 && e.code === 'Request_ResourceNotFound');
});

test('addPassword returns the secret once, with its hint', async () => {
  const app = await graph.api('/applications').post({ displayName: `compat-secret-${run}`, signInAudience: 'AzureADMyOrg' });
  const password = await graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'from node' } });
  assert.equal(password.hint, password.secretText.substring(0, 3));
  const listed = (await graph.api(`/applications/${app.id}`).select('passwordCredentials').get()).passwordCredentials;
  assert.equal(listed.length, 1);
  assert.equal(listed[0].secretText, null);
  assert.equal(listed[0].keyId, password.keyId);
});

test('service principals: create and read by id and by appId', async () => {
  const app = await graph.api('/applications').post({ displayName: `compat-sp-${run}`, signInAudience: 'AzureADMyOrg' });
  const sp = await graph.api('/servicePrincipals').post({ appId: app.appId });
  assert.equal(sp.appId, app.appId);
  assert.equal((await graph.api(`/servicePrincipals/${sp.id}`).get()).displayName, `compat-sp-${run}`);
  assert.equal((await graph.api(`/servicePrincipals(appId='${app.appId}')`).get()).id, sp.id);
});

test('$filter with paging: PageIterator follows @odata.nextLink on the server', async () => {
  for (let i = 0; i < 5; i++) await graph.api('/applications').post({ displayName: `compat-page-${run}-${i}`, signInAudience: 'AzureADMyOrg' });
  const first = await graph.api('/applications').filter(`startswith(displayName,'compat-page-${run}')`).top(2).get();
  assert.equal(first.value.length, 2);
  assert.ok(first['@odata.nextLink'].startsWith(`${base}/v1.0/applications?`), first['@odata.nextLink']);
  const names = [];
  await new PageIterator(graph, first, (app) => { names.push(app.displayName); return true; }).iterate();
  assert.deepEqual(names.sort(), [0, 1, 2, 3, 4].map((i) => `compat-page-${run}-${i}`));
});

test('$count, as an advanced query with ConsistencyLevel: eventual', async () => {
  const page = await graph.api('/applications').header('ConsistencyLevel', 'eventual').filter(`startswith(displayName,'compat-page-${run}')`).count(true).get();
  assert.equal(page['@odata.count'], 5);
  const count = await graph.api('/applications/$count').header('ConsistencyLevel', 'eventual').get();
  assert.ok(Number(count) >= 5, String(count));
});

test('$batch with dependsOn', async () => {
  // BatchRequestContent 3.0.7 strips only scheme and host from a step's URL, so the step names no version: the URL form
  // Microsoft gives for this release (github.com/microsoftgraph/msgraph-sdk-javascript/issues/1451).
  const content = new BatchRequestContent([
    { id: '1', request: new Request(`${base}/applications`, { method: 'POST', body: JSON.stringify({ displayName: `compat-batch-${run}`, signInAudience: 'AzureADMyOrg' }), headers: { 'Content-Type': 'application/json' } }) },
    { id: '2', dependsOn: ['1'], request: new Request(`${base}/applications?$filter=displayName eq 'compat-batch-${run}'`, { method: 'GET' }) },
  ]);
  const answer = await graph.api('/$batch').post(await content.getContent());
  const byId = Object.fromEntries(answer.responses.map((r) => [r.id, r]));
  assert.equal(byId['1'].status, 201);
  assert.equal(byId['2'].status, 200);
  assert.equal(byId['2'].body.value[0].id, byId['1'].body.id);

  // With the version in the URL the SDK sends "/v1.0/…", which Graph refuses as a whole (the same issue).
  const versioned = new BatchRequestContent([{ id: '1', request: new Request(`${base}/v1.0/organization`, { method: 'GET' }) }]);
  await assert.rejects(graph.api('/$batch').post(await versioned.getContent()), (e) => e.statusCode === 400 && /Invalid batch payload format/.test(e.message));
});

test('the uniqueName upsert: 201 then 204', async () => {
  const path = `/applications(uniqueName='compat-upsert-${run}')`;
  const created = await graph.api(path).header('Prefer', 'create-if-missing').responseType('raw').patch({ displayName: `compat-upsert-${run}`, signInAudience: 'AzureADMyOrg' });
  assert.equal(created.status, 201);
  const again = await graph.api(path).header('Prefer', 'create-if-missing').responseType('raw').patch({ displayName: `compat-upsert-${run}`, signInAudience: 'AzureADMyOrg' });
  assert.equal(again.status, 204);
  assert.equal((await graph.api(path).get()).uniqueName, `compat-upsert-${run}`);
});
