#!/usr/bin/env node
// Generates src/EntraAppKit.LocalTenant/Data/graph-v1.0-schema.json: the subset of the
// Microsoft Graph v1.0 OData schema (CSDL) that the local tenant validates payloads against.
//
//   node tools/generate-csdl-subset.mjs [csdlPath]
//
// csdlPath is Microsoft's v1.0 CSDL (schemas/v1.0-Prod.csdl in
// github.com/microsoftgraph/msgraph-metadata, or https://graph.microsoft.com/v1.0/$metadata); it
// defaults to <repo>/../shared/reference/graph-data/v1.0-Prod.csdl, whose SOURCES.md supplies the
// commit recorded in "generatedFrom".
//
// Roots: the entity types application, servicePrincipal, oAuth2PermissionGrant, user,
// unifiedRoleAssignment, unifiedRoleDefinition, authorizationPolicy, adminConsentRequestPolicy,
// permissionGrantPolicy, permissionGrantConditionSet,
// appRoleAssignment, organization and domain; the actions bound to a single application or
// servicePrincipal. Types are followed transitively through structural Property types,
// BaseType chains and the parameter and return types of those actions; NavigationProperty
// targets are recorded but not followed. Properties are those declared on each type (walk
// baseType for inherited ones). Type names drop the "graph." alias / "microsoft.graph."
// namespace; "Edm.*" stays as is. Actions are keyed "<bindingType>.<name>" because the same
// action (addPassword, addKey, ...) is bound to both application and servicePrincipal.
//
// The CSDL is read with a small tag tokenizer (no dependencies). Exits 1 when a sanity check
// fails; the output is then not written.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT_TYPES = ['application', 'servicePrincipal', 'oAuth2PermissionGrant', 'appRoleAssignment', 'organization', 'domain', 'user', 'unifiedRoleAssignment', 'unifiedRoleDefinition', 'authorizationPolicy', 'adminConsentRequestPolicy', 'permissionGrantPolicy', 'permissionGrantConditionSet'];
const ACTION_BINDINGS = new Set(['application', 'servicePrincipal']);
const MAIN_NAMESPACE = 'microsoft.graph';
const SIZE_LIMIT = 300 * 1024;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const csdlPath = path.resolve(process.argv[2] ?? path.join(repoRoot, '..', 'shared', 'reference', 'graph-data', 'v1.0-Prod.csdl'));
const outFile = path.join(repoRoot, 'src', 'EntraAppKit.LocalTenant', 'Data', 'graph-v1.0-schema.json');

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

// --- Tokenizer ------------------------------------------------------------------------------

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (s) => s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e) => {
  if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  return ENTITIES[e] ?? m;
});

