// Golden payslip cases from URSSAF's modele-social (the rules behind mon-entreprise.urssaf.fr).
//
// Run OUTSIDE the repository, from a folder holding the npm packages (see README.md):
//   mkdir -p /work/golden && cd /work/golden && echo '{"type":"module"}' > package.json
//   npm install modele-social@11.1.0 modele-social-2025@npm:modele-social@9.0.0 publicodes@1.10.3
//   node /work/main/tests/payroll/golden/generate.mjs > /work/main/tests/payroll/golden/cases.json
//
// 2026 months use modele-social 11.1.0 (RGDU). 2025 months use 9.0.0, the last version that
// carries the 2025 rules (réduction générale « Fillon », reduced maladie / AF rates) — 11.1.0
// applies the RGDU formula to every date.
//
// Employer: non-profit association, fewer than 11 staff (modele-social « moins de 5 »), AT/MP
// 2.08 %, health insurance 40 €/month paid 50 % by the employer — eage's EmployerSettings
// defaults.
//
// Each case is one month as the simulator computes it, without the progressive yearly
// regularisation of the general reduction (the engine gives the same result with ytd=None).
//
// What modele-social cannot express directly is given to it as the engine defines it:
// - incomplete month (entry/exit): base salary × Monday–Friday days under contract / those of
//   the month; the ceiling `salarié . temps de travail . plafond sécurité sociale` = PMSS ×
//   quotity × min(1, calendar days / 30) (art. R242-2 CSS); the SMIC of the reduction
//   `salarié . temps de travail . SMIC` = SMIC × hours × share of the base salary paid (BOSS,
//   the same formula as modele-social's own `mois incomplet . SMIC équivalent`);
// - unpaid absence: base salary − hourly rate × hours, and the SMIC × share paid as above.
// - extra hours: per ISO week in eage, per month in modele-social (a monthly scale of 8 h ×
//   52/12 weeks). Cases keep every week inside the first mark-up tier, where both agree; the
//   second tiers are covered by unit tests.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const requireHere = createRequire(join(process.cwd(), 'noop.js'))
const load = async (name) => {
	const entry = requireHere.resolve(name)
	const mod = await import(pathToFileURL(entry).href)
	let dir = dirname(entry)
	while (true) {
		try {
			const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
			if (pkg.name) return { rules: mod.default, version: pkg.version, name: pkg.name }
		} catch {}
		dir = dirname(dir)
	}
}
const ms2026 = await load('modele-social')
const ms2025 = await load('modele-social-2025')
const publicodes = await load('publicodes')
// The default export of publicodes is the Engine class (wrapped once more in its CommonJS build).
const Engine = typeof publicodes.rules === 'function' ? publicodes.rules : publicodes.rules.default
const quiet = { log() {}, warn() {}, error(m) { console.error(m) } }
const engines = {
	2026: new Engine(ms2026.rules, { logger: quiet }),
	2025: new Engine(ms2025.rules, { logger: quiet }),
}

// ------------------------------------------------------------------------------------------
// The cases (inputs in eage's vocabulary)
// ------------------------------------------------------------------------------------------
const weeks = (spec) => Object.fromEntries(Object.entries(spec).map(([w, h]) => [w, String(h)]))
const C = (id, month, gross, opts = {}) => ({
	id,
	description: opts.description ?? '',
	month,
	contract: {
		weekly_hours: String(opts.hours ?? 35),
		monthly_gross: String(gross),
		cadre: opts.cadre ?? false,
		start: opts.start ?? null,
		end: opts.end ?? null,
	},
	worked_time: {
		extra_hours_by_week: weeks(opts.extra ?? {}),
		unpaid_absence_hours: String(opts.absence ?? 0),
	},
	known_divergence: opts.known_divergence ?? null,
})
const NOV26 = { '2026-W45': 4, '2026-W46': 4, '2026-W47': 4, '2026-W48': 4 }

