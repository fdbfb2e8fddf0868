// Loads SurveyJS JSON files with SurveyJS's own library (survey-core) and prints, as JSON, what it
// understood: {file: {ok, errors, locales: {loc: {title, pages, questions}}, questions, followUps, data,
// completed}} or {file: {ok: false, error}}. Run from tests/test_surveys.py.
import { Model } from 'survey-core';
import fs from 'fs';

function valuesOf(question) {
  return question.getType() === 'rating' ? question.visibleRateValues.map(v => v.value) : undefined;
}

function followUps(json) {
  // visibility of every question with a visibleIf, under four answer scenarios, each on a fresh model
  const out = {};
  const probe = new Model(json);
  for (const question of probe.getAllQuestions()) {
    if (!question.visibleIf) continue;
    const prefix = question.name.slice(0, question.name.lastIndexOf('-'));
    const valenceName = prefix + '-valence';
    const emotionName = prefix + '-emotion';
    const scenario = (answers) => {
      const model = new Model(json);
      for (const [name, value] of Object.entries(answers)) model.setValue(name, value);
      return model.getQuestionByName(question.name).isVisible;
    };
    const valence = probe.getQuestionByName(valenceName);
    const emotion = probe.getQuestionByName(emotionName);
    const result = { visibleIf: question.visibleIf, none: scenario({}) };
    if (valence) {
      // a rating's own values; a number field's minimum, midpoint and maximum
      const values = valence.getType() === 'rating' ? valence.visibleRateValues.map(v => v.value)
        : [Number(valence.min), (Number(valence.min) + Number(valence.max)) / 2, Number(valence.max)];
      result.lowest = scenario({ [valenceName]: values[0] });
      result.highest = scenario({ [valenceName]: values[values.length - 1] });
      if (values.length % 2 === 1) result.middle = scenario({ [valenceName]: values[(values.length - 1) / 2] });
    }
    if (emotion) {
      const row = emotion.rows[0].value;
      const high = valence ? { [valenceName]: valence.getType() === 'rating'
        ? valence.visibleRateValues.slice(-1)[0].value : Number(valence.max) } : {};
      result.emotionNamed = scenario({ ...high, [emotionName]: { [row]: 3 } });
    }
    out[question.name] = result;
  }
  return out;
}

function complete(json) {
  // answer every required question with its first value, walk the pages, complete
  const model = new Model(json);
  for (const question of model.getAllQuestions()) {
    if (!question.isRequired) continue;
    const values = valuesOf(question);
    model.setValue(question.name, values ? values[0] : 1);
  }
  let guard = 0;
  while (!model.isLastPage && guard++ < 1000) {
    if (!model.nextPage()) return { completed: false, stuckAt: model.currentPage.name };
  }
  const done = model.completeLastPage();
  return { completed: done && model.state === 'completed', data: model.data };
}

const out = {};
for (const file of process.argv.slice(2)) {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const model = new Model(json);
    const errors = (model.jsonErrors || []).map(e => e.message);
    const locales = {};
    const codes = new Set(['default']);
    for (const page of json.pages || []) for (const key of Object.keys(page.title || {})) codes.add(key);
    for (const code of codes) {
      if (code === 'default') continue;
      model.locale = code;
      locales[code] = {
        title: model.locTitle.renderedHtml,
        pages: model.pages.map(p => p.locTitle.renderedHtml),
        questions: Object.fromEntries(model.getAllQuestions().map(q => [q.name, q.locTitle.renderedHtml])),
        rows: Object.fromEntries(model.getAllQuestions().filter(q => q.getType() === 'matrix')
          .map(q => [q.name, q.rows.map(r => [r.value, r.locText.renderedHtml])])),
      };
    }
    model.locale = json.locale || '';
    const questions = model.getAllQuestions().map(q => ({
      name: q.name, type: q.getType(), page: q.page.name, required: q.isRequired, visible: q.isVisible,
      values: valuesOf(q),
    }));
    out[file] = { ok: errors.length === 0, errors, locale: model.locale, locales, questions,
                  followUps: followUps(json), ...complete(json) };
  } catch (e) {
    out[file] = { ok: false, error: String((e && e.stack) || e).split('\n').slice(0, 4).join(' | ') };
  }
}
console.log(JSON.stringify(out));
