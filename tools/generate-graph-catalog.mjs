#!/usr/bin/env node
// Generates src/EntraAppKit.LocalTenant/Data/microsoft-graph-permissions.json: the compact
// catalog of the app roles and delegated permission scopes on Microsoft Graph's service
// principal, derived from Microsoft's public permission data (see SOURCES.md in the data
// directory).
//
//   node tools/generate-graph-catalog.mjs [graphDataDir]
//
// graphDataDir must hold provisioningInfo.json and permissions.json (permissions/new/ in
// github.com/microsoftgraph/microsoft-graph-devx-content), permissions-descriptions.json
// (permissions/ there) and a SOURCES.md naming the commit; it defaults to a graph-data folder
// in a sibling checkout, <repo>/../shared/reference/graph-data.
//
// Rules:
//   - Ids come from provisioningInfo.json `permissionDeployments`. Scheme Application is an
//     app role, DelegatedWork a delegated scope; DelegatedPersonal is ignored. Deployments are
//     kept when their environment is "" or lists "public". Hidden ones are kept (they exist on
//     the service principal); isEnabled is carried through (absent means true). Deployments
//     without an id, or with one that is not a GUID, cannot be catalogued and are counted.
//   - Every deployment in that file is a Microsoft Graph permission. Its `resourceAppId` is
//     not the API exposing the permission but "the resource server that is used to enforce
//     Conditional Access checks for this permission" (msgraph-metadata specs/provisioningInfo.md):
//     Application.ReadWrite.All, for one, carries 00000002-0000-0000-c000-000000000000 yet is
//     Microsoft Graph's app role 1bfefb4e-…. So resourceAppId does not filter anything here.
//   - Display text comes from permissions.json, else permissions-descriptions.json (by id, or
//     by value where that file has a stale id); admin text falls back to the value, user text
//     to null. A scope is type Admin when requiresAdminConsent (else isAdmin) is true.
//   - permissions-descriptions.json adds the permissions provisioningInfo.json lacks (openid,
//     profile, offline_access, email, ...) unless the same value and kind is already present.
//   - Duplicates: one entry per (value, kind), preferring a public, non-hidden deployment;
//     one entry per id within a kind. Each duplicate dropped prints a warning.
//   - Output is sorted by value (ordinal), one object per line, and ends with sanity checks
//     of well-known ids; the script exits 1 when one fails.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(process.argv[2] ?? path.join(repoRoot, '..', 'shared', 'reference', 'graph-data'));
const outFile = path.join(repoRoot, 'src', 'EntraAppKit.LocalTenant', 'Data', 'microsoft-graph-permissions.json');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KINDS = { Application: 'appRole', DelegatedWork: 'scope' };

const warnings = [];
function warn(message) {
  warnings.push(message);
  console.log(`warning: ${message}`);
}

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

