/**
 * The clinician page in a real browser: Debian's chromium driven by playwright-core, against the real server on an
 * ephemeral loopback port. Enters findings, gets a differential, confirms a diagnosis, checks the specialist-review
 * banner and the language toggle, and saves screenshots to test/browser/screenshots/.
 * Run: node -r ts-node/register/transpile-only test/browser/clinician-page.ts
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Locator } from 'playwright-core';
import { startServer } from '../containers/inference/server-process';
import { formBehaviour } from './form-behaviour';

const FIXTURE = join(__dirname, '..', 'fixtures', 'model-package', 'v1');
const TINY_PACKAGE = join(__dirname, '..', 'fixtures', 'generated', 'package');
const SHOTS = join(__dirname, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const text = async (locator: Locator) => (await locator.textContent()) ?? '';

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'dxops-browser-'));
  const server = await startServer({ MODEL_DIR: FIXTURE, DXOPS_HOME: home });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ locale: 'es-ES', viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url);

    // GIVEN the page in Spanish (the browser's language)
    await page.getByText('Hallazgos del paciente').waitFor();
    const search = page.getByRole('combobox', { name: /Buscar fenotipo/ });

    // WHEN findings are entered through the type-ahead (click, keyboard, layperson word) and one is excluded
    const pick = async (query: string, label: string, how: 'click' | 'enter') => {
      await search.fill(query);
      const option = page.getByRole('option', { name: new RegExp(label) }).first();
      await option.waitFor();
      if (how === 'click') await option.click();
      else await search.press('Enter');
      await page.locator('#findings li', { hasText: label }).waitFor();
    };
    await pick('febr', 'Febrile seizure', 'click');
    await pick('intellect', 'Intellectual disability', 'enter');
    await pick('slow dev', 'Global developmental delay', 'click');
    // a Spanish word finds the term, and the Spanish page shows its Spanish label
    await pick('tos', 'Tos', 'click');
    // the Spanish page asks for Spanish ranking: "c" offers Fiebre (its Spanish synonym Calentura) before Cough, whose
    // English label starts with "c" (in English Cough comes first)
    await search.fill('c');
    const firstOption = page.getByRole('option').first();
    await firstOption.waitFor();
    assert.match(await text(firstOption), /^Fiebre/);
    // the fever keeps URTI on the list (a candidate nothing entered supports is left out), where the cough
    // excluded below contradicts it
    await firstOption.click();
    await page.locator('#findings li', { hasText: 'Fiebre' }).waitFor();
    await page.locator('#findings li', { hasText: 'Tos' }).getByRole('button', { name: 'Presente' }).click();
    await page.getByLabel('Edad', { exact: true }).fill('3');
    await page.locator('#sex').selectOption('female');
    await page.getByRole('button', { name: 'Obtener diagnóstico diferencial' }).click();

    // THEN a ranked differential with bars, the orphan badge and the supporting findings
    const first = page.locator('#differential > li').first();
    await first.waitFor();
    assert.match(await text(first), /Dravet syndrome[\s\S]*Enfermedad rara/);
    assert.match(await text(first.locator('.evidence').first()), /A favor: Febrile seizure, Intellectual disability/);
    const width = await first.locator('.bar > div').evaluate((d) => (d as HTMLElement).style.width);
    assert.ok(Number.parseFloat(width) > 70, `top bar width ${width}`);
    // a confident rare disease first is no reason to skip the specialist: the banner says so, not "below 70 %"
    assert.match(
      await text(page.locator('#review')),
      /^La primera opción es una enfermedad rara \([\d,]+\s%\): confírmela con un especialista/,
    );
    // the page says the list holds only candidates with a finding in their favour (docs/api.md)
    assert.match(await text(page.locator('#summary')), /solo candidatos con algún hallazgo a favor/);
    const urti = page.locator('#differential > li[data-disease="DDXPLUS:URTI"]');
    assert.match(await text(urti.locator('.evidence').nth(1)), /En contra: Tos/);
    // AND a disease goes by its Spanish name on the Spanish page (the fixture has none for its orphan diseases)
    assert.equal(await text(urti.locator('.cand-name')), 'Infección de vías respiratorias altas');
    // with the name of its source on hover, the one to look it up by; an untranslated name has no such title
    assert.equal(await urti.locator('.cand-name').getAttribute('title'), 'Nombre original: URTI (traducción de DxOps)');
    assert.equal(await first.locator('.cand-name').getAttribute('title'), null);

    // WHEN the clinician confirms the top candidate
    await first.getByRole('button', { name: 'Confirmar diagnóstico' }).click();
    await first.getByRole('button', { name: 'Diagnóstico confirmado ✓' }).waitFor();
    // AND records another diagnosis through the catalog search (by a gene symbol, then the Spanish name)
    const correct = page.getByRole('combobox', { name: /Es otro diagnóstico/ });
    await correct.fill('ets1');
    await page.getByRole('option', { name: /Jacobsen syndrome/ }).waitFor();
    // the Spanish name a clinician types finds the English catalog name (query-glossary.ts)
    await correct.fill('síndrome de Jacobsen');
    await page.getByRole('option', { name: /Jacobsen syndrome/ }).click();
    await page.getByText('Corrección registrada: Jacobsen syndrome ✓').waitFor();
    // the correction replaces the confirmation: one recorded diagnosis per result, as in the feedback ingested
    await first.getByRole('button', { name: 'Confirmar diagnóstico: Dravet syndrome' }).waitFor();

    // WHEN the case is exported: a phenopacket, and the summary for the clinical record
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar phenopacket (GA4GH)' }).click(),
    ]);
    const packet = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    // THEN the phenopacket holds the findings as sent, the age, and the corrected diagnosis as its interpretation
    assert.deepEqual(
      packet.phenotypicFeatures.map((f: { type: { id: string }; excluded?: boolean }) => [f.type.id, !!f.excluded]),
      [
        ['HP:0002373', false],
        ['HP:0001249', false],
        ['HP:0001263', false],
        ['HP:0012735', true],
        ['HP:0001945', false],
      ],
    );
    assert.equal(packet.subject.timeAtLastEncounter.age.iso8601duration, 'P3Y');
    assert.equal(packet.subject.sex, 'FEMALE');
    assert.equal(packet.interpretations[0].diagnosis.disease.id, 'OMIM:147791');
    assert.equal(packet.metaData.phenopacketSchemaVersion, '2.0');
    assert.deepEqual(
      packet.metaData.resources.map((r: { id: string }) => r.id),
      ['hp', 'omim'],
    );
    // AND the API takes it back, answering with the same first candidate
    const again = await page.request.post(`${server.url}/v1/diagnoses`, { data: { phenopacket: packet } });
    assert.equal(again.status(), 200);
    assert.equal((await again.json()).differential[0].diseaseId, await first.getAttribute('data-disease'));
    await page.getByRole('button', { name: 'Resumen para la historia clínica' }).click();
    const summary = await page.locator('#summary-text').inputValue();
    assert.match(summary, /^DxOps: apoyo a la decisión clínica; no es un diagnóstico\./);
    assert.match(summary, /Paciente: 3 años, sexo femenino/);
    assert.match(summary, /Hallazgos descartados: Tos \(HP:0012735\)/);
    assert.match(summary, /\n1\. Dravet syndrome \(OMIM:607208\) .* · Gen SCN1A/);
    assert.match(summary, /Diagnóstico registrado por el clínico: Jacobsen syndrome \(OMIM:147791\)/);

    // WHEN the clinician marks the first finding to look for next as present
    const next = page.locator('#next-list li').first();
    await next.waitFor();
    const nextId = (await next.getAttribute('data-id')) ?? '';
    assert.match(await text(next), /en \d+ de los \d+ primeros/);
    // each answer button names its finding, and the count opens to say which candidates have it
    const nextLabel = (await next.locator('.name').textContent())?.split(' HP:')[0] ?? '';
    assert.match(await text(next.locator('.found-in')), /primeros\S*[A-Za-z]/);
    await next.getByRole('button', { name: `Presente: ${nextLabel}` }).click();
    // THEN it joins the findings as present, and the recomputed differential no longer suggests it
    await page.locator('#findings li', { hasText: nextId }).getByRole('button', { name: 'Presente' }).waitFor();
    await page.locator(`#next-list li[data-id="${nextId}"]`).waitFor({ state: 'detached' });
    // AND a rare-disease candidate names its genes
    assert.match(await text(page.locator('#differential > li.orphan .genes').first()), /^Gen(es)?: [A-Z0-9]/);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'clinician-page-es.png'), fullPage: true });
    // THEN both labels are on disk
    const feedback = readdirSync(join(home, 'feedback')).map((f) => readFileSync(join(home, 'feedback', f), 'utf8'));
    assert.match(feedback.join(''), /"diseaseId":"OMIM:607208","verdict":"confirmed"/);
    assert.match(feedback.join(''), /"diseaseId":"OMIM:147791","verdict":"corrected"/);

    // WHEN the findings are vague (only fatigue), THEN the specialist-review banner shows, in English after the toggle
    for (const label of [
      'Febrile seizure',
      'Intellectual disability',
      'Global developmental delay',
      'Tos',
      'Fiebre',
      nextId,
    ]) {
      await page
        .locator('#findings li', { hasText: label })
        .getByRole('button', { name: /Quitar/ })
        .click();
    }
    await pick('tired', 'Fatigue', 'click');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('button', { name: 'Get differential diagnosis' }).click();
    // (the banner was already up for the rare disease first: wait for the new answer's)
    await page.locator('#review', { hasText: 'Specialist review recommended' }).waitFor();
    // the English page names a disease in English (pneumonia, which has fatigue)
    assert.equal(
      await text(page.locator('#differential > li[data-disease="DDXPLUS:Pneumonia"] .cand-name')),
      'Pneumonia',
    );
    assert.match(
      await text(page.locator('#review')),
      /Specialist review recommended: the top probability is .*below 70%/,
    );
    // AND one finding carries the FEW_FINDINGS warning: the API's English message, the page's Spanish one
    assert.match(await text(page.locator('#warnings')), /1 finding: with fewer than 3 the first candidate/);
    await page.screenshot({ path: join(SHOTS, 'clinician-page-en-review.png'), fullPage: true });
    await page.getByRole('button', { name: 'ES', exact: true }).click();
    await page.getByRole('button', { name: 'Obtener diagnóstico diferencial' }).click();
    await page.locator('#warnings li', { hasText: '1 hallazgo: con menos de 3' }).waitFor();

    // AND the OpenAPI UI renders under the security headers
    await page.goto(`${server.url}/docs`);
    await page.getByText('DxOps inference API').first().waitFor();
    await page.getByText('/v1/diagnoses').first().waitFor();

    assert.deepEqual(problems, [], 'no console errors or CSP violations');
    await formBehaviour(browser, server.url);
    await borrowedProfile(browser);
    process.stdout.write(`browser test passed; screenshots in ${SHOTS}\n`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * A rare disease without annotations of its own says on the page whose findings rank it: the pipeline's tiny
 * package, where OMIM:100005 shares gene G1 with OMIM:100001 (pipelines/steps/tiny_reference.py).
 */
