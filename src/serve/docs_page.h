// The page GET /docs serves: /openapi.json rendered as a list of routes with their
// request and response schemas, and a form to send each one a request. Plain HTML and
// fetch(), no external resources (the server may run where no CDN is reachable).
#pragma once

namespace bertcls::serve {

inline constexpr const char* kDocsPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>bertcls API</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  section { border: 1px solid #ddd; border-radius: 6px; margin: 1rem 0; padding: .6rem 1rem; }
  .method { font-weight: 600; display: inline-block; width: 3.5rem; }
  .post { color: #2b6b2b; } .get { color: #2b4b8b; }
  code, pre, textarea { font: 13px/1.4 ui-monospace, monospace; }
  pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; margin: .3rem 0; }
  textarea { width: 100%; height: 5rem; box-sizing: border-box; }
  details { margin: .3rem 0; }
  .status { font-weight: 600; }
</style>
</head>
<body>
<h1>bertcls API</h1>
<p id="description"></p>
<p><label>API key (when the server has one) <input id="key" type="password" size="32"></label></p>
<div id="routes"></div>
<script>
const $ = (id) => document.getElementById(id);
// The key stays in this tab only; the page at / shares it.
$('key').value = sessionStorage.getItem('bertcls-key') || '';
$('key').addEventListener('change', () => sessionStorage.setItem('bertcls-key', $('key').value));
const examples = {
  '/predict': {inputs: ['I love it', 'I hate it'], top_k: 2},
  '/': {inputs: 'I love it', parameters: {top_k: 2}},
  '/tokenize': {inputs: 'I love it'},
  '/decode': {ids: [101, 102]},
  '/admin/reload': {},
};
function resolve(spec, schema, depth = 0) {
  if (!schema || depth > 6) return schema;
  if (schema.$ref) return resolve(spec, schema.$ref.split('/').slice(1).reduce((o, k) => o[k], spec), depth + 1);
  if (Array.isArray(schema)) return schema.map((s) => resolve(spec, s, depth + 1));
  if (typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(spec, v, depth + 1)]));
}
function block(title, value) {
  const d = document.createElement('details');
  const s = document.createElement('summary'); s.textContent = title;
  const p = document.createElement('pre'); p.textContent = JSON.stringify(value, null, 2);
  d.append(s, p);
  return d;
}
async function send(method, path, body, out) {
  const headers = {'Content-Type': 'application/json'};
  if ($('key').value) headers.Authorization = 'Bearer ' + $('key').value;
  const r = await fetch(path, method === 'GET' ? {headers} : {method, headers, body});
  const text = await r.text();
  out.textContent = r.status + ' ' + r.statusText + '\n' + text;
}
fetch('/openapi.json').then((r) => r.json()).then((spec) => {
  $('description').textContent = spec.info.description;
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const section = document.createElement('section');
      section.dataset.route = method.toUpperCase() + ' ' + path;
      const h = document.createElement('h3');
      h.innerHTML = `<span class="method ${method}">${method.toUpperCase()}</span> <code></code>`;
      h.querySelector('code').textContent = path;
      const p = document.createElement('p'); p.textContent = op.summary;
      section.append(h, p);
      const body = op.requestBody && op.requestBody.content['application/json'];
      if (body) section.append(block('request body', resolve(spec, body.schema)));
      for (const [status, response] of Object.entries(op.responses))
        section.append(block('response ' + status, resolve(spec, response)));
      const input = document.createElement('textarea');
      input.value = JSON.stringify(examples[path] || {}, null, 1);
      const go = document.createElement('button'); go.textContent = 'Send';
      const out = document.createElement('pre'); out.className = 'status';
      go.addEventListener('click', () => send(method.toUpperCase(), path, input.value, out));
      if (method === 'post') section.append(input);
      section.append(go, out);
      $('routes').append(section);
    }
  }
});
</script>
</body>
</html>
)HTML";

}  // namespace bertcls::serve