const CASES = [
	C('smic-2026-01', '2026-01', '1823.03', { description: 'SMIC full-time, January 2026 (12.02 €/h)' }),
	C('smic-2026-05', '2026-05', '1823.03', { description: 'SMIC 12.02 €/h, last month before the June raise' }),
	C('smic-2026-06', '2026-06', '1867.02', { description: 'New SMIC 12.31 €/h from June 2026' }),
	C('fixed-2000-2026-05', '2026-05', '2000', { description: '2 000 € in May: SMIC 12.02 in the RGDU' }),
	C('fixed-2000-2026-06', '2026-06', '2000', { description: '2 000 € in June: SMIC 12.31 in the RGDU' }),
	C('smic1.6-2026-04', '2026-04', '2916.85', { description: '~1.6 SMIC before the June raise' }),
	C('smic1.6-2026-09', '2026-09', '2987.23', { description: '~1.6 SMIC after the June raise' }),
	C('ref-2400-2026-11', '2026-11', '2400', { description: 'LEGAL-FACTS reference: 2 400 € in November 2026' }),
	C('smic2.5-2026-11', '2026-11', '4667.55', { description: '~2.5 SMIC, above the PMSS' }),
	C('pmss-2026-10', '2026-10', '4005', { description: 'Exactly the PMSS' }),
	C('above-pmss-2026-10', '2026-10', '4100', { description: 'Just above the PMSS: T2 and CET' }),
	C('near3smic-2026-12', '2026-12', '5550', { description: 'Just below 3 SMIC: RGDU close to Tmin' }),
	C('above3smic-2026-12', '2026-12', '6200', { description: 'Above 3 SMIC: no RGDU' }),
	C('cadre-3500-2026-03', '2026-03', '3500', { cadre: true, description: 'Cadre below the PMSS' }),
	C('cadre-5200-2026-11', '2026-11', '5200', { cadre: true, description: 'Cadre above the PMSS' }),
	C('cadre-9500-2026-07', '2026-07', '9500', { cadre: true, description: 'Cadre well above the PMSS (T2)' }),
	C('pt17.5-2026-11', '2026-11', '1000', { hours: '17.5', description: 'Part-time 17.5 h' }),
	C('pt24-2026-04', '2026-04', '1400', { hours: 24, description: 'Part-time 24 h, before the June raise' }),
	C('pt24-high-2026-11', '2026-11', '3100', { hours: 24, description: 'Part-time 24 h above its prorated ceiling' }),
	C('pt24-cadre-2026-10', '2026-10', '3300', { hours: 24, cadre: true, description: 'Part-time cadre above the prorated ceiling' }),
	C('pt24-hc-2026-11', '2026-11', '1500', {
		hours: 24,
		extra: { '2026-W45': 2, '2026-W46': 2, '2026-W47': 2, '2026-W48': 2 },
		description: 'Part-time 24 h with 8 heures complémentaires at +10 %',
	}),
	C('ft-hs-2026-11', '2026-11', '2400', { extra: NOV26, description: 'Full-time, 16 heures supplémentaires at +25 %' }),
	C('ft-hs-smic-2026-03', '2026-03', '1823.03', {
		extra: { '2026-W10': 8, '2026-W11': 8, '2026-W12': 8, '2026-W13': 8 },
		description: 'SMIC with 32 heures supplémentaires at +25 %',
	}),
	C('entry-2026-11', '2026-11', '2400', { start: '2026-11-16', description: 'Entry on 16 November 2026' }),
	C('exit-cadre-2026-03', '2026-03', '4500', { cadre: true, end: '2026-03-13', description: 'Cadre leaving on 13 March 2026' }),
	C('entry-pt24-2026-02', '2026-02', '1500', { hours: 24, start: '2026-02-09', description: 'Part-time entry on 9 February 2026' }),
	C('absence-2026-10', '2026-10', '2400', { absence: 14, description: '14 hours of unpaid absence' }),
	C('assoc-ta-2026-02', '2026-02', '2400', { description: 'February 2026: no taxe d\'apprentissage for an association' }),
	C('assoc-ta-2026-03', '2026-03', '2400', { description: 'March 2026: taxe d\'apprentissage due by associations' }),
	C('smic-2025-03', '2025-03', '1801.80', { description: 'SMIC 2025 (11.88 €/h), réduction générale' }),
	C('ref-2400-2025-02', '2025-02', '2400', { description: '2025 before May: chômage 4.05 %' }),
	C('ref-2400-2025-11', '2025-11', '2400', { description: '2025 after May: chômage 4.00 %' }),
	C('maladie13-2025-07', '2025-07', '4200', { description: '2025 above 2.25 SMIC: maladie 13 %, AF 3.45 %' }),
	C('af-full-2025-12', '2025-12', '6500', { description: '2025 above 3.3 SMIC: AF 5.25 %' }),
	C('cadre-5000-2025-06', '2025-06', '5000', { cadre: true, description: 'Cadre 2025 above the PMSS' }),
	C('pt24-2025-09', '2025-09', '1300', { hours: 24, description: 'Part-time 24 h in 2025' }),
	C('ft-hs-2025-10', '2025-10', '2000', {
		extra: { '2025-W41': 4, '2025-W42': 4, '2025-W43': 4, '2025-W44': 4 },
		description: '2025, 16 heures supplémentaires at +25 %',
	}),
	C('ft-hs-above-pmss-2026-11', '2026-11', '3700', {
		extra: NOV26,
		known_divergence:
			'modele-social 11.1.0 raises the ceiling with overtime (PMSS × (151.67 + 16) / 151.67): ' +
			'its `temps de travail . effectif . quotité` is not capped at 100 %. The ceiling of a ' +
			'full-time employee is the PMSS (art. R242-2 CSS); eage keeps it.',
		description: 'Full-time above the PMSS with overtime (known divergence)',
	}),
]

