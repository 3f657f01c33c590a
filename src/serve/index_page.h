// The page GET / serves: type a text, see the label probabilities. Plain HTML and
// fetch(), no external resources (the server may run where nothing else is reachable).
// A browser cannot send a key when it opens a page, so the page itself is open and asks
// for the key when the server answers 401; it keeps it for this tab only.
#pragma once

namespace bertcls::serve {

inline constexpr const char* kIndexPage = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>bertcls</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  textarea { width: 100%; height: 6rem; font: inherit; padding: .5rem; box-sizing: border-box; }
  button { font: inherit; padding: .4rem 1.2rem; margin-top: .5rem; }
  .row { display: flex; align-items: center; gap: .6rem; margin: .3rem 0; }
  .name { width: 10rem; overflow: hidden; text-overflow: ellipsis; }
  .bar { height: 1.1rem; background: #4a7bd0; border-radius: 3px; }
  .value { font-variant-numeric: tabular-nums; }
  #error { color: #b00020; }
  #meta { color: #666; font-size: 90%; }
</style>
</head>
<body>
<h1>bertcls</h1>
<p id="meta"></p>
<p id="keyrow" hidden><label>API key <input id="key" type="password" size="32"></label></p>
<textarea id="text" placeholder="Type a text to classify"></textarea>
<br><button id="go">Classify</button>
<div id="result"></div>
<p id="error"></p>
<script>
const $ = (id) => document.getElementById(id);
$('key').value = sessionStorage.getItem('bertcls-key') || '';
function headers() {
  const h = {'Content-Type': 'application/json'};
  if ($('key').value) h.Authorization = 'Bearer ' + $('key').value;
  return h;
}
function needKey(r) {
  if (r.status !== 401) return false;
  $('keyrow').hidden = false;
  $('error').textContent = 'This server needs an API key: enter it above.';
  return true;
}
async function showInfo() {
  const r = await fetch('/info', {headers: headers()});
  if (needKey(r)) return;
  const info = await r.json();
  $('error').textContent = '';
  $('meta').textContent = `model ${info.model_id} · labels: ${info.labels.join(', ')} · up to ${info.max_input_length} tokens`;
}
$('key').addEventListener('change', () => { sessionStorage.setItem('bertcls-key', $('key').value); showInfo(); });
showInfo();
async function classify() {
  $('error').textContent = '';
  const text = $('text').value;
  const r = await fetch('/predict', {method: 'POST', headers: headers(),
                                     body: JSON.stringify({inputs: text, truncate: true})});
  if (needKey(r)) return;
  const body = await r.json();
  if (!r.ok) { $('error').textContent = body.error; $('result').replaceChildren(); return; }
  $('result').replaceChildren(...body.map(({label, score}) => {
    const row = document.createElement('div');
    row.className = 'row';
    row.dataset.label = label;
    row.dataset.score = score;
    const name = document.createElement('span'); name.className = 'name'; name.textContent = label;
    const bar = document.createElement('span'); bar.className = 'bar'; bar.style.width = (score * 20) + 'rem';
    const value = document.createElement('span'); value.className = 'value'; value.textContent = score.toFixed(4);
    row.append(name, bar, value);
    return row;
  }));
}
$('go').addEventListener('click', classify);
$('text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) classify(); });
</script>
</body>
</html>
)HTML";

}  // namespace bertcls::serve
