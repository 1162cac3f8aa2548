import type { FastifySchemaValidationError } from 'fastify';
import {
  AGE_DURATION_FORMAT,
  AGE_FORM,
  AGE_PATTERN,
  DISEASE_ID_FORM,
  DISEASE_ID_PATTERN,
  REQUEST_ID_PATTERN,
} from './schemas';

/**
 * The 400 message of a schema violation, from ajv's errors. ajv reports a union of literals (`sex`, `lang`, `verdict`,
 * an onset term) as one "must be equal to constant" per literal plus "must match a schema in anyOf", and an unknown
 * field without its name; this says once which values are allowed and what was sent, names the field, and reports
 * only the branch of an anyOf the request chose (the one that did not fail on a missing field).
 */

/** ajv's error with `verbose: true` (app.ts): the value judged and the schema holding the keyword. */
type AjvError = FastifySchemaValidationError & { data?: unknown; parentSchema?: { description?: string } };

interface Finding {
  readonly error: AjvError;
  /** The message after the path. */
  readonly text: string;
}

/**
 * Patterns and formats that read better as a name than as a regex, keyed by keyword and value; `echo`: whether the
 * value sent is quoted (an id is not: the client knows it, and it may be long).
 */
const NAMED: Record<string, { readonly form: string; readonly echo: boolean }> = {
  [`pattern ${AGE_PATTERN}`]: { form: AGE_FORM, echo: true },
  [`format ${AGE_DURATION_FORMAT}`]: { form: AGE_FORM, echo: true },
  [`pattern ${DISEASE_ID_PATTERN}`]: { form: DISEASE_ID_FORM, echo: false },
  [`pattern ${REQUEST_ID_PATTERN}`]: {
    form: 'the requestId of a diagnosis answer, a UUID in its 8-4-4-4-12 form (no "urn:uuid:" prefix)',
    echo: false,
  },
};

/** Allowed values listed in full up to this many; beyond, the union's description names them (22 onset terms). */
const MAX_LISTED = 8;
/** A quoted value is cut here: enough to recognise a typo, too short to carry a record back. */
const MAX_QUOTED = 20;

/** The value sent, short: a string quoted and cut, a structure by its kind. */
export function quoted(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

const sent = (e: AjvError) => ('data' in e ? ` (got ${quoted(e.data)})` : '');

const orList = (items: readonly string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

function describe(e: AjvError, dataVar: string): string {
  const named = NAMED[`${e.keyword} ${e.params.pattern ?? e.params.format}`];
  if (named) return `must be ${named.form}${named.echo ? sent(e) : ''}`;
  if (e.keyword === 'additionalProperties') {
    const key = quoted(String(e.params.additionalProperty));
    return `has an unknown ${dataVar === 'querystring' ? 'parameter' : 'field'} ${key}`;
  }
  return e.message ?? e.keyword;
}

const onlyKeyword = (findings: readonly Finding[], keyword: string, instancePath: string) =>
  findings.length > 0 && findings.every((f) => f.error.keyword === keyword && f.error.instancePath === instancePath);

/** The findings of one anyOf (its branches' errors), as what the request got wrong. */
function collapse(anyOf: AjvError, branches: readonly Finding[]): Finding[] {
  const at = anyOf.instancePath;
  if (branches.length === 0) return [{ error: anyOf, text: anyOf.message ?? 'must match a schema in anyOf' }];
  if (onlyKeyword(branches, 'const', at)) {
    const values = branches.map((f) => String(f.error.params.allowedValue));
    const description = anyOf.parentSchema?.description;
    const allowed = values.length <= MAX_LISTED || !description ? `one of ${values.join(', ')}` : description;
    return [{ error: { ...anyOf, keyword: 'enum' }, text: `must be ${allowed}${sent(anyOf)}` }];
  }
  if (onlyKeyword(branches, 'required', at)) {
    const fields = branches.map((f) => String(f.error.params.missingProperty));
    return [{ error: { ...anyOf, keyword: 'required' }, text: `needs one of ${orList(fields)}` }];
  }
  // A branch that failed only on a missing field is one the request did not choose: the others say what is wrong.
  const byBranch = new Map<string, Finding[]>();
  for (const f of branches) {
    const branch = f.error.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0];
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), f]);
  }
  const chosen = [...byBranch.values()].filter((b) => !onlyKeyword(b, 'required', at));
  return chosen.length > 0 ? chosen.flat() : [...branches];
}

/** One message for a failed validation: `<dataVar><path> <what is wrong>`, each problem once. */
export function validationMessage(errors: readonly FastifySchemaValidationError[], dataVar: string): string {
  let findings: Finding[] = [];
  // ajv lists an anyOf's branch errors before the anyOf itself, inner anyOfs before outer ones
  for (const e of errors as AjvError[]) {
    if (e.keyword !== 'anyOf') {
      findings.push({ error: e, text: describe(e, dataVar) });
      continue;
    }
    const inside = (f: Finding) => f.error.schemaPath.startsWith(`${e.schemaPath}/`);
    findings = [...findings.filter((f) => !inside(f)), ...collapse(e, findings.filter(inside))];
  }
  return [...new Set(findings.map((f) => `${dataVar}${f.error.instancePath} ${f.text}`))].join(', ');
}

/** The app's schemaErrorFormatter (app.ts): Fastify prefixes nothing; the error handler adds "invalid request: ". */
export const formatValidationErrors = (errors: FastifySchemaValidationError[], dataVar: string): Error =>
  new Error(validationMessage(errors, dataVar));
