{% raw %}
// The survey page's behaviour: follow-up visibility, validation, a draft kept on the device, and the
// answers saved as a CSV file in JourneyQL's canonical response format. Everything it knows about the
// survey comes from the JSON in #journeyql-plan; nothing is ever fetched or sent.
(function () {
  'use strict';
  var plan = JSON.parse(document.getElementById('journeyql-plan').textContent);
  var form = document.getElementById('survey');
  var statusBox = document.getElementById('status');
  var words = plan.words;
  // one draft per survey: two organisations' surveys of one plan, opened on one device, keep theirs apart
  var storeKey = 'journeyql-survey:' + (plan.survey || plan.measurement);
  var byName = {};
  plan.questions.forEach(function (q) { byName[q.name] = q; });
  var state = { respondent: newId(), times: {} };

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function storage() { try { return window.localStorage; } catch (e) { return null; } }

  function fields(name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }
  function value(name) {  // the checked radio's or the field's value, or null
    var found = null;
    fields(name).forEach(function (el) {
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked && found === null) found = el.value; }
      else if (el.value.trim() !== '') found = el.value;
    });
    return found;
  }
  function checked(name) {
    return fields(name).filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
  }

  // A follow-up question is shown when the valence is below the scale's midpoint or an emotion was named.
  function shown(q) {
    var f = q.followUp;
    if (!f) return true;
    if (f.valence) { var v = value(f.valence); if (v !== null && Number(v) < f.midpoint) return true; }
    return Boolean(f.emotions && checked(f.emotions).length);
  }

  function refresh() {
    plan.questions.forEach(function (q) {
      document.getElementById('q-' + q.name).hidden = !shown(q);
      if (q.form === 'emotions') {
        var named = checked(q.name);
        q.options.forEach(function (option, i) {
          document.getElementById('i-' + q.members[i]).hidden = named.indexOf(String(option)) < 0;
        });
      }
    });
  }

  function snapshot() {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) (answers[el.name] = answers[el.name] || []).push(el.value); }
      else if (el.value !== '') answers[el.name] = [el.value];
    });
    return answers;
  }
  function saveDraft() {
    var s = storage();
    if (!s) return;
    try { s.setItem(storeKey, JSON.stringify({ respondent: state.respondent, times: state.times, answers: snapshot() })); }
    catch (e) { /* a full or disabled storage only loses the draft */ }
  }
  function loadDraft() {
    var s = storage();
    var draft = null;
    try { draft = s && JSON.parse(s.getItem(storeKey) || 'null'); } catch (e) { draft = null; }
    if (!draft || typeof draft !== 'object' || !draft.answers) return;
    if (typeof draft.respondent === 'string') state.respondent = draft.respondent;
    if (draft.times && typeof draft.times === 'object') state.times = draft.times;
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = draft.answers[el.name];
      if (!Array.isArray(values)) return;
      if (el.type === 'radio' || el.type === 'checkbox') el.checked = values.indexOf(el.value) >= 0;
      else el.value = String(values[0]);
    });
  }

  function fail(q, message) {
    var box = document.getElementById('e-' + q.name);
    box.textContent = message;
    box.hidden = false;
    document.getElementById('q-' + q.name).classList.add('invalid');
  }
  function validate() {
    var problems = [];
    plan.questions.forEach(function (q) {
      var set = document.getElementById('q-' + q.name);
      set.classList.remove('invalid');
      document.getElementById('e-' + q.name).hidden = true;
      if (!shown(q)) return;
      var v = value(q.name);
      if (q.required && v === null && q.form !== 'emotions' && q.form !== 'intents') { fail(q, words.required); problems.push(q); return; }
      if ((q.form === 'number' || q.form === 'scale') && v !== null && q.low !== null) {
        var n = Number(v);
        if (!isFinite(n) || n < q.low || n > q.high) {
          fail(q, words.range_error.replace('{low}', q.low).replace('{high}', q.high)); problems.push(q); return;
        }
      }
      if (q.form === 'emotions') {
        var named = checked(q.name);
        var missing = q.options.some(function (option, i) {
          return named.indexOf(String(option)) >= 0 && value(q.members[i]) === null;
        });
        if (missing) { fail(q, words.intensity_required); problems.push(q); }
      }
    });
    return problems;
  }

  // RFC 4180: quote a field holding a comma, quote or line break; double the quotes.
  function cell(text) {
    text = String(text);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  // A free text that a spreadsheet would run as a formula is kept as text.
  function safeText(text) { return /^[=+\-@\t\r]/.test(text) ? "'" + text : text; }

  function rows() {
    var params = new URLSearchParams(window.location.search);
    var persona = params.get('persona') || '';
    if (plan.personas.indexOf(persona) < 0) persona = '';
    var now = new Date().toISOString();
    var out = [];
    function add(q, item, answer, timeName) {
      out.push([state.respondent, plan.journey, q.touchpoint || '', item, answer,
                state.times[timeName] || state.times[q.name] || now, persona, plan.organisation]);
    }
    plan.questions.forEach(function (q) {
      if (!shown(q)) return;
      if (q.form === 'emotions') {
        var named = checked(q.name);
        q.options.forEach(function (option, i) {
          var intensity = value(q.members[i]);
          if (named.indexOf(String(option)) >= 0 && intensity !== null) add(q, q.item + '.' + option, intensity, q.members[i]);
        });
      } else if (q.form === 'intents') {
        q.options.forEach(function (option, i) {
          var answer = value(q.members[i]);
          if (answer !== null) add(q, q.item + '.' + option, answer, q.members[i]);
        });
      } else {
        var answer = value(q.name);
        if (answer === null) return;
        if (q.form === 'text') answer = safeText(answer.trim());
        else answer = String(Number(answer));
        add(q, q.item, answer, q.name);
      }
    });
    return out;
  }

  function download(text, name) {
    var url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function show(message, problem) {
    statusBox.textContent = message;
    statusBox.classList.toggle('problem', Boolean(problem));
    statusBox.hidden = false;
  }

  form.addEventListener('change', onInput);
  form.addEventListener('input', onInput);
  function onInput(event) {
    if (event.target && event.target.name) state.times[event.target.name] = new Date().toISOString();
    statusBox.hidden = true;
    refresh();
    saveDraft();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var problems = validate();
    if (problems.length) {
      show(words.check_answers, true);
      var first = document.getElementById('q-' + problems[0].name);
      if (first.scrollIntoView) first.scrollIntoView({ block: 'center' });
      return;
    }
    var lines = [plan.header.join(',')].concat(rows().map(function (row) { return row.map(cell).join(','); }));
    download(lines.join('\r\n') + '\r\n', plan.measurement + '-' + state.respondent + '.csv');
    var s = storage();
    if (s) { try { s.removeItem(storeKey); } catch (e) { /* nothing to clear */ } }
    form.reset();
    state = { respondent: newId(), times: {} };
    refresh();
    show(words.saved, false);
  });

  loadDraft();
  refresh();
})();
{% endraw %}
