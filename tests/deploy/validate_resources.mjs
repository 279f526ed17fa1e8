// Validates Kubernetes resources against the API schemas of the npm package kubernetes-models.
// stdin: a JSON array of resources; stdout: a JSON array of {kind, name, error|null|"skipped"}.
// Usage: node validate_resources.mjs NODE_MODULES_DIR < resources.json
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const modules = process.argv[2];
const resources = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const r of resources) {
  const name = r?.metadata?.name ?? "?";
  const [group, version] = r.apiVersion.includes("/") ? r.apiVersion.split("/") : [null, r.apiVersion];
  const dir = group ? `${group}/${version}` : version;
  const file = path.join(modules, "kubernetes-models", dir, `${r.kind}.js`);
  let Model;
  try {
    Model = (await import(pathToFileURL(file).href))[r.kind];
  } catch {
    results.push({ kind: r.kind, name, error: "skipped" });  // not a built-in API (a CRD)
    continue;
  }
  try {
    new Model(r).validate();
    results.push({ kind: r.kind, name, error: null });
  } catch (e) {
    results.push({ kind: r.kind, name, error: String(e.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(results));