function parseAttributes(s) {
  const attrs = {};
  for (const m of s.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[m[1]] = decodeXml(m[2] ?? m[3]);
  return attrs;
}

// Calls onOpen(name, attrs, parentName, stack) and onClose(name) for every element.
function walkXml(xml, onOpen, onClose) {
  const stack = [];
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let m;
  let last = 0;
  while ((m = token.exec(xml)) !== null) {
    if (/</.test(xml.slice(last, m.index))) fail(`CSDL: unparsable markup near offset ${last}`);
    last = token.lastIndex;
    const [, closing, name, rawAttrs, selfClosing] = m;
    if (!name) continue; // comment, CDATA, processing instruction
    if (closing) {
      const open = stack.pop();
      if (open !== name) fail(`CSDL: </${name}> closes <${open}> at offset ${m.index}`);
      onClose(name);
    } else {
      onOpen(name, parseAttributes(rawAttrs), stack[stack.length - 1], stack);
      if (selfClosing) onClose(name);
      else stack.push(name);
    }
  }
  if (stack.length) fail(`CSDL: unclosed <${stack[stack.length - 1]}>`);
}

// --- Read the CSDL --------------------------------------------------------------------------

if (!existsSync(csdlPath)) fail(`missing ${csdlPath}`);
const xml = readFileSync(csdlPath, 'utf8');

const aliases = new Map(); // alias or namespace -> namespace
const types = new Map(); // qualified name -> { kind, baseType, openType, properties, navigationProperties }
const enums = new Map(); // qualified name -> [member]
const actions = []; // { name, parameters: [{ name, type, nullable }], returnType }

let namespace = null;
let current = null; // type, enum or action being read
walkXml(
  xml,
  (name, a, parent) => {
    switch (name) {
      case 'Schema':
        namespace = a.Namespace;
        aliases.set(a.Namespace, a.Namespace);
        if (a.Alias) aliases.set(a.Alias, a.Namespace);
        break;
      case 'EntityType':
      case 'ComplexType':
        if (parent !== 'Schema') break;
        current = {
          qualified: `${namespace}.${a.Name}`,
          kind: name === 'EntityType' ? 'entity' : 'complex',
          baseType: a.BaseType ?? null,
          openType: a.OpenType === 'true',
          properties: [],
          navigationProperties: [],
        };
        types.set(current.qualified, current);
        break;
      case 'EnumType':
        if (parent !== 'Schema') break;
        current = { qualified: `${namespace}.${a.Name}`, members: [] };
        enums.set(current.qualified, current.members);
        break;
      case 'Action':
        if (parent !== 'Schema') break;
        current = { name: a.Name, isBound: a.IsBound === 'true', parameters: [], returnType: null };
        actions.push(current);
        break;
      case 'Property':
        if (parent === 'EntityType' || parent === 'ComplexType') current.properties.push(a);
        break;
      case 'NavigationProperty':
        if (parent === 'EntityType' || parent === 'ComplexType') current.navigationProperties.push(a);
        break;
      case 'Member':
        if (parent === 'EnumType') current.members.push(a.Name);
        break;
      case 'Parameter':
        if (parent === 'Action') current.parameters.push(a);
        break;
      case 'ReturnType':
        if (parent === 'Action') current.returnType = a;
        break;
      default:
        break;
    }
  },
  (name) => {
    if (name === 'EntityType' || name === 'ComplexType' || name === 'EnumType' || name === 'Action') current = null;
  },
);

// "Collection(graph.x)" -> { qualified: "microsoft.graph.x", collection: true }
function resolve(typeRef) {
  const m = /^Collection\((.+)\)$/.exec(typeRef);
  const inner = m ? m[1] : typeRef;
  if (inner.startsWith('Edm.')) return { qualified: inner, collection: !!m, edm: true };
  const dot = inner.lastIndexOf('.');
  const ns = aliases.get(inner.slice(0, dot)) ?? inner.slice(0, dot);
  return { qualified: `${ns}.${inner.slice(dot + 1)}`, collection: !!m, edm: false };
}

// Output name: "microsoft.graph.x" -> "x", "microsoft.graph.security.x" -> "security.x", Edm.* as is.
const shortName = (qualified) =>
  qualified.startsWith(`${MAIN_NAMESPACE}.`) ? qualified.slice(MAIN_NAMESPACE.length + 1) : qualified;

// --- Select ---------------------------------------------------------------------------------

const selectedTypes = new Set();
const selectedEnums = new Set();
const missing = new Set();
const queue = [];

function want(typeRef, from) {
  const r = resolve(typeRef);
  if (r.edm) return;
  if (types.has(r.qualified)) {
    if (!selectedTypes.has(r.qualified)) { selectedTypes.add(r.qualified); queue.push(r.qualified); }
  } else if (enums.has(r.qualified)) {
    selectedEnums.add(r.qualified);
  } else {
    missing.add(`${typeRef} (from ${from})`);
  }
}

for (const root of ROOT_TYPES) {
  const q = `${MAIN_NAMESPACE}.${root}`;
  if (types.get(q)?.kind !== 'entity') fail(`root entity type ${root} not found in ${csdlPath}`);
  want(q, 'roots');
}

const selectedActions = [];
for (const action of actions) {
  if (!action.isBound || action.parameters.length === 0) continue;
  const binding = resolve(action.parameters[0].Type);
  if (binding.collection || binding.edm || !binding.qualified.startsWith(`${MAIN_NAMESPACE}.`)) continue;
  const bindingType = shortName(binding.qualified);
  if (!ACTION_BINDINGS.has(bindingType)) continue;
  selectedActions.push({ ...action, bindingType });
  for (const p of action.parameters.slice(1)) want(p.Type, `action ${action.name}`);
  if (action.returnType) want(action.returnType.Type, `action ${action.name}`);
}

while (queue.length) {
  const t = types.get(queue.shift());
  if (t.baseType) want(t.baseType, `${shortName(t.qualified)} base type`);
  for (const p of t.properties) want(p.Type, `${shortName(t.qualified)}.${p.Name}`);
}
if (missing.size) fail(`types not defined in the CSDL: ${[...missing].join(', ')}`);

// --- Build the output -----------------------------------------------------------------------

const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const typeName = (typeRef) => shortName(resolve(typeRef).qualified);
const isCollection = (typeRef) => resolve(typeRef).collection;
const nullable = (a) => a.Nullable !== 'false';

function sortedObject(entries) {
  return Object.fromEntries([...entries].sort((a, b) => ordinal(a[0], b[0])));
}

const outTypes = sortedObject([...selectedTypes].map((q) => {
  const t = types.get(q);
  return [shortName(q), {
    kind: t.kind,
    baseType: t.baseType ? typeName(t.baseType) : null,
    openType: t.openType,
    properties: Object.fromEntries(t.properties.map((p) => [p.Name, { type: typeName(p.Type), collection: isCollection(p.Type), nullable: nullable(p) }])),
    navigationProperties: Object.fromEntries(t.navigationProperties.map((p) => [p.Name, { type: typeName(p.Type), collection: isCollection(p.Type) }])),
  }];
}));

const outEnums = sortedObject([...selectedEnums].map((q) => [shortName(q), enums.get(q)]));

const outActions = sortedObject(selectedActions.map((a) => [`${a.bindingType}.${a.name}`, {
  bindingType: a.bindingType,
  parameters: Object.fromEntries(a.parameters.slice(1).map((p) => [p.Name, { type: typeName(p.Type), collection: isCollection(p.Type), nullable: nullable(p) }])),
  returnType: a.returnType
    ? (isCollection(a.returnType.Type) ? `Collection(${typeName(a.returnType.Type)})` : typeName(a.returnType.Type))
    : null,
}]));

function sourceOf() {
  const name = path.basename(csdlPath);
  const sources = path.join(path.dirname(csdlPath), 'SOURCES.md');
  if (!existsSync(sources)) fail(`missing ${sources} (it records the commit ${name} came from)`);
  for (const line of readFileSync(sources, 'utf8').split(/\r?\n/)) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length >= 6 && cells[1] === name && cells[4]) return `${name} @${cells[4]}`;
  }
  fail(`SOURCES.md has no row for ${name}`);
}