async function borrowedProfile(browser: Browser): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'dxops-browser-'));
  const server = await startServer({ MODEL_DIR: TINY_PACKAGE, DXOPS_HOME: home });
  try {
    const page = await browser.newPage({ locale: 'es-ES' });
    await page.goto(server.url);
    const search = page.getByRole('combobox', { name: /Buscar fenotipo/ });
    for (const id of ['HP:0001249', 'HP:0002373', 'HP:0012735']) {
      await search.fill(id);
      await page
        .getByRole('option', { name: new RegExp(id) })
        .first()
        .click();
      await page.locator('#findings li', { hasText: id }).waitFor();
    }
    await page.getByRole('button', { name: 'Obtener diagnóstico diferencial' }).click();
    const relative = page.locator('#differential > li[data-disease="OMIM:100005"]');
    await relative.waitFor();
    assert.equal(
      await text(relative.locator('.profile-from')),
      'Sin fenotipos anotados propios: se ordena por los de la enfermedad con su mismo gen (OMIM:100001).',
    );
    assert.match(
      await text(relative.locator('.evidence').first()),
      /A favor: Intellectual disability, Febrile seizure/,
    );
    // a disease with annotations of its own has no such line
    assert.equal(await page.locator('#differential > li[data-disease="OMIM:100001"] .profile-from').count(), 0);
    // AND the summary for the clinical record says it too (its rank is the tuned weights' business, not this test's)
    await page.getByRole('button', { name: 'Resumen para la historia clínica' }).click();
    assert.match(
      await page.locator('#summary-text').inputValue(),
      /\n\d+\. Enfermedad asociada a G1 \(OMIM:100005\) [\d,]+\s% · Gen G1 · sin fenotipos anotados propios, ordenada por los de OMIM:100001\n/,
    );
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`browser test failed: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
