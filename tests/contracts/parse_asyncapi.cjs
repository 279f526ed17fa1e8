#!/usr/bin/env node
// Parses AsyncAPI documents with the official parser (@asyncapi/parser, which also runs its
// Spectral ruleset) and exits 1 when any document has a diagnostic of severity error.
//
// Usage: node parse_asyncapi.cjs NODE_MODULES_PREFIX FILE...
// Diagnostics of lower severity are printed but do not fail: they are advice, not contract
// breaks. Severity follows Spectral: 0 error, 1 warning, 2 information, 3 hint.
'use strict';

const fs = require('fs');
const path = require('path');

const [prefix, ...files] = process.argv.slice(2);
if (!prefix || files.length === 0) {
  console.error('usage: parse_asyncapi.cjs NODE_MODULES_PREFIX FILE...');
  process.exit(2);
}
const { Parser } = require(path.join(prefix, 'node_modules', '@asyncapi', 'parser'));
const severities = ['error', 'warning', 'information', 'hint'];

async function main() {
  const parser = new Parser();
  let failed = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const { document, diagnostics } = await parser.parse(text, { source: path.resolve(file) });
    const errors = diagnostics.filter((d) => d.severity === 0);
    for (const d of diagnostics) {
      const where = d.path && d.path.length ? ` at /${d.path.join('/')}` : '';
      console.log(`${file}: ${severities[d.severity] || d.severity}: ${d.code}: ${d.message}${where}`);
    }
    if (!document || errors.length > 0) {
      failed += 1;
      console.log(`${file}: FAILED (${errors.length} error(s))`);
    } else {
      console.log(`${file}: ok (${document.operations().length} operations, ` +
                  `${document.messages().length} messages)`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