const schema = { generatedFrom: sourceOf(), types: outTypes, enums: outEnums, actions: outActions };

// One type / enum / action per line: compact, and a regenerated file diffs per type.
function render(obj) {
  const lines = ['{', `  "generatedFrom": ${JSON.stringify(obj.generatedFrom)},`];
  const sections = ['types', 'enums', 'actions'];
  sections.forEach((section, i) => {
    const entries = Object.entries(obj[section]);
    lines.push(`  ${JSON.stringify(section)}: {`);
    entries.forEach(([k, v], j) => lines.push(`    ${JSON.stringify(k)}: ${JSON.stringify(v)}${j < entries.length - 1 ? ',' : ''}`));
    lines.push(`  }${i < sections.length - 1 ? ',' : ''}`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// --- Sanity checks --------------------------------------------------------------------------

const errors = [];
const check = (ok, message) => { if (!ok) errors.push(message); };

function findProperty(type, prop) {
  for (let t = outTypes[type]; t; t = t.baseType ? outTypes[t.baseType] : null) {
    if (t.properties[prop]) return t.properties[prop];
  }
  return null;
}
function expectProperty(type, prop, expected = {}) {
  if (!outTypes[type]) { errors.push(`type ${type} missing`); return; }
  const p = findProperty(type, prop);
  if (!p) { errors.push(`${type}.${prop} missing`); return; }
  for (const [k, v] of Object.entries(expected)) {
    check(p[k] === v, `${type}.${prop}: ${k} should be ${JSON.stringify(v)}, is ${JSON.stringify(p[k])}`);
  }
}

for (const root of ROOT_TYPES) check(outTypes[root]?.kind === 'entity', `root ${root} missing`);
check(outTypes.application?.baseType === 'directoryObject', 'application should derive from directoryObject');
check(outTypes.directoryObject?.baseType === 'entity', 'directoryObject should derive from entity');
check(outTypes.entity?.baseType === null, 'entity should have no base type');
check(outTypes.application?.openType === true, 'application should be an open type');
check(!findProperty('application', 'owners') && outTypes.application?.navigationProperties.owners?.collection === true,
  'application.owners should be a collection navigation property');
expectProperty('application', 'uniqueName', { type: 'Edm.String' });
expectProperty('application', 'identifierUris', { type: 'Edm.String', collection: true, nullable: false });
expectProperty('application', 'signInAudience', { type: 'Edm.String' });
expectProperty('application', 'web', { type: 'webApplication', collection: false, nullable: true });
expectProperty('application', 'api', { type: 'apiApplication' });
expectProperty('application', 'isFallbackPublicClient', { type: 'Edm.Boolean' });
expectProperty('application', 'id', { type: 'Edm.String' });
check(outTypes.webApplication?.kind === 'complex', 'webApplication should be a complex type');
expectProperty('webApplication', 'implicitGrantSettings', { type: 'implicitGrantSettings' });
expectProperty('implicitGrantSettings', 'enableIdTokenIssuance', { type: 'Edm.Boolean' });
expectProperty('passwordCredential', 'secretText', { type: 'Edm.String' });
expectProperty('passwordCredential', 'hint', { type: 'Edm.String' });
expectProperty('passwordCredential', 'keyId', { type: 'Edm.Guid' });
expectProperty('servicePrincipal', 'appId', { type: 'Edm.String' });
expectProperty('servicePrincipal', 'servicePrincipalNames', { collection: true });
for (const p of ['clientId', 'consentType', 'resourceId', 'scope', 'principalId']) expectProperty('oAuth2PermissionGrant', p);
expectProperty('appRoleAssignment', 'appRoleId', { type: 'Edm.Guid' });
for (const p of ['principalType', 'resourceDisplayName', 'createdDateTime']) expectProperty('appRoleAssignment', p);
expectProperty('organization', 'verifiedDomains', { type: 'verifiedDomain', collection: true });
for (const p of ['id', 'isVerified', 'isDefault', 'isInitial', 'supportedServices']) expectProperty('domain', p);
for (const binding of ['application', 'servicePrincipal']) {
  for (const name of ['addPassword', 'removePassword', 'addKey', 'removeKey']) check(outActions[`${binding}.${name}`], `action ${binding}.${name} missing`);
}
check(outActions['application.addPassword']?.parameters.passwordCredential?.type === 'passwordCredential'
  && outActions['application.addPassword']?.returnType === 'passwordCredential', 'application.addPassword signature');
check(outActions['application.removePassword']?.parameters.keyId?.type === 'Edm.Guid', 'application.removePassword signature');

const output = render(schema);
JSON.parse(output); // the hand-rolled layout must still be JSON
const size = Buffer.byteLength(output);
check(size < SIZE_LIMIT, `output is ${size} bytes, over the ${SIZE_LIMIT} byte budget`);

const propertyCount = Object.values(outTypes).reduce((n, t) => n + Object.keys(t.properties).length, 0);
const kinds = Object.values(outTypes).reduce((m, t) => ({ ...m, [t.kind]: (m[t.kind] ?? 0) + 1 }), {});
console.log(`csdl: ${csdlPath} (${types.size} structured types, ${enums.size} enums, ${actions.length} actions)`);
console.log(`selected: ${Object.keys(outTypes).length} types (${kinds.entity ?? 0} entity, ${kinds.complex ?? 0} complex; ${propertyCount} properties), ` +
  `${Object.keys(outEnums).length} enums, ${Object.keys(outActions).length} actions: ${Object.keys(outActions).join(', ')}`);

if (errors.length) {
  for (const e of errors) console.error(`check failed: ${e}`);
  fail(`${errors.length} sanity check(s) failed; ${path.relative(repoRoot, outFile)} not written`);
}
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, output);
console.log(`wrote ${path.relative(repoRoot, outFile)} (${size} bytes, ${(size / 1024).toFixed(1)} KB); sanity checks passed`);
