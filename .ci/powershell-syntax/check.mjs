#!/usr/bin/env node
// PowerShell syntax check for CI.
//
//   node check.mjs <repoRoot>
//
// Parses every *.ps1, *.psd1 and *.psm1 under repoRoot (skipping node_modules, bin, obj,
// out and .git directories) with tree-sitter-powershell and reports each syntax error
// (ERROR or MISSING node in the tree) as `FAIL path:line:col <snippet>`; clean files print
// `ok path`. The last line is always `powershell-syntax: N passed, M failed` (N and M count
// files). Exit code: 0 when no file failed, 1 when any failed, 2 on a usage error.
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

  let passed = 0;
  let failed = 0;
  for (const file of findFiles(root)) {
    const shown = path.relative(root, file).split(path.sep).join('/');
    let text;
    try {
      text = decode(readFileSync(file));
    } catch (err) {
      console.log(`FAIL ${shown}:1:1 cannot read file: ${err.message}`);
      failed++;
      continue;
    }
    let tree;
    try {
      tree = parser.parse((index) => text.slice(index, index + CHUNK));
    } catch (err) {
      console.log(`FAIL ${shown}:1:1 parser error: ${err.message}`);
      failed++;
      continue;
    }
    const errors = collectErrors(tree.rootNode);
    if (errors.length === 0 && tree.rootNode.hasError) errors.push(tree.rootNode);
    if (errors.length === 0) {
      console.log(`ok ${shown}`);
      passed++;
      continue;
    }
    for (const node of errors) {
      const { row, column } = node.startPosition;
      console.log(`FAIL ${shown}:${row + 1}:${column + 1} ${snippetOf(node, text)}`);
    }
    failed++;
  }

  console.log(`powershell-syntax: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
