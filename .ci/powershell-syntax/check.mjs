#!/usr/bin/env node
// PowerShell syntax check for CI.
//
//   node check.mjs <repoRoot>
//
// Parses every *.ps1, *.psd1 and *.psm1 under repoRoot (skipping node_modules, bin, obj,
// out and .git directories) with tree-sitter-powershell and reports each syntax error
// (ERROR or MISSING node in the tree) as `FAIL path:line:col <snippet>`; clean files print
// `ok path`. It also parses every ```powershell (or ```pwsh / ```ps1) fenced block in
// README.md and docs/*.md, each block a unit of its own named `path:line` (the line of its
// opening fence); errors in a block are reported with their line in the markdown file.
//
// Then it cross-checks the examples against the module: for every command invocation in
// tests/pester/*.ps1 and in those markdown blocks whose name is in CmdletsToExport of
// EntraAppKit.psd1, every -Parameter must be a parameter of that cmdlet as docs/<Name>.md
// documents it (its `### -Name` headings and their `Aliases:`; the xunit DocumentationTests
// keep those equal to the built cmdlets), one of PowerShell's common parameters (-Verbose,
// -ErrorAction, -OutVariable...), or an unambiguous prefix of one. -WhatIf and -Confirm count
// only where the docs list them, i.e. for cmdlets that support ShouldProcess: PowerShell
// rejects them elsewhere. A command that is not exported but is named like ours (Verb-Noun
// whose noun starts with Entra, Cmg, Rewst, WriteBack, Konnect or AdminConsent) fails too.
// These failures are reported as `FAIL path:line:col <message>` and fail the unit; a unit with
// checked commands prints `ok <unit> (N EntraAppKit commands checked)`.
//
// The last line is always `powershell-syntax: N passed, M failed` (N and M count files and
// markdown blocks). Exit code: 0 when no unit failed, 1 when any failed, 2 on a usage error.
//
// Install once with `npm ci` in this directory (package-lock.json pins the versions).
//
// Known gaps of the tree-sitter-powershell 0.26.4 grammar (valid PowerShell it reports as
// errors), so write these another way in checked files:
//   - PowerShell 7 operators: `??`, `??=`, `a ? b : c`, `?.` / `?[]`.
//   - A param block followed by a statement on the same line: `function f { param($x) $x }`
//     (end the param block with `;` or a new line).
//   - A script-level param block with attributes after a `using` statement.
//   - A script that contains only a param block.
//   - A list of bare words without spaces after the commas: `Format-List ClientId,TenantId`
//     (write `ClientId, TenantId`).
// One more gap is worked around here rather than avoided: a list that starts with a bare word, as
// in `Format-List ClientId, TenantId` or `-Uri https://a, https://b`. When a unit has syntax
// errors it is parsed again with each `word, next` written `word ,next` (the same PowerShell, the
// same length), and only the errors left then are reported.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Parser from 'tree-sitter';
// Import the binding's entry file directly: the package's "main" ("bindings/node") relies on
// extension resolution, which Node deprecates for ES modules (DEP0151).
import PowerShell from 'tree-sitter-powershell/bindings/node/index.js';

const EXTENSIONS = new Set(['.ps1', '.psd1', '.psm1']);
const SKIP_DIRS = new Set(['node_modules', 'bin', 'obj', 'out', '.git']);
const SNIPPET_MAX = 80;
// Feed the parser in chunks: passing one large string to the node binding is limited in size.
const CHUNK = 16 * 1024;

function findFiles(root) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      process.stderr.write(`warning: cannot read directory ${dir}: ${err.message}\n`);
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      // Dirent types come from lstat, so symbolic links are neither followed nor checked.
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        found.push(full);
      }
    }
  };
  walk(root);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// PowerShell scripts are commonly UTF-8 (with or without BOM) or UTF-16 with a BOM.
function decode(buffer) {
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return buffer.subarray(3).toString('utf8');
  }
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return buffer.subarray(2).toString('utf16le');
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return buffer.toString('utf8');
}

function snippetOf(node, text) {
  if (node.isMissing) return `missing ${JSON.stringify(node.type)}`;
  let s = text.slice(node.startIndex, node.endIndex);
  if (s.trim() === '') {
    // Zero-width or whitespace-only error: show the source line where it starts instead.
    const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
    const lineEnd = text.indexOf('\n', node.startIndex);
    s = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  }
  s = s.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  if (s.length > SNIPPET_MAX) s = `${s.slice(0, SNIPPET_MAX - 3)}...`;
  return `unexpected ${JSON.stringify(s)}`;
}

// Outermost ERROR nodes and every MISSING node, in document order. ERROR subtrees are not
// searched further: errors nested inside one are consequences of the same mistake.
function collectErrors(root) {
  const errors = [];
  const visit = (node) => {
    if (node.isMissing || node.type === 'ERROR') {
      errors.push(node);
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) visit(child);
  };
  visit(root);
  return errors;
}

// ----- markdown: ```powershell fenced blocks -----

const FENCE_LANGUAGES = new Set(['powershell', 'pwsh', 'ps1']);