function readJson(name) {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) fail(`missing ${file}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const text = (v) => (typeof v === 'string' && v.trim() !== '' ? v : null);
const isPublic = (env) => env.split(';').some((e) => e.trim().toLowerCase() === 'public');

// "| provisioningInfo.json | repo | path | 6cbd6bbd (2026-08-07) |" -> "provisioningInfo.json @6cbd6bbd (2026-08-07)"
function sourceOf(name) {
  const sources = path.join(dataDir, 'SOURCES.md');
  if (!existsSync(sources)) fail(`missing ${sources} (it records the commit each data file came from)`);
  for (const line of readFileSync(sources, 'utf8').split(/\r?\n/)) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length >= 6 && cells[1] === name && cells[4]) return `${name} @${cells[4]}`;
  }
  fail(`SOURCES.md has no row for ${name}`);
}

const provisioning = readJson('provisioningInfo.json').permissionDeployments;
const permissions = readJson('permissions.json').permissions;
const descriptions = readJson('permissions-descriptions.json');
if (!provisioning || !permissions || !descriptions.delegatedScopesList || !descriptions.applicationScopesList) {
  fail('unexpected shape of the permission data files');
}

// --- 1. Deployments -> candidates, one per (value, kind) ------------------------------------

const stats = {
  deployments: 0, delegatedPersonal: 0, otherScheme: 0, notPublic: 0, noId: 0, noIdHidden: 0,
  badId: 0, duplicateValue: 0, duplicateId: 0, addedFromDescriptions: 0, descriptionsSkipped: 0,
};
const byResourceAppId = new Map();
const candidates = { appRole: new Map(), scope: new Map() }; // value -> chosen deployment

const rank = (d) => (isPublic(d.environment) && !d.isHidden ? 0 : isPublic(d.environment) ? 1 : 2);

for (const [value, deployments] of Object.entries(provisioning)) {
  for (const d of deployments) {
    stats.deployments++;
    if (d.scheme === 'DelegatedPersonal') { stats.delegatedPersonal++; continue; }
    const kind = KINDS[d.scheme];
    if (!kind) { stats.otherScheme++; continue; }
    const environment = d.environment ?? '';
    if (environment !== '' && !isPublic(environment)) { stats.notPublic++; continue; }
    if (!d.id) { stats.noId++; if (d.isHidden) stats.noIdHidden++; continue; }
    const id = String(d.id).toLowerCase();
    if (!GUID.test(id)) {
      stats.badId++;
      warn(`${value} (${d.scheme}): id ${JSON.stringify(d.id)} is not a GUID; skipped`);
      continue;
    }
    const entry = { value, kind, id, environment, isHidden: d.isHidden === true, isEnabled: d.isEnabled !== false };
    const existing = candidates[kind].get(value);
    if (existing) {
      stats.duplicateValue++;
      const keep = rank(entry) < rank(existing) ? entry : existing;
      const drop = keep === entry ? existing : entry;
      warn(`${value} (${d.scheme}) is deployed twice: keeping ${keep.id}, dropping ${drop.id}`);
      candidates[kind].set(value, keep);
    } else {
      candidates[kind].set(value, entry);
    }
    const r = d.resourceAppId ?? '';
    byResourceAppId.set(r, (byResourceAppId.get(r) ?? 0) + 1);
  }
}

// --- 2. Text from permissions.json / permissions-descriptions.json ---------------------------

const describedScopes = new Map(descriptions.delegatedScopesList.map((s) => [String(s.id).toLowerCase(), s]));
const describedRoles = new Map(descriptions.applicationScopesList.map((s) => [String(s.id).toLowerCase(), s]));
const describedScopesByValue = new Map(descriptions.delegatedScopesList.map((s) => [s.value, s]));
const describedRolesByValue = new Map(descriptions.applicationScopesList.map((s) => [s.value, s]));
// The description of a permission: the entry with its id, else (a stale id there) its value.
const describedRole = (c) => describedRoles.get(c.id) ?? describedRolesByValue.get(c.value);
const describedScope = (c) => describedScopes.get(c.id) ?? describedScopesByValue.get(c.value);
const textSource = { permissionsJson: 0, descriptions: 0, valueOnly: 0 };
let typeDefaulted = 0;

function countSource(fromPermissions, fromDescriptions) {
  if (fromPermissions) textSource.permissionsJson++;
  else if (fromDescriptions) textSource.descriptions++;
  else textSource.valueOnly++;
}

function toAppRole(c) {
  const p = permissions[c.value]?.schemes?.Application;
  const d = describedRole(c);
  // Application entries of permissions-descriptions.json sometimes carry their text in
  // consentDisplayName / consentDescription instead of the adminConsent* members.
  const dName = text(d?.adminConsentDisplayName) ?? text(d?.consentDisplayName);
  const dDescription = text(d?.adminConsentDescription) ?? text(d?.consentDescription);
  countSource(p && text(p.adminDisplayName), dName);
  return {
    id: c.id,
    value: c.value,
    displayName: text(p?.adminDisplayName) ?? dName ?? c.value,
    description: text(p?.adminDescription) ?? dDescription ?? c.value,
    isEnabled: c.isEnabled,
  };
}

function toScope(c) {
  const p = permissions[c.value]?.schemes?.DelegatedWork;
  const d = describedScope(c);
  countSource(p && text(p.adminDisplayName), d && text(d.adminConsentDisplayName));
  let admin;
  if (typeof p?.requiresAdminConsent === 'boolean') admin = p.requiresAdminConsent;
  else if (typeof d?.isAdmin === 'boolean') admin = d.isAdmin;
  else { admin = false; typeDefaulted++; }
  return {
    id: c.id,
    value: c.value,
    type: admin ? 'Admin' : 'User',
    adminConsentDisplayName: text(p?.adminDisplayName) ?? text(d?.adminConsentDisplayName) ?? c.value,
    adminConsentDescription: text(p?.adminDescription) ?? text(d?.adminConsentDescription) ?? c.value,
    userConsentDisplayName: text(p?.userDisplayName) ?? text(d?.consentDisplayName) ?? null,
    userConsentDescription: text(p?.userDescription) ?? text(d?.consentDescription) ?? null,
    isEnabled: c.isEnabled,
  };
}

// --- 3. Permissions only permissions-descriptions.json knows ----------------------------------

for (const [kind, list] of [['scope', descriptions.delegatedScopesList], ['appRole', descriptions.applicationScopesList]]) {
  const ids = new Set([...candidates[kind].values()].map((c) => c.id));
  for (const s of list) {
    const id = String(s.id ?? '').toLowerCase();
    const value = s.value;
    if (!GUID.test(id) || typeof value !== 'string' || value === '') {
      warn(`permissions-descriptions.json: unusable ${kind} entry ${JSON.stringify(s.value)} / ${JSON.stringify(s.id)}; skipped`);
      continue;
    }
    if (ids.has(id)) continue;
    const existing = candidates[kind].get(value);
    if (existing) {
      stats.descriptionsSkipped++;
      warn(`${value} (${kind}): permissions-descriptions.json has id ${id}, provisioningInfo.json has ${existing.id}; keeping provisioningInfo.json's`);
      continue;
    }
    candidates[kind].set(value, { value, kind, id, environment: 'public', isHidden: false, isEnabled: s.isEnabled !== false, fromDescriptions: true });
    ids.add(id);
    stats.addedFromDescriptions++;
  }
}

