/**
 * How the clinician page's form behaves around the differential, in chromium on the fixture package: what Enter picks
 * while a search is still answering, the keyboard focus, the age in months and its checks, a result gone stale, one
 * recorded diagnosis per result, a feedback that fails, and the record's language and phenopacket resources.
 * Called by clinician-page.ts with its browser and server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

const SHOTS = join(__dirname, 'screenshots');
const focusedKey = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key);

export async function formBehaviour(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage({ locale: 'es-ES', viewport: { width: 375, height: 740 } });
  try {
    await page.goto(url);
    await page.getByText('Hallazgos del paciente').waitFor();
    // GIVEN no result yet: nothing to export or correct
    assert.equal(await page.locator('#export').isVisible(), false, 'export buttons before any result');
    assert.equal(await page.locator('#correct').isVisible(), false);

    // WHEN Enter comes while the list still answers an earlier query ("seiz": Seizure first)
    const search = page.getByRole('combobox', { name: /Buscar fenotipo/ });
    await search.fill('seiz');
    const first = page.locator('#suggestions [role=option]').first();
    await first.waitFor();
    assert.notEqual(await first.getAttribute('data-id'), 'HP:0002373');
    await search.fill('febrile');
    await search.press('Enter');
    // THEN the finding is the first match of what is typed now, not of "seiz"
    await page.locator('#findings li', { hasText: 'HP:0002373' }).waitFor();
    assert.equal(await page.locator('#findings li').count(), 1);
    // AND arrows choose among the options: the second one for "f"
    await search.fill('f');
    await page.locator('#suggestions [role=option]').nth(1).waitFor();
    const second = (await page.locator('#suggestions [role=option]').nth(1).getAttribute('data-id')) ?? '';
    await search.press('ArrowDown');
    await search.press('ArrowDown');
    assert.equal(await search.getAttribute('aria-activedescendant'), 'opt-1');
    await search.press('Enter');
    await page.locator('#findings li', { hasText: second }).waitFor();

    // WHEN a finding is toggled from the keyboard, THEN the focus stays on its toggle, which names the finding
    const toggle = page.locator('#findings li', { hasText: 'HP:0002373' }).locator('.toggle');
    await toggle.focus();
    await page.keyboard.press('Space');
    assert.equal(await focusedKey(page), 'toggle:HP:0002373');
    assert.equal(await toggle.getAttribute('aria-label'), 'Descartado: Febrile seizure');
    await page.keyboard.press('Space');

    // WHEN the age is impossible, THEN the page says so in Spanish and sends nothing
    const sent: string[] = [];
    page.on('request', (r) => r.url().endsWith('/v1/diagnoses') && sent.push(r.postData() ?? ''));
    const age = page.getByLabel('Edad', { exact: true });
    await age.fill('200');
    const diagnose = page.getByRole('button', { name: 'Obtener diagnóstico diferencial' });
    await diagnose.click();
    assert.match((await page.locator('#error').textContent()) ?? '', /^Edad no válida: escriba un número/);
    assert.equal(await age.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(sent, []);
    // WHEN an infant's age is given in months, with a decimal comma
    await age.fill('6,5');
    await page.getByLabel('Unidad de la edad').selectOption('months');
    await diagnose.click();
    await page.locator('#differential > li').first().waitFor();
    // THEN the API gets years, and the results get the focus (on a phone they are below the fold)
    const body = JSON.parse(sent[0]);
    assert.ok(Math.abs(body.age.years - 6.5 / 12) < 1e-9, `age sent ${JSON.stringify(body.age)}`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'results-title');
    assert.equal(await page.locator('#error').isVisible(), false);

    // WHEN an input changes after the result, THEN the list says it answers the previous request, until undone
    const stale = page.locator('#stale');
    await page.locator('#sex').selectOption('male');
    await stale.waitFor();
    await page.locator('#sex').selectOption('unknown');
    await stale.waitFor({ state: 'hidden' });

    // WHEN recording a diagnosis fails, THEN the message is on that candidate, not out of sight
    const candidates = page.locator('#differential > li');
    await page.route('**/v1/feedback', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"overloaded"}' }),
    );
    await candidates.nth(0).locator('.confirm').click();
    await candidates.nth(0).locator('.error', { hasText: 'No se pudo registrar: overloaded' }).waitFor();
    await page.unroute('**/v1/feedback');
    // WHEN one candidate is confirmed and then another, THEN only the second is the recorded diagnosis
    await candidates.nth(0).locator('.confirm').click();
    await candidates
      .nth(0)
      .getByRole('button', { name: /^Diagnóstico confirmado/ })
      .waitFor();
    assert.equal(await candidates.nth(0).locator('.error').count(), 0);
    await candidates.nth(1).locator('.confirm').click();
    await candidates
      .nth(1)
      .getByRole('button', { name: /^Diagnóstico confirmado/ })
      .waitFor();
    assert.equal(await page.locator('.confirm[aria-disabled="true"]').count(), 1);
    assert.equal(await focusedKey(page), `confirm:${await candidates.nth(1).getAttribute('data-disease')}`);

    // WHEN the correction's Enter comes while its list answers the previous query
    const correct = page.getByRole('combobox', { name: /Es otro diagnóstico/ });
    await correct.fill('ets1');
    await page.getByRole('option', { name: /Jacobsen syndrome/ }).waitFor();
    await correct.fill('dravet');
    await correct.press('Enter');
    // THEN the correction is Dravet syndrome, and it replaces the confirmation
    await page.getByText('Corrección registrada: Dravet syndrome ✓').waitFor();
    assert.equal(await page.locator('.confirm[aria-disabled="true"]').count(), 0);

    // WHEN the summary is open and the language switches, THEN it is re-worded
    await page.getByRole('button', { name: 'Resumen para la historia clínica' }).click();
    const summary = page.locator('#summary-text');
    assert.match(await summary.inputValue(), /Paciente: 6,5 meses, sexo desconocido/);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    assert.match(
      await summary.inputValue(),
      /^DxOps: clinical decision support[\s\S]*Patient: 6.5 months, sex unknown/,
    );
    assert.match(await summary.inputValue(), /Diagnosis recorded by the clinician: Dravet syndrome \(OMIM:607208\)/);
    await page.getByRole('button', { name: 'ES', exact: true }).click();

    // AND the phenopacket names a resource for its diagnosis's prefix, with the age in months and days
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar phenopacket (GA4GH)' }).click(),
    ]);
    const packet = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
    assert.deepEqual(
      packet.metaData.resources.map((r: { namespacePrefix: string }) => r.namespacePrefix),
      ['HP', 'OMIM'],
    );
    assert.equal(packet.subject.timeAtLastEncounter.age.iso8601duration, 'P198D');
    assert.equal(packet.interpretations[0].diagnosis.disease.label, 'Dravet syndrome');

    // AND which candidates have a finding to look for next opens from the keyboard
    const foundIn = page.locator('#next-list .found-in').first();
    await foundIn.locator('summary').press('Enter');
    assert.equal(await foundIn.getAttribute('open'), '');
    await page.locator('#sex').selectOption('male');
    await page.screenshot({ path: join(SHOTS, 'clinician-page-phone-stale.png'), fullPage: true });
  } finally {
    await page.close();
  }
}