// The PowerShell blocks of a markdown file: { line (1-based, of the opening fence), indent, text }.
function powershellBlocks(markdown) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s{0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      // Content lines lose up to the fence's indentation, as CommonMark says.
      body.push(lines[j].replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    if (FENCE_LANGUAGES.has(info.toLowerCase())) blocks.push({ line: i + 1, indent: indent.length, text: body.join('\n') });
    i = j;
  }
  return blocks;
}

// ----- the module's commands and their documented parameters -----

// PowerShell's common parameters and their aliases. -WhatIf (wi) and -Confirm (cf) are not here:
// they exist only on cmdlets that support ShouldProcess, whose docs list them.
const COMMON_PARAMETERS = {
  Verbose: ['vb'], Debug: ['db'], ErrorAction: ['ea'], WarningAction: ['wa'], InformationAction: ['infa'],
  ProgressAction: ['proga'], ErrorVariable: ['ev'], WarningVariable: ['wv'], InformationVariable: ['iv'],
  OutVariable: ['ov'], OutBuffer: ['ob'], PipelineVariable: ['pv'],
};
const OUR_NOUNS = /^[A-Za-z]+-(Entra|Cmg|Rewst|WriteBack|Konnect|AdminConsent)/i;

function readText(file) {
  try {
    return decode(readFileSync(file));
  } catch {
    return null;
  }
}