// --- 4. One entry per id within a kind ------------------------------------------------------

function dedupeIds(kind, described) {
  const byId = new Map();
  for (const c of candidates[kind].values()) {
    if (!byId.has(c.id)) byId.set(c.id, []);
    byId.get(c.id).push(c);
  }
  const kept = [];
  for (const [id, group] of byId) {
    if (group.length === 1) { kept.push(group[0]); continue; }
    // Prefer a visible deployment, then the value permissions-descriptions.json gives this id,
    // then one permissions.json describes, then the ordinal-first value.
    const score = (c) => [c.isHidden ? 1 : 0, described.get(id)?.value === c.value ? 0 : 1, permissions[c.value] ? 0 : 1];
    group.sort((a, b) => {
      const sa = score(a), sb = score(b);
      for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i] - sb[i];
      return ordinal(a.value, b.value);
    });
    stats.duplicateId += group.length - 1;
    warn(`${kind} id ${id} is used by ${group.map((c) => c.value).join(', ')}: keeping ${group[0].value}`);
    kept.push(group[0]);
  }
  return kept.sort((a, b) => ordinal(a.value, b.value));
}

const roleCandidates = dedupeIds('appRole', describedRoles);
const scopeCandidates = dedupeIds('scope', describedScopes);
const appRoles = roleCandidates.map(toAppRole);
const oauth2PermissionScopes = scopeCandidates.map(toScope);

// --- 5. Write -------------------------------------------------------------------------------

const catalog = {
  generatedFrom: {
    provisioningInfo: sourceOf('provisioningInfo.json'),
    permissions: sourceOf('permissions.json'),
    permissionsDescriptions: sourceOf('permissions-descriptions.json'),
  },
  appId: GRAPH_APP_ID,
  displayName: 'Microsoft Graph',
  appRoles,
  oauth2PermissionScopes,
};

