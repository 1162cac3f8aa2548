// The page's words in each language it speaks. Spanish is the default (the first users' hospitals); the English
// warnings come from the API's own messages, so only the Spanish ones are written here.

// Genes tell the clinician which test to order; a long list (contiguous-gene syndromes, a gene's many diseases) is
// cut after five, with its length.
export const shortList = (items) =>
  items.length > 5 ? `${items.slice(0, 5).join(', ')}, … (${items.length})` : items.join(', ');

export const TEXT = {
  es: {
    subtitle: 'Apoyo al diagnóstico diferencial: enfermedades comunes y raras',
    disclaimer: 'Herramienta de apoyo a la decisión clínica; no sustituye el juicio del médico ni es un diagnóstico.',
    findings: 'Hallazgos del paciente',
    searchLabel: 'Buscar fenotipo (HPO): término, sinónimo o palabra común',
    noFindings: 'Añada al menos un hallazgo.',
    age: 'Edad',
    ageUnit: 'Unidad de la edad',
    // [one, other]: the unit select shows the plural, the summary the form its number takes
    units: { years: ['año', 'años'], months: ['mes', 'meses'], days: ['día', 'días'] },
    ageInvalid: 'Edad no válida: escriba un número (3, 0,5) de 0 a 130 años; para un lactante, en meses o días.',
    sex: 'Sexo',
    sexUnknown: 'Desconocido',
    sexFemale: 'Femenino',
    sexMale: 'Masculino',
    diagnose: 'Obtener diagnóstico diferencial',
    results: 'Diagnóstico diferencial',
    noResults: 'Los resultados aparecerán aquí.',
    present: 'Presente',
    excluded: 'Descartado',
    remove: 'Quitar',
    orphan: 'Enfermedad rara',
    common: 'Común',
    supporting: 'A favor',
    contradicting: 'En contra',
    none: 'ninguno',
    confirm: 'Confirmar diagnóstico',
    confirmed: 'Diagnóstico confirmado ✓',
    stale:
      'Los hallazgos o los datos del paciente cambiaron: esta lista corresponde a la consulta anterior. Pulse ' +
      '«Obtener diagnóstico diferencial» para actualizarla.',
    correctLabel: '¿Es otro diagnóstico? Buscar la enfermedad (nombre, OMIM/ORPHA o gen)',
    corrected: (name) => `Corrección registrada: ${name} ✓`,
    review: (p) => `Revisión por especialista recomendada: la probabilidad más alta es ${p}, inferior al 70 %.`,
    reviewRare: (p) =>
      `La primera opción es una enfermedad rara (${p}): confírmela con un especialista. En casos publicados, una ` +
      'primera probabilidad del 70\u00a0% o más acertó más o menos la mitad de las veces.',
    summary: (v, s, supportedOnly) =>
      `Modelo ${v} · sospecha de enfermedad rara: ${s}${supportedOnly ? ' · solo candidatos con algún hallazgo a favor' : ''}`,
    failed: (m) => `No se pudo completar la solicitud: ${m}`,
    feedbackFailed: (m) => `No se pudo registrar: ${m}`,
    offline: 'no hay conexión con el servicio',
    httpStatus: (s) => `el servicio respondió con el código ${s}`,
    noMatches: 'Sin coincidencias',
    genes: (n) => (n === 1 ? 'Gen' : 'Genes'),
    sourceName: (name) => `Nombre original: ${name} (traducción de DxOps)`,
    profileFrom: (ids) =>
      `Sin fenotipos anotados propios: se ordena por los de ${ids.length === 1 ? 'la enfermedad' : 'las enfermedades'} ` +
      `con su mismo gen (${shortList(ids)}).`,
    nextTitle: 'Hallazgos a explorar',
    nextHelp:
      'Su presencia o ausencia distinguiría mejor entre los primeros candidatos. Marque lo que encuentre y el diferencial se recalcula.',
    nextFoundIn: (n, total) => `en ${n} de los ${total} primeros`,
    nextNone: 'Ningún hallazgo más distinguiría bien entre los primeros candidatos.',
    exportSummary: 'Resumen para la historia clínica',
    exportPhenopacket: 'Descargar phenopacket (GA4GH)',
    copied: 'Resumen copiado al portapapeles.',
    summaryHead: 'DxOps: apoyo a la decisión clínica; no es un diagnóstico.',
    summaryMeta: (date, model, id) => `Fecha: ${date} · Modelo: ${model} · Solicitud: ${id}`,
    summaryPatient: (age, sex) => `Paciente: ${age || 'edad no indicada'}, sexo ${sex}`,
    summaryPresent: 'Hallazgos presentes',
    summaryExcluded: 'Hallazgos descartados',
    summaryDifferential: (s) => `Diagnóstico diferencial (sospecha de enfermedad rara: ${s}):`,
    summaryDiagnosis: (name, id) => `Diagnóstico registrado por el clínico: ${name} (${id})`,
    summaryProfileFrom: (ids) => `sin fenotipos anotados propios, ordenada por los de ${shortList(ids)}`,
    warnings: {
      UNKNOWN_PHENOTYPE: (id) => `${id} no está en el vocabulario del modelo; se ignoró.`,
      REDIRECTED_PHENOTYPE: (id) => `${id} es un identificador obsoleto o alternativo; se usó el término vigente.`,
      DUPLICATE_PHENOTYPE: (id) => `${id} está repetido; se contó una vez.`,
      CONFLICTING_PHENOTYPE: (id) => `${id} figura como presente y descartado; se tomó como presente.`,
      NOT_A_FINDING: (id) =>
        `${id} no es una anomalía fenotípica (es un modo de herencia, una edad de inicio, un modificador o un ` +
        'término raíz de la HPO); se ignoró.',
      UNKNOWN_EVIDENCE: (id) => `${id} no es una respuesta que el modelo conozca; se ignoró.`,
      FEW_FINDINGS: (n) =>
        `${n} hallazgo${n === '1' ? '' : 's'}: con menos de 3, la primera opción acierta en un tercio (un hallazgo) a ` +
        'dos tercios (dos) de los pacientes con enfermedades comunes y en menos de un tercio de los de enfermedades ' +
        'raras; ' +
        'añada más hallazgos del paciente.',
      NO_SUPPORTED_CANDIDATE: () =>
        'Ningún hallazgo ni respuesta figura en el perfil de un candidato: la lista sigue solo el orden de las ' +
        'probabilidades; añada lo que el paciente presenta.',
    },
  },
  en: {
    subtitle: 'Differential diagnosis support: common and rare diseases',
    disclaimer: 'Clinical decision support; it does not replace the clinician’s judgement and is not a diagnosis.',
    findings: 'Patient findings',
    searchLabel: 'Search phenotype (HPO): term, synonym or everyday word',
    noFindings: 'Add at least one finding.',
    age: 'Age',
    ageUnit: 'Age unit',
    units: { years: ['year', 'years'], months: ['month', 'months'], days: ['day', 'days'] },
    ageInvalid: 'Invalid age: enter a number (3, 0.5) from 0 to 130 years; for an infant, in months or days.',
    sex: 'Sex',
    sexUnknown: 'Unknown',
    sexFemale: 'Female',
    sexMale: 'Male',
    diagnose: 'Get differential diagnosis',
    results: 'Differential diagnosis',
    noResults: 'Results will appear here.',
    present: 'Present',
    excluded: 'Excluded',
    remove: 'Remove',
    orphan: 'Rare disease',
    common: 'Common',
    supporting: 'Supporting',
    contradicting: 'Contradicting',
    none: 'none',
    confirm: 'Confirm diagnosis',
    confirmed: 'Diagnosis confirmed ✓',
    stale:
      'The findings or the patient details changed: this list answers the previous request. Press "Get ' +
      'differential diagnosis" to update it.',
    correctLabel: 'Another diagnosis? Search the disease (name, OMIM/ORPHA id or gene)',
    corrected: (name) => `Correction recorded: ${name} ✓`,
    review: (p) => `Specialist review recommended: the top probability is ${p}, below 70%.`,
    reviewRare: (p) =>
      `A rare disease comes first (${p}): confirm it with a specialist. On published case reports a first ` +
      'probability of 70% or more was right about half the time.',
    summary: (v, s, supportedOnly) =>
      `Model ${v} · rare-disease suspicion: ${s}${supportedOnly ? ' · only candidates with a finding in their favour' : ''}`,
    failed: (m) => `The request could not be completed: ${m}`,
    feedbackFailed: (m) => `Could not be recorded: ${m}`,
    offline: 'the service could not be reached',
    httpStatus: (s) => `the service answered with status ${s}`,
    noMatches: 'No matches',
    genes: (n) => (n === 1 ? 'Gene' : 'Genes'),
    sourceName: (name) => `Original name: ${name} (DxOps translation)`,
    profileFrom: (ids) =>
      `No phenotype annotations of its own: ranked on those of the ${ids.length === 1 ? 'disease' : 'diseases'} ` +
      `sharing its gene (${shortList(ids)}).`,
    nextTitle: 'Findings to look for next',
    nextHelp:
      'Their presence or absence would best tell the first candidates apart. Mark what you find and the differential is recomputed.',
    nextFoundIn: (n, total) => `in ${n} of the first ${total}`,
    nextNone: 'No further finding would tell the first candidates apart well.',
    exportSummary: 'Summary for the clinical record',
    exportPhenopacket: 'Download phenopacket (GA4GH)',
    copied: 'Summary copied to the clipboard.',
    summaryHead: 'DxOps: clinical decision support; not a diagnosis.',
    summaryMeta: (date, model, id) => `Date: ${date} · Model: ${model} · Request: ${id}`,
    summaryPatient: (age, sex) => `Patient: ${age || 'age not given'}, sex ${sex}`,
    summaryPresent: 'Findings present',
    summaryExcluded: 'Findings excluded',
    summaryDifferential: (s) => `Differential diagnosis (rare-disease suspicion: ${s}):`,
    summaryDiagnosis: (name, id) => `Diagnosis recorded by the clinician: ${name} (${id})`,
    summaryProfileFrom: (ids) => `no phenotype annotations of its own, ranked on those of ${shortList(ids)}`,
    warnings: {},
  },
};
