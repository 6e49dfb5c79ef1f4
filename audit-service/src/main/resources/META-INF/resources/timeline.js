// Draws an incident's swimlanes from the audit API: one lane for the incident-wide steps, one per
// volume; a bar per step coloured by outcome, a mark per failed attempt, details on hover.
// Refreshes every 2 s while the incident runs.
(function () {
  const root = document.getElementById('timeline');
  const incidentId = root.dataset.incident;
  // The API's token, when it asks for one (401): typed into the page once and kept for this tab
  // only (sessionStorage), never in the address, where history and access logs would keep it.
  const TOKEN = 'lifeboat-api-token';
  function headers() {
    const token = sessionStorage.getItem(TOKEN);
    return token ? { Authorization: 'Bearer ' + token } : {};
  }
  function askForToken() {
    const form = el('form', 'token-form');
    form.id = 'token-form';
    const input = el('input');
    input.type = 'password';
    input.name = 'token';
    input.autocomplete = 'off';
    input.placeholder = 'API token (the read token will do)';
    form.append(el('label', null, 'This audit service asks for a token: '), input, el('button', null, 'Show'));
    form.addEventListener('submit', event => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN, input.value);
      form.remove();
      refresh();
    });
    root.replaceChildren(form);
  }
  const terminal = ['COMPLETED', 'PARTIAL', 'CANCELLED', 'RETURNED'];

  function ms(t) { return t ? Date.parse(t) : null; }
  function secs(a, b) { return a && b ? ((b - a) / 1000).toFixed(1) + ' s' : '-'; }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(incident) {
    const steps = incident.incidentSteps.concat(...incident.volumes.map(v => v.steps));
    const times = steps.flatMap(s => [ms(s.startedAt), ms(s.endedAt)]).filter(t => t);
    const start = ms(incident.detectedAt) || ms(incident.firstSeenAt) || Math.min(...times);
    const end = Math.max(ms(incident.endedAt) || 0, ...times, terminal.includes(incident.status) ? 0 : Date.now());
    const span = Math.max(1000, end - start);
    const x = t => (100 * (t - start) / span) + '%';

    const removal = incident.kind === 'removal';
    document.getElementById('title').textContent =
      (removal ? 'Removal ' : 'Incident ') + incident.incidentId;
    document.getElementById('summary').replaceChildren(
      el('span', 'kind kind-' + incident.kind, incident.kind),
      el('span', 'node', 'node ' + incident.node + ' (' + incident.reason + ')'),
      el('span', 'status status-text-' + incident.status, 'status ' + incident.status),
      el('span', 'moved', incident.volumesMoved + ' of ' + incident.volumesTotal + ' volumes moved'),
      removal
        ? el('span', 'emptied', 'node emptied after ' + secs(ms(incident.detectedAt), ms(incident.emptiedAt)))
        : el('span', 'fenced', 'fenced after ' + secs(ms(incident.detectedAt), ms(incident.fencedAt))),
      el('span', 'ready', 'last pod Ready after ' + secs(ms(incident.detectedAt), ms(incident.lastPodReadyAt))));

    const axis = el('div', 'axis');
    for (let i = 0; i <= 5; i++) {
      const t = start + span * i / 5;
      const tick = el('span', 'tick', '+' + ((t - start) / 1000).toFixed(1) + ' s');
      tick.style.left = (i * 20) + '%';
      axis.appendChild(tick);
    }
    const lanes = [lane('incident', 'incident ' + incident.node, incident.incidentSteps)];
    for (const v of incident.volumes) {
      const name = v.claim ? ' (' + v.claim + ')' : '';
      const label = 'volume ' + v.volumeId + name + ' ' + v.status + (v.targetNode ? ' → ' + v.targetNode : '');
      const l = lane(String(v.volumeId), label, v.steps);
      l.dataset.volume = v.volumeId;
      l.dataset.status = v.status;
      if (v.failure) l.title = v.failure.step + ': ' + v.failure.reason + ' ' + (v.failure.detail || '');
      lanes.push(l);
    }
    root.replaceChildren(axis, ...lanes);

    function lane(key, label, laneSteps) {
      const l = el('div', 'lane');
      l.dataset.lane = key;
      const track = el('div', 'track');
      for (const s of laneSteps) {
        const from = ms(s.startedAt) || start;
        const to = ms(s.endedAt) || end;
        const bar = el('div', 'bar step-' + s.name + ' status-' + s.status, s.name);
        bar.dataset.step = s.name;
        bar.dataset.status = s.status;
        bar.dataset.attempts = s.attempts;
        bar.style.left = x(from);
        bar.style.width = 'calc(' + x(to) + ' - ' + x(from) + ')';
        bar.title = s.name + ': ' + s.status + ', ' + s.attempts + ' attempt(s), ' + secs(from, ms(s.endedAt))
          + (s.error ? '\nlast error: ' + s.error : '');
        track.appendChild(bar);
        for (const f of s.failures) {
          const mark = el('span', 'retry');
          mark.dataset.attempt = f.attempt;
          mark.style.left = x(ms(f.at));
          mark.title = s.name + ' attempt ' + f.attempt + ' failed: ' + f.code + ' ' + f.message;
          track.appendChild(mark);
        }
      }
      l.append(el('div', 'lane-label', label), track);
      return l;
    }
    return terminal.includes(incident.status);
  }

  function refresh() {
    fetch('/api/incidents/' + encodeURIComponent(incidentId), { headers: headers() })
      .then(r => {
        if (r.status === 401) {
          sessionStorage.removeItem(TOKEN);
          askForToken();
          return Promise.reject(null);
        }
        return r.ok ? r.json() : Promise.reject(new Error('status ' + r.status));
      })
      .then(incident => {
        const done = render(incident);
        root.dataset.rendered = 'true';
        if (!done) setTimeout(refresh, 2000);
      })
      .catch(e => {
        if (e === null) return; // waiting for the token
        root.textContent = 'cannot load the incident: ' + e.message;
        setTimeout(refresh, 5000);
      });
  }
  refresh();
})();