// JSON with one array element per line, so a regenerated catalog diffs line by line.
function render(obj) {
  const lines = ['{'];
  const keys = Object.keys(obj);
  keys.forEach((key, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const value = obj[key];
    if (Array.isArray(value)) {
      lines.push(`  ${JSON.stringify(key)}: [`);
      value.forEach((item, j) => lines.push(`    ${JSON.stringify(item)}${j < value.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// --- 6. Sanity checks (before writing, so a bad catalog never replaces a good one) ----------

const errors = [];
for (const [name, list] of [['appRoles', appRoles], ['oauth2PermissionScopes', oauth2PermissionScopes]]) {
  const ids = new Set(), values = new Set();
  for (const p of list) {
    if (ids.has(p.id)) errors.push(`${name}: duplicate id ${p.id}`);
    if (values.has(p.value)) errors.push(`${name}: duplicate value ${p.value}`);
    ids.add(p.id);
    values.add(p.value);
  }
}
const roleBy = new Map(appRoles.map((r) => [r.value, r]));
const scopeBy = new Map(oauth2PermissionScopes.map((s) => [s.value, s]));
const expectRole = (value, id) => {
  if (roleBy.get(value)?.id !== id) errors.push(`app role ${value} should have id ${id}, found ${roleBy.get(value)?.id ?? 'none'}`);
};
const expectScope = (value, id, type) => {
  const s = scopeBy.get(value);
  if (s?.id !== id) errors.push(`delegated scope ${value} should have id ${id}, found ${s?.id ?? 'none'}`);
  else if (type && s.type !== type) errors.push(`delegated scope ${value} should be type ${type}, found ${s.type}`);
};
const expectNoScope = (value) => {
  if (scopeBy.has(value)) errors.push(`${value} should not be a delegated scope (found ${scopeBy.get(value).id})`);
};
expectRole('Directory.Read.All', '7ab1d382-f21e-4acd-a863-ba3e13f7da61');
expectScope('Directory.Read.All', '06da0dbc-49e2-44d2-8312-53f166ab848a');
expectScope('User.Read', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'User');
expectRole('Application.Read.All', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30');
expectRole('Application.ReadWrite.All', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9');
expectRole('Application.ReadWrite.OwnedBy', '18a4783c-866b-4cc7-a460-3d5e5662c884');
expectNoScope('Application.ReadWrite.OwnedBy');
expectRole('AppRoleAssignment.ReadWrite.All', '06b708a9-e830-4db3-a914-8e69da51d44f');
expectRole('DelegatedPermissionGrant.ReadWrite.All', '8e8e4742-1d95-4f68-9d56-6ee75648c72a');
expectRole('User.Read.All', 'df021288-bdef-4463-88db-98f22de89214');
expectScope('openid', '37f7f235-527c-4136-accd-4a02d197296e', 'User');
expectScope('profile', '14dad69e-099b-42c9-810b-d002981feec1', 'User');
expectScope('offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', 'User');
expectScope('email', '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', 'User');

const count = (list, f) => list.filter(f).length;
const keptCandidates = [...roleCandidates, ...scopeCandidates];
console.log(`data: ${dataDir}`);
console.log(`deployments read: ${stats.deployments}; ignored: ${stats.delegatedPersonal} DelegatedPersonal, ` +
  `${stats.notPublic} not in the public cloud, ${stats.noId} without an id (${stats.noIdHidden} of them hidden), ` +
  `${stats.badId} with a malformed id${stats.otherScheme ? `, ${stats.otherScheme} with an unknown scheme` : ''}`);
console.log(`resourceAppId of the deployments used (informational): ${[...byResourceAppId].sort((a, b) => b[1] - a[1])
  .map(([k, v]) => `${k || '""'}=${v}`).slice(0, 4).join(', ')}, ${Math.max(0, byResourceAppId.size - 4)} others`);
console.log(`duplicates dropped: ${stats.duplicateValue} by value, ${stats.duplicateId} by id; ` +
  `permissions-descriptions.json: ${stats.addedFromDescriptions} added, ${stats.descriptionsSkipped} conflicting ignored`);
console.log(`appRoles: ${appRoles.length} (${count(roleCandidates, (c) => c.isHidden)} hidden, ${count(appRoles, (r) => !r.isEnabled)} disabled)`);
console.log(`oauth2PermissionScopes: ${oauth2PermissionScopes.length} (${count(scopeCandidates, (c) => c.isHidden)} hidden, ` +
  `${count(oauth2PermissionScopes, (s) => !s.isEnabled)} disabled, ${count(oauth2PermissionScopes, (s) => s.type === 'Admin')} Admin, ` +
  `${count(oauth2PermissionScopes, (s) => s.type === 'User')} User${typeDefaulted ? `, ${typeDefaulted} of them User for lack of consent data` : ''})`);
console.log(`display text from: ${textSource.permissionsJson} permissions.json, ${textSource.descriptions} permissions-descriptions.json, ` +
  `${textSource.valueOnly} none (value used); ${count(keptCandidates, (c) => c.fromDescriptions)} entries come from permissions-descriptions.json only`);
console.log(`warnings: ${warnings.length}`);

if (errors.length > 0) {
  for (const e of errors) console.error(`check failed: ${e}`);
  fail(`${errors.length} sanity check(s) failed; ${path.relative(repoRoot, outFile)} not written`);
}

mkdirSync(path.dirname(outFile), { recursive: true });
const output = render(catalog);
JSON.parse(output); // the hand-rolled layout must still be JSON
writeFileSync(outFile, output);
console.log(`wrote ${path.relative(repoRoot, outFile)} (${Buffer.byteLength(output)} bytes); sanity checks passed`);