// ------------------------------------------------------------------------------------------
// Situation for modele-social
// ------------------------------------------------------------------------------------------
const r2 = (x) => Math.round(x * 100 + Number.EPSILON * 100) / 100 // half-up to the cent
const workingDays = (a, b) => {
	let n = 0
	for (let d = new Date(a); d <= b; d.setUTCDate(d.getUTCDate() + 1)) {
		const wd = d.getUTCDay()
		if (wd !== 0 && wd !== 6) n++
	}
	return n
}
const num = (e, rule) => {
	const v = e.evaluate(rule).nodeValue
	return typeof v === 'number' ? v : 0
}

function evaluateCase(c) {
	const [y, m] = c.month.split('-').map(Number)
	const year = y >= 2026 ? 2026 : 2025
	const e = engines[year]
	const weekly = Number(c.contract.weekly_hours)
	const monthlyGross = Number(c.contract.monthly_gross)
	const partTime = weekly < 35
	const extraHours = Object.values(c.worked_time.extra_hours_by_week).reduce((s, h) => s + Number(h), 0)
	const tierLimit = partTime ? weekly / 10 : 8
	for (const [w, h] of Object.entries(c.worked_time.extra_hours_by_week)) {
		if (Number(h) > tierLimit) throw new Error(`${c.id}: week ${w} leaves the first tier`)
	}
	const monthStart = new Date(Date.UTC(y, m - 1, 1))
	const monthEnd = new Date(Date.UTC(y, m, 0))
	const start = c.contract.start ? new Date(c.contract.start + 'T00:00:00Z') : monthStart
	const end = c.contract.end ? new Date(c.contract.end + 'T00:00:00Z') : monthEnd
	const pStart = start > monthStart ? start : monthStart
	const pEnd = end < monthEnd ? end : monthEnd
	const complete = pStart.getTime() === monthStart.getTime() && pEnd.getTime() === monthEnd.getTime()
	const contractHours = (weekly * 52) / 12
	const hourly = monthlyGross / contractHours
	const basePay = complete ? monthlyGross : r2((monthlyGross * workingDays(pStart, pEnd)) / workingDays(monthStart, monthEnd))
	const absencePay = r2(hourly * Number(c.worked_time.unpaid_absence_hours))
	const salary = r2(basePay - absencePay)

	const situation = {
		date: `01/${String(m).padStart(2, '0')}/${y}`,
		'salarié . contrat . salaire brut': `${salary} €/mois`,
		'salarié . contrat . statut cadre': c.contract.cadre ? 'oui' : 'non',
		'entreprise . salariés . effectif . seuil': "'moins de 5'",
		'entreprise . catégorie juridique': "'association'",
		'établissement . taux ATMP': '2.08%',
		'salarié . cotisations . prévoyances . santé . montant': '40 €/mois',
		'salarié . cotisations . prévoyances . santé . taux employeur': '50%',
	}
	if (year === 2026) situation['entreprise . association non lucrative'] = 'oui'
	// 9.0.0 has no exemption for non-profit associations; 11.1.0 says they owe the taxe
	// d'apprentissage only from March 2026.
	if (year === 2025) situation["salarié . cotisations . taxe d'apprentissage"] = '0 €/mois'
	if (partTime) {
		situation['salarié . contrat . temps de travail . temps partiel'] = 'oui'
		situation['salarié . contrat . temps de travail . temps partiel . heures par semaine'] = `${weekly} heure/semaine`
		if (extraHours) situation['salarié . temps de travail . heures complémentaires'] = `${extraHours} heure/mois`
	} else if (extraHours) {
		situation['salarié . temps de travail . heures supplémentaires'] = `${extraHours} heure/mois`
	}
	if (!complete || absencePay) {
		if (extraHours) throw new Error(`${c.id}: incomplete month with extra hours is not a golden case`)
		e.setSituation({ date: situation.date })
		const pmss = num(e, 'plafond sécurité sociale')
		const smicHourly = num(e, 'SMIC . horaire')
		const days = (pEnd - pStart) / 86400000 + 1
		const quotity = Math.min(1, contractHours / ((35 * 52) / 12))
		const ceiling = pmss * quotity * (complete ? 1 : Math.min(1, days / 30))
		situation['salarié . temps de travail . plafond sécurité sociale'] = `${ceiling} €/mois`
		situation['salarié . temps de travail . SMIC'] = `${smicHourly * contractHours * (salary / monthlyGross)} €/mois`
	}
	e.setSituation(situation)
	const reduction = year === 2026 ? 'salarié . cotisations . exonérations . RGDU' : 'salarié . cotisations . exonérations . réduction générale'
	const employerNet = num(e, 'salarié . cotisations . employeur')
	const reductions = num(e, 'salarié . cotisations . exonérations . employeur')
	const fmt = (x) => x.toFixed(4)
	return {
		...c,
		model: year === 2026 ? `${ms2026.name} ${ms2026.version}` : `${ms2025.name}@npm:modele-social ${ms2025.version}`,
		situation,
		expected: {
			gross: fmt(num(e, 'salarié . rémunération . brut')),
			employee_contributions: fmt(num(e, 'salarié . cotisations . salarié')),
			employer_contributions: fmt(employerNet + reductions),
			employer_contributions_after_reductions: fmt(employerNet),
			rgdu: fmt(num(e, reduction)),
			rgdu_coefficient: fmt(num(e, reduction + ' . coefficient')),
			reductions: fmt(reductions),
			net_social: fmt(num(e, 'salarié . rémunération . montant net social')),
			net_before_tax: fmt(num(e, 'salarié . rémunération . net . à payer avant impôt')),
			net_taxable: fmt(num(e, 'salarié . rémunération . net . imposable')),
			employer_cost: fmt(num(e, 'salarié . coût total employeur')),
			ceiling: fmt(num(e, 'salarié . temps de travail . plafond sécurité sociale')),
			smic_reference: fmt(num(e, 'salarié . temps de travail . SMIC')),
		},
	}
}

const out = {
	generated_by: 'tests/payroll/golden/generate.mjs',
	models: {
		2026: `modele-social ${ms2026.version}`,
		2025: `modele-social ${ms2025.version}`,
		publicodes: publicodes.version,
	},
	employer: 'association non lucrative, moins de 11 salariés, AT/MP 2.08 %, mutuelle 40 €/mois 50/50',
	note:
		'Single-month situations without the yearly progressive regularisation of the general ' +
		'reduction. employer_contributions are before reductions (modele-social ' +
		'`cotisations . employeur` + `exonérations . employeur`). Amounts are unrounded model ' +
		'values shown with 4 decimals; eage rounds each line to the cent.',
	cases: CASES.map(evaluateCase),
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n')