// CmdletsToExport of EntraAppKit.psd1, or null when the manifest is absent (then nothing is cross-checked).
function exportedCmdlets(root) {
  const psd1 = readText(path.join(root, 'EntraAppKit.psd1'));
  if (psd1 === null) return null;
  const block = /CmdletsToExport\s*=\s*@\(([^)]*)\)/.exec(psd1);
  if (!block) return null;
  return [...block[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

// docs/<Name>.md's parameters: Map of lower-case name or alias -> canonical name; null when the doc is missing.
function documentedParameters(root, cmdlet) {
  const text = readText(path.join(root, 'docs', `${cmdlet}.md`));
  if (text === null) return null;
  const names = new Map();
  let inParameters = false;
  let current = null;
  let inFence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^## /.test(line)) inParameters = /^## PARAMETERS\s*$/.test(line);
    if (!inParameters) continue;
    const heading = inFence ? null : /^### -([A-Za-z][\w]*)\s*$/.exec(line);
    if (heading) {
      current = heading[1];
      names.set(current.toLowerCase(), current);
      continue;
    }
    if (!inFence && /^### /.test(line)) current = null;
    const aliases = current && inFence ? /^Aliases:\s*(.*)$/.exec(line) : null;
    if (aliases) for (const a of aliases[1].split(',').map((s) => s.trim()).filter(Boolean)) names.set(a.toLowerCase(), current);
  }
  for (const [name, aliases] of Object.entries(COMMON_PARAMETERS)) {
    names.set(name.toLowerCase(), name);
    for (const a of aliases) names.set(a, name);
  }
  return names;
}

function editDistance(a, b) {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return d[b.length];
}

// PowerShell's binding: an exact name or alias, else a prefix that matches exactly one parameter.
function resolveParameter(names, token) {
  const lower = token.toLowerCase();
  if (names.has(lower)) return { ok: true };
  const matches = new Set([...names.entries()].filter(([key]) => key.startsWith(lower)).map(([, canonical]) => canonical));
  if (matches.size === 1) return { ok: true };
  if (matches.size > 1) return { ok: false, message: `-${token} is ambiguous: it could be ${[...matches].sort().map((m) => `-${m}`).join(', ')}` };
  const canonical = [...new Set(names.values())];
  const near = canonical.map((c) => [c, editDistance(lower, c.toLowerCase())]).filter(([, d]) => d <= 3).sort((x, y) => x[1] - y[1]);
  return { ok: false, message: `-${token} is not a parameter` + (near.length > 0 ? ` (did you mean -${near[0][0]}?)` : '') };
}

function commandName(node) {
  for (const child of node.children) {
    if (child.type === 'command_name') return child;
    if (child.type === 'command_name_expr') return child.children.find((c) => c.type === 'command_name') ?? null;
  }
  return null;
}

// Problems ({ node, message }) with the EntraAppKit commands in a tree, and how many commands were checked.
function checkCommands(tree, module) {
  const problems = [];
  let checked = 0;
  const visit = (node) => {
    if (node.type === 'command') {
      const nameNode = commandName(node);
      if (nameNode) {
        const name = nameNode.text.replace(/^.*\\/, '');
        const cmdlet = module.exported.find((c) => c.toLowerCase() === name.toLowerCase());
        if (cmdlet) {
          checked++;
          const names = module.parameters(cmdlet);
          const elements = node.children.find((c) => c.type === 'command_elements');
          const parameters = elements ? elements.children.filter((c) => c.type === 'command_parameter') : [];
          if (names === null && parameters.length > 0) {
            problems.push({ node: nameNode, message: `cannot check the parameters of ${cmdlet}: docs/${cmdlet}.md is missing` });
          } else if (names !== null) {
            for (const p of parameters) {
              const token = p.text.replace(/^[-\u2013\u2014\u2015]/, '').replace(/:$/, '');
              if (!/^[A-Za-z_?]/.test(token)) continue; // `--%`, `-1`
              const result = resolveParameter(names, token);
              if (!result.ok) problems.push({ node: p, message: `${result.message} of ${cmdlet} (docs/${cmdlet}.md)` });
            }
          }
        } else if (OUR_NOUNS.test(name)) {
          problems.push({ node: nameNode, message: `${name} is not an EntraAppKit command (not in CmdletsToExport of EntraAppKit.psd1)` });
        }
      }
    }
    for (const child of node.children) visit(child);
  };
  visit(tree.rootNode);
  return { problems, checked };
}

// ----- units -----

function parse(parser, text) {
  return parser.parse((index) => text.slice(index, index + CHUNK));
}

// `word, word` -> `word ,word` (see the header): the same length, so every position stays where it was.
function moveListCommas(text) {
  return text.replace(/([A-Za-z0-9_*?.\/:'"-]),([ \t]+)(?=[^\s#,])/g, (match, last, spaces) => `${last}${spaces},`);
}

// Checks one unit (a file, or a markdown block at lineOffset/columnOffset) and prints its result; true when it passed.
function checkUnit(parser, { shown, location, text, lineOffset = 0, columnOffset = 0, module = null }) {
  let tree;
  let parsed = text;
  try {
    tree = parse(parser, text);
    if (tree.rootNode.hasError) {
      const moved = moveListCommas(text);
      if (moved !== text) {
        tree = parse(parser, moved);
        parsed = moved;
      }
    }
  } catch (err) {
    console.log(`FAIL ${location}:${lineOffset + 1}:1 parser error: ${err.message}`);
    return false;
  }
  const failures = [];
  const where = (node) => {
    const { row, column } = node.startPosition;
    return { line: row + 1 + lineOffset, column: column + 1 + columnOffset };
  };
  const errors = collectErrors(tree.rootNode);
  if (errors.length === 0 && tree.rootNode.hasError) errors.push(tree.rootNode);
  for (const node of errors) failures.push({ ...where(node), message: snippetOf(node, parsed) });
  let checked = 0;
  if (module) {
    const result = checkCommands(tree, module);
    checked = result.checked;
    for (const p of result.problems) failures.push({ ...where(p.node), message: p.message });
  }
  if (failures.length === 0) {
    console.log(`ok ${shown}` + (checked > 0 ? ` (${checked} EntraAppKit command${checked === 1 ? '' : 's'} checked)` : ''));
    return true;
  }
  failures.sort((a, b) => a.line - b.line || a.column - b.column);
  for (const f of failures) console.log(`FAIL ${location}:${f.line}:${f.column} ${f.message}`);
  return false;
}

function markdownFiles(root) {
  const files = [];
  if (readText(path.join(root, 'README.md')) !== null) files.push(path.join(root, 'README.md'));
  let entries = [];
  try {
    entries = readdirSync(path.join(root, 'docs'), { withFileTypes: true });
  } catch {
    entries = [];
  }
  for (const e of entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.md')).map((e) => e.name).sort()) {
    files.push(path.join(root, 'docs', e));
  }
  return files;
}

function main() {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((a) => a === '-h' || a === '--help')) {
    process.stderr.write('usage: node check.mjs <repoRoot>\n');
    return 2;
  }
  const root = path.resolve(args[0] ?? '.');
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch {
    rootStat = null;
  }
  if (!rootStat?.isDirectory()) {
    process.stderr.write(`check.mjs: not a directory: ${root}\n`);
    return 2;
  }

  const parser = new Parser();
  parser.setLanguage(PowerShell);

  const exported = exportedCmdlets(root);
  const docsCache = new Map();
  const module = exported === null ? null : {
    exported,
    parameters: (cmdlet) => {
      if (!docsCache.has(cmdlet)) docsCache.set(cmdlet, documentedParameters(root, cmdlet));
      return docsCache.get(cmdlet);
    },
  };
  const relative = (file) => path.relative(root, file).split(path.sep).join('/');

  let passed = 0;
  let failed = 0;
  const count = (ok) => (ok ? passed++ : failed++);
  for (const file of findFiles(root)) {
    const shown = relative(file);
    let text;
    try {
      text = decode(readFileSync(file));
    } catch (err) {
      console.log(`FAIL ${shown}:1:1 cannot read file: ${err.message}`);
      failed++;
      continue;
    }
    const isPester = /^tests\/pester\/[^/]+\.ps1$/i.test(shown);
    count(checkUnit(parser, { shown, location: shown, text, module: isPester ? module : null }));
  }
  for (const file of markdownFiles(root)) {
    const shown = relative(file);
    const text = readText(file);
    if (text === null) {
      console.log(`FAIL ${shown}:1:1 cannot read file`);
      failed++;
      continue;
    }
    for (const block of powershellBlocks(text)) {
      count(checkUnit(parser, {
        shown: `${shown}:${block.line}`, location: shown, text: block.text, lineOffset: block.line, columnOffset: block.indent, module,
      }));
    }
  }

  console.log(`powershell-syntax: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
